"""Hazards of reading content (issue 13): deep nesting, huge integers, YAML tags, numbers as text,
odd letter files (symlink loops, FIFOs, folders), forbidden characters, link schemes, terms of office."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from briefgen import pipeline
from briefgen.problems import Problem
from briefgen.settings import Settings
from tests.fuzz.helpers import (
    STYLE_2021,
    assert_dutch,
    assert_located,
    check,
    new_werkmap,
    outputs,
    parse_problem_lines,
)

SETTINGS = Settings(jobs=1)
HEAD = "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\nonderwerp: Test\nondertekening: burgemeester\n"
GOOD = "x/goed.yaml"
SHOWN = "content/x/brief.yaml"


def _errors(werkmap, shown: str = SHOWN) -> list[Problem]:
    return [p for p in check(werkmap).problems if p.is_error and p.path == shown]


def _one(tmp_path, text: str) -> Problem:
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": text}, templates=STYLE_2021)
    [problem] = _errors(werkmap)
    assert_located(problem, werkmap)
    return problem


# --- Deep nesting --------------------------------------------------------------------------------

DEEP = {
    "vierkante-haken": "onderwerp: " + "[" * 30_000 + "\n",
    "accolades": "onderwerp: " + "{a: " * 15_000 + "x" + "}" * 15_000 + "\n",
    "blokken": "".join(" " * i + "a:\n" for i in range(1_000)) + " " * 1_000 + "a: x\n",
    "lijststreepjes": "onderwerp:\n" + "- " * 20_000 + "x\n",
    "sleutel": "? " + "[" * 30_000 + "\n: x\n",
}


@pytest.mark.parametrize("kind", sorted(DEEP))
def test_deep_nesting_is_a_located_problem_and_the_others_are_built(tmp_path, kind):
    """Before: the C loader crashed the whole process (SIGSEGV) and no letter was built."""
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": HEAD + DEEP[kind] if kind != "blokken" else DEEP[kind],
                                                  GOOD: HEAD}, templates=STYLE_2021)
    result = subprocess.run([sys.executable, "-m", "briefgen", "-C", str(werkmap.root), "build", "--formaat", "docx"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    [line] = [line for line in parse_problem_lines(result.stderr) if line.startswith(SHOWN)]
    assert "de YAML is te diep genest" in line
    assert "Traceback" not in result.stderr
    assert sorted(outputs(werkmap, "docx")) == ["x/goed.docx"]


# --- Numbers, tags, keys ------------------------------------------------------------------------

@pytest.mark.parametrize("number", ["1" * 5000, "0x" + "f" * 5000, "0o" + "7" * 5000, "1_" * 2500 + "1", "-" + "9" * 4400])
def test_huge_integer_is_a_located_problem(tmp_path, number):
    """Before: Python's int-conversion limit (ValueError) stopped the batch with a traceback."""
    problem = _one(tmp_path, HEAD + f"nummer: {number}\n")
    assert (problem.line, problem.col) == (6, len("nummer: ") + 1)
    assert problem.message.startswith("het getal is te lang (")


@pytest.mark.parametrize("value, expected", [
    ("2021.10", "2021.10"), ("007", "007"), ("0x1F", "0x1F"), ("1_000", "1_000"), ("2021.0", "2021.0"), ("1e3", "1e3"),
])
def test_numbers_in_text_fields_stay_as_written(tmp_path, value, expected):
    """Before: 'nummer: 2021.10' became '2021.1' (read as a float)."""
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": HEAD + f"nummer: {value}\nkenmerk: {value}\n"},
                          templates=STYLE_2021)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    assert report.ok, [p.format() for p in report.problems]
    [result] = check(werkmap).letters
    assert (result.letter.number, result.letter.reference) == (expected, expected)
    with zipfile.ZipFile(outputs(werkmap, "docx")["x/brief.docx"]) as package:
        assert expected.encode() in package.read("word/document.xml")


@pytest.mark.parametrize("value", ["!!binary DAwM", "!!python/object:os.system x", "!!python/name:os.system",
                                   "!vreemd x", "!!set {a: null}", "!!omap [a: 1]"])
