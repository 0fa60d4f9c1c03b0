"""Text hazards: control characters (exact position), invisible and right-to-left text, emoji,
``{{ }}`` and ``{% %}`` in plain text."""

from __future__ import annotations

import copy
import time

import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

from briefgen import pipeline, yamlio
from briefgen.problems import Problem
from briefgen.settings import Settings
from tests.fuzz.helpers import (
    EXAMPLE_2021,
    STYLE_2021,
    assert_docx_ok,
    assert_dutch,
    assert_located,
    check,
    docx_texts,
    example,
    fresh_dir,
    fuzz,
    new_werkmap,
    outputs,
    run_cli,
)
from tests.fuzz.strategies import BASE_LETTER, EXAMPLE_FILES, REPO, _set, dump_yaml, hostile_text, surviving_text

SETTINGS = Settings(jobs=1)
HEAD = "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\nonderwerp: Test\n"
SIGNED = "ondertekening:\n  - rol: burgemeester\n"


def stuurteken(ch: str) -> str:
    return f"ongeldig stuurteken U+{ord(ch):04X} (vaak geplakt uit Word); verwijder het"


def load_bytes(tmp_path, raw: bytes):
    path = fresh_dir(tmp_path) / "brief.yaml"
    path.write_bytes(raw)
    return yamlio.load(path, "brief.yaml")


# --- Control characters: reported at their exact place ----------------------------------------------

HANDLED = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"]


def _expected_position(text: str, index: int) -> tuple[int, int]:
    """Line and column (1-based, in characters) of ``text[index]`` as an editor shows them."""
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


@fuzz(ci=40, lang=3000)
@given(
    rel=st.sampled_from(EXAMPLE_FILES),
    char=st.sampled_from(HANDLED),
    variant=st.sampled_from(["lf", "crlf", "bom"]),
    where=st.floats(0, 1),
)
def test_control_character_is_reported_at_its_exact_position(tmp_path, rel, char, variant, where):
    text = (REPO / "content" / rel).read_text(encoding="utf-8")
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    index = int(where * len(text))
    assume(not (index > 0 and text[index - 1] == "\r"))  # between \r and \n: which line is that?
    line, col = _expected_position(text, index)
    assume(variant != "bom" or line > 1)  # line 1 with a BOM: test_bom_does_not_shift_column_of_line_1
    mutated = text[:index] + char + text[index:]
    raw = (b"\xef\xbb\xbf" if variant == "bom" else b"") + mutated.encode("utf-8")
    loaded, problems = load_bytes(tmp_path, raw)
    assert loaded is None
    assert problems == [Problem("brief.yaml", line, col, stuurteken(char))]


def test_control_character_position_through_the_cli(tmp_path):
    text = example()
    lines = text.split("\n")
    lines[4] = lines[4][:11] + "\x07" + lines[4][11:]  # in "onderwerp: …", after "onderwerp: "
    werkmap = new_werkmap(tmp_path / "werkmap", {EXAMPLE_2021: "\n".join(lines)}, templates=STYLE_2021)
    result = run_cli(["-C", str(werkmap.root), "check", "--geen-spelling"])
    assert result.exit_code == 1
    assert f"content/{EXAMPLE_2021}:5:12: {stuurteken(chr(7))}" in result.stderr


@pytest.mark.parametrize("char", ["\x7f", "\x80", "\x9b", "\x9f"], ids=["DEL", "PAD", "CSI", "APC"])
def test_del_and_c1_control_characters_are_located(tmp_path, char):
    loaded, problems = load_bytes(tmp_path, f"soort: a\nonderwerp: ab{char}c\n".encode())
    assert problems == [Problem("brief.yaml", 2, 14, stuurteken(char))]


def test_bom_does_not_shift_column_of_line_1(tmp_path):
    loaded, problems = load_bytes(tmp_path, b"\xef\xbb\xbfsoort: a\x07b\n")
    assert problems == [Problem("brief.yaml", 1, 9, stuurteken("\x07"))]


# Written as YAML escapes ("\x0b") or made by a Jinja string literal, a control character passes the
# byte check; it must still become a located problem, not a ValueError from python-docx/lxml.
ESCAPED = [
    pytest.param('onderwerp: "ab\\x0bc"\n', (4, 12), id="onderwerp-VT"),
    pytest.param('onderwerp: "ab\\0c"\n', (4, 12), id="onderwerp-NUL"),
    pytest.param('onderwerp: "ab\\uFFFEc"\n', (4, 12), id="onderwerp-FFFE"),
    pytest.param('onderwerp: Test\nsecties:\n  - tekst: "een\\x1bzin"\n', (6, 12), id="tekst-ESC"),
    pytest.param('onderwerp: Test\nsecties:\n  - kop: "k\\x01p"\n    tekst: x\n', (6, 10), id="kop-SOH"),
    pytest.param("onderwerp: Test\nsecties:\n  - tekst: |\n      Een {{ '\\x0b' }} zin.\n", (7, 11), id="jinja-literal",
                 ),
    pytest.param("onderwerp: Test\ntabellen:\n  t:\n    rijen: [[\"a\\x0bb\", 1]]\nsecties:\n  - tekst: '{{ tabel(\"t\") }}'\n",
                 (7, None), id="tabelcel"),
]


