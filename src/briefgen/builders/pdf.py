"""DOCX -> PDF/A-2b + PDF/UA with LibreOffice; the only module that runs ``soffice``.

Letters are converted in batches, one ``soffice --convert-to`` call per worker, each
worker with its own LibreOffice profile under ``workdir`` (kept between calls, because a
fresh profile costs start-up time). A batch that times out, crashes or leaves letters
without output is retried letter by letter, so one bad letter cannot sink the others.
Every produced PDF is post-processed with pikepdf (metadata, language, fixed dates,
deterministic /ID) so that the same DOCX always gives the same bytes, and is then moved
atomically onto its target.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from briefgen.problems import BriefgenError, PdfEngineMissing

log = logging.getLogger(__name__)

# Option names as read by LibreOffice 7.4's filter/source/pdf/pdfexport.cxx. PDF/A-2b
# (SelectPdfVersion=2) and PDF/UA (PDFUACompliance) combine there: both identifications
# end up in the XMP. EmbedStandardFonts does not exist yet in 7.4 (PDF/A embeds all fonts).
EXPORT_OPTIONS = {
    "SelectPdfVersion": ("long", "2"),
    "UseTaggedPDF": ("boolean", "true"),
    "PDFUACompliance": ("boolean", "true"),
    "ExportBookmarks": ("boolean", "true"),
    "DisplayPDFDocumentTitle": ("boolean", "true"),
}
PDF_FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {name: {"type": kind, "value": value} for name, (kind, value) in EXPORT_OPTIONS.items()},
    separators=(",", ":"),
)
LANGUAGE = "nl-NL"
_MACOS_SOFFICE = "/Applications/LibreOffice.app/Contents/MacOS/soffice"
_NOISE = ("convert ", "Warning: failed to launch javaldx")


@dataclass(frozen=True)
class PdfJob:
    docx: Path  # rendered DOCX to convert (already exists)
    pdf: Path  # final target path of the PDF
    title: str  # letter subject -> /Title, XMP dc:title
    author: str  # organisation name -> /Author, XMP dc:creator
    date: datetime.date  # all PDF dates are this date 00:00 UTC (or SOURCE_DATE_EPOCH)
    name: str  # how to name the letter in messages


@dataclass(frozen=True)
class PdfFailure:
    job: PdfJob
    reason: str  # Dutch


def find_soffice(explicit: str | None = None) -> str | None:
    """The LibreOffice executable: ``explicit``, else $BRIEFGEN_SOFFICE, else from PATH.

    An explicitly chosen program that is not usable gives None rather than a fallback,
    so the caller reports the choice the user made.
    """
    chosen = explicit or os.environ.get("BRIEFGEN_SOFFICE")
    if chosen:
        return shutil.which(chosen)
    return shutil.which("soffice") or shutil.which("libreoffice") or shutil.which(_MACOS_SOFFICE)


class PdfBuilder:
    name = "pdf"

    def __init__(self, soffice: str, *, jobs: int = os.cpu_count() or 1, timeout: float = 120.0,
                 workdir: Path):
        if shutil.which(soffice) is None:
            raise PdfEngineMissing(f"LibreOffice niet gevonden: {soffice}")
        self.soffice = soffice
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.workdir = Path(workdir).resolve()

    def convert(self, jobs: list[PdfJob]) -> list[PdfFailure]:
        """Convert all; return the failures. Never raises for a single bad letter."""
        if not jobs:
            return []
        epoch = _source_date_epoch()
        self.workdir.mkdir(parents=True, exist_ok=True)
        workers = min(self.jobs, len(jobs))
        size = -(-len(jobs) // workers)
        shares = [list(enumerate(jobs))[start:start + size] for start in range(0, len(jobs), size)]
        with ThreadPoolExecutor(len(shares)) as pool:
            results = pool.map(lambda slot, share: self._run_share(slot, share, epoch),
                               range(len(shares)), shares)
            return [failure for failures in results for failure in failures]

    def _run_share(self, slot: int, share: list[tuple[int, PdfJob]],
                   epoch: datetime.datetime | None) -> list[PdfFailure]:
        """One worker: stage its letters, convert them, deliver the PDFs."""
        staging = Path(tempfile.mkdtemp(prefix=f"batch-{slot}-", dir=self.workdir))
        try:
            staged, failures = _stage(share, staging / "in")
            outdir = staging / "out"
            outdir.mkdir()
            reasons = self._convert_batch(slot, list(staged), outdir)
            for docx, job in staged.items():
                if docx in reasons:
                    failures.append(PdfFailure(job, reasons[docx]))
                    continue
                stamp = epoch or datetime.datetime.combine(job.date, datetime.time(),
                                                           datetime.timezone.utc)
                failure = _deliver(_output(outdir, docx), job, stamp)
                if failure:
                    failures.append(failure)
            return failures
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _convert_batch(self, slot: int, docs: list[Path], outdir: Path) -> dict[Path, str]:
        """Convert docs in one call, then retry each missing one alone; the reasons left."""
        reasons = self._attempt(slot, docs, outdir)
        if len(docs) > 1:
            for docx in list(reasons):
                log.info("opnieuw apart: %s (%s)", docx.name, reasons[docx])
                reasons.pop(docx)
                reasons.update(self._attempt(slot, [docx], outdir))
        return reasons

    def _attempt(self, slot: int, docs: list[Path], outdir: Path) -> dict[Path, str]:
        """One soffice call; a Dutch reason for every doc without a complete PDF after it."""
        problem, detail = self._run_soffice(slot, docs, outdir)
        reason = (problem or "LibreOffice heeft geen PDF gemaakt") + detail
        return {docx: reason for docx in docs if not _is_complete(_output(outdir, docx))}

    def _run_soffice(self, slot: int, docs: list[Path], outdir: Path) -> tuple[str | None, str]:
        """Run soffice with a time-out; (what went wrong or None, ": last message" or "")."""
        profile = self.workdir / f"profile-{slot}"
        command = [self.soffice, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={profile.as_uri()}",
                   "--convert-to", PDF_FILTER, "--outdir", str(outdir), *map(str, docs)]
        with tempfile.TemporaryFile() as output:
            try:
                process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output,
                                           stderr=subprocess.STDOUT, start_new_session=True)
            except OSError as exc:
                raise PdfEngineMissing(
                    f"LibreOffice kon niet worden gestart ({self.soffice}): {exc.strerror}"
                ) from exc
            try:
                code = process.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                _kill_group(process)
                shutil.rmtree(profile, ignore_errors=True)  # may be half-written; start afresh
                code = None
            output.seek(0)
            detail = _last_message(output.read().decode("utf-8", "replace"))
        if code is None:
            return f"LibreOffice reageerde niet binnen {self.timeout:g} s (afgebroken)", detail
        if code != 0:
            return f"LibreOffice afgebroken met code {code}", detail
        return None, detail


def _source_date_epoch() -> datetime.datetime | None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    try:
        return datetime.datetime.fromtimestamp(int(value), datetime.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise BriefgenError(f"SOURCE_DATE_EPOCH is geen geldig aantal seconden: {value!r}") from None


def _stage(share: list[tuple[int, PdfJob]], indir: Path) -> tuple[dict[Path, PdfJob], list[PdfFailure]]:
    """Link (or copy) each DOCX under a unique name: letters in different folders may share one."""
    indir.mkdir(parents=True)
    staged: dict[Path, PdfJob] = {}
    failures: list[PdfFailure] = []
    for index, job in share:
        target = indir / f"{index:04d}.docx"
        try:
            try:
                os.link(job.docx, target)
            except OSError:
                shutil.copyfile(job.docx, target)
        except OSError as exc:
            failures.append(PdfFailure(job, f"DOCX niet leesbaar: {exc.strerror or exc}"))
        else:
            staged[target] = job
    return staged, failures


def _output(outdir: Path, docx: Path) -> Path:
    return outdir / (docx.stem + ".pdf")


def _is_complete(pdf: Path) -> bool:
    """A PDF that LibreOffice finished writing ends with %%EOF; a killed call may leave half."""
    try:
        with pdf.open("rb") as file:
            file.seek(max(0, pdf.stat().st_size - 32))
            return b"%%EOF" in file.read()
    except OSError:
        return False


def _kill_group(process: subprocess.Popen) -> None:
    """Kill soffice with everything it started (oosplash -> soffice.bin) and reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _last_message(text: str) -> str:
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith(_NOISE)]
    return f": {lines[-1][:200]}" if lines else ""


