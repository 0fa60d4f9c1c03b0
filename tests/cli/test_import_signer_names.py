"""``briefgen import``: a signer written with or without his academic titles, with spaced initials or a capital
particle is the organisation's person; two people with one surname are never taken for each other."""

from __future__ import annotations

import pytest

from briefgen.yamlio import load
from tests.cli.helpers import invoke
from tests.cli.wordletters import plain_letter, python_docx_letter

TARGET = "content/hilversum/2020/{}.yaml"
TWO_BERGS = """college:
  - naam: drs. M.J. van den Berg
    functie: wethouder
    portefeuilles: [Sport]
    van: 2018-05-01
  - naam: M.K. van den Berg
    functie: wethouder
    portefeuilles: [Cultuur]
    van: 2018-05-01
"""
B_JANSEN = """college:
  - naam: B. Jansen
    functie: wethouder
    portefeuilles: [Sport]
    van: 2018-05-01
"""  # before the organisation's wethouder A.B. Jansen: the first whose name ends "A. B. Jansen"


def _organisation(werkmap, old: str, new: str) -> None:
    path = werkmap / "content/organisaties/hilversum.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _import(werkmap, source, name: str):
    result = invoke(werkmap, "import", str(source), "--organisatie", "hilversum")
    assert result.exit_code == 0, result.output
    loaded, problems = load(werkmap / TARGET.format(name), name)
    assert not problems, problems
    return result, loaded.data


@pytest.mark.parametrize("signer", ["P. I. Broertjes", "P.I. Broertjes", "drs P.I. Broertjes", "Drs. P.I. Broertjes",
                                    "P.I. Broertjes MSc", "mr. drs. P.I. Broertjes, LLM"])
def test_a_signer_is_the_organisations_person_titles_and_spacing_aside(werkmap, tmp_path, signer):
    _organisation(werkmap, "naam: P.I. Broertjes", "naam: drs. P.I. Broertjes")
    result, data = _import(werkmap, python_docx_letter(tmp_path / "brief.docx", signer=signer), "oude-brief-over-kosten")
    assert "onderteken" not in result.stderr, result.stderr  # read and found: no default filled in, nothing to check
    assert data["ondertekening"] == "college"


@pytest.mark.parametrize(("college", "signer", "naam"), [(TWO_BERGS, "M.J. Van den Berg", "drs. M.J. van den Berg"),
                                                         (TWO_BERGS, "ir. M. K. van den Berg", "M.K. van den Berg"),
                                                         (B_JANSEN, "A. B. Jansen", "A.B. Jansen"),
                                                         (B_JANSEN, "drs. A. B. Jansen", "A.B. Jansen"),
                                                         (B_JANSEN, "B. Jansen", "B. Jansen")])
def test_of_two_people_with_one_surname_the_initials_choose(werkmap, tmp_path, college, signer, naam):
    _organisation(werkmap, "college:\n", college)
    source = plain_letter(tmp_path / "brief.docx", header=("Datum: 3 maart 2020", "Onderwerp: Twee Van den Bergen"),
                          closing=("Met vriendelijke groet,", "de wethouder,", signer))
    result, data = _import(werkmap, source, "twee-van-den-bergen")
    assert "onderteken" not in result.stderr, result.stderr
    assert data["ondertekening"] == [{"rol": "wethouder", "naam": naam}]


def test_other_initials_are_another_person(werkmap, tmp_path):
    _organisation(werkmap, "college:\n", TWO_BERGS)
    source = plain_letter(tmp_path / "brief.docx", header=("Datum: 3 maart 2020", "Onderwerp: Twee Van den Bergen"),
                          closing=("Met vriendelijke groet,", "de wethouder,", "drs. M.L. van den Berg"))
    result, data = _import(werkmap, source, "twee-van-den-bergen")
    assert ("waarschuwing: ondertekenaar 'drs. M.L. van den Berg' (wethouder) is niet gevonden in het college van "
            "Gemeente Hilversum op 3 maart 2020") in result.stderr
    assert data["ondertekening"] == "college"  # the default, with the warning to check it


def test_a_portfolio_holder_with_titles_is_the_organisations_person(werkmap, tmp_path):
    _organisation(werkmap, "college:\n", TWO_BERGS)
    source = plain_letter(tmp_path / "brief.docx", header=("Datum: 3 maart 2020", "Onderwerp: Twee Van den Bergen",
                                                           "Portefeuillehouder: wethouder M. J. van den Berg MSc"))
    _, data = _import(werkmap, source, "twee-van-den-bergen")
    assert data["portefeuillehouder"] == "drs. M.J. van den Berg"


@pytest.mark.parametrize(("holder", "naam"), [("Wethouder A. B. Jansen", "A.B. Jansen"),
                                              ("wethouder drs. A. B. Jansen", "A.B. Jansen"),
                                              ("A. B. Jansen", "A.B. Jansen"),
                                              ("Wethouder Drs. A.B. Jansen MSc", "A.B. Jansen"),
                                              ("Wethouder B. Jansen", "B. Jansen"),
                                              ("wethouder mr. B. Jansen", "B. Jansen")])
def test_a_portfolio_holder_is_the_member_with_his_whole_name_not_one_whose_name_ends_his(werkmap, tmp_path, holder, naam):
    _organisation(werkmap, "college:\n", B_JANSEN)
    source = plain_letter(tmp_path / "brief.docx", header=("Datum: 3 maart 2020", "Onderwerp: Twee Jansens",
                                                           f"Portefeuillehouder: {holder}"))
    _, data = _import(werkmap, source, "twee-jansens")
    assert data["portefeuillehouder"] == naam


def test_a_portfolio_holder_whose_initials_are_no_members_stays_as_written(werkmap, tmp_path):
    _organisation(werkmap, "college:\n", B_JANSEN)
    _organisation(werkmap, "naam: A.B. Jansen", "naam: C.B. Jansen")
    source = plain_letter(tmp_path / "brief.docx", header=("Datum: 3 maart 2020", "Onderwerp: Twee Jansens",
                                                           "Portefeuillehouder: wethouder A. B. Jansen"))
    result = invoke(werkmap, "import", str(source), "--organisatie", "hilversum")
    assert result.exit_code == 1  # written, with the error to fix
    assert ("twee-jansens.yaml:7:21: portefeuillehouder 'wethouder A. B. Jansen' is niet in functie op 3 maart 2020 bij "
            "Gemeente Hilversum") in result.stderr, result.stderr
    data = load(werkmap / TARGET.format("twee-jansens"), "twee-jansens")[0].data
    assert data["portefeuillehouder"] == "wethouder A. B. Jansen"  # not B. Jansen
