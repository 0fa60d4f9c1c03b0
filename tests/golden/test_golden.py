"""Whole example letters against committed golden text (regenerate with ``make golden``)."""

from __future__ import annotations

import difflib
import re
from collections import Counter

import pytest

from tests.golden.build import EXPECTED, REPO, outputs
from tests.golden.extract import docx_text, pdf_text

SEEDS = REPO.parent / "shared" / "seeds"
EXAMPLES = {
    "hilversum/2021/inkoop-wmo-jeugd": "000_8ab8cb2d82dc339b.txt",
    "hilversum/2016/inkoop-sociaal-domein-2017": "001_e9b2b83ac7c72a80.txt",
    "rzou/2021/inkoop-jeugdhulp-wmo-begeleiding": "002_2a14697d8f1a43f1.txt",
    "huizen/2021/transitieregelingen-dagbesteding": "003_a3c1660689438094.txt",
}


GOLDEN = sorted(p.relative_to(EXPECTED).as_posix()[: -len(".docx.txt")] for p in EXPECTED.rglob("*.docx.txt"))


def test_every_example_letter_has_golden_text(docx_build):
    assert sorted(name[: -len(".docx")] for name in outputs(docx_build, "docx")) == GOLDEN


@pytest.mark.parametrize("name", GOLDEN)
def test_docx_text_matches_golden(docx_build, name):
    built = outputs(docx_build, "docx")[f"{name}.docx"]
    expected = (EXPECTED / f"{name}.docx.txt").read_text(encoding="utf-8")
    assert docx_text(built) == expected


@pytest.mark.parametrize("name", GOLDEN)
def test_pdf_text_matches_golden(pdf_build, name):
    built = outputs(pdf_build, "pdf")[f"{name}.pdf"]
    expected = (EXPECTED / f"{name}.pdf.txt").read_text(encoding="utf-8")
    assert pdf_text(built) == expected


def _words(text: str) -> list[str]:
    return re.findall(r"[\wÀ-ÿ€]+", text.lower())


@pytest.mark.parametrize("name,seed", sorted(EXAMPLES.items()))
def test_letter_reproduces_its_seed(docx_build, name, seed):
    """The built letter says what the published letter said: nearly every seed word, in order."""
    seed_path = SEEDS / seed
    if not seed_path.is_file():
        pytest.skip("shared/seeds is not beside this checkout")
    seed_words = _words(seed_path.read_text(encoding="utf-8"))
    built_words = _words(docx_text(outputs(docx_build, "docx")[f"{name}.docx"]))
    if seed.startswith("003"):
        # An OCR'd scan with jumbled columns: compare the words, not their order.
        missing = Counter(seed_words) - Counter(built_words)
        covered = 1 - sum(missing.values()) / len(seed_words)
    else:
        matcher = difflib.SequenceMatcher(a=seed_words, b=built_words, autojunk=False)
        covered = sum(block.size for block in matcher.get_matching_blocks()) / len(seed_words)
    assert covered >= 0.95


def test_status_totals_are_computed_and_used_in_text(docx_build):
    text = docx_text(outputs(docx_build, "docx")["hilversum/2021/inkoop-wmo-jeugd.docx"])
    assert "hebben wij in Hilversum 15 kinderen" in text
    assert "| Totaal | 15 |" in text
    assert "voor wat betreft 30 Hilversumse kinderen" in text
    assert "| Totaal | 30 |" in text


def test_series_letter_shows_previous_counts_and_change(docx_build):
    text = docx_text(outputs(docx_build, "docx")["hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd.docx"])
    assert "| Situatie | Vorige brief | Aantal kinderen | Verschil |" in text
    assert "| PGB | 6 | 7 | +1 |" in text
    assert "| Totaal | 30 | 30 | 0 |" in text
    assert "Met onze brief RIB 2021/45 van 16 november 2021 hebben wij" in text
    assert "Voor de vijftien kinderen" in text


def test_money_table_total(docx_build):
    text = docx_text(outputs(docx_build, "docx")["hilversum/2016/inkoop-sociaal-domein-2017.docx"])
    assert "| Totaal | €\u00a019.050.000 |" in text  # a no-break space: never "€" alone at a line end
    assert "| Jeugdhulp | €\u00a05.500.000 |" in text
