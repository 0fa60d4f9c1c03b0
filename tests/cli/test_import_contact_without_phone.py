"""``briefgen import``: a contact the old letter named without phone or e-mail is a fact of that letter. The
imported letter says where it came from (``geimporteerd_uit``) and builds, with a warning that says what to do;
in a letter that is not imported the same contact stays an error."""

from __future__ import annotations

from briefgen.yamlio import load
from tests.cli.helpers import invoke
from tests.cli.test_import_depth_contacts import TARGET, _letter

WARNING = ("waarschuwing: contactpersoon E. Seijsener heeft geen telefoon en geen e-mail; de brief is geïmporteerd uit "
           "brief.docx, dus dat mag als de oude brief ze ook niet had: vul 'telefoon:' of 'email:' in als u die weet, "
           "anders toont de brief alleen de naam")


def _imported(werkmap, tmp_path):
    source = _letter(tmp_path / "brief.docx", [("Informatie bij:", "E. Seijsener")])
    result = invoke(werkmap, "import", str(source), "--organisatie", "hilversum")
    assert result.exit_code == 0, result.output
    return result


def test_an_imported_contact_without_phone_or_email_is_a_warning_and_the_letter_builds(werkmap, tmp_path):
    result = _imported(werkmap, tmp_path)
    assert f"{TARGET}:14:5: {WARNING}" in result.stderr.splitlines(), result.stderr
    assert "1 brief geïmporteerd" in result.stdout
    data = load(werkmap / TARGET, TARGET)[0].data
    assert data["contactpersonen"] == [{"naam": "E. Seijsener"}]
    assert data["geimporteerd_uit"] == "brief.docx"
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / TARGET))
    assert built.exit_code == 0, built.output
    assert WARNING in built.stderr


def test_the_same_contact_in_a_letter_that_is_not_imported_is_an_error(werkmap, tmp_path):
    _imported(werkmap, tmp_path)
    path = werkmap / TARGET
    path.write_text(path.read_text(encoding="utf-8").replace("geimporteerd_uit: brief.docx\n", ""), encoding="utf-8")
    check = invoke(werkmap, "check", str(path))
    assert check.exit_code == 1
    assert (f"{TARGET}:14:5: contactpersoon E. Seijsener heeft geen telefoon en geen e-mail: vul 'telefoon:' of 'email:' in"
            in check.stderr.splitlines()), check.stderr


def test_a_follow_up_of_an_imported_letter_is_not_imported(werkmap, tmp_path):
    _imported(werkmap, tmp_path)
    new = invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--van", str(werkmap / TARGET), "--datum", "2020-04-01")
    assert new.exit_code == 0, new.output
    assert ("briefgen: contactpersoon E. Seijsener heeft geen telefoon en geen e-mail: vul 'telefoon:' of 'email:' in "
            "(anders bouwt deze brief niet)") in new.stderr.splitlines(), new.stderr
    rel = new.stdout.strip().splitlines()[0]
    assert "geimporteerd_uit" not in (werkmap / rel).read_text(encoding="utf-8")
    check = invoke(werkmap, "check", str(werkmap / rel))
    assert "contactpersoon E. Seijsener heeft geen telefoon en geen e-mail: vul" in check.stderr, check.stderr


def _new_letter(werkmap, imported_from: str) -> tuple[str, int]:
    """A letter from ``new`` with a contact without phone or e-mail and ``geimporteerd_uit`` written by hand;
    the line of that key."""
    new = invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--onderwerp", "Nieuwe brief", "--datum", "2020-04-01")
    assert new.exit_code == 0, new.output
    rel = new.stdout.strip()
    path = werkmap / rel
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{text}\ncontactpersonen:\n  - naam: E. Seijsener\ngeimporteerd_uit: {imported_from}\n", encoding="utf-8")
    return rel, text.count("\n") + 4


def test_geimporteerd_uit_by_hand_that_is_no_word_file_is_an_error_and_the_contact_stays_one(werkmap):
    rel, line = _new_letter(werkmap, "ja")
    check = invoke(werkmap, "check", str(werkmap / rel))
    assert check.exit_code == 1
    errors = check.stderr.splitlines()
    assert (f"{rel}:{line}:19: 'ja' is geen naam van een Word-bestand: 'geimporteerd_uit' zet briefgen import, met de naam "
            "van het oude Word-bestand (bijvoorbeeld rib-12.docx); in een brief die niet geïmporteerd is, laat u de "
            "sleutel weg") in errors, check.stderr
    assert (f"{rel}:{line - 1}:5: contactpersoon E. Seijsener heeft geen telefoon en geen e-mail: vul 'telefoon:' of 'email:' "
            "in") in errors, check.stderr


def test_geimporteerd_uit_is_the_name_of_a_word_file(werkmap):
    for value in ("'.docx'", "brief.pdf", "archief/.odt", "docx"):
        rel, line = _new_letter(werkmap, value)
        check = invoke(werkmap, "check", str(werkmap / rel))
        assert f"{rel}:{line}:19: '{value.strip(chr(39))}' is geen naam van een Word-bestand" in check.stderr, check.stderr
        (werkmap / rel).unlink()
    for value in ("rib-12.DOCX", "archief/rib 12.doc", "oud.docm", "oud.odt"):
        rel, _ = _new_letter(werkmap, value)
        check = invoke(werkmap, "check", str(werkmap / rel))
        assert "geimporteerd_uit" not in check.stderr, check.stderr
        assert WARNING.replace("brief.docx", value) in check.stderr, check.stderr  # the relaxation a by-hand name still gets
        (werkmap / rel).unlink()


def test_a_letter_imported_from_a_file_without_a_word_name_says_nothing_of_where_it_came_from(werkmap, tmp_path):
    source = _letter(tmp_path / "brief.docx", [("Informatie bij:", "E. Seijsener")]).rename(tmp_path / "brief")
    result = invoke(werkmap, "import", str(source), "--organisatie", "hilversum")
    assert "contactpersoon E. Seijsener heeft geen telefoon en geen e-mail: vul 'telefoon:'" in result.stderr, result.stderr
    assert "geimporteerd_uit" not in (werkmap / TARGET).read_text(encoding="utf-8")
