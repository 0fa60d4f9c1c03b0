"""A long section after a table must not leave page 1 partly empty (found in a user trial: the 2021
example with a section 'Spreiding' of a 10-line paragraph and a 24-row table left a third of page 1
empty; its heading, paragraph and table all started on page 2).

LibreOffice moves a paragraph that keeps with the next whole to the next page, so only a short
paragraph before a table keeps with it (builders/docx.py, KEPT_INTRODUCTION)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

from tests.cli.helpers import invoke
from tests.conftest import REPO, require_soffice, write

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
FOLDER = "content/hilversum/2021"

INTRODUCTION = (  # about ten lines in the 2021 house style
    "De kinderen met een uitloopovereenkomst wonen niet gelijk verdeeld over de gemeente. In de wijken "
    "rond het centrum en in Hilversum-Noord wonen verhoudingsgewijs de meeste kinderen die zorg ontvangen, "
    "terwijl het aantal in de buitenwijken laag is gebleven. Dat heeft gevolgen voor de reisafstand naar "
    "de nieuwe aanbieders: voor een deel van de ouders wordt die groter, omdat de nieuwe locaties vooral "
    "aan de rand van de stad liggen. De jeugdconsulenten houden hier bij de overplaatsing rekening mee en "
    "zoeken waar dat kan een aanbieder dicht bij huis of bij school. Waar dat niet lukt, bespreken zij "
    "met de ouders welk vervoer mogelijk is en wie dat regelt. In de onderstaande tabel staat per wijk "
    "hoeveel kinderen het betreft; een kind dat in de loop van het jaar is verhuisd, telt mee in de wijk "
    "waar het op 1 oktober woonde. Wij volgen de spreiding en melden u het in de volgende brief wanneer "
    "die verandert."
)
SHORT = ("De kinderen met een uitloopovereenkomst wonen niet gelijk verdeeld over de gemeente. In de "
         "onderstaande tabel staat per wijk hoeveel kinderen het betreft.")


def _trial(werkmap: Path, name: str, *, introduction: str = INTRODUCTION, rows: int = 24) -> Path:
    """The 2021 example without its section on day care, with a section 'Spreiding' after the first
    table: the introduction, a table of ``rows`` rows and two more paragraphs."""
    text = (REPO / FOLDER / "inkoop-wmo-jeugd.yaml").read_text(encoding="utf-8")
    start = text.index("  - kop: Contracten dagbesteding licht")
    text = text[:start] + text[text.index('  - kop: "1. Contracten'):]
    body = "".join(f'      - ["Wijk {r} Hilversum-{"Noord" if r % 2 else "Zuid"}", {r % 5 + 1}]\n'
                   for r in range(1, rows + 1))
    table = (f"  spreiding:\n    titel: Kinderen per wijk\n    soort: aantal\n"
             f"    kolommen: [Wijk, Aantal kinderen]\n    rijen:\n{body}"
             f"    totaal: {sum(r % 5 + 1 for r in range(1, rows + 1))}\n")
    text = text.replace("  jeugdhulp:\n", table + "  jeugdhulp:\n", 1)
    paragraphs = [introduction, '{{ tabel("spreiding") }}',
                  "Bij de aanbieders in Hilversum-Noord is de wachttijd het langst; daar zoeken wij extra plaatsen.",
                  "Over de wijken met de meeste kinderen overleggen wij in het voorjaar met de wijkteams."]
    section = "  - kop: Spreiding\n    tekst: |\n" + "".join(f"      {p}\n\n" for p in paragraphs if p)
    text = text.replace('  - kop: "2. Contracten Jeugdhulp"', section + '  - kop: "2. Contracten Jeugdhulp"', 1)
    text = text.replace('nummer: "2021/45"', f'nummer: "2021/{name}"', 1)  # its own: build refuses one nummer twice
    return write(werkmap, f"{FOLDER}/{name}.yaml", text)


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def _body(werkmap: Path, name: str) -> list:
    with zipfile.ZipFile(werkmap / f"build/hilversum/2021/{name}.docx") as built:
        return list(etree.fromstring(built.read("word/document.xml")).find("w:body", NS))


def _before(body: list, title: str):
    """The paragraph before the caption ``title``."""
    return body[["".join(e.itertext()) for e in body].index(title) - 1]


def _kept(p) -> bool:
    return p.find("w:pPr/w:keepNext", NS) is not None


def test_only_a_short_introduction_keeps_with_its_table(werkmap):
    _trial(werkmap, "lang")
    _trial(werkmap, "kort", introduction=SHORT)
    _trial(werkmap, "zonder", introduction="")
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / FOLDER)).exit_code == 0

    assert not _kept(_before(_body(werkmap, "lang"), "Kinderen per wijk"))
    assert _kept(_before(_body(werkmap, "kort"), "Kinderen per wijk"))
    heading = _before(_body(werkmap, "zonder"), "Kinderen per wijk")
    assert "".join(heading.itertext()) == "Spreiding" and _kept(heading)
    # the example's own introductions (up to five lines) keep with their tables, as before
    assert _kept(_before(_body(werkmap, "lang"), "Contracten Jeugdhulp"))


def test_a_long_section_starts_on_the_page_after_a_table(werkmap):
    """The trial's letter (24 rows) and the same with 60 rows: heading and the start of its paragraph
    on page 1, every table row whole on one page, the signature on the page of the closing."""
    require_soffice()
    _trial(werkmap, "spreiding")
    _trial(werkmap, "spreiding-60", rows=60)
    result = invoke(werkmap, "build", "--formaat", "pdf", str(werkmap / FOLDER))
    assert result.exit_code == 0, result.output

    for name, rows in (("spreiding", 24), ("spreiding-60", 60)):
        pages = _pages(werkmap / f"build/hilversum/2021/{name}.pdf")
        assert "Spreiding" in pages[0], name
        assert "De kinderen met een uitloopovereenkomst wonen niet gelijk verdeeld" in pages[0], name
        for r in range(1, rows + 1):  # each row once, its label and number on one line of one page
            label = f"Wijk {r} Hilversum-{'Noord' if r % 2 else 'Zuid'}"
            found = [line for page in pages for line in page.splitlines()
                     if re.search(rf"(^|\s){label}\s", line)]
            assert len(found) == 1 and found[0].split()[-1] == str(r % 5 + 1), (name, label, found)
        last = pages[-1]
        assert "Hoogachtend," in last and "P.I. Broertjes" in last, name
