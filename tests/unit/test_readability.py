"""readability: Dutch syllables, sentences and words of Markdown prose, Flesch-Douma and B1 level."""

from __future__ import annotations

import pytest

from briefgen.readability import Readability, count_syllables, level_for, measure

EASY = "Wij helpen u graag. U krijgt een brief van ons. Daarin staat wat u moet doen. Bel ons als u vragen hebt."
HARD = (
    "De gemeenteraad wordt geïnformeerd over de voortgang van de implementatie van de transitieregelingen "
    "voor maatschappelijke ondersteuning, waarbij de continuïteit van de dienstverlening aan cliënten "
    "gewaarborgd dient te worden door middel van afzonderlijke overeenkomsten met zorgaanbieders."
)
MEDIUM = (
    "De gemeente koopt de zorg opnieuw in. Wij willen dat inwoners passende ondersteuning krijgen van "
    "goede aanbieders. Daarom maken wij afspraken over kwaliteit en tarieven met alle partijen in de regio."
)


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("fiets", 1),
        ("eeuw", 1),  # eeu is one sound
        ("nieuwe", 2),  # ieu + e
        ("koffie", 2),
        ("uitvoering", 3),  # ui, oe, i
        ("tijdelijk", 3),  # ij is i + j
        ("zorgaanbieders", 4),
        ("aanvaardbare", 4),
        ("gemeenteraad", 4),
        ("maatschappelijke", 5),
        ("uitloopovereenkomst", 6),
        ("geïnformeerd", 4),  # ge-ïn-for-meerd: break at ï
        ("beëindigen", 4),  # be-ëin-di-gen: ë starts a new syllable, ëi is one sound
        ("continuïteit", 5),
        ("cliënten", 3),
        ("financiële", 5),
        ("ideeën", 3),
        ("coördinatie", 5),
        ("individueel", 5),  # ue is not one sound: du-eel
        ("theater", 3),
        ("café", 2),  # é is a plain vowel
        ("één", 1),
        ("systeem", 2),  # y is a vowel
        ("Wmo-beschikking", 4),
        ("PGB", 1),  # no vowel: at least one
    ],
)
def test_count_syllables(word, syllables):
    assert count_syllables(word) == syllables


def test_easy_text_exact_figures():
    r = measure(EASY)
    assert (r.words, r.sentences) == (22, 4)
    assert r.avg_sentence_length == pytest.approx(5.5)
    # 25 syllables: Wij hel-pen u graag / U krijgt een brief van ons / Daar-in staat ... / ... vra-gen hebt
    assert r.flesch_douma == pytest.approx(206.835 - 0.93 * 22 / 4 - 77 * 25 / 22)
    assert r.long_word_share == 0.0
    assert r.level == "B1 (makkelijk)"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        pytest.param(EASY, "B1 (makkelijk)", id="easy"),
        pytest.param(MEDIUM, "B2", id="medium"),
        pytest.param(HARD, "C1 (moeilijk)", id="officialese"),
    ],
)
def test_known_texts_get_their_level(text, level):
    assert measure(text).level == level


def test_hard_text_has_long_words_and_one_long_sentence():
    r = measure(HARD)
    assert r.sentences == 1
    assert r.words == 35
    long_words = {"gemeenteraad", "geïnformeerd", "implementatie", "transitieregelingen", "maatschappelijke",
                  "ondersteuning", "continuïteit", "dienstverlening", "afzonderlijke", "overeenkomsten",
                  "zorgaanbieders"}
    assert r.long_word_share == pytest.approx(len(long_words) / 35)


@pytest.mark.parametrize(
    ("score", "avg", "level"),
    [
        (75.0, 12.0, "B1 (makkelijk)"),
        (60.0, 15.0, "B1 (makkelijk)"),  # both limits inclusive
        (75.0, 15.1, "B2"),  # easy words but long sentences
        (59.9, 10.0, "B2"),
        (45.0, 25.0, "B2"),
        (44.9, 10.0, "C1 (moeilijk)"),
        (-20.0, 40.0, "C1 (moeilijk)"),
    ],
)
def test_level_thresholds(score, avg, level):
    assert level_for(score, avg) == level


@pytest.mark.parametrize(
    ("text", "words", "sentences"),
    [
        pytest.param("Wij hebben {{ tabellen.x.totaal }} kinderen geholpen.", 4, 1, id="jinja-expression"),
        pytest.param("Zie {% if x %}de{% endif %} brief.\n\n{{ tabel('x') }}\n", 3, 1, id="jinja-statement"),
        pytest.param("Kijk op [de website](https://www.zorginzou.nl/lange/weg) voor meer.", 6, 1, id="link-text-stays"),
        pytest.param("Mail naar info@gemeente.nl of bel.", 4, 1, id="e-mail-goes"),
        pytest.param("Dit is **vet** en _schuin_.", 5, 1, id="emphasis"),
        pytest.param("# Aanleiding\n\nDe brief volgt.", 4, 2, id="heading-is-a-sentence"),
        pytest.param("Wij kijken naar:\n\n- het aanbod\n- de tarieven\n1. en de zorg", 10, 4, id="list-items"),
        pytest.param("Per dagdeel o.b.v. zorgzwaarte. P.I. Broertjes tekent. Dat is ca. 5 keer.", 12, 3,
                     id="abbreviations-do-not-end-sentences"),
        pytest.param("De kosten zijn € 43.500,00 in 2021. Dat is veel.", 9, 2, id="numbers-are-words"),
        pytest.param("Dit is een zin die\ndoorloopt op de volgende regel.", 10, 1, id="soft-line-break"),
        pytest.param("| a | b |\n|---|---|\n| 1 | 2 |\n\nEen zin.", 2, 1, id="table-rows-skipped"),
        pytest.param("Klaar! Echt? Ja.", 3, 3, id="exclamation-and-question"),
    ],
)
def test_words_and_sentences(text, words, sentences):
    r = measure(text)
    assert (r.words, r.sentences) == (words, sentences)


def test_empty_text():
    for text in ("", "   \n\n", "{{ tabel('x') }}"):
        r = measure(text)
        assert (r.words, r.sentences, r.level) == (0, 0, "geen tekst")
        assert r.summary() == "geen tekst om te meten"


@pytest.mark.parametrize(
    ("readability", "summary"),
    [
        pytest.param(
            Readability(100, 5, 18.4, 0.09, 52.3, "B2"),
            "Flesch-Douma 52 (B2); gemiddeld 18,4 woorden per zin; 9 % lange woorden",
            id="b2",
        ),
        pytest.param(
            Readability(120, 10, 12.0, 0.035, 66.6, "B1 (makkelijk)"),
            "Flesch-Douma 67 (B1, makkelijk); gemiddeld 12,0 woorden per zin; 4 % lange woorden",
            id="b1",
        ),
    ],
)
def test_summary_is_dutch(readability, summary):
    assert readability.summary() == summary


def test_summary_of_a_measured_text():
    assert measure(EASY).summary() == (
        "Flesch-Douma 114 (boven 100: zeer korte zinnen en woorden; B1, makkelijk); "
        "gemiddeld 5,5 woorden per zin; 0 % lange woorden"
    )
    assert "boven 100" not in measure(MEDIUM).summary()
