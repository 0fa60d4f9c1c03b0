"""Shared fixtures for the PDF builder: DOCX factory, LibreOffice, fake soffice programs."""

from __future__ import annotations

import datetime
import json
import stat
import sys
import time
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from briefgen.builders.pdf import PdfBuilder, PdfJob
from tests.cli.wordletters import add_link
from tests.conftest import require_soffice

LETTER_DATE = datetime.date(2021, 11, 18)
AUTHOR = "Gemeente Hilversum"


@pytest.fixture(scope="session")
def soffice() -> str:
    return require_soffice()


def write_docx(path: Path, text: str, *, title: str = "Testbrief", marker: str = "") -> Path:
    """A small letter: Heading 1, paragraphs, a table with a header row, a hyperlink.

    ``marker`` is put in the text; fake soffice programs look for it to misbehave.
    """
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    document.core_properties.title = title
    _set_default_language(document, "nl-NL")
    document.add_heading(title, level=1)
    document.add_paragraph(text)
    document.add_paragraph(f"Met vriendelijke groet, het college. {marker}".strip())
    table = document.add_table(rows=3, cols=2)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = ["Oplossing", "Aantal"][c] if r == 0 else f"rij {r} kolom {c}"
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))
    add_link(document.add_paragraph("Meer informatie: "), "website van de gemeente", "https://www.hilversum.nl/")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def _set_default_language(document, language: str) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    lang.set(qn("w:val"), language)


def make_job(source: Path, target: Path, title: str) -> PdfJob:
    return PdfJob(docx=source, pdf=target, title=title, author=AUTHOR, date=LETTER_DATE,
                  name=f"content/{source.parent.name}/{source.stem}.yaml")


def make_letters(root: Path, count: int, *, folder: str = "in",
                 poison: int | None = None) -> list[PdfJob]:
    """count jobs, letter i with text 'Alinea van brief i.'; letter ``poison`` is marked."""
    return [
        make_job(write_docx(root / folder / f"brief{i}.docx", f"Alinea van brief {i}.",
                            title=f"Onderwerp {i}", marker="POISON" if i == poison else ""),
                 root / "build" / folder / f"brief{i}.pdf", f"Onderwerp {i}")
        for i in range(count)
    ]


@pytest.fixture
def letters(tmp_path):
    """letters(count, folder=..., poison=None) -> jobs with fresh DOCX files in tmp_path."""
    return lambda count, **options: make_letters(tmp_path, count, **options)


@pytest.fixture
def letter(tmp_path):
    """letter(relative_docx, text) -> one job; its PDF goes to build/<same relative path>."""

    def make(relative: str, text: str) -> PdfJob:
        source = write_docx(tmp_path / relative, text)
        return make_job(source, (tmp_path / "build" / relative).with_suffix(".pdf"), "Testbrief")

    return make


@pytest.fixture
def builder(tmp_path):
    """builder(soffice, **options) -> PdfBuilder with a workdir in tmp_path."""
    return lambda program, **options: PdfBuilder(program, workdir=tmp_path / "work", **options)


@pytest.fixture(scope="session")
def batch(soffice, tmp_path_factory):
    """Three letters converted by one real soffice call; (jobs, failures, seconds, workdir)."""
    root = tmp_path_factory.mktemp("batch")
    jobs = make_letters(root, 3)
    workdir = root / "work"
    started = time.monotonic()
    failures = PdfBuilder(soffice, jobs=1, workdir=workdir).convert(jobs)
    return jobs, failures, time.monotonic() - started, workdir


FAKE_HEADER = """
import json, os, subprocess, sys, time, zipfile
from pathlib import Path
docs = [a for a in sys.argv[1:] if a.endswith(".docx")]
options = [a for a in sys.argv[1:] if not a.endswith(".docx")]
VERSION = "--version" in options
outdir = None if VERSION else Path(sys.argv[sys.argv.index("--outdir") + 1])
profile = next((a for a in options if a.startswith("-env:UserInstallation=")), None)
with open(LOG, "a") as log:
    log.write(json.dumps({"version": VERSION, "profile": profile, "docs": [Path(d).name for d in docs]}) + "\\n")

def poisoned(path):
    with zipfile.ZipFile(path) as z:
        return b"POISON" in z.read("word/document.xml")

def run_real(paths):
    return subprocess.call([REAL, *options, *paths]) if paths else 0
"""


@pytest.fixture
def fake_soffice(tmp_path):
    """fake_soffice(body, real=None) -> path of an executable Python 'soffice'.

    The body runs after a header that logs the call (see fake_calls) and defines REAL,
    LOG, docs, options, outdir, poisoned(path) and run_real(paths). VERSION is true for the
    ``soffice --version`` probe (outdir is None then); the probe runs the body too.
    """

    def make(body: str, real: str | None = None) -> str:
        path = tmp_path / "fake-soffice"
        config = f"#!{sys.executable}\nREAL = {real!r}\nLOG = {str(tmp_path / 'fake.log')!r}\n"
        path.write_text(config + FAKE_HEADER + body)
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
        return str(path)

    return make


@pytest.fixture
def fake_calls(tmp_path):
    """fake_calls(probes=False) -> one {"version", "profile", "docs"} dict per fake soffice start so far:
    the conversions, and with ``probes`` the ``--version`` probes too."""
    log = tmp_path / "fake.log"

    def calls(probes: bool = False) -> list[dict]:
        found = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
        return [call for call in found if probes or not call["version"]]

    return calls