@pytest.mark.parametrize(("body", "where"), ESCAPED)
def test_escaped_control_character_is_reported(tmp_path, body, where):
    yaml_text = HEAD.replace("onderwerp: Test\n", "") + body + SIGNED
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": yaml_text}, templates=STYLE_2021)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    [problem] = [p for p in report.problems if p.is_error]
    line, col = where
    assert (problem.line, problem.col if col else None) == (line, col)  # col None: the cell or its row
    assert_dutch(problem, tolerate_known=False)
    assert not outputs(werkmap, "docx")


# --- Invisible, right-to-left and emoji: survive into the DOCX unchanged -----------------------------

SURVIVAL_PLACES = [("onderwerp",), ("aanhef",), ("tabellen", "t", "titel"), ("tabellen", "t", "rijen", 0, 0),
                   ("tabellen", "t", "kolommen", 1), ("secties", 0, "tekst"), ("secties", 1, "kop")]


@fuzz(ci=4, lang=300)
@given(place=st.sampled_from(SURVIVAL_PLACES), text=surviving_text)
def test_invisible_rtl_and_emoji_text_survives_unchanged(tmp_path, place, text):
    letter = copy.deepcopy(BASE_LETTER)
    _set(letter, place, text)
    werkmap = new_werkmap(fresh_dir(tmp_path), {"x/brief.yaml": dump_yaml(letter)}, templates=STYLE_2021)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    assert report.ok, [p.format() for p in report.problems]
    target = werkmap.build / "x" / "brief.docx"
    assert_docx_ok(target)
    texts = docx_texts(target)
    assert any(text in paragraph for paragraph in texts), (text, texts)


KNOWN_HAZARDS = {
    "zero-width space": "a\u200bb",
    "zero-width joiner (familie-emoji)": "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "harde spatie": "12\u00a0mei",
    "smalle harde spatie": "€\u202f5",
    "right-to-left override": "x\u202eabc\u202cy",
    "Hebreeuws": "\u05e9\u05dc\u05d5\u05dd",
    "Arabisch": "\u0645\u0631\u062d\u0628\u0627",
    "emoji met huidskleur": "\U0001f44d\U0001f3fd",
    "vlag": "\U0001f1f3\U0001f1f1",
    "XML-tekens": "A&B <c> \"d\" 'e' ]]>",
}


def test_each_known_invisible_or_rtl_hazard_survives(tmp_path):
    letter = copy.deepcopy(BASE_LETTER)
    joined = " | ".join(KNOWN_HAZARDS.values())
    letter["onderwerp"] = "Onderwerp " + joined
    letter["secties"][0]["tekst"] = "Alinea " + joined + " einde."
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": dump_yaml(letter)}, templates=STYLE_2021)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    assert report.ok, [p.format() for p in report.problems]
    texts = docx_texts(werkmap.build / "x" / "brief.docx")
    for name, hazard in KNOWN_HAZARDS.items():
        assert sum(hazard in t for t in texts) >= 2, f"{name} ({hazard!r}) is onderweg veranderd"


# --- {{ }} and {% %} in plain text --------------------------------------------------------------------


def _build_one(tmp_path, body: str):
    werkmap = new_werkmap(fresh_dir(tmp_path), {"x/brief.yaml": HEAD + body + SIGNED}, templates=STYLE_2021)
    return werkmap, pipeline.build(werkmap, SETTINGS, formats=("docx",))


def test_expressions_in_section_text_are_evaluated(tmp_path):
    werkmap, report = _build_one(tmp_path, "secties:\n  - kop: Over {{ onderwerp }}\n    tekst: Datum {{ datum | datum }}.\n")
    assert report.ok
    texts = docx_texts(werkmap.build / "x" / "brief.docx")
    assert "Over Test" in texts and "Datum 16 november 2021." in texts


