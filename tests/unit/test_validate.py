"""validate(): pydantic errors become Dutch problems at the line and column of the key or value."""

from __future__ import annotations

import pytest

from briefgen import yamlio
from briefgen.model import Contact, Letter, Organisation, Section, Signer, Table
from briefgen.problems import Problem
from briefgen.validate import allowed_keys, validate
from tests.conftest import HEAD


def aliases(model) -> set[str]:
    return {field.alias for field in model.model_fields.values()}


def problems(tmp_path, text: str, model=Letter) -> list[str]:
    path = tmp_path / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, found = yamlio.load(path, "brief.yaml")
    assert found == [], found
    result, found = validate(loaded, model)
    assert result is not None or found  # a model may come with its problems (validate's docstring)
    return [p.format() for p in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            HEAD.replace("onderwerp:", "onderwep:"),
            # no "verplichte sleutel 'onderwerp' ontbreekt" beside it: the suggestion explains it
            ["brief.yaml:4:1: onbekende sleutel 'onderwep'; bedoelde u 'onderwerp'?"],
            id="misspelt-top-level-key",
        ),
        pytest.param(
            HEAD + "tabellen:\n  t:\n    rijen:\n      - [a, 1]\n    totall: 1\n",
            ["brief.yaml:9:5: onbekende sleutel 'totall'; bedoelde u 'totaal'?"],
            id="misspelt-key-in-table",
        ),
        pytest.param(
            HEAD + "tabellen:\n  t:\n    rij:\n      - [a, 1]\n",
            ["brief.yaml:7:5: onbekende sleutel 'rij'; bedoelde u 'rijen'?"],
            id="misspelt-required-key-in-table",
        ),
        pytest.param(
            HEAD + "contactpersonen:\n  - naam: A\n    telefon: '0612345678'\n",
            ["brief.yaml:7:5: onbekende sleutel 'telefon'; bedoelde u 'telefoon'?"],
            id="misspelt-key-in-contactpersonen",
        ),
        pytest.param(
            HEAD + "secties:\n  - tekst: a\n  - kopp: B\n    tekst: b\n",
            ["brief.yaml:7:5: onbekende sleutel 'kopp'; bedoelde u 'kop'?"],
            id="misspelt-key-in-second-section",
        ),
        pytest.param(
            HEAD + "ondertekening:\n  - rol: burgemeester\n    markring: l.s.\n",
            ["brief.yaml:7:5: onbekende sleutel 'markring'; bedoelde u 'markering'?"],
            id="misspelt-key-in-ondertekening",
        ),
        pytest.param(
            HEAD + "zzz: 1\n",
            [f"brief.yaml:5:1: onbekende sleutel 'zzz'; toegestaan zijn: {', '.join(sorted(aliases(Letter)))}"],
            id="unknown-key-lists-allowed",
        ),
        pytest.param(
            HEAD.replace("2021-11-16", "2021-02-30"),
            ["brief.yaml:3:8: ongeldige datum '2021-02-30': die dag bestaat niet"],
            id="impossible-date",
        ),
        pytest.param(
            HEAD.replace("2021-11-16", "16-11-2021"),
            ["brief.yaml:3:8: ongeldige datum '16-11-2021': schrijf JJJJ-MM-DD, bijvoorbeeld 2021-05-18"],
            id="date-not-iso",
        ),
        pytest.param(
            HEAD.replace("raadsinformatiebrief", "raadsbrief"),
            ["brief.yaml:1:8: ongeldige waarde 'raadsbrief' voor 'soort'; bedoelde u 'raadsinformatiebrief'?"],
            id="wrong-soort",
        ),
        pytest.param(
            HEAD + "ondertekening:\n  - rol: burgemeester\n    markering: ls\n",
            ["brief.yaml:7:16: ongeldige waarde 'ls' voor 'markering'; bedoelde u 'l.s.'?"],
            id="wrong-markering",
        ),
        pytest.param(
            HEAD.replace("onderwerp: Test", "onderwerp: [a, b]"),
            ["brief.yaml:4:12: 'onderwerp' moet tekst zijn, niet een lijst"],
            id="list-where-text-expected",
        ),
        pytest.param(
            HEAD.replace("onderwerp: Test", "onderwerp: ''"),
            ["brief.yaml:4:12: 'onderwerp' mag niet leeg zijn"],
            id="empty-required-text",
        ),
        pytest.param(
            HEAD + "secties:\n  kop: A\n",
            ["brief.yaml:6:3: 'secties' moet een lijst zijn (regels die met '- ' beginnen), niet sleutels met waarden"],
            id="mapping-where-list-expected",
        ),
        pytest.param(
            HEAD + "tabellen:\n  t:\n    titel: T\n",
            ["brief.yaml:6:3: verplichte sleutel 'rijen' ontbreekt"],  # at the table's own key
            id="missing-key-in-table",
        ),
        pytest.param(
            HEAD.replace("datum: 2021-11-16\n", ""),
            ["brief.yaml:1:1: verplichte sleutel 'datum' ontbreekt"],
            id="missing-top-level-key",
        ),
    ],
)
def test_letter_problem_is_located_and_dutch(tmp_path, text, expected):
    assert problems(tmp_path, text) == expected


