"""yamlio.load: every broken file becomes one located Dutch Problem, never an exception."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from briefgen import yamlio
from briefgen.problems import Problem

UNREADABLE_UTF8 = "het bestand is geen geldige UTF-8 (waarschijnlijk Latin-1/Windows-1252); sla het op als UTF-8"
CONFLICT = "er staat nog een git-samenvoegconflict in het bestand (<<<<<<< / ======= / >>>>>>>); los het conflict eerst op"
TOO_BIG = "het bestand is te groot of gebruikt te veel verwijzingen (anchors/aliassen)"


def _alias_bomb(levels: int = 9) -> bytes:
    """The 'billion laughs': every level nine aliases of the level before (9**9 strings when expanded)."""
    names = "abcdefghij"[: levels + 1]
    lines = [f"{names[0]}: &{names[0]} [" + ", ".join(['"lol"'] * 9) + "]"]
    for prev, name in zip(names, names[1:], strict=False):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def load(tmp_path, content: bytes):
    path = tmp_path / "brief.yaml"
    path.write_bytes(content)
    return yamlio.load(path, "brief.yaml")


@pytest.mark.parametrize(
    ("content", "line", "col", "message"),
    [
        pytest.param(b"", 1, 1, "het bestand is leeg", id="empty"),
        pytest.param(b"  \n\n", 1, 1, "het bestand is leeg", id="only-whitespace"),
        pytest.param(b"# alleen commentaar\n", 1, 1, "het bestand bevat geen gegevens", id="only-comment"),
        pytest.param(
            b"soort: a\ntabellen:\n\tx: 1\n", 3, 1,
            "ongeldige YAML: een tab mag niet voor inspringen gebruikt worden; gebruik spaties", id="tab-indent",
        ),
        pytest.param(
            b"soort: a\nonderwerp: Inkoop: stand van zaken\n", 2, 18,
            "ongeldige YAML: hier mag geen ':' staan; zet de tekst tussen aanhalingstekens of begin een nieuwe regel",
            id="colon-in-plain-text",
        ),
        pytest.param(
            b'soort: a\nonderwerp: "open\n', 2, 12,
            "ongeldige YAML: dit aanhalingsteken (\") wordt nergens gesloten; zet het sluitende \" aan het eind van de waarde",
            id="unclosed-quote",
        ),
        pytest.param(
            b'soort: a\nonderwerp: "open\naanhef: Geachte raad,\nslot: "Hoogachtend,"\nnummer: 1\n', 2, 12,
            'ongeldige YAML: dit aanhalingsteken (") wordt pas op regel 4 gesloten; zet het sluitende " aan het eind van '
            "de waarde (de fout op regel 4 volgt hieruit)", id="unclosed-quote-paired-later",
        ),
        pytest.param(
            b'soort: a\nonderwerp: "Stand van zaken\n  in de regio"\naanhef: Dit is: fout\n', 4, 15,
            "ongeldige YAML: hier mag geen ':' staan; zet de tekst tussen aanhalingstekens of begin een nieuwe regel",
            id="a-long-quoted-value-is-not-blamed-for-a-later-error",
        ),
        pytest.param(
            b"soort: a\naanhef: 's-Graveland, de raad\nonderwerp: x\n", 2, 9,
            "ongeldige YAML: een waarde die met ' begint, leest YAML als tekst tussen aanhalingstekens, die hier nergens "
            "wordt gesloten; zet een naam als 's-Graveland tussen dubbele aanhalingstekens: \"'s-Graveland, de raad\"",
            id="place-name-with-s",
        ),
        pytest.param(
            "soort: a\n".encode("utf-16"), 1, 1, "het bestand is in UTF-16 opgeslagen; sla het op als UTF-8", id="utf-16",
        ),
        pytest.param("soort: a\nonderwerp: cliënten\n".encode("latin-1"), 2, 15, UNREADABLE_UTF8, id="latin-1"),
        pytest.param(
            b"soort: a\n<<<<<<< HEAD\nonderwerp: x\n=======\nonderwerp: y\n>>>>>>> andere-tak\n", 2, 1, CONFLICT,
            id="merge-conflict",
        ),
        pytest.param(b"soort: a\n=======\n", 2, 1, CONFLICT, id="merge-conflict-separator-only"),
        pytest.param(
            b"soort: a\nonderwerp: ab\x07c\n", 2, 14,
            "ongeldig stuurteken U+0007 (vaak geplakt uit Word); verwijder het", id="control-character-bell",
        ),
        # str.splitlines() splits at \x0b and \x0c, so a line-by-line scan that uses it never sees them
        *(
            pytest.param(
                f"soort: a\nonderwerp: ab{char}c\n".encode(), 2, 14,
                f"ongeldig stuurteken U+{ord(char):04X} (vaak geplakt uit Word); verwijder het", id=f"control-character-{name}",
            )
            for char, name in (("\x0b", "vertical-tab"), ("\x0c", "form-feed"))
        ),
        pytest.param(_alias_bomb(), 1, 1, TOO_BIG, id="billion-laughs"),
    ],
)
def test_broken_file_gives_one_located_dutch_problem(tmp_path, content, line, col, message):
    loaded, problems = load(tmp_path, content)
    assert loaded is None
    assert problems == [Problem("brief.yaml", line, col, message)]


TWICE = "staat er twee keer in (eerder op regel {}); de tweede zou de eerste stilzwijgend vervangen"
TAG = "de typeaanduiding '{}' is niet toegestaan; schrijf gewone tekst (zet een waarde die met '!' begint tussen aanhalingstekens)"


def test_every_duplicate_key_and_refused_value_is_reported_and_the_rest_read_with_the_first_value(tmp_path):
    loaded, problems = load(tmp_path, (
        b"soort: a\nonderwerp: x\nsoort: b\n"
        b"tabellen:\n  t:\n    totaal: 1\n    totaal: 2\n"
        b"aan: !!binary abc\nlijst: !foo [1, {c: 1, c: 2}]\ngetal: " + b"1" * 61 + b"\nsoort: c\n"
    ))
    assert [p.format() for p in problems] == [
        f"brief.yaml:3:1: de sleutel 'soort' {TWICE.format(1)}",
        f"brief.yaml:7:5: de sleutel 'totaal' {TWICE.format(6)}",
        f"brief.yaml:8:6: {TAG.format('!!binary')}",
        f"brief.yaml:9:8: {TAG.format('!foo')}",
        f"brief.yaml:9:24: de sleutel 'c' {TWICE.format(9)}",
        "brief.yaml:10:8: het getal is te lang (61 cijfers; maximaal 60); zet het tussen aanhalingstekens als het tekst is",
        f"brief.yaml:11:1: de sleutel 'soort' {TWICE.format(1)}",
    ]
    assert all(p.is_error for p in problems)
    assert loaded.data == {"soort": "a", "onderwerp": "x", "tabellen": {"t": {"totaal": 1}}, "aan": "abc",
                           "lijst": [1, {"c": 1}], "getal": "1" * 61}
    assert yamlio.position(loaded.located, ("tabellen", "t", "totaal")) == (6, 5)  # the first one's place


def test_an_explicit_str_or_timestamp_tag_is_text_on_both_loaders(tmp_path):
    """The round-trip loader (a file with a duplicate key or a tab in a text goes there) made a
    TaggedScalar of '!!str x', which no field accepts ("moet tekst zijn, niet TaggedScalar")."""
    fast, problems = load(tmp_path, b"a: !!str x\nb: !!timestamp 2021-01-01\n")
    assert problems == [] and fast.data == {"a": "x", "b": "2021-01-01"}
    slow, problems = load(tmp_path, b"a: !!str x\nb: !!timestamp 2021-01-01\nc: 1\nc: 2\n")
    assert slow.data == {"a": "x", "b": "2021-01-01", "c": 1}
    assert [type(value) for value in slow.data.values()] == [str, str, yamlio.SourceInt]


def test_unclosed_bracket_is_located_and_dutch(tmp_path):
    loaded, problems = load(tmp_path, b"soort: a\nkolommen: [a, b\nonderwerp: x\n")
    assert loaded is None
    # where the parser stops: the ':' that cannot be inside the list
    assert problems == [
        Problem("brief.yaml", 3, 10, "ongeldige YAML: een lijst [ … ] is niet goed gesloten (ontbreekt een ']' of een komma?)")
    ]


def test_alias_bomb_is_refused_quickly(tmp_path):
    start = time.monotonic()
    loaded, problems = load(tmp_path, _alias_bomb(levels=9))
    assert time.monotonic() - start < 5
    assert loaded is None and problems[0].message == TOO_BIG


def test_modest_aliases_are_fine(tmp_path):
    loaded, problems = load(tmp_path, _alias_bomb(levels=2))  # 9 + 81 + 729 nodes
    assert problems == []
    assert len(loaded.data["c"]) == 9 and loaded.data["c"][0][0] == ["lol"] * 9


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"datum: 2021-02-30\n", "2021-02-30", id="impossible-date-stays-text"),
        pytest.param(b"datum: 2021-11-16\n", "2021-11-16", id="date-stays-text"),
        pytest.param(b"\xef\xbb\xbfdatum: 2021-11-16\n", "2021-11-16", id="utf-8-bom"),
        pytest.param(b"datum: 2021-11-16\r\n", "2021-11-16", id="crlf-line-ends"),
    ],
)
def test_valid_file_loads(tmp_path, content, expected):
    loaded, problems = load(tmp_path, content)
    assert problems == []
    assert loaded.data["datum"] == expected and isinstance(loaded.data["datum"], str)


YAML_11_LOOKALIKES = "a: yes\nb: Off\nc: 010\nd: 0o17\ne: 1:30\nf: 1_000\ng: .inf\nh: ~\ni: 0x1F\nj: 2021.10\n"


@pytest.mark.parametrize("prefix", ["", "%YAML 1.1\n---\n"], ids=["plain", "yaml-1.1-directive"])
def test_fast_loader_reads_yaml_1_2_like_the_round_trip_loader(tmp_path, prefix):
    """The fast loader's resolver has the version fixed at 1.2; so had ruamel's C loader, which
    ignores ``%YAML 1.1``: yes/Off stay text, 010 is ten."""
    loaded, problems = load(tmp_path, (prefix + YAML_11_LOOKALIKES).encode())
    assert problems == []
    expected = yamlio._yaml().load(YAML_11_LOOKALIKES)
    assert loaded.data == dict(expected)
    assert loaded.data["a"] == "yes" and loaded.data["b"] == "Off" and loaded.data["c"] == 10 and loaded.data["e"] == "1:30"
    assert [loaded.data[k].source for k in "cdfij"] == ["010", "0o17", "1_000", "0x1F", "2021.10"]


def test_missing_file_is_a_problem_not_an_exception(tmp_path):
    loaded, [problem] = yamlio.load(tmp_path / "weg.yaml", "weg.yaml")
    assert loaded is None
    assert problem.path == "weg.yaml" and problem.message.startswith("kan het bestand niet lezen: ")


def test_too_large_file_is_refused(tmp_path):
    _, problems = load(tmp_path, b"a: " + b"x" * yamlio.MAX_BYTES + b"\n")
    assert problems == [
        Problem("brief.yaml", 1, 1, f"het bestand is te groot ({yamlio.MAX_BYTES + 4:,} bytes; maximaal 1.000.000)".replace(",", "."))
    ]


def test_positions_of_keys_and_values(tmp_path):
    loaded, _ = load(tmp_path, b"a: 1\nlijst:\n  - x: 2\n    y:   drie\n")
    assert yamlio.position(loaded.located, ("lijst", 0, "y")) == (4, 5)
    assert yamlio.value_position(loaded.located, ("lijst", 0, "y")) == (4, 10)
    assert yamlio.position(loaded.located, ("lijst", 0)) == (3, 5)
    assert yamlio.position(loaded.located, ("ontbreekt",)) == (1, 1)


def test_ruamels_anchor_warning_is_silenced_only_while_briefgen_parses(tmp_path):
    """Importing briefgen silenced ReusedAnchorWarning for the whole process, also the caller's own."""
    path = tmp_path / "brief.yaml"
    path.write_text("a: &x 1\nb: &x 2\nc: *x\n", encoding="utf-8")
    code = (
        "import sys, warnings\n"
        "from pathlib import Path\n"
        "from ruamel.yaml.error import ReusedAnchorWarning\n"
        "from briefgen import yamlio\n"
        "loaded, problems = yamlio.load(Path(sys.argv[1]), 'brief.yaml')\n"
        "print(loaded.located['c'], *(p.format() for p in problems), sep='\\n')\n"
        "warnings.warn('eigen waarschuwing', ReusedAnchorWarning)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2\nbrief.yaml:2:4: waarschuwing: het anker '&x' staat er twee keer in")
    assert "duplicate anchor" not in result.stderr  # ruamel's English, while briefgen parses
    assert "ReusedAnchorWarning: eigen waarschuwing" in result.stderr  # the caller's own is still shown