def test_yaml_tags_are_refused_at_their_place(tmp_path, value):
    """Before: '!!binary' made bytes with U+000C that reached the DOCX (ValueError, no line)."""
    problem = _one(tmp_path, HEAD.replace("onderwerp: Test", f"onderwerp: {value}"))
    assert (problem.line, problem.col) == (4, len("onderwerp: ") + 1)
    assert problem.message.startswith(f"de typeaanduiding '{value.split()[0]}' is niet toegestaan")


@pytest.mark.parametrize("key", ['"\\ud800"', '"a\\x0c"', '"\\udfff\\ud800"'])
def test_forbidden_character_in_a_key_is_located_and_dutch(tmp_path, key):
    """Before: pydantic's English 'unable to parse raw data as a unicode string' (lone surrogate)."""
    problem = _one(tmp_path, HEAD + f"{key}: x\n")
    assert (problem.line, problem.col) == (6, 1)
    assert problem.message.startswith("ongeldige sleutel: de tekst bevat een ongeldig")
    assert_dutch(problem)


# --- Odd letter files ----------------------------------------------------------------------------

def _odd(kind: str, path, outside) -> str:
    """Make ``path`` the odd file of ``kind``; the message it should give."""
    if kind == "kring":
        path.symlink_to(path.name)
        return "kan het bestand niet lezen: dit is een symbolische koppeling die in een kring naar zichzelf verwijst"
    if kind == "wees":
        path.symlink_to("weg.yaml")
        return "kan het bestand niet lezen: dit is een symbolische koppeling naar 'weg.yaml', en dat bestaat niet"
    if kind == "buiten":
        path.symlink_to(outside)
        return "kan het bestand niet lezen: dit is een symbolische koppeling naar een bestand buiten de werkmap"
    if kind == "fifo":
        os.mkfifo(path)
        return "kan het bestand niet lezen: dit is geen gewoon bestand"
    raise AssertionError(kind)


ODD = ["kring", "wees", "buiten", "fifo"]


@pytest.mark.parametrize("kind", ODD)
def test_odd_letter_file_is_a_located_dutch_problem_and_the_others_are_built(tmp_path, kind):
    """Before: a traceback (symlink loop), English OS text, a silent skip (outside) or a hang (FIFO)."""
    outside = tmp_path / "buiten.yaml"
    outside.write_text(HEAD, encoding="utf-8")
    werkmap = new_werkmap(tmp_path / "werkmap", {GOOD: HEAD}, templates=STYLE_2021)
    expected = _odd(kind, werkmap.content / "x" / "brief.yaml", outside)
    result = subprocess.run([sys.executable, "-m", "briefgen", "-C", str(werkmap.root), "build", "--formaat", "docx"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    [line] = parse_problem_lines(result.stderr)
    assert line.startswith(f"{SHOWN}:1:1: {expected}"), line
    assert sorted(outputs(werkmap, "docx")) == ["x/goed.docx"]


@pytest.mark.parametrize("kind", ODD + ["map"])
def test_odd_organisation_file_is_a_located_dutch_problem(tmp_path, kind):
    outside = tmp_path / "buiten.yaml"
    outside.write_text("naam: Buiten\nplaatsnaam: Buiten\nhuisstijl: hilversum-rib-2021\n", encoding="utf-8")
    werkmap = new_werkmap(tmp_path / "werkmap", {GOOD: HEAD}, templates=STYLE_2021)
    path = werkmap.content / "organisaties" / "vreemd.yaml"
    if kind == "map":
        path.mkdir()
        expected = "kan het bestand niet lezen: dit is een map, geen bestand"
    else:
        expected = _odd(kind, path, outside)
    report = check(werkmap)
    [problem] = [p for p in report.problems if p.path == "content/organisaties/vreemd.yaml"]
    assert (problem.line, problem.col) == (1, 1) and problem.message.startswith(expected), problem
    assert_dutch(problem)
    assert [result.shown for result in report.letters if not result.failed] == [f"content/{GOOD}"]


def test_folder_with_a_letter_name_is_searched_not_read(tmp_path):
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/map.yaml/brief.yaml": HEAD, GOOD: HEAD}, templates=STYLE_2021)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    assert report.ok, [p.format() for p in report.problems]
    assert sorted(outputs(werkmap, "docx")) == ["x/goed.docx", "x/map.yaml/brief.docx"]


def test_yml_letter_is_built(tmp_path):
    """Before: a .yml letter was silently skipped ('0 met fouten')."""
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yml": HEAD, "x/later.yaml": HEAD.replace("2021-11-16", "2021-12-01")
                                                  + "vorige: x/brief\n"}, templates=STYLE_2021)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    assert report.ok, [p.format() for p in report.problems]
    assert sorted(outputs(werkmap, "docx")) == ["x/brief.docx", "x/later.docx"]


