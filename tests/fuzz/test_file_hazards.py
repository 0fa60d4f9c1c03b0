"""File hazards, one test each: BOM, UTF-16, Latin-1, CRLF, empty, huge, billion laughs, duplicate
keys, tab indentation, merge-conflict markers — and whether every message is Dutch."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from briefgen import invisible, pipeline, yamlio
from briefgen.problems import Problem
from briefgen.settings import Settings
from tests.fuzz.helpers import (
    EXAMPLE_2021,
    STYLE_2021,
    assert_docx_ok,
    assert_dutch,
    check,
    example,
    new_werkmap,
    outputs,
    run_cli,
    write,
)
from tests.fuzz.strategies import alias_bomb

SETTINGS = Settings(jobs=1)
SHOWN = f"content/{EXAMPLE_2021}"
CONFLICT = "er staat nog een git-samenvoegconflict in het bestand (<<<<<<< / ======= / >>>>>>>); los het conflict eerst op"


def letter_problems(tmp_path, raw: bytes | str, rel: str = EXAMPLE_2021, cli: bool = False):
    """(werkmap, errors of the letter) from ``check``; with ``cli`` also ``briefgen check``: exit code 1
    and each problem on stderr as ``path:line:col: melding``."""
    werkmap = new_werkmap(tmp_path / "werkmap", {rel: raw}, templates=STYLE_2021)
    report = check(werkmap)
    errors = [p for p in report.problems if p.is_error]
    if cli:
        result = run_cli(["-C", str(werkmap.root), "check", "--geen-spelling"])
        assert result.exit_code == (1 if errors else 0), result.output
        for problem in errors:
            assert problem.format().split("\n")[0] in result.stderr
    return werkmap, errors


def test_utf8_bom_is_accepted(tmp_path):
    werkmap = new_werkmap(tmp_path / "werkmap", {EXAMPLE_2021: b"\xef\xbb\xbf" + example().encode()}, templates=STYLE_2021)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    assert report.ok, [p.format() for p in report.problems]
    assert_docx_ok(outputs(werkmap, "docx")["hilversum/2021/inkoop-wmo-jeugd.docx"])


# Two problems found by validation, and three found later (totals, expressions) with other positions.
def _with_problems(validation: bool) -> str:
    text = example()
    if validation:
        return text.replace("onderwerp:", "onderwep:", 1).replace("soort: aantal", "soort: aantallen", 1)
    return (text.replace("totaal: 15", "totaal: 16").replace("{{ tabellen.mo_jeugd.totaal }}", "{{ tabellen.mo_jeug.totaal }}")
            .replace('{{ tabel("jeugdhulp") }}', '{{ tabel("jeugd") }}'))


@pytest.mark.parametrize("validation", [True, False], ids=["validatie", "uitwerking"])
def test_utf8_bom_keeps_positions(tmp_path, validation):
    text = _with_problems(validation)
    _, plain = letter_problems(tmp_path / "a", text)
    _, with_bom = letter_problems(tmp_path / "b", b"\xef\xbb\xbf" + text.encode())
    assert with_bom == plain and len(plain) in (2, 3)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom"])
def test_utf16_message_names_the_encoding(tmp_path, encoding):
    raw = example().encode("utf-16") if encoding == "utf-16" else b"\xfe\xff" + example().encode("utf-16-be")
    _, problems = letter_problems(tmp_path, raw, cli=True)
    assert problems == [Problem(SHOWN, 1, 1, "het bestand is in UTF-16 opgeslagen; sla het op als UTF-8")]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_message_names_the_encoding(tmp_path, encoding):
    _, problems = letter_problems(tmp_path, example().encode(encoding))
    assert len(problems) == 1 and "UTF-16" in problems[0].message


def test_latin1_message_names_the_encoding_and_the_first_bad_byte(tmp_path):
    text = example()
    raw = text.encode("latin-1")
    first = next(i for i, ch in enumerate(text) if ord(ch) > 127)
    line = text.count("\n", 0, first) + 1
    col = first - (text.rfind("\n", 0, first) + 1) + 1
    _, problems = letter_problems(tmp_path, raw, cli=True)
    assert problems == [Problem(SHOWN, line, col, "het bestand is geen geldige UTF-8 (waarschijnlijk "
                                                  "Latin-1/Windows-1252); sla het op als UTF-8")]


def test_crlf_line_endings_are_accepted(tmp_path):
    werkmap = new_werkmap(tmp_path / "werkmap", {EXAMPLE_2021: example().replace("\n", "\r\n")}, templates=STYLE_2021)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    assert report.ok, [p.format() for p in report.problems]
    assert_docx_ok(werkmap.build / "hilversum" / "2021" / "inkoop-wmo-jeugd.docx")


@pytest.mark.parametrize("validation", [True, False], ids=["validatie", "uitwerking"])
def test_crlf_keeps_positions(tmp_path, validation):
    """Unknown key and bad value, or wrong total and unknown names: the same line:col with CRLF."""
    text = _with_problems(validation)
    _, lf = letter_problems(tmp_path / "lf", text)
    _, crlf = letter_problems(tmp_path / "crlf", text.replace("\n", "\r\n"))
    assert crlf == lf
    assert len(lf) == (2 if validation else 3)


@pytest.mark.parametrize(("raw", "message"), [(b"", "het bestand is leeg"), (b"  \n\n\t\n", "het bestand is leeg"),
                                              (b"# alleen commentaar\n", "het bestand bevat geen gegevens")],
                         ids=["empty", "whitespace", "comment"])
def test_empty_file(tmp_path, raw, message):
    _, problems = letter_problems(tmp_path, raw, cli=True)
    assert problems == [Problem(SHOWN, 1, 1, message)]


def test_huge_file_gets_a_size_message(tmp_path):
    raw = example().encode() + b"# " + b"opvulling " * 110_000 + b"\n"
    assert len(raw) > 1_000_000
    started = time.monotonic()
    _, problems = letter_problems(tmp_path, raw)
    assert time.monotonic() - started < 5
    size = f"{len(raw):,}".replace(",", ".")
    assert problems == [Problem(SHOWN, 1, 1, f"het bestand is te groot ({size} bytes; maximaal 1.000.000)")]


def test_billion_laughs_is_refused_quickly(tmp_path):
    raw = example() + alias_bomb(9)  # 9**10 strings once expanded
    started = time.monotonic()
    werkmap, problems = letter_problems(tmp_path, raw, cli=True)
    assert time.monotonic() - started < 5
    assert problems == [Problem(SHOWN, 1, 1, "het bestand is te groot of gebruikt te veel verwijzingen (anchors/aliassen)")]


def test_long_string_alias_bomb_is_refused(tmp_path):
    body = "\n".join(["soort: raadsinformatiebrief", "organisatie: hilversum", "datum: 2021-11-16",
                      "onderwerp: Bom", f"aanhef: &lang \"{'lol ' * 5_000}\"", "secties:"]
                     + ["  - tekst: *lang"] * 1000 + ["ondertekening: burgemeester", ""])
    assert len(body.encode()) < 50_000
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/bom.yaml": body}, templates=STYLE_2021)
    started = time.monotonic()
    report = check(werkmap)
    elapsed = time.monotonic() - started
    assert [p.message for p in report.problems if p.is_error] == [
        "het bestand is te groot of gebruikt te veel verwijzingen (anchors/aliassen)"], elapsed


def test_duplicate_key_is_located_at_the_second_one(tmp_path):
    text = example()
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("onderwerp:"))
    lines.insert(index + 3, "onderwerp: Nog een onderwerp")
    _, [problem] = letter_problems(tmp_path, "\n".join(lines))
    assert (problem.path, problem.line, problem.col) == (SHOWN, index + 4, 1)
    assert "twee keer" in problem.message
    assert_dutch(problem, tolerate_known=False)


def test_an_anchor_defined_twice_is_a_dutch_warning_not_ruamels_english(tmp_path):
    """ruamel printed an English ReusedAnchorWarning on stderr (seen in the long fuzz run's log)."""
    text = example().replace("\naanhef:", "\naanhef: &groet", 1).replace("\nonderwerp:", "\nonderwerp: &groet", 1)
    loaded, [problem] = yamlio.load(write(tmp_path / "brief.yaml", text), "brief.yaml")
    first = text[: text.index("onderwerp: &groet")].count("\n") + 1
    line = text[: text.index("aanhef: &groet")].count("\n") + 1
    assert loaded is not None and not problem.is_error and line > first
    assert (problem.line, problem.col) == (line, len("aanhef: ") + 1)
    assert f"'&groet' staat er twee keer in (eerder op regel {first})" in problem.message
    assert_dutch(problem, tolerate_known=False)

    werkmap = new_werkmap(tmp_path / "werkmap", {EXAMPLE_2021: text}, templates=STYLE_2021)
    shown = f"content/{EXAMPLE_2021}:{line}:{len('aanhef: ') + 1}: waarschuwing: het anker '&groet'"
    result = subprocess.run([sys.executable, "-m", "briefgen", "-C", str(werkmap.root), "check", "--geen-spelling"],
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, shown in result.stderr, "Warning" in result.stderr) == (0, True, False), result.stderr


def test_duplicate_nested_key_is_located(tmp_path):
    text = example().replace("    totaal: 15\n", "    totaal: 15\n    soort: bedrag\n", 1)
    line = text.split("\n").index("    soort: bedrag") + 1
    _, [problem] = letter_problems(tmp_path, text)
    assert (problem.path, problem.line, problem.col) == (SHOWN, line, 5)
    assert "twee keer" in problem.message


def test_tab_indentation_is_located(tmp_path):
    text = example().replace("\n    titel: Contracten Jeugdhulp", "\n\ttitel: Contracten Jeugdhulp")
    line = text.split("\n").index("\ttitel: Contracten Jeugdhulp") + 1
    _, problems = letter_problems(tmp_path, text)
    assert problems == [Problem(SHOWN, line, 1, "ongeldige YAML: een tab mag niet voor inspringen gebruikt worden; gebruik spaties")]


@pytest.mark.parametrize("style", ["'Tot\tslot'", '"Tot\tslot"', '"Tot\\tslot"', "|\n      Tot\tslot"],
                         ids=["enkel", "dubbel", "escape", "blok"])
def test_tab_inside_quoted_or_block_text_is_fine(tmp_path, style):
    text = example().replace("  - kop: Tot slot\n    tekst: |", f"  - kop: {style}\n    tekst: |")
    assert text != example()
    werkmap = new_werkmap(tmp_path / "werkmap", {EXAMPLE_2021: text}, templates=STYLE_2021)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    assert report.ok, [p.format() for p in report.problems]


def test_tab_inside_plain_text_is_located_at_the_tab(tmp_path):
    text = example().replace("  - kop: Tot slot", "  - kop: Tot\tslot")
    line = text.split("\n").index("  - kop: Tot\tslot") + 1
    _, [problem] = letter_problems(tmp_path, text)
    assert (problem.line, problem.col) == (line, 13)


def test_tab_inside_plain_text_message_does_not_blame_indentation(tmp_path):
    text = example().replace("  - kop: Tot slot", "  - kop: Tot\tslot")
    _, [problem] = letter_problems(tmp_path, text)
    assert "inspringen" not in problem.message and "tab" in problem.message


@pytest.mark.parametrize("marker", ["<<<<<<< HEAD", "=======", ">>>>>>> feature/nieuwe-brief"])
def test_merge_conflict_markers_are_named(tmp_path, marker):
    lines = example().split("\n")
    lines.insert(10, marker)
    _, problems = letter_problems(tmp_path, "\n".join(lines))
    assert problems == [Problem(SHOWN, 11, 1, CONFLICT)]


def test_full_merge_conflict_in_crlf_file(tmp_path):
    lines = example().split("\n")
    lines[4:5] = ["<<<<<<< HEAD", lines[4], "=======", "onderwerp: Andere versie", ">>>>>>> main"]
    _, problems = letter_problems(tmp_path, "\r\n".join(lines), cli=True)
    assert problems == [Problem(SHOWN, 5, 1, CONFLICT)]


def test_merge_conflict_line_after_unicode_line_separator(tmp_path):
    text = "soort: raadsinformatiebrief\nonderwerp: a\u2028b\n<<<<<<< HEAD\n"
    _, problems = letter_problems(tmp_path, text)
    assert problems == [Problem(SHOWN, 3, 1, CONFLICT)]


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"], ids=["LS", "PS", "NEL"])
def test_unicode_line_separator_outside_a_value_is_located(tmp_path, char):
    lines = example().split("\n")
    assert lines[0].startswith("# ")  # the example letters start with a comment (editor modeline)
    lines[0] = lines[0][:10] + char + lines[0][10:]
    _, [problem] = letter_problems(tmp_path, "\n".join(lines))
    assert (problem.line, problem.col) == (1, 11)
    assert f"U+{ord(char):04X}" in problem.message
    assert_dutch(problem, tolerate_known=False)


def test_other_yaml_error_after_a_line_separator_in_a_value_keeps_its_own_line(tmp_path):
    """A soft line break inside a text is allowed; an unrelated error later is still found at its line."""
    text = "soort: raadsinformatiebrief\nonderwerp: a\u2028b\u2028c\naanhef: [Geachte\n"
    _, [problem] = letter_problems(tmp_path, text)
    assert problem.line == 4 and "U+2028" not in problem.message
    assert_dutch(problem, tolerate_known=False)


@pytest.mark.parametrize("char", ["\u200b", "\u2060", "\u200c"], ids=["ZWSP", "WJ", "ZWNJ"])
def test_invisible_character_before_a_comment_is_named_at_the_character(tmp_path, char):
    """Found by the long fuzz run: a zero-width space in front of '# #' made the comment a text, and
    the parser's English message ("expected '<document start>'") pointed at the next line."""
    first, rest = example().split("\n", 1)
    text = f"{first}\n{char}# # opmerking\n{rest}"  # a BOM at the very start is just a BOM
    _, [problem] = letter_problems(tmp_path, text)
    assert (problem.line, problem.col) == (2, 1)
    assert f"U+{ord(char):04X}" in problem.message and "onzichtbaar teken" in problem.message
    assert_dutch(problem, tolerate_known=False)


def test_every_harmful_invisible_character_is_named_and_harmless_ones_are_not(tmp_path):
    lines = example().split("\n")
    at = {n: line for n, line in enumerate(lines) if line.startswith(("organisatie:", "onderwerp:"))}
    (key_line, _), (value_line, value) = sorted(at.items())
    lines[key_line] = "\u200b# een\n" + lines[key_line]  # harmful: turns the comment into text
    lines[value_line] = value.replace(": ", ": In\u200b", 1)  # harmless: inside a value
    lines.insert(0, "\u2060  # twee")  # harmful
    _, problems = letter_problems(tmp_path, "\n".join(lines))
    assert [(p.line, p.col) for p in problems] == [(1, 1), (key_line + 2, 1)]  # line numbers after the insertion
    assert ["U+2060" in problems[0].message, "U+200B" in problems[1].message] == [True, True]


def test_in_a_large_file_the_invisible_character_nearest_the_error_is_named_after_one_read(tmp_path, monkeypatch):
    """No time to re-read a large file once per hidden character (a read of 1 MB takes seconds):
    one extra read shows they are the cause, then the one nearest before the error is named."""
    reads = []
    monkeypatch.setattr(yamlio, "_reads", lambda text, real=yamlio._reads: reads.append(1) or real(text))
    filler = "".join(f"extra{i}: tekst met een onzichtbare\u200bspatie erin\n" for i in range(1500))
    text = "soort: raadsinformatiebrief\n" + filler + "\u200b# # opmerking\nonderwerp: x\n"
    [problem] = yamlio.load(write(tmp_path / "brief.yaml", text), "brief.yaml")[1]
    assert (problem.line, problem.col, "U+200B" in problem.message, len(reads)) == (1502, 1, True, 1)


@pytest.mark.parametrize("char", ["\u200b", "\u00a0"], ids=["ZWSP", "NBSP"])
def test_invisible_character_in_a_key_is_named_not_a_riddle(tmp_path, char):
    """'onbekende sleutel 'soort'; bedoelde u 'soort'?' left the user nothing to see."""
    text = example().replace("\nsoort:", f"\n{char}soort:", 1)
    _, [problem] = letter_problems(tmp_path, text)
    assert problem.message == f"de sleutel 'soort' bevat een onzichtbaar teken ({invisible.describe(char)}); verwijder het"
    assert_dutch(problem, tolerate_known=False)


def test_a_misspelt_key_with_an_invisible_character_keeps_its_suggestion(tmp_path):
    text = example().replace("\naanhef:", "\n\u200baanhfe:", 1)
    _, [problem] = letter_problems(tmp_path, text)
    assert problem.format().endswith("onbekende sleutel '⟨U+200B⟩aanhfe'; bedoelde u 'aanhef'?")


def test_messages_show_zero_width_characters_that_they_quote():
    problem = Problem("brief.yaml", 3, 5, "onbekende organisatie 'hil\u200bversum'")
    assert problem.format() == "brief.yaml:3:5: onbekende organisatie 'hil⟨U+200B⟩versum'"


def test_a_text_without_a_key_above_a_mapping_is_explained(tmp_path):
    _, [problem] = letter_problems(tmp_path, "losse tekst # opmerking\nsoort: raadsinformatiebrief\n")
    assert (problem.line, "regel zonder 'sleutel:'" in problem.message) == (2, True)
    assert_dutch(problem, tolerate_known=False)


# --- Every message in Dutch ---------------------------------------------------------------------

HEAD = "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\nonderwerp: Test\n"
MESSAGES = [
    pytest.param(HEAD + "onderwep: x\n", id="onbekende-sleutel"),
    pytest.param(HEAD + "secties: 5\n", id="verkeerd-type"),
    pytest.param(HEAD.replace("2021-11-16", "2021-02-30"), id="datum"),
    pytest.param(HEAD + "kolommen: [a, b\n", id="open-lijst"),
    pytest.param(HEAD + "tabellen:\n  t:\n    rijen: [[a, .nan]]\n", id="nan"),
    pytest.param(HEAD + "tabellen:\n  t:\n    rijen: [[a, .inf]]\n", id="inf"),
    pytest.param(HEAD + "secties:\n  - tekst: \"{{ 1 + }}\"\n", id="jinja-syntax"),
    pytest.param(HEAD + "secties:\n  - tekst: \"{{ 1 // 0 }}\"\n", id="delen-door-nul"),
    pytest.param(HEAD + "secties:\n  - tekst: \"\\ud800\"\n", id="surrogaat"),
    pytest.param(HEAD + "kop: [\n", id="yaml-einde-van-bestand"),
    pytest.param(HEAD + "? [a, b]\n: c\n", id="lijst-als-sleutel"),
    pytest.param(HEAD + "secties:\n  - tekst: \"{{ 1 }} {# open\"\n", id="jinja-commentaar"),
    pytest.param(HEAD + "secties:\n  - tekst: \"{{ 'a' + 1 }}\"\n", id="python-typefout"),
    pytest.param(HEAD + "secties:\n  - tekst: \"{{ tabel() }}\"\n", id="python-argument"),
]


@pytest.mark.parametrize("text", MESSAGES)
def test_message_is_dutch(tmp_path, text):
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": text}, templates=STYLE_2021)
    problems = [p for p in check(werkmap).problems if p.is_error]
    assert problems
    for problem in problems:
        assert_dutch(problem, tolerate_known=False)


SYNTAX = [  # every kind of error ruamel's scanner and parser raise, each with its own Dutch advice
    pytest.param("># yaml\nsoort: x\n", (1, 2), "na '|' of '>'", id="blok-indicator"),  # found by the long fuzz run
    pytest.param("onderwerp: |9x\n  a\n", (1, 14), "na '|' of '>'", id="blok-inspringing"),
    pytest.param('onderwerp: "a\\q"\n', (1, 15), "onbekende escape", id="escape"),
    pytest.param('onderwerp: "\\x4"\n', (1, 15), "onvolledige escape", id="escape-kort"),
    pytest.param("onderwerp: &\n", (1, 13), "(een anker)", id="anker"),
    pytest.param("onderwerp: *\n", (1, 13), "(een verwijzing)", id="alias"),
    pytest.param("onderwerp: !<x\n", (1, 15), "typeaanduiding", id="tag"),
    pytest.param("%YAML 2.0\n---\nsoort: x\n", (1, 1), "YAML-opdracht", id="yaml-versie"),
    pytest.param("%YAML 1.2\n%YAML 1.2\n---\nsoort: x\n", (2, 1), "YAML-opdracht", id="dubbele-opdracht"),
    pytest.param("soort: x\n---\nsoort: y\n", (2, 1), "meer dan één document", id="twee-documenten"),
    pytest.param("soort: x\n...\nsoort: y\n", (3, 1), "meer dan één document", id="documenteinde"),
    pytest.param("onderwerp: `x`\n", (1, 12), "mag een waarde niet beginnen", id="backtick"),
    pytest.param("onderwerp: @x\n", (1, 12), "mag een waarde niet beginnen", id="apenstaart"),
]


@pytest.mark.parametrize(("text", "where", "advice"), SYNTAX)
def test_yaml_syntax_errors_get_dutch_advice_at_their_place(tmp_path, text, where, advice):
    [problem] = yamlio.load(write(tmp_path / "brief.yaml", text), "brief.yaml")[1]
    assert ((problem.line, problem.col), advice in problem.message) == (where, True), problem.message
    assert_dutch(problem, tolerate_known=False)


@pytest.mark.parametrize("raw", ["- a\n- b\n", "zomaar een zin\n", "42\n"], ids=["lijst", "tekst", "getal"])
def test_top_level_list_or_scalar_is_a_located_problem(tmp_path, raw):
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": raw}, templates=STYLE_2021)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    [problem] = report.problems
    assert (problem.line, problem.col) == (1, 1)
    assert_dutch(problem, tolerate_known=False)


@pytest.mark.parametrize(("text", "where"), [
    ("? [[1]]\n: 2\n", (5, 3)),
    ("x: {[[1]]: 2}\n", (5, 5)),
    ("? [{a: 1}]\n: 2\n", (5, 3)),
    ("x:\n  y:\n    - ? [[1]]\n      : 2\n", (7, 9)),
    ("a: &a [1]\nb: &b [*a]\nc: {*b : 2}\n", (6, 4)),  # an alias is the node it names: at its anchor
], ids=["blok", "flow", "mapping", "genest", "alias"])
def test_unhashable_key_is_a_located_problem(tmp_path, text, where):
    """Was bug 18: a TypeError from the YAML reader, then a Dutch message at 1:1."""
    path = tmp_path / "brief.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    loaded, problems = yamlio.load(path, "brief.yaml")
    assert loaded is None and len(problems) == 1
    assert (problems[0].line, problems[0].col) == where
    assert_dutch(problems[0], tolerate_known=False)


def test_loader_never_raises_on_truncated_examples(tmp_path):
    """Every prefix (at ~20 cut points) of every example letter: yamlio.load returns, never raises."""
    from tests.fuzz.strategies import EXAMPLE_FILES, REPO

    path = tmp_path / "brief.yaml"
    for rel in EXAMPLE_FILES:
        raw = (REPO / "content" / rel).read_bytes()
        for cut in range(0, len(raw), max(1, len(raw) // 19)):
            path.write_bytes(raw[:cut])
            loaded, problems = yamlio.load(path, "brief.yaml")
            assert (loaded is None) == any(problem.is_error for problem in problems)
            for problem in problems:
                assert problem.line >= 1 and problem.col >= 1