def test_the_reused_fast_loader_carries_nothing_from_one_file_to_the_next(tmp_path):
    """One fast loader per process (a new one looks for plug-ins on disk): each file still gets
    only its own values, anchors and duplicate-key check, and the loader's record stays small."""
    first, _ = load(tmp_path, b"a: &x [1, 2]\nb: *x\nc: 010\n")
    assert first.data == {"a": [1, 2], "b": [1, 2], "c": 10}
    second, problems = load(tmp_path, b"b: 2\nd: yes\n")
    assert problems == [] and second.data == {"b": 2, "d": "yes"}
    _, problems = load(tmp_path, b"b: *x\n")
    assert problems and problems[0].line == 1
    _, problems = load(tmp_path, b"b: 1\nb: 2\n")
    assert "staat er twee keer in" in problems[0].message
    for _ in range(1005):
        yamlio._fast().load("a: 1\n")
    assert len(yamlio._fast().doc_infos) <= 1001


PLAIN_AND_NOT = [
    "a: 1\nb: [x, 2.0, .inf, 0x1F, 007, 1_000]\nc: {d: ~, e: true, f: 2021-02-30}\n'': leeg\n1: een\nfalse: nee\n",
    "a: &x [1, 2]\nb: *x\n",  # an alias: the same list twice
    "basis: &b {x: 1}\nbrief:\n  <<: *b\n  y: 2\n",  # a merge key
    "a: !!str 12\nb: !!int '7'\n",  # explicit tags
    "a: 1\na: 2\n",  # a duplicate key
    "1: a\ntrue: b\n",  # 1 and True are the same key to Python
    "? [a, b]\n: lijst als sleutel\n",
    "- = \n- !!binary aGFsbG8=\n",
]


