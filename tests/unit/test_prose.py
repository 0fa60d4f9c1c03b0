"""prose: the one extractor of what a reader reads, with exact line and column in the text."""

from __future__ import annotations

import pytest

from briefgen import prose


def placed(text: str) -> list[tuple[str, int, int]]:
    return [(p.text, p.line, p.col) for b in prose.extract(text) for p in b.pieces if p.text.strip()]


def test_every_piece_stands_at_its_line_and_column():
    text = "# Kop *schuin*\n\nWij **helpen** u\n  graag. {{ x }} Zie [de site](https://x.nl).\n\n- een punt\n"
    lines = text.split("\n")
    pieces = placed(text)
    assert [p[0] for p in pieces] == ["Kop ", "schuin", "Wij ", "helpen", " u", "graag. ", " Zie ", "de site", ".", "een punt"]
    for piece, line, col in pieces:
        assert lines[line - 1][col - 1 :].startswith(piece)


def test_masked_keeps_only_prose_in_place():
    text = "Wij {{ tabellen.x.totaal }} **kinderen** `code`\n[link](https://voorbeeld.nl/pad) en info@x.nl <span>"
    masked = prose.masked(text)
    assert len(masked) == len(text)
    assert masked.split() == ["Wij", "kinderen", "link", "en"]
    assert masked.index("kinderen") == text.index("kinderen")
    assert masked.count("\n") == 1


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param("{% if x %}Qwrtz{% endif %}", ["Qwrtz"], id="between-statements"),
        pytest.param("{{ tabel(\n  'x'\n) }}\n\nNa de tabel.", ["Na", "de", "tabel."], id="multiline-jinja"),
        pytest.param("{# opmerking #}Tekst", ["Tekst"], id="jinja-comment"),
        pytest.param("    {{ x }} ingesprongen", ["ingesprongen"], id="indented-code-is-prose"),
        pytest.param("a \\* b &amp; c", ["a", "*", "b", "&", "c"], id="escape-and-entity"),
        pytest.param("![foto van het pand](pand.jpg)", ["foto", "van", "het", "pand"], id="image-description"),
        pytest.param("zie www.qwrtz.nl, qwrtz.eu en https://q.nl/x?y=1", ["zie", "en"], id="urls-and-domains"),
        pytest.param("tekst\r\nmet\0nul", ["tekst", "met\ufffdnul"], id="cr-and-nul"),
    ],
)
def test_masked_words(text, words):
    masked = prose.masked(text)
    assert len(masked) == len(text)
    assert masked.replace(",", " , ").split() == words


def test_units_are_blocks_with_tables_left_out():
    text = "# Aanleiding\n\nDe brief\nvolgt.\n\n- het aanbod\n- de {{ x }}tarieven\n\n| a | b |\n|---|---|\n\n> Geciteerd."
    assert prose.units(text) == ["Aanleiding", "De brief volgt.", "het aanbod", "de  tarieven", "Geciteerd."]


def test_block_kinds():
    text = "# Kop\n\nAlinea.\n\n```\ncode\n```\n\n| a |"
    assert [b.kind for b in prose.extract(text)] == ["heading", "paragraph", "code", "table"]
    [code] = [b for b in prose.extract(text) if b.kind == "code"]
    assert [(p.text, p.line, p.col) for p in code.pieces] == [("code", 6, 1)]


def test_jinja_patterns_are_shared():
    assert [m.group() for m in prose.JINJA.finditer("a {{ b }} c {% d %} {# e\n #}")] == ["{{ b }}", "{% d %}", "{# e\n #}"]
    assert prose.JINJA_ON_LINE.search("tekst {{ nog niet dicht").group() == "{{ nog niet dicht"
