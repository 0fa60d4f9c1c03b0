"""Wires the stages: read → validate → resolve → plan → render DOCX → convert PDF → record.

One bad letter never stops the batch: its problems are collected and the others are built.
Nothing here prints; the CLI reports what the returned :class:`BuildReport` says.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.fileio import describe
from briefgen.gitchanges import changed_since
from briefgen.manifest import Manifest
from briefgen.problems import BriefgenError, PdfEngineMissing, Problem, Severity
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap

if TYPE_CHECKING:
    from briefgen import yamlio
    from briefgen.model import Letter
    from briefgen.readability import Readability
    from briefgen.resolve import Document
    from briefgen.session import Session

# Reading, rendering and converting import their libraries (pydantic models, docxtpl, pikepdf)
# when there is work for them: a build where everything is up to date stays fast.

FORMATS = ("docx", "pdf")
POOL_THRESHOLD = 8  # below this, starting worker processes costs more than it saves

Progress = Callable[[str, str], None]


@dataclass(frozen=True)
class PdfFacts:
    """What the PDF stage needs of a letter whose DOCX was made."""

    title: str
    author: str
    date: dt.date
    attachments: tuple[tuple[str, Path], ...]


@dataclass
class LetterResult:
    """What happened to one letter file."""

    path: Path
    shown: str
    document: Document | None = None
    problems: list[Problem] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    current: bool = False
    docx_target: Path | None = None
    loaded: yamlio.Loaded | None = None
    letter: Letter | None = None
    readability: Readability | None = None
    inputs: list[str] = field(default_factory=list)
    facts: PdfFacts | None = None
    shared_problems: list[Problem] = field(default_factory=list)  # about files all letters share

    @property
    def failed(self) -> bool:
        return any(p.is_error for p in self.problems)


@dataclass
class BuildReport:
    letters: list[LetterResult] = field(default_factory=list)
    other_problems: list[Problem] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    pdf_unavailable: PdfEngineMissing | None = None  # the CLI words it

    @property
    def problems(self) -> list[Problem]:
        return self.other_problems + [p for r in self.letters for p in r.problems]

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems) and self.pdf_unavailable is None


def build(
    werkmap: Werkmap,
    settings: Settings,
    selection: list[Path] | None = None,
    formats: tuple[str, ...] = FORMATS,
    force: bool = False,
    progress: Progress | None = None,
    since: str | None = None,
    attachments: bool = False,
) -> BuildReport:
    """Build what is stale (or everything with ``force``); ``since`` narrows to letters whose inputs git saw change."""
    notify = progress or (lambda event, name: None)
    changed = changed_since(werkmap.root, since) if since else None
    with _lock(werkmap):
        _clean_leftovers(werkmap)
        session = _LazySession(werkmap, settings)
        manifest = Manifest.load(werkmap.manifest)
        report = BuildReport()
        letters = werkmap.letters(selection)
        if changed is not None:
            letters = [p for p in letters if _touched(session, manifest, p, changed)]
        notify("totaal", str(len(letters)))
        stale: list[Path] = []
        for path in letters:
            shown = werkmap.shown(path)
            wanted = [
                f for f in formats
                if force or not manifest.is_current(werkmap.root, shown, variant(f, attachments), werkmap.output(path, f))
            ]
            if wanted:
                stale.append(path)
            else:
                report.letters.append(LetterResult(path, shown, current=True))
                notify("actueel", shown)
        todo = _read_and_render(werkmap, settings, stale, formats, notify)
        report.letters.extend(todo)
        # Every worker read the organisation files; their problems are reported once.
        report.other_problems = sorted({p for r in todo for p in r.shared_problems})
        todo = [r for r in todo if r.facts is not None]
        if "pdf" in formats and todo:
            report.pdf_unavailable = _convert_pdf(werkmap, settings, todo, notify, attachments)
        for result in todo:
            if result.built:
                built = [variant(f, attachments) for f in result.built]
                manifest.record(werkmap.root, result.shown, result.inputs, built)
        if selection is None:
            report.removed = _remove_deleted(werkmap, manifest)
        try:
            manifest.save()
        except OSError as exc:
            raise BriefgenError(
                f"kan het manifest {werkmap.shown(werkmap.manifest)} niet bijwerken: {describe(exc)}; "
                "de gebouwde brieven zijn compleet, de volgende build maakt ze opnieuw"
            ) from None
        return report


def _clean_leftovers(werkmap: Werkmap) -> None:
    """What a killed build may have left: half-written temporary files and conversion batches."""
    shutil.rmtree(werkmap.build / ".briefgen-tmp", ignore_errors=True)
    for batch in (werkmap.build / ".briefgen-lo").glob("batch-*"):
        shutil.rmtree(batch, ignore_errors=True)
    for folder, subfolders, files in os.walk(werkmap.build):
        subfolders[:] = [d for d in subfolders if d != ".briefgen-lo"]  # LibreOffice's own profiles
        for name in files:
            if name.startswith(".") and name.endswith(".tmp"):
                Path(folder, name).unlink(missing_ok=True)


class _LazySession:
    """The read stage for ``--sinds``, started only when a letter without a manifest entry needs it."""

    def __init__(self, werkmap: Werkmap, settings: Settings):
        self.werkmap, self.settings = werkmap, settings
        self._session: Session | None = None

    def __getattr__(self, name: str) -> Any:
        if self._session is None:
            from briefgen.session import Session

            self._session = Session(self.werkmap, self.settings)
        return getattr(self._session, name)


def _touched(session: Session | _LazySession, manifest: Manifest, path: Path, changed: set[str]) -> bool:
    """Whether any input of this letter is among the changed files (recorded inputs, else resolved ones)."""
    shown = session.werkmap.shown(path)
    inputs = (manifest.letters.get(shown) or {}).get("invoer")
    if not inputs:
        document = session.read(path).document
        inputs = session.inputs(document) if document else [shown]
    return shown in changed or any(rel in changed for rel in inputs)


def _read_and_render(
    werkmap: Werkmap, settings: Settings, paths: list[Path], formats: tuple[str, ...], notify: Progress
) -> list[LetterResult]:
    """Read, check and render every stale letter: in worker processes for large batches."""
    if not paths:
        return []
    tasks = [(path, werkmap.output(path, "docx") if "docx" in formats else _scratch(werkmap, path)) for path in paths]
    if settings.jobs > 1 and len(tasks) >= POOL_THRESHOLD:
        with ProcessPoolExecutor(settings.jobs, initializer=_start_worker, initargs=(werkmap, settings)) as pool:
            results = _reported(pool.map(_process, tasks, chunksize=max(1, len(tasks) // (settings.jobs * 8))), formats, notify)
    else:
        worker = _Worker(werkmap, settings)
        results = _reported(map(worker, tasks), formats, notify)
    return results


def _reported(results, formats: tuple[str, ...], notify: Progress) -> list[LetterResult]:
    done = []
    for result in results:
        if result.facts is None:
            notify("fout", result.shown)
        elif "docx" in formats:
            result.built.append("docx")
            notify("docx", result.shown)
        done.append(result)
    return done


class _Worker:
    """Reads and renders letters; one per process, so organisations and templates are read once."""

    def __init__(self, werkmap: Werkmap, settings: Settings):
        from briefgen.builders.docx import DocxBuilder
        from briefgen.session import Session

        self.session = Session(werkmap, settings)
        self.builder = DocxBuilder()

    def __call__(self, task: tuple[Path, Path]) -> LetterResult:
        path, target = task
        result = self.session.read(path)
        result.shared_problems = list(self.session.organisation_problems)
        document = result.document
        if document is not None:
            error = self._write(document, target)
            if error:
                result.problems.append(Problem(result.shown, message=error))
            else:
                result.docx_target = target
                result.inputs = self.session.inputs(document)
                result.facts = PdfFacts(document.title, document.author, document.date, document.attachment_files)
        result.document = result.loaded = result.letter = None  # keep a large batch's memory small
        return result

    def _write(self, document: Document, target: Path) -> str | None:
        from briefgen.builders.docx import RenderError

        try:
            self.builder.write(document, target)
        except RenderError as exc:
            return str(exc)
        except OSError as exc:
            return f"kan {target.name} niet schrijven: {describe(exc)}"
        except Exception as exc:  # noqa: BLE001 - one letter's unforeseen failure must not stop the batch
            return f"DOCX niet gemaakt door een interne fout ({type(exc).__name__}: {exc}); meld dit bij de beheerders van briefgen"
        return None


_worker: _Worker | None = None  # the pool worker process's own reader and renderer


def _start_worker(werkmap: Werkmap, settings: Settings) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle, once
    _worker = _Worker(werkmap, settings)


def _process(task: tuple[Path, Path]) -> LetterResult:
    assert _worker is not None, "the pool's initializer (_start_worker) runs first"
    return _worker(task)


def _scratch(werkmap: Werkmap, path: Path) -> Path:
    return werkmap.build / ".briefgen-tmp" / f"{werkmap.letter_id(path)}.docx"


def variant(fmt: str, attachments: bool) -> str:
    """The manifest's name for an output kind: a PDF with appended bijlagen is another output."""
    return f"{fmt}+bijlagen" if fmt == "pdf" and attachments else fmt