def test_braces_outside_section_text_stay_literal(tmp_path):
    body = ('aanhef: "Beste {{ naam }}, {% if %}"\ntabellen:\n  t:\n    titel: "{{ 1 + }}"\n'
            "    rijen: [[\"{{ x }}\", 1]]\nsecties:\n  - tekst: \"{% raw %}{{ naam }} en {% if %}{% endraw %}\"\n"
            "  - tekst: '{{ tabel(\"t\") }}'\n")
    werkmap, report = _build_one(tmp_path, body)
    assert report.ok, [p.format() for p in report.problems]
    texts = docx_texts(werkmap.build / "x" / "brief.docx")
    assert "Beste {{ naam }}, {% if %}" in texts
    assert "{{ 1 + }}" in texts and "{{ x }}" in texts
    assert "{{ naam }} en {% if %}" in texts  # {% raw %} is how a letter writes braces in text


@pytest.mark.parametrize("role", ["{%", "{0}", "{rol}", "}"])
def test_signer_role_with_braces_is_an_unknown_role_not_a_crash(tmp_path, role):
    """Was bug 20: a role without marking was used as a format pattern (ValueError, IndexError)."""
    letter = HEAD + "secties:\n  - tekst: Tekst.\nondertekening:\n  - rol: burgemeester\n  - rol: '" + role + "'\n"
    werkmap = new_werkmap(fresh_dir(tmp_path), {"x/brief.yaml": letter}, templates=STYLE_2021)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    [problem] = report.problems
    assert (problem.path, problem.line) == ("content/x/brief.yaml", 9) and role in problem.message
    assert_dutch(problem, tolerate_known=False)


def test_invalid_expression_is_a_located_error(tmp_path):
    body = "secties:\n  - tekst: |\n      Eerste regel.\n\n      Derde regel met {{ 1 + }} erin.\n"
    werkmap, report = _build_one(tmp_path, body)
    [problem] = report.problems
    assert (problem.path, problem.line) == ("content/x/brief.yaml", 9)
    assert problem.message.startswith("fout in expressie")
    assert not (werkmap.build / "x" / "brief.docx").exists()


def test_unknown_name_is_located_at_the_name(tmp_path):
    body = "secties:\n  - tekst: |\n      Eerste regel.\n      Tweede met {{ onbekend }}.\n"
    werkmap, report = _build_one(tmp_path, body)
    assert report.problems == [Problem("content/x/brief.yaml", 8, 21, "onbekende naam 'onbekend' in expressie")]


@pytest.mark.parametrize("expression", ["''.__class__.__mro__", "tabellen.__init__.__globals__", "cycler.__init__.__globals__"])
def test_expression_cannot_reach_python_internals(tmp_path, expression):
    werkmap, report = _build_one(tmp_path, f"secties:\n  - tekst: \"{{{{ {expression} }}}}\"\n")
    [problem] = report.problems
    assert problem.line == 6 and "niet toegestaan" in problem.message


# Only literal blocks (|) keep the line structure of the file; for the other scalar styles the
# line of a syntax error is counted inside the folded text and lands elsewhere (or past the end).
@pytest.mark.parametrize(
    ("body", "line"),
    [
        pytest.param("secties:\n  - tekst: >\n      een\n      twee\n\n      drie {{ 1 + }}\n", 10, id="folded"),
        pytest.param("secties:\n  - tekst: een\n      twee\n\n      drie {{ 1 + }}\n", 9, id="plain"),
        pytest.param('secties:\n  - tekst: "een\\n\\ntwee {{ 1 + }}"\n', 6, id="double-quoted"),
    ],
)
def test_syntax_error_line_in_other_scalar_styles(tmp_path, body, line):
    werkmap, report = _build_one(tmp_path, body)
    [problem] = report.problems
    assert problem.line == line


def test_expression_output_is_bounded(tmp_path):
    werkmap = new_werkmap(fresh_dir(tmp_path), {"x/brief.yaml": HEAD + "secties:\n  - tekst: \"{{ 'ab' * 5000000 }}\"\n" + SIGNED}, templates=STYLE_2021)
    started = time.monotonic()
    report = check(werkmap)
    assert time.monotonic() - started < 5
    [problem] = [p for p in report.problems if p.is_error]
    assert problem.line == 6


# --- Spelling check (hunspell) on hostile text ---------------------------------------------------------


@fuzz(ci=1, lang=40)
@given(texts=st.lists(hostile_text, min_size=3, max_size=3))
def test_spelling_check_survives_hostile_text(tmp_path, texts):
    letters = {}
    for i, text in enumerate(texts):
        letter = copy.deepcopy(BASE_LETTER)
        letter["secties"][0]["tekst"] = text
        letter["onderwerp"] = (text.strip() or "Leeg")[:200]
        letters[f"x/brief{i}.yaml"] = dump_yaml(letter)
    werkmap = new_werkmap(fresh_dir(tmp_path), letters, templates=STYLE_2021)
    note(str(letters))
    report = check(werkmap, proofread=True)
    for problem in report.problems:
        if problem.path.endswith(".yaml"):
            assert_located(problem, werkmap)