def test_union_field_error_is_one_message_about_the_key(tmp_path):
    """Not three messages about pydantic's union members 'int', 'decimal', 'list[…]' at the key."""
    body = "tabellen:\n  t:\n    rijen:\n      - [a, 10]\n    totaal: tien\n"
    [message] = problems(tmp_path, HEAD + body)
    assert message.startswith("brief.yaml:9:13: 'totaal' "), message
    assert not any(tag in message for tag in ("'int'", "'decimal'", "constrained-str", "list[union"))


def test_valid_letter_validates(tmp_path):
    text = HEAD + "zaaknummer: 1006608\nondertekening: college\ntabellen:\n  t:\n    soort: bedrag\n    rijen:\n      - [a, 1.5]\n"
    path = tmp_path / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    letter, found = validate(yamlio.load(path, "brief.yaml")[0], Letter)
    assert found == []
    assert letter.case_number == "1006608"  # a bare number is meant as text
    assert [s.role for s in letter.signers] == ["gemeentesecretaris", "burgemeester"]
    assert str(letter.date) == "2021-11-16"


def test_organisation_problems_are_located(tmp_path):
    text = "naam: G\nplaatsnaam: P\nhuisstijl: h\ncollege:\n  - naam: X\n    functe: wethouder\n    van: 2021-13-01\n"
    assert problems(tmp_path, text, Organisation) == [
        "brief.yaml:6:5: onbekende sleutel 'functe'; bedoelde u 'functie'?",
        "brief.yaml:7:10: ongeldige datum '2021-13-01': maand 13 bestaat niet (1 tot en met 12)",
    ]


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        ((), aliases(Letter)),
        (("tabellen", "t"), aliases(Table)),
        (("contactpersonen", 0), aliases(Contact)),
        (("ondertekening", 0), aliases(Signer)),
        (("secties", 3), aliases(Section)),
        (("onderwerp",), set()),
        (("bestaat-niet", 0), set()),
    ],
)
def test_allowed_keys_follow_the_model(loc, expected):
    assert set(allowed_keys(Letter, loc)) == expected
    assert "rijen" in aliases(Table) and "telefoon" in aliases(Contact)  # the walk ends in the right model


def test_problems_are_sorted_by_position(tmp_path):
    text = "soort: x\norganisatie: hilversum\ndatum: 2021-02-30\nonderwerp: T\nzzz: 1\n"
    found = problems(tmp_path, text)
    assert [p.split(": ")[0] for p in found] == ["brief.yaml:1:8", "brief.yaml:3:8", "brief.yaml:5:1"]
    assert Problem("a", 2, 1) < Problem("a", 10, 1)


@pytest.mark.parametrize("cell", ["~", "true", ".nan", "[1]"])
def test_bad_table_cell_is_one_message(tmp_path, cell):
    [message] = problems(tmp_path, HEAD + f"tabellen:\n  t:\n    rijen:\n      - [a, {cell}]\n")
    assert message.startswith("brief.yaml:8:13: ") and "getal" in message
    assert "constrained-str" not in message and "'rijen' moet" not in message  # rijen is the list, not the cell


def test_escaped_control_character_in_quoted_text_is_located(tmp_path):
    """An escape such as "\\x0b" in a quoted string produces a character XML 1.0 forbids."""
    text = 'soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\nonderwerp: "a\\x0bb"\n'
    assert problems(tmp_path, text) == [
        "brief.yaml:4:12: de tekst bevat een ongeldig stuurteken U+000B (teken 2); verwijder het"
    ]