def _appendable(result: LetterResult, facts: PdfFacts) -> tuple[tuple[str, Path], ...]:
    """The letter's bijlagen that can be appended (PDFs), with a warning for the others."""
    from briefgen.builders.attachments import is_pdfa

    keep = []
    for title, path in facts.attachments:
        if path.suffix.lower() != ".pdf":
            result.problems.append(Problem(result.shown, message=f"bijlage '{title}' is geen PDF en wordt niet toegevoegd", severity=Severity.WARNING))
            continue
        try:
            pdfa = is_pdfa(path)
        except Exception:  # noqa: BLE001 - any unreadable PDF is reported the same way
            result.problems.append(Problem(result.shown, message=f"bijlage '{title}' ({path.name}) is geen leesbare PDF"))
            continue
        if not pdfa:
            result.problems.append(Problem(result.shown, message=f"bijlage '{title}' is geen PDF/A; de PDF van de brief is daardoor geen PDF/A meer", severity=Severity.WARNING))
        keep.append((title, path))
    return tuple(keep)


def _convert_pdf(werkmap: Werkmap, settings: Settings, todo: list[LetterResult], notify: Progress, attachments: bool = False) -> PdfEngineMissing | None:
    from briefgen.builders.pdf import PdfBuilder, PdfJob, locate_soffice

    ready = [r for r in todo if r.facts is not None]
    try:
        soffice = locate_soffice(settings.soffice)
    except PdfEngineMissing as missing:
        return missing
    if not ready:
        return None
    jobs = {
        r.shown: PdfJob(
            docx=docx,
            pdf=werkmap.output(r.path, "pdf"),
            title=facts.title,
            author=facts.author,
            date=facts.date,
            name=r.shown,
            attachments=_appendable(r, facts) if attachments else (),
        )
        for r in ready
        if (facts := r.facts) is not None and (docx := r.docx_target) is not None  # both set when rendered
    }
    ready = [r for r in ready if not r.failed]
    jobs = {name: job for name, job in jobs.items() if name in {r.shown for r in ready}}
    # LibreOffice profiles are kept under build/ between builds: a fresh profile costs seconds.
    builder = PdfBuilder(soffice, jobs=settings.jobs, timeout=settings.pdf_timeout, workdir=werkmap.build / ".briefgen-lo")
    failures = builder.convert(list(jobs.values()))
    failed = {f.job.name: f.reason for f in failures}
    for result in ready:
        if result.shown in failed:
            result.problems.append(Problem(result.shown, message=f"PDF niet gemaakt: {failed[result.shown]}"))
            notify("fout", result.shown)
        else:
            result.built.append("pdf")
            notify("pdf", result.shown)
    shutil.rmtree(werkmap.build / ".briefgen-tmp", ignore_errors=True)
    return None


def _remove_deleted(werkmap: Werkmap, manifest: Manifest) -> list[str]:
    """Outputs of letters whose content file is gone are removed, and said so."""
    removed = []
    for shown in list(manifest.letters):
        source = werkmap.root / shown
        if source.is_file():
            continue
        for fmt in FORMATS:
            output = werkmap.build / Path(shown).relative_to("content").with_suffix(f".{fmt}")
            if output.is_file():
                output.unlink()
                removed.append(werkmap.shown(output))
        manifest.forget(shown)
    return removed


@contextmanager
def _lock(werkmap: Werkmap):
    """One build per werkmap at a time; a second one stops with a clear message."""
    werkmap.build.mkdir(parents=True, exist_ok=True)
    with open(werkmap.build / ".briefgen.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BriefgenError(
                "er loopt al een 'briefgen build' in deze werkmap; wacht tot die klaar is en probeer het opnieuw"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
