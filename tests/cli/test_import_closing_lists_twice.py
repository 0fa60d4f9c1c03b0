"""``briefgen import``: a letter with a list of bijlagen before the closing formula and a list of
toezeggingen (or bijlagen again) after the signature keeps both lists; two lists of one kind are warned about."""

from __future__ import annotations

from tests.cli.helpers import invoke
from tests.cli.test_import_after_signature import TARGET, _data, _letter

BIJLAGEN = (("Normal", "Bijlagen:"), ("List Bullet", "Overzicht routes"), ("List Bullet", "Kaart Kortenhoef"))


def _imported(werkmap, source):
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    return result, _data(werkmap, TARGET)


def test_bijlagen_before_the_closing_survive_toezeggingen_after_the_signature(werkmap, tmp_path):
    source = _letter(tmp_path / "brief.docx", before=BIJLAGEN,
                     after=(("Normal", "Toezeggingen:"), ("List Bullet", "T-12: Rapport over de routes")))
    result, data = _imported(werkmap, source)
    assert data["bijlagen"] == [{"titel": "Overzicht routes"}, {"titel": "Kaart Kortenhoef"}], result.output
    assert data["toezeggingen"] == [{"nummer": "T-12", "omschrijving": "Rapport over de routes"}]
    assert "twee lijsten" not in result.stderr, result.stderr


def test_bijlagen_in_both_places_are_both_kept_with_a_warning(werkmap, tmp_path):
    source = _letter(tmp_path / "brief.docx", before=BIJLAGEN,
                     after=(("Normal", "Bijlagen:"), ("List Bullet", "Brief van de provincie")))
    result, data = _imported(werkmap, source)
    assert data["bijlagen"] == [{"titel": "Overzicht routes"}, {"titel": "Kaart Kortenhoef"},
                                {"titel": "Brief van de provincie"}], result.output
    assert "de brief heeft twee lijsten 'Bijlagen' (voor en na de handtekening)" in result.stderr, result.stderr
