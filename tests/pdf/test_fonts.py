"""The fonts `make` installs: Word's own defaults and Arial have stand-ins of the same width, so a letterhead made
with `templates nieuw` from a Word letter breaks its lines in the PDF as in Word."""

from __future__ import annotations

import pytest

from briefgen.templatecheck import _METRIC_CLONES, _stand_in
from tests.conftest import require_soffice

WORD_FONTS = ["Calibri", "Cambria", "Arial", "Times New Roman"]


@pytest.mark.parametrize("font", WORD_FONTS)
def test_a_common_word_font_has_a_stand_in_of_the_same_width(font):
    require_soffice()  # fontconfig comes with LibreOffice; without it, this fails in CI and skips elsewhere
    assert _stand_in(font).lower() == _METRIC_CLONES[font.lower()], f"{font}: installeer de lettertypen met make"