@pytest.mark.parametrize("kind", ["kring", "wees", "fifo"])
def test_odd_attachment_is_a_located_dutch_problem(tmp_path, kind):
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": HEAD + "bijlagen:\n  - titel: B\n    bestand: bijlagen/b.pdf\n"},
                          templates=STYLE_2021)
    (werkmap.root / "bijlagen").mkdir(exist_ok=True)
    _odd(kind, werkmap.root / "bijlagen" / "b.pdf", tmp_path / "buiten.pdf")
    [problem] = _errors(werkmap)
    assert (problem.line, problem.col) == (8, len("    bestand: ") + 1)
    assert_dutch(problem)


# --- Rich text: entities and links --------------------------------------------------------------

def _section(text: str) -> str:
    return HEAD + "secties:\n  - tekst: |\n" + "".join(f"      {line}\n" for line in text.split("\n"))


@pytest.mark.parametrize("entity", ["&#12;", "&#xC;", "&#x0c;", "&#0012;"])
def test_character_entity_for_a_forbidden_character_is_located(tmp_path, entity):
    """Before: 'DOCX niet gemaakt door een interne fout (ValueError: All strings must be XML compatible…)'."""
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": _section(f"Eerste regel.\n\nTekst {entity} hier."), GOOD: HEAD},
                          templates=STYLE_2021)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    [problem] = report.problems
    assert (problem.path, problem.line, problem.col) == (SHOWN, 10, len("      Tekst ") + 1)
    assert problem.message.startswith("de tekst bevat een ongeldig stuurteken") and entity in problem.message
    assert_located(problem, werkmap)
    assert sorted(outputs(werkmap, "docx")) == ["x/goed.docx"]


REFUSED_LINKS = {
    "[hulp](<ms-msdt:/id PCWDiagnostic>)": "ms-msdt:/id PCWDiagnostic",
    "<search-ms:query=factuur>": "search-ms:query=factuur",
    "[share](smb://server/share)": "smb://server/share",
    "[unc](\\\\server\\share)": "\\server\\share",  # Markdown reads the first backslash as an escape
    "[unc](//server/share)": "//server/share",
    "[bestand](file:///etc/passwd)": "file:///etc/passwd",
    "[macro](vnd.sun.star.script:Standard.Module1.Main?language=Basic)": "vnd.sun.star.script:Standard.Module1.Main?language=Basic",
    "[word](ms-word:ofe|u|https://x.nl/a.docx)": "ms-word:ofe|u|https://x.nl/a.docx",
    "<javascript:alert(1)>": "javascript:alert(1)",
    "[los](www.hilversum.nl)": "www.hilversum.nl",
}


@pytest.mark.parametrize("markdown", sorted(REFUSED_LINKS))
def test_link_with_a_scheme_outside_the_list_is_refused_at_its_place(tmp_path, markdown):
    """Before: only javascript:/vbscript: were refused; ms-msdt:, smb://, UNC paths … became live links."""
    problem = _one(tmp_path, _section(f"Eerste regel.\n\nZie {markdown} voor meer."))
    written = REFUSED_LINKS[markdown]
    assert (problem.line, problem.col) == (10, len("      Zie ") + markdown.index(written) + 1)
    assert f"link '{written}'" in problem.message


