"""spelling: Dutch spell check with hunspell-nl through Enchant, exact positions, skips, word list and d/t rules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from briefgen.spelling import DT_RULES, Misspelling, SpellChecker, SpellingUnavailable, load_wordlist

REPO = Path(__file__).resolve().parents[2]
WORDLIST = REPO / "content" / "woordenlijst.txt"

# Errors that are in the example letters because they are in the published letters (seeds).
PUBLISHED_ERRORS = {
    ("hilversum/2016/inkoop-sociaal-domein-2017.yaml", "aanvaarbare"),  # seed 001: aanvaardbare
    ("huizen/2021/transitieregelingen-dagbesteding.yaml", "verwachtte"),  # seed 003: verwachte
    ("huizen/2021/transitieregelingen-dagbesteding.yaml", "Innovum"),  # seed 003: Inovum
    ("huizen/2021/transitieregelingen-dagbesteding.yaml", "Hilvezorg"),  # seed 003: HilverZorg
    ("hilversum/2021/inkoop-wmo-jeugd.yaml", "Hilverzorg"),  # seed 000: HilverZorg
    ("rzou/2021/inkoop-jeugdhulp-wmo-begeleiding.yaml", "wmo"),  # seed 002: Wmo
}


def _require_hunspell() -> None:
    if not SpellChecker.available():
        message = "libenchant-2-2 of hunspell-nl ontbreekt: sudo apt-get install libenchant-2-2 hunspell-nl"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def checker():
    _require_hunspell()
    with SpellChecker(["Inovum", "HilverZorg", "raadsinformatiebrief", "Wlz", "l.s."]) as c:
        yield c


def words(findings: list[Misspelling]) -> list[str]:
    return [f.word for f in findings]


def example_prose() -> list[tuple[str, str]]:
    """(letter, text) for every onderwerp, aanhef, kop and tekst of the example letters."""
    yaml = YAML(typ="safe")
    out = []
    for path in sorted((REPO / "content").rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "secties" not in data:
            continue
        shown = path.relative_to(REPO / "content").as_posix()
        out += [(shown, data[k]) for k in ("onderwerp", "aanhef") if isinstance(data.get(k), str)]
        for section in data["secties"] or []:
            out += [(shown, section[k]) for k in ("kop", "tekst") if isinstance(section.get(k), str)]
    return out


# --- the two published typos -------------------------------------------------------------------


def test_typo_from_seed_001_is_flagged_with_the_right_suggestion(checker):
    [finding] = checker.check("op basis van maatschappelijke aanvaarbare tarieven")
    assert (finding.line, finding.col, finding.word) == (1, 31, "aanvaarbare")
    assert "aanvaardbare" in finding.suggestions
    assert finding.message.startswith("onbekend woord 'aanvaarbare'; bedoelde u: ")
    assert "aanvaardbare" in finding.message


def test_past_tense_as_adjective_from_seed_003_is_flagged(checker):
    text = "In de transitieregelingen zijn tevens verwachtte frictiekosten opgenomen."
    [finding] = checker.check(text)
    assert finding == Misspelling(
        1, 39, "verwachtte", ("verwachte",),
        "'verwachtte' is een verleden tijd; als bijvoeglijk naamwoord: 'verwachte'",
    )


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        pytest.param("tevens verwachtte frictiekosten", "verwachtte", id="seed-003"),
        pytest.param("De verwachtte kosten zijn hoog.", "verwachtte", id="after-article"),
        pytest.param("Verwachtte kosten staan in de bijlage.", "Verwachtte", id="sentence-start"),
        pytest.param("Alle besteedde uren worden vergoed.", "besteedde", id="besteedde"),
        pytest.param("Wij sturen de beantwoordde vragen mee.", "beantwoordde", id="beantwoordde"),
        pytest.param("De gemeente verwachtte problemen.", None, id="verb-after-subject"),
        pytest.param("Het college verwachtte hogere kosten.", None, id="verb-after-noun"),
        pytest.param("Ook verwachtte de gemeente meer aanmeldingen.", None, id="verb-before-article"),
        pytest.param("Niemand verwachtte dat.", None, id="verb-before-dat"),
        pytest.param("Zij verwachtte niet dat het zou lukken.", None, id="verb-before-niet"),
        pytest.param("De verwachte kosten zijn hoog.", None, id="correct-adjective"),
        pytest.param("De gebruikte middelen zijn beperkt.", None, id="gebruikte-is-fine"),
        pytest.param("Wij verwachtten dat.", None, id="plural-past"),
        pytest.param("tevens verwachtte. Kosten", None, id="sentence-ends"),
        pytest.param("tevens verwachtte Hilversum", None, id="capitalised-next"),
    ],
)
def test_dt_rules(checker, text, flagged):
    assert words(checker.check(text)) == ([flagged] if flagged else [])


def test_dt_rules_form_a_table_of_real_verb_forms(checker):
    for rule in DT_RULES:
        assert not checker.check(f"Dit is {rule.right}."), rule  # the correction is a word
        assert not checker.check(f"Hij {rule.wrong} dat."), rule  # the past tense is a word too


# --- positions ---------------------------------------------------------------------------------

MULTILINE = (
    "Geachte leden van de raad,\n"
    "\n"
    "Wij hebben {{ tabellen.jeugd.totaal | fietzz }} aanbieders gesprokken over de\n"
    "[aanmeldingen](https://www.voorbeeld.nl/fouttt) en de nieuwe Wmo-beschikkingg.\n"
    "Mail naar info@fietzz.nl of kijk op www.zorginzou.nl. {% if x %}Qwrtz{% endif %}\n"
    "Het kost € 43.500,00 voor PGB en DJGB in 2021, dus aanvaarbare tarieven.\n"
)


def test_positions_are_exact_in_a_multiline_text_with_an_expression_and_a_link(checker):
    findings = checker.check(MULTILINE)
    assert [(f.line, f.col, f.word) for f in findings] == [
        (3, 60, "gesprokken"),
        (4, 66, "beschikkingg"),  # the failing part of a hyphenated word
        (5, 65, "Qwrtz"),  # between two statements is prose
        (6, 52, "aanvaarbare"),
    ]
    lines = MULTILINE.split("\n")
    for f in findings:
        assert lines[f.line - 1][f.col - 1 :].startswith(f.word)
    assert "gesproken" in findings[0].suggestions
    assert findings[1].suggestions[0] == "beschikking"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("{{ qwrtz.fietzz }} en {% for fietzz in qwrtz %}{% endfor %}", id="jinja"),
        pytest.param("{{ tabel(\n  'fietzz'\n) }}", id="jinja-multiline"),
        pytest.param("{# qwrtz #}", id="jinja-comment"),
        pytest.param("zie https://www.example.com/qwrtz/fietzz?x=1 en www.qwrtz.nl/fietzz", id="urls"),
        pytest.param("zie qwrtz.nl en fietzz.eu", id="bare-domains"),
        pytest.param("mail qwrtz.fietzz@gemeente.nl", id="e-mail"),
        pytest.param("de [website](http://qwrtz.nl/fietzz)", id="link-target"),
        pytest.param("`qwrtz` en <span>", id="code-and-html"),
        pytest.param("€ 43.500,00, 5800 inwoners, 2020-2025, 1e, 12-jarige, t.z.t. 3x", id="numbers"),
        pytest.param("WLZ, PGB, DJGB, ACIC en B&W", id="abbreviations"),
        pytest.param("ca. € 91.000,- o.b.v. zorgzwaarte, excl. corona, c.q. toewijzing", id="abbreviation-stops"),
        pytest.param("raads- en commissieleden; zorg- en hulpverlening; jeugdhulp en -bescherming", id="elision"),
        pytest.param("Wmo-beschikking, Wlz-tarieven, B&W-vergadering, e-mail", id="hyphenated"),
        pytest.param("auto's en foto’s, ‘team van zorgprofessionals’", id="apostrophes-quotes"),
        pytest.param("# KERNBOODSCHAP\n\n- **Vet** en _schuin_\n1. Eerste punt", id="markdown"),
        pytest.param("HilverZorg en Inovum; l.s.", id="word-list"),
        pytest.param("CONTRACTEN HILVERZORG", id="word-list-in-capitals"),
        pytest.param("Raadsinformatiebrief 12 gaat hierover.", id="word-list-sentence-start"),
        pytest.param("", id="empty"),
    ],
)
def test_not_checked_or_accepted(checker, text):
    assert checker.check(text) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Eén kind kreeg een beschikking.", id="Een-at-sentence-start"),
        pytest.param("Één kind kreeg een beschikking.", id="Een-accent-on-capital"),
        pytest.param("Wij zagen één kind. Eén ouder belde.", id="Een-after-full-stop"),
        pytest.param("# Eén loket\n\n- Eén aanvraag", id="Een-heading-and-list-item"),
        pytest.param("Een gezins- en opvoedcoach helpt.", id="gezins-en-opvoedcoach"),
        pytest.param("De zorg- en hulpverlening loopt door.", id="zorg-en-hulpverlening"),
        pytest.param("Een gezins- of opvoedcoach helpt.", id="gezins-of-opvoedcoach"),
        pytest.param("jeugd-, gezins- en opvoedhulp", id="two-first-parts"),
        pytest.param("gezins- en **opvoedcoach**", id="compound-in-bold"),
    ],
)
def test_accents_on_capitals_and_suspended_compounds_are_accepted(checker, text):
    assert checker.check(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Eeen kind", [(1, 1, "Eeen")], id="no-accent-is-still-checked"),
        pytest.param("gezinz- en opvoedcoach", [(1, 1, "gezinz")], id="misspelt-first-part"),
        pytest.param("gezins- opvoedcoach", [(1, 1, "gezins")], id="no-conjunction"),
        pytest.param("gezins-\n\nen opvoedcoach", [(1, 1, "gezins")], id="not-across-paragraphs"),
    ],
)
def test_accent_and_suspended_compound_rules_stay_strict(checker, text, expected):
    assert [(f.line, f.col, f.word) for f in checker.check(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("ABCDEF", [(1, 1, "ABCDEF")], id="six-capitals-are-checked"),
        pytest.param("dit is inovum", [(1, 8, "inovum")], id="word-list-is-case-sensitive"),
        pytest.param("het Hilverzorg", [(1, 5, "Hilverzorg")], id="no-case-folding-of-the-word-list"),
        pytest.param("de Raadsinformatiebrief", [(1, 4, "Raadsinformatiebrief")], id="capital-only-at-sentence-start"),
        pytest.param("Qwrtz-beschikking", [(1, 1, "Qwrtz")], id="failing-first-part"),
        pytest.param("de tweede\n  fietz.", [(2, 3, "fietz")], id="second-line-indented"),
        pytest.param("fietz fietz", [(1, 1, "fietz"), (1, 7, "fietz")], id="every-occurrence"),
    ],
)
def test_flagged(checker, text, expected):
    assert [(f.line, f.col, f.word) for f in checker.check(text)] == expected


def test_word_list_names_are_suggested_for_near_misses(checker):
    [innovum, hilvezorg] = checker.check("Innovum en Hilvezorg")
    assert innovum.suggestions[0] == "Inovum"
    assert hilvezorg.suggestions[0] == "HilverZorg"
    assert hilvezorg.message == "onbekend woord 'Hilvezorg'; bedoelde u: HilverZorg?"


def test_message_lists_up_to_three_suggestions(checker):
    [finding] = checker.check("gesprokken")
    assert 1 <= len(finding.suggestions) <= 3
    joined = finding.message.split("bedoelde u: ", 1)[1]
    assert joined.endswith("?")
    if len(finding.suggestions) > 1:
        assert " of " in joined


def test_names_get_no_dictionary_suggestions_but_a_word_list_hint(checker):
    [name, camel] = checker.check("Wij spraken met Amaris en EigenzinnigKind.")
    assert (name.word, name.suggestions) == ("Amaris", ())
    assert name.message == "onbekend woord 'Amaris'; klopt het, zet het dan in content/woordenlijst.txt"
    assert (camel.word, camel.suggestions) == ("EigenzinnigKind", ())
    # At the start of a sentence a capital says nothing: the dictionary is asked.
    [start] = checker.check("Gesprokken is er niet.")
    assert start.suggestions and start.suggestions[0].lower().startswith("gespro")


def test_without_word_list_names_are_unknown():
    _require_hunspell()
    with SpellChecker() as bare:
        assert words(bare.check("Amaris, Inovum en Vivium")) == ["Amaris", "Inovum", "Vivium"]


def test_closed_checker_refuses_to_check():
    _require_hunspell()
    with SpellChecker() as c:
        assert c.check("een fiets") == []
    with pytest.raises(SpellingUnavailable, match="afgesloten"):
        c.check("een fiets")
    c.close()  # closing twice is fine


def test_unavailable_without_the_enchant_library(tmp_path):
    not_a_library = tmp_path / "libenchant-2.so.2"
    not_a_library.write_text("geen bibliotheek\n", encoding="utf-8")
    program = (
        "from briefgen.spelling import SpellChecker, SpellingUnavailable\n"
        "print(SpellChecker.available())\n"
        "try:\n"
        "    SpellChecker()\n"
        "except SpellingUnavailable as exc:\n"
        "    print(exc)\n"
    )
    env = dict(os.environ, PYENCHANT_LIBRARY_PATH=str(not_a_library))
    result = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == [
        "False",
        "spellingcontrole niet beschikbaar: installeer de Debian-pakketten libenchant-2-2 en hunspell-nl",
    ]


# --- the budget of suggestions ------------------------------------------------------------------


def test_only_the_first_words_of_a_letter_get_the_dictionarys_suggestions(checker):
    """A pasted-in text full of unknown words: hunspell's slow suggestions stop after the letter's budget."""
    from briefgen.spelling import MAX_DICTIONARY_SUGGESTIONS

    nonsense = [f"pizo{'ba' * (n % 5 + 1)}{'lu' * (n // 5 + 1)}" for n in range(MAX_DICTIONARY_SUGGESTIONS)]
    granted: set[str] = set()
    first = checker.check(" ".join(nonsense), granted)
    assert len(first) == MAX_DICTIONARY_SUGGESTIONS and granted == set(nonsense)
    [late] = checker.check("maatschappelijke aanvaarbare tarieven", granted)
    assert late.word == "aanvaarbare" and late.suggestions == ()
    assert late.message.startswith("onbekend woord 'aanvaarbare'")
    [again] = checker.check("Opnieuw pizobalu.", granted)  # a granted word keeps its own suggestions
    assert again.word == "pizobalu"
    [fresh] = checker.check("maatschappelijke aanvaarbare tarieven", set())  # the next letter: a new budget
    assert "aanvaardbare" in fresh.suggestions
    [unlimited] = checker.check("maatschappelijke aanvaarbare tarieven")
    assert "aanvaardbare" in unlimited.suggestions


# --- the word list -----------------------------------------------------------------------------


def test_load_wordlist(tmp_path):
    path = tmp_path / "woorden.txt"
    path.write_text("# kop\n\nInovum\n  Vivium  \nl.s. # afkorting\n#Weg\nOude Pastorie\n", encoding="utf-8")
    assert load_wordlist(path) == ["Inovum", "Vivium", "l.s.", "Oude", "Pastorie"]
    assert load_wordlist(tmp_path / "bestaat-niet.txt") == []


def test_project_word_list_is_sorted_unique_and_has_no_typos():
    entries = load_wordlist(WORDLIST)
    assert entries, "content/woordenlijst.txt is leeg"
    assert entries == sorted(entries, key=lambda w: (w.casefold(), w))
    assert len(entries) == len(set(entries))
    assert WORDLIST.read_text(encoding="utf-8").startswith("# ")
    assert not {typo for _, typo in PUBLISHED_ERRORS} & set(entries)


def test_example_letters_have_only_their_published_errors():
    _require_hunspell()
    prose = example_prose()
    assert len(prose) > 20
    found = set()
    with SpellChecker(load_wordlist(WORDLIST)) as c:
        for letter, text in prose:
            found |= {(letter, f.word) for f in c.check(text)}
    assert found == PUBLISHED_ERRORS
