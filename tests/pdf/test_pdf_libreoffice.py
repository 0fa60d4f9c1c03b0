"""With the real LibreOffice: PDF/A-2b + PDF/UA output, metadata, determinism."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from decimal import Decimal

import pikepdf
import pytest

from briefgen.builders.pdf import PdfBuilder
from tests.pdf.conftest import make_job, write_docx

PDFUA_PART = "{http://www.aiim.org/pdfua/ns/id/}part"


def pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) niet gevonden")
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def structure_types(node, found=None) -> set[str]:
    found = set() if found is None else found
    if isinstance(node, pikepdf.Array):
        for child in node:
            structure_types(child, found)
    elif isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            found.add(str(node.S))
        if "/K" in node:
            structure_types(node.K, found)
    return found


@pytest.fixture(params=[0, 1, 2], ids=["brief0", "brief1", "brief2"])
def converted(request, batch):
    """(job, open pikepdf.Pdf) for each letter of the session batch."""
    jobs, failures, _, _ = batch
    assert failures == []
    job = jobs[request.param]
    with pikepdf.open(job.pdf) as pdf:
        yield job, pdf


def test_batch_converts_in_one_call_and_cleans_up(batch):
    jobs, failures, seconds, workdir = batch
    assert failures == []
    assert all(job.pdf.is_file() for job in jobs)
    # only the reusable profile stays behind, no staging directories
    assert [p.name for p in workdir.iterdir()] == ["profile-0"]
    print(f"batch van 3 brieven: {seconds:.1f} s")


def test_profile_records_the_version_so_the_render_tests_do_not_run(batch):
    """LibreOffice writes GraphicsRenderTests.log when it runs its start-up render tests (~1 s of CPU)."""
    *_, workdir = batch
    user = workdir / "profile-0" / "user"
    assert "ooSetupLastVersion" in (user / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert (user / "registrymodifications.xcu").is_file() and not (user / "GraphicsRenderTests.log").exists()


def test_pdfa2b_and_pdfua_identification(converted):
    _, pdf = converted
    meta = pdf.open_metadata()
    assert meta["pdfaid:part"] == "2"
    assert meta["pdfaid:conformance"] == "B"
    assert meta[PDFUA_PART] == "1"


def test_tagged_dutch_and_title_shown(converted):
    _, pdf = converted
    root = pdf.Root
    assert root.Lang == "nl-NL"
    assert root.MarkInfo.Marked is True
    assert root.ViewerPreferences.DisplayDocTitle is True
    assert {"/H1", "/Table", "/TH", "/Link"} <= structure_types(root.StructTreeRoot)


def test_pages_are_a4(converted):
    _, pdf = converted
    for page in pdf.pages:
        x0, y0, x1, y1 = (Decimal(str(v)) for v in page.MediaBox)
        assert abs((x1 - x0) - Decimal("595.3")) < 1
        assert abs((y1 - y0) - Decimal("841.9")) < 1


def test_title_author_and_fixed_dates(converted):
    job, pdf = converted
    assert str(pdf.docinfo.Title) == job.title
    assert str(pdf.docinfo.Author) == job.author
    assert str(pdf.docinfo.CreationDate) == str(pdf.docinfo.ModDate) == "D:20211118000000Z"
    meta = pdf.open_metadata()
    assert meta["dc:title"] == job.title
    assert meta["dc:creator"] == [job.author]
    for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
        assert meta[key] == "2021-11-18T00:00:00Z"
    assert "/DocChecksum" not in pdf.trailer
    assert len(pdf.trailer.ID) == 2


def test_all_fonts_embedded(converted):
    _, pdf = converted
    fonts = [obj for obj in pdf.objects
             if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"]
    assert fonts
    for font in fonts:
        if font.Subtype in ("/Type0", "/Type3"):  # Type0: see its descendant; Type3: glyphs inline
            continue
        files = {"/FontFile", "/FontFile2", "/FontFile3"} & set(font.FontDescriptor.keys())
        assert files, f"font {font.get('/BaseFont')} is niet ingebed"


def test_text_is_extractable(converted):
    job, _ = converted
    text = pdf_text(job.pdf)
    number = job.pdf.stem.removeprefix("brief")
    assert f"Alinea van brief {number}." in text
    assert "Oplossing" in text and "website van de gemeente" in text


def test_same_docx_gives_identical_bytes(batch, soffice, builder, tmp_path):
    """A letter converted alone, with another profile, equals its batch conversion."""
    jobs, _, _, _ = batch
    again = [replace(job, pdf=tmp_path / job.pdf.name) for job in jobs[:2]]
    assert builder(soffice, jobs=2).convert(again) == []
    for first, second in zip(jobs, again, strict=False):
        assert first.pdf.read_bytes() == second.pdf.read_bytes()


def test_letters_with_same_basename(soffice, builder, letter):
    north = letter("noord/brief.docx", "Tekst uit het noorden.")
    south = letter("zuid/brief.docx", "Tekst uit het zuiden.")
    assert builder(soffice, jobs=1).convert([north, south]) == []
    assert "noorden" in pdf_text(north.pdf) and "zuiden" not in pdf_text(north.pdf)
    assert "zuiden" in pdf_text(south.pdf) and "noorden" not in pdf_text(south.pdf)


def test_source_date_epoch_overrides_letter_date(soffice, builder, letters, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    [job] = letters(1)
    assert builder(soffice).convert([job]) == []
    with pikepdf.open(job.pdf) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20231114221320Z"
        assert pdf.open_metadata()["xmp:CreateDate"] == "2023-11-14T22:13:20Z"


def test_libreoffice_runs_no_gnupg_tools_while_converting(soffice, tmp_path, monkeypatch):
    """soffice.bin checks signatures on every load by running gpgconf, gpg and gpgsm from PATH
    (six forks of a 170 MB process per start); briefgen starts it with a PATH that has none of them."""
    spies = tmp_path / "spies"
    spies.mkdir()
    for tool in ("gpgconf", "gpg", "gpgsm", "paperconf"):
        spy = spies / tool
        spy.write_text(f"#!/bin/sh\necho {tool} >> {tmp_path / 'called'}\nexit 1\n")
        spy.chmod(0o755)
    monkeypatch.setenv("PATH", f"{spies}{os.pathsep}{os.environ['PATH']}")
    source = write_docx(tmp_path / "in" / "brief.docx", "Een brief zonder handtekening.")
    job = make_job(source, tmp_path / "out" / "brief.pdf", "Zonder GnuPG")
    assert PdfBuilder(soffice, jobs=1, workdir=tmp_path / "work").convert([job]) == []
    assert job.pdf.is_file()
    assert not (tmp_path / "called").exists(), (tmp_path / "called").read_text()
