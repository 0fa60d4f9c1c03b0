"""Layout a griffie would accept, read back from real PDFs: closing and signature never split,
tables inside the page, page numbers from page 2 on."""

from __future__ import annotations

import shutil
import subprocess

import pikepdf
import pytest

from briefgen import pipeline
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap
from tests.conftest import require_soffice
from tests.golden.build import REPO

LETTER = """soort: raadsinformatiebrief
organisatie: hilversum
datum: 2021-11-16
onderwerp: Proef {n}
aanhef: Geachte leden van de raad,
tabellen:
  t:
    titel: Een tabel met een lange omschrijving
    kolommen: [Omschrijving die heel lang kan worden en dan moet afbreken binnen de cel, Aantal]
    rijen:
{rows}
secties:
  - kop: Inleiding
    tekst: |
{paragraphs}
      {{{{ tabel("t") }}}}
slot: Hoogachtend,
ondertekening:
  - rol: gemeentesecretaris
    markering: l.s.
  - rol: burgemeester
"""
# Lengths chosen so that the closing lands at every position near the bottom of page 1 or 2.
LENGTHS = range(8, 40, 2)


def _pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


@pytest.fixture(scope="module")
def letters(tmp_path_factory):
    require_soffice()
    root = tmp_path_factory.mktemp("layout")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "content" / "organisaties", root / "content" / "organisaties")
    for n in LENGTHS:
        paragraphs = "\n".join(f"      Alinea {i} van proefbrief {n}, met wat tekst om de regel te vullen tot hij afbreekt.\n" for i in range(n))
        rows = "\n".join(f"      - [Rij {i} met een omschrijving, {i}]" for i in range(1, 6))
        (root / "content" / "proef").mkdir(parents=True, exist_ok=True)
        (root / "content" / "proef" / f"p{n:02d}.yaml").write_text(LETTER.format(n=n, rows=rows, paragraphs=paragraphs), encoding="utf-8")
    report = pipeline.build(Werkmap(root), Settings())
    assert report.ok, [p.format() for p in report.problems]
    return {n: root / "build" / "proef" / f"p{n:02d}.pdf" for n in LENGTHS}


@pytest.mark.parametrize("n", LENGTHS)
def test_closing_and_signatures_stay_on_one_page(letters, n):
    pages = _pages(letters[n])
    [closing_page] = [i for i, page in enumerate(pages) if "Hoogachtend," in page]
    assert "P.I. Broertjes" in pages[closing_page] and "W. Groot, l.s." in pages[closing_page]
    assert "Burgemeester en wethouders van Hilversum," in pages[closing_page]


@pytest.mark.parametrize("n", LENGTHS)
def test_page_numbers_from_page_two(letters, n):
    pages = [p for p in _pages(letters[n]) if p.strip()]
    assert "Pagina 1" not in pages[0]
    for number, page in enumerate(pages[1:], 2):
        assert f"Pagina {number} van {len(pages)}" in page


def test_tables_stay_inside_the_page(letters):
    """Every table cell's text lies inside the page's text area (no column runs off the right)."""
    for n, path in letters.items():
        with pikepdf.open(path) as pdf:
            width = float(pdf.pages[0].mediabox[2])
        bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
        right_edges = [float(part.split('"')[1]) for line in bbox.splitlines() if "<word" in line for part in line.split() if part.startswith("xMax=")]
        assert right_edges and max(right_edges) < width - 30, (n, max(right_edges))


def test_the_lengths_move_the_closing_across_page_breaks(letters):
    """Guards the test above: the letters must really put the closing near page ends."""
    closing_pages = {next(i for i, page in enumerate(_pages(path)) if "Hoogachtend," in page) for path in letters.values()}
    assert len(closing_pages) >= 2