@pytest.mark.parametrize("markdown", ["![Foto van de opvang](foto.png)", "[![Logo](logo.png)](https://x.nl)", "![](kaart.png)"])
def test_an_image_in_a_text_is_a_located_error_not_silently_its_caption(tmp_path, markdown):
    """Before: the image became its caption (or nothing) in the letter, without a word (found by a new user)."""
    problem = _one(tmp_path, _section(f"Eerste regel.\n\nZie {markdown} hieronder."))
    assert (problem.line, problem.col) == (10, len("      Zie ") + markdown.index("![") + 1)
    assert problem.message.startswith("afbeelding '") and "als bijlage" in problem.message


def test_allowed_links_become_hyperlinks(tmp_path):
    text = "[site](https://www.hilversum.nl) [oud](http://x.nl) <mailto:griffie@hilversum.nl> [bel](tel:+31356292911)"
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": _section(text)}, templates=STYLE_2021)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    assert report.ok, [p.format() for p in report.problems]
    with zipfile.ZipFile(outputs(werkmap, "docx")["x/brief.docx"]) as package:
        rels = b"".join(package.read(name) for name in package.namelist() if name.endswith(".rels"))
    for target in (b"https://www.hilversum.nl", b"http://x.nl", b"mailto:griffie@hilversum.nl", b"tel:+31356292911"):
        assert target in rels


# --- Terms of office ----------------------------------------------------------------------------

ORGANISATION = """naam: Gemeente Proef
plaatsnaam: Proef
huisstijl: hilversum-rib-2021
college:
  - naam: A. Eerst
    functie: burgemeester
    van: 2015-01-01
    tot: {tot}
  - naam: B. Later
    functie: Burgemeester
    van: {van}
  - naam: C. Wethouder
    functie: wethouder
    van: 2015-01-01
  - naam: D. Wethouder
    functie: wethouder
    van: 2015-01-01
"""


@pytest.mark.parametrize("tot, van, line, col, message", [
    ("2012-09-01", "2021-09-02", 8, 10, "'tot' (2012-09-01) ligt vóór 'van' (2015-01-01): deze persoon is nooit in functie"),
    ("2021-09-01", "2021-09-01", 11, 5, "B. Later en A. Eerst zijn op dezelfde dag(en) allebei burgemeester; 'tot' is de laatste dag"),
    ("2021-09-01", "2020-01-01", 11, 5, "B. Later en A. Eerst zijn op dezelfde dag(en) allebei burgemeester"),
])
def test_inconsistent_terms_of_office_are_reported_in_the_organisation_file(tmp_path, tot, van, line, col, message):
    """Before: not reported; letters silently got another signer or 'geen ondertekenaar'."""
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": HEAD.replace("hilversum", "proef")}, templates=STYLE_2021)
    (werkmap.content / "organisaties" / "proef.yaml").write_text(ORGANISATION.format(tot=tot, van=van), encoding="utf-8")
    report = check(werkmap)
    [problem] = [p for p in report.problems if p.path == "content/organisaties/proef.yaml"]
    assert (problem.line, problem.col) == (line, col) and problem.message.startswith(message), problem
    assert_located(problem, werkmap)


def test_consecutive_terms_and_several_wethouders_are_fine(tmp_path):
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": HEAD.replace("hilversum", "proef")}, templates=STYLE_2021)
    (werkmap.content / "organisaties" / "proef.yaml").write_text(ORGANISATION.format(tot="2021-09-01", van="2021-09-02"),
                                                                  encoding="utf-8")
    assert [p.format() for p in check(werkmap).problems if p.is_error] == []


def test_yml_letter_beside_a_yaml_letter_of_the_same_name_is_reported(tmp_path):
    """Both would be built to the same x/brief.docx: the .yaml one is, the .yml one gets a problem."""
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": HEAD, "x/brief.yml": HEAD.replace("Test", "Ander")},
                          templates=STYLE_2021)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    [problem] = report.problems
    assert (problem.path, problem.line, problem.col) == ("content/x/brief.yml", 1, 1)
    assert problem.message.startswith("naast dit bestand staat ook 'brief.yaml'")
    assert sorted(outputs(werkmap, "docx")) == ["x/brief.docx"]
    assert [result.shown for result in report.letters if not result.failed] == [SHOWN]
