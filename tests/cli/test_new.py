"""``briefgen new`` writes YAML that reads back exactly, whatever text the shell passes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from briefgen import yamlio
from tests.cli.helpers import invoke
from tests.conftest import REPO, VALID_LETTER, copy_organisations, write
from tests.fuzz.helpers import fuzz

# Everything a shell can pass in one argument: any character but NUL; lone surrogates are the bytes
# of another encoding (Python's surrogateescape) and are tested on their own.
SHELL_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=80)


def new_letter(werkmap: Path, *args: str):
    return invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--datum", "2021-12-01", *args)


def read_back(werkmap: Path, result) -> dict:
    assert result.exit_code == 0, result.output
    path = werkmap / result.stdout.strip()
    loaded, problems = yamlio.load(path, result.stdout.strip())
    assert loaded is not None, [p.format() for p in problems]
    assert not [p for p in problems if p.is_error], [p.format() for p in problems]
    return loaded.data


@pytest.fixture(scope="module")
def shared_werkmap(tmp_path_factory):
    """One werkmap for all examples (each example removes the letter it made)."""
    root = tmp_path_factory.mktemp("new") / "werkmap"
    shutil.copytree(REPO / "templates", root / "templates")
    copy_organisations(root)
    write(root, VALID_LETTER, (REPO / VALID_LETTER).read_bytes())
    return root


@fuzz(ci=100, lang=3000)
@given(subject=SHELL_TEXT)
@example(subject="Kosten\\qua jeugd")
@example(subject='Kosten "qua" \'jeugd\': 2021 # niet')
@example(subject="- lijst")
@example(subject="* ster")
@example(subject="& anker")
@example(subject="! tag")
@example(subject="{{ tabellen.x.totaal }}")
@example(subject="regel één\nregel twee\n")
@example(subject="   ")
@example(subject="yes")
@example(subject="2021-12-01")
@example(subject="0x1F")
@example(subject="~")
@example(subject="%YAML 1.2")
@example(subject="---")
@example(subject="… é ß 中文 😀 \u200b \u2028 \x85")
@example(subject="\t\ttab\r\n")
def test_any_subject_reads_back_exactly(shared_werkmap, subject):
    result = new_letter(shared_werkmap, "--onderwerp", subject)
    try:
        data = read_back(shared_werkmap, result)
        assert data["onderwerp"] == (subject or "Nieuw onderwerp")
        assert (data["soort"], data["organisatie"], data["nummer"]) == ("raadsinformatiebrief", "hilversum", "2021/46")
        assert [s.get("kop") for s in data["secties"]] == [None, "Tot slot"]
    finally:
        if result.exit_code == 0:
            (shared_werkmap / result.stdout.strip()).unlink()


def test_new_letter_keeps_the_comments_and_the_schema_line(werkmap):
    (werkmap / "schema").mkdir()
    (werkmap / "schema" / "brief.schema.json").write_text("{}", encoding="utf-8")
    result = new_letter(werkmap, "--onderwerp", "Kosten\\qua jeugd")
    text = (werkmap / result.stdout.strip()).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schema/brief.schema.json\nsoort: raadsinformatiebrief\n")
    assert "onderwerp: Kosten\\qua jeugd\n# portefeuillehouder: kies een van de collegeleden in functie op 1 december 2021:\n" in text
    assert "#   A.B. Jansen (wethouder: Sociaal domein, Jeugd en Wmo)\n" in text
    assert 'nummer: "2021/46"\n' in text and "datum: 2021-12-01\n" in text
    assert "  - kop: Tot slot\n    tekst: |\n" in text


def test_next_letter_of_a_series_with_a_difficult_subject_reads_back(werkmap):
    subject = "Vervolg: 'jeugd' \\ \"wmo\" # 2\n- nieuw"
    result = new_letter(werkmap, "--van", str(werkmap / VALID_LETTER), "--datum", "2022-03-01", "--onderwerp", subject)
    data = read_back(werkmap, result)
    assert (data["onderwerp"], data["vorige"], data["datum"]) == (subject, "hilversum/2021/inkoop-wmo-jeugd", "2022-03-01")


def test_subject_in_another_encoding_is_refused_in_dutch(werkmap):
    """Bytes that are not UTF-8 reach Python as lone surrogates; such a file could not be written."""
    result = new_letter(werkmap, "--onderwerp", "Kosten \udce9")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("briefgen: het onderwerp bevat tekens die geen UTF-8 zijn")
    assert not (werkmap / "content" / "hilversum" / "2021" / "kosten.yaml").exists()
