"""The fonts `make` installs: Word's own defaults and Arial have stand-ins of the same width, so a letterhead made
with `templates nieuw` from a Word letter breaks its lines in the PDF as in Word."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import require_soffice

SAME_WIDTH = [("Calibri", "Carlito"), ("Cambria", "Caladea"), ("Arial", "Liberation Sans"),
              ("Times New Roman", "Liberation Serif")]


@pytest.mark.parametrize(("font", "stand_in"), SAME_WIDTH, ids=[font for font, _ in SAME_WIDTH])
def test_a_common_word_font_has_a_stand_in_of_the_same_width(font, stand_in):
    require_soffice()  # fontconfig comes with LibreOffice; without it, this fails in CI and skips elsewhere
    assert shutil.which("fc-match"), "fc-match (fontconfig) ontbreekt"
    chosen = subprocess.run(["fc-match", "-f", "%{family[0]}", font], capture_output=True, text=True, check=True).stdout
    assert chosen == stand_in, f"{font} wordt {chosen!r}: installeer de lettertypen met make"