@pytest.mark.parametrize("text", PLAIN_AND_NOT)
def test_the_fast_loaders_own_walk_builds_what_ruamels_constructor_builds(text):
    """The same values, types and numbers' source text, or the same error, for plain documents and
    for every kind it hands over to ruamel's constructor."""
    from ruamel.yaml.constructor import SafeConstructor

    def built(walk: bool):
        loader = yamlio._fast()
        original = yamlio._PlainDatesAsText.construct_document
        if not walk:
            yamlio._PlainDatesAsText.construct_document = SafeConstructor.construct_document
        try:
            return loader.load(text)
        except Exception as exc:  # noqa: BLE001 - compared below
            return type(exc), str(exc)
        finally:
            yamlio._PlainDatesAsText.construct_document = original

    def shape(value):
        if isinstance(value, dict):
            return ("dict", [(shape(k), shape(v)) for k, v in value.items()])
        if isinstance(value, list):
            return ("list", [shape(v) for v in value])
        return (type(value).__name__, repr(value), getattr(value, "source", None))

    assert shape(built(walk=True)) == shape(built(walk=False))


def test_a_plain_letter_does_not_go_through_ruamels_constructor(monkeypatch):
    from ruamel.yaml.constructor import BaseConstructor

    used = []
    original = BaseConstructor.construct_object
    monkeypatch.setattr(BaseConstructor, "construct_object", lambda self, node, deep=False: used.append(1) or original(self, node, deep))
    assert yamlio._fast().load(PLAIN_AND_NOT[0])["b"][3].source == "0x1F"
    assert not used


def test_resolved_tags_are_remembered_per_text_without_mixing_kinds():
    """The resolver's memory: the same text gets the same tag each time, a quoted text stays text."""
    data = [yamlio._fast().load("a: 12\nb: '12'\nc: [12, '12', true, 'true', null, '']\n") for _ in range(3)]
    assert data[0] == data[2] == {"a": 12, "b": "12", "c": [12, "12", True, "true", None, ""]}
