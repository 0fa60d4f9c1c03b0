#!/usr/bin/env python3
"""Smoke-test the house-style templates: variables, rendering, optional PDF/PNG preview.

    .venv/bin/python tools/check_templates.py [--out /tmp/tplcheck] [--pdf]

For every ``templates/*.docx``: the template may only use the documented context
variables, it must render with a sample letter (escaping ``&``, ``<``, ``"``), and with
``--pdf`` it is converted by LibreOffice and rendered to PNG pages for a visual check.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from docxtpl import DocxTemplate

from briefgen.templatefields import TEMPLATE_FIELDS
from briefgen.templatefile import open_template

REPO = Path(__file__).resolve().parent.parent

CONTEXT_VARIABLES = TEMPLATE_FIELDS  # their one definition: briefgen/templatefields.py

SENTENCE = (
    "Met deze brief informeren wij de gemeenteraad over de huidige stand van zaken omtrent "
    "de inkoop Wmo en Jeugd; de overeenkomsten met onze zorgaanbieders liepen af per "
    "1 januari 2021 en met een aantal aanbieders is een uitloopovereenkomst gesloten."
)


def add_table(body, rows: list[tuple[str, str]]) -> None:
    table = body.add_table(rows=len(rows), cols=2, style="Briefgen Tabel")
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value


def bare_context(tpl: DocxTemplate, *, nota: bool) -> dict:
    """Only the required values; no signers; the inhoud ends on a table."""
    body = tpl.new_subdoc()
    body.add_paragraph("Korte inhoud.")
    add_table(body, [("Kop", "Waarde"), ("PGB", "6")])
    empty = {"titel": "", "naam": ""}
    context = {name: "" for name in CONTEXT_VARIABLES}
    context.update(
        soort_titel="Informatienota" if nota else "Raadsinformatiebrief",
        onderwerp="Kort onderwerp",
        datum="1 juni 2021",
        organisatie={"naam": "Gemeente Voorbeeld", "plaatsnaam": "Voorbeeld", "telefoon": "",
                     "website": "", "adres": {"straat": "", "postcode": "", "plaats": ""}},
        inhoud=body,
        ondertekening={"namens": "", "links": empty, "rechts": empty},
    )
    return context


def sample_context(tpl: DocxTemplate, *, nota: bool) -> dict:
    """A full letter, long enough for a second page, with characters that need escaping."""
    body = tpl.new_subdoc()
    body.add_paragraph("Contracten dagbesteding & jeugd", style="Heading 1")
    for index in range(20):
        body.add_paragraph(f"{index + 1}. {SENTENCE}")
        if index == 6:
            body.add_paragraph("Tussenkop op niveau twee", style="Heading 2")
            body.add_paragraph("Een opsommingsteken", style="List Bullet")
            body.add_paragraph("Nog een opsommingsteken", style="List Bullet")
            body.add_paragraph("Eerste stap", style="List Number")
            body.add_paragraph("Tweede stap", style="List Number")
        if index == 10:
            body.add_paragraph("Tabel 1. Contracten Maatschappelijke Ondersteuning Jeugd", style="Caption")
            add_table(body, [("Oplossing", "Aantal"), ("PGB", "6"), ("Andere aanbieder", "2"),
                             ("Gestopt/afgerond", "5"), ("Totaal", "13")])
            body.add_paragraph("Na de tabel volgt weer gewone tekst.")
    body.add_paragraph("We vertrouwen er op u voldoende te hebben geïnformeerd.")
    return {
        "soort": "informatienota" if nota else "raadsinformatiebrief",
        "soort_titel": "Informatienota" if nota else "Raadsinformatiebrief",
        "onderwerp": 'Stand van zaken inkoop Wmo & Jeugd <2021> "update"',
        "datum": "18 mei 2021",
        "nummer": "2021/45",
        "kenmerk": "",
        "zaaknummer": "1006608",
        "aan": "De leden van de gemeenteraad",
        "van": "College van B&W",
        "aanhef": "Geachte raads- en commissieleden,",
        "slot": "Hoogachtend,",
        "portefeuillehouder": "Wethouder E.G.J. van der Want",
        "informatie_bij": "E. Seijsener",
        "informatie_telefoon": "06 18878359",
        "organisatie": {
            "naam": "Gemeente Hilversum",
            "plaatsnaam": "Hilversum",
            "adres": {"straat": "Dudokpark 1", "postcode": "1217 JE", "plaats": "Hilversum"},
            "telefoon": "14 035",
            "website": "www.hilversum.nl",
        },
        "inhoud": body,
        "ondertekening": {
            "namens": "Burgemeester en wethouders van Hilversum,",
            "links": {"titel": "de gemeentesecretaris,", "naam": "W. Groot, l.s."},
            "rechts": {"titel": "de burgemeester,", "naam": "P.I. Broertjes"},
        },
    }


def check(template: Path, out: Path) -> list[Path]:
    unknown = DocxTemplate(open_template(template).stream()).get_undeclared_template_variables() - CONTEXT_VARIABLES
    if unknown:
        sys.exit(f"{template.name}: unknown variables {sorted(unknown)}")
    rendered = []
    nota = "informatienota" in template.stem
    for suffix, make_context in (("", sample_context), ("-kaal", bare_context)):
        tpl = DocxTemplate(open_template(template).stream())
        tpl.render(make_context(tpl, nota=nota), autoescape=True)
        target = out / f"{template.stem}{suffix}.docx"
        tpl.save(target)
        rendered.append(target)
    print(f"{template.name}: ok")
    return rendered


def preview(docs: list[Path], out: Path) -> None:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out),
                    *map(str, docs)], check=True, capture_output=True)
    for doc in docs:
        pdf = out / f"{doc.stem}.pdf"
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / doc.stem)], check=True)
        print(pdf)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/tplcheck"))
    parser.add_argument("--pdf", action="store_true", help="also convert to PDF and PNG pages")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    docs = [doc for template in sorted((REPO / "templates").glob("*.docx"))
            for doc in check(template, args.out)]
    if args.pdf:
        preview(docs, args.out)


if __name__ == "__main__":
    main()
