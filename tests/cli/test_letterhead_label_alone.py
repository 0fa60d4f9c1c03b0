"""``briefgen templates nieuw``: a label alone with an empty value does not take the addressee line or the
place-and-date line under it as its old value; that line stays what it is."""

from __future__ import annotations

import pytest
from docx import Document

from tests.cli.helpers import invoke
from tests.cli.wordletters import paragraphs_letter


@pytest.mark.parametrize(("line", "kept", "placed"), [
    ("Aan de leden van de gemeenteraad", "{% if aan == 'De leden van de gemeenteraad' %}Aan de leden van de gemeenteraad"
     "{% else %}Aan {{ aan[:1] | lower }}{{ aan[1:] }}{% endif %}", "  Aan de leden van de gemeenteraad → {{ aan }}"),
    ("Hilversum, 3 maart 2020", "Hilversum, {{ datum }}", "  Hilversum → {{ datum }}"),
], ids=["addressee", "place-date"])
def test_a_label_alone_does_not_take_the_addressee_or_place_and_date_line(werkmap, tmp_path, line, kept, placed):
    paragraphs_letter(tmp_path / "papier.docx", "Kenmerk", line, "Onderwerp: Oud", "Geachte leden van de raad,",
                      "Tekst.")
    result = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(tmp_path / "papier.docx"))
    assert result.exit_code == 0, result.output
    texts = [p.text for p in Document(str(werkmap / "templates/eigen.docx")).paragraphs]
    assert texts[:3] == ["Kenmerk\t{{ kenmerk or nummer }}", kept, "Onderwerp: {{ onderwerp }}"], texts
    assert placed in result.stdout.splitlines(), result.stdout
