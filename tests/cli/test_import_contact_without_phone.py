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
    rel = new.stdout.strip().splitlines()[0]
    assert "geimporteerd_uit" not in (werkmap / rel).read_text(encoding="utf-8")
    check = invoke(werkmap, "check", str(werkmap / rel))
    assert "contactpersoon E. Seijsener heeft geen telefoon en geen e-mail: vul" in check.stderr, check.stderr