def _deliver(raw: Path, job: PdfJob, stamp: datetime.datetime) -> PdfFailure | None:
    """Post-process LibreOffice's PDF and move it atomically onto job.pdf."""
    job.pdf.parent.mkdir(parents=True, exist_ok=True)
    partial = job.pdf.with_name(f".{job.pdf.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        with pikepdf.open(raw) as pdf:
            _finish(pdf, job, stamp)
            pdf.save(partial, deterministic_id=True)
        os.replace(partial, job.pdf)
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        partial.unlink(missing_ok=True)
        return PdfFailure(job, f"nabewerking van de PDF mislukt: {exc}")
    return None


def _finish(pdf: pikepdf.Pdf, job: PdfJob, stamp: datetime.datetime) -> None:
    _set_metadata(pdf, job, stamp)
    _pin_profile_dates(pdf, stamp)
    pdf.Root.Lang = pikepdf.String(LANGUAGE)
    preferences = pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
    preferences.DisplayDocTitle = True
    pdf.Root.ViewerPreferences = preferences
    # LibreOffice's /DocChecksum and /ID are computed over the wall clock and the temp
    # path. qpdf keeps the first /ID string and, with deterministic_id, derives the
    # second from the content.
    if "/DocChecksum" in pdf.trailer:
        del pdf.trailer.DocChecksum
    first = hashlib.md5(usedforsecurity=False)
    for part in (job.title, job.author, stamp.isoformat()):
        first.update(part.encode() + b"\0")
    first.update(job.docx.read_bytes())
    pdf.trailer.ID = pikepdf.Array([pikepdf.String(first.digest())] * 2)


def _set_metadata(pdf: pikepdf.Pdf, job: PdfJob, stamp: datetime.datetime) -> None:
    """Title, author and fixed dates in docinfo and XMP alike (PDF/A wants them equal).

    The rest of the XMP, among it pdfaid (2, B) and pdfuaid (1), is left as it is.
    """
    xmp_date = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    pdf_date = stamp.strftime("D:%Y%m%d%H%M%SZ")
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = job.title
        meta["dc:creator"] = [job.author]
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            meta[key] = xmp_date
    info = pdf.docinfo
    info.Title = pikepdf.String(job.title)
    info.Author = pikepdf.String(job.author)
    info.CreationDate = pikepdf.String(pdf_date)
    info.ModDate = pikepdf.String(pdf_date)


def _pin_profile_dates(pdf: pikepdf.Pdf, stamp: datetime.datetime) -> None:
    """LibreOffice writes the wall clock into the header of its sRGB output-intent profile."""
    for intent in pdf.Root.get("/OutputIntents", pikepdf.Array()):
        profile = intent.get("/DestOutputProfile")
        if not isinstance(profile, pikepdf.Stream):
            continue
        data = bytearray(profile.read_bytes())
        if data[36:40] == b"acsp":  # ICC header; its date/time is bytes 24-35
            data[24:36] = struct.pack(">6H", stamp.year, stamp.month, stamp.day,
                                      stamp.hour, stamp.minute, stamp.second)
            profile.write(bytes(data))
