"""Wires the stages: read → validate → resolve → plan → render DOCX → convert PDF → record.

One bad letter never stops the batch: its problems are collected and the others are built.
Nothing here prints; the CLI reports what the returned :class:`BuildReport` says.
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.builders.docx import DocxBuilder, RenderError
from briefgen.builders.attachments import is_pdfa
from briefgen.builders.pdf import PdfBuilder, PdfJob, find_soffice
from briefgen.gitchanges import changed_since
from briefgen.index import LetterIndex
from briefgen.locate import Collector
from briefgen.manifest import Manifest
from briefgen.model import Letter, Organisation
from briefgen.problems import BriefgenError, Problem, Severity
from briefgen.resolve import Document, resolve
from briefgen.settings import Settings
from briefgen.templatecheck import lint
from briefgen.validate import validate
from briefgen.werkmap import Werkmap
from briefgen import yamlio

FORMATS = ("docx", "pdf")
POOL_THRESHOLD = 8  # below this, starting worker processes costs more than it saves
INSTALL_HINT = "installeer LibreOffice: sudo apt-get install libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core"

Progress = Callable[[str, str], None]


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
    readability: object | None = None

    @property
    def failed(self) -> bool:
        return any(p.is_error for p in self.problems)


@dataclass
class BuildReport:
    letters: list[LetterResult] = field(default_factory=list)
    other_problems: list[Problem] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    pdf_unavailable: str | None = None

    @property
    def problems(self) -> list[Problem]:
        return self.other_problems + [p for r in self.letters for p in r.problems]

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems) and self.pdf_unavailable is None


class Session:
    """One run over a werkmap: organisations and templates are read and checked once."""

    def __init__(self, werkmap: Werkmap, settings: Settings):
        self.werkmap = werkmap
        self.settings = settings
        self._organisations: dict[str, Organisation | None] | None = None
        self.organisation_problems: list[Problem] = []
        self._template_problems: dict[Path, list[Problem]] = {}
        self.index = LetterIndex(werkmap)

    @property
    def organisations(self) -> dict[str, Organisation | None]:
        if self._organisations is None:
            self._organisations = {}
            for ident in self.werkmap.organisation_ids():
                path = self.werkmap.organisation_file(ident)
                loaded, problems = yamlio.load(path, self.werkmap.shown(path))
                model = None
                if loaded is not None:
                    model, problems = validate(loaded, Organisation)
                self._organisations[ident] = model
                self.organisation_problems.extend(problems)
        return self._organisations

    def template_problems(self, template: Path) -> list[Problem]:
        if template not in self._template_problems:
            self._template_problems[template] = lint(template, self.werkmap.shown(template))
        return self._template_problems[template]

    def read(self, path: Path) -> LetterResult:
        """Read, validate and resolve one letter; problems are collected, never raised."""
        result = LetterResult(path, self.werkmap.shown(path))
        loaded, result.problems = yamlio.load(path, result.shown)
        if loaded is None:
            return result
        result.loaded = loaded
        letter, result.problems = validate(loaded, Letter)
        if letter is None:
            return result
        result.letter = letter
        self.index.add(path, letter)
        result.document, result.problems = resolve(self.werkmap, loaded, letter, self.organisations, self.index)
        if result.document is not None:
            result.problems += self.template_problems(result.document.template)
            if result.failed:
                result.document = None
        result.problems.sort(key=lambda p: (p.path != result.shown, p.path, p.line, p.col))
        return result

    def inputs(self, document: Document) -> list[str]:
        return [self.werkmap.shown(p) for p in (document.source, *document.extra_inputs)]


def check(werkmap: Werkmap, settings: Settings, selection: list[Path] | None = None, proofread: bool = True) -> BuildReport:
    """Everything ``build`` checks, plus what needs all letters at once (numbers) and spelling."""
    session = Session(werkmap, settings)
    report = BuildReport(letters=[session.read(p) for p in werkmap.letters(selection)])
    _duplicate_numbers(report.letters, session.index)
    report.other_problems = session.organisation_problems + _template_folder_problems(session)
    if proofread:
        report.other_problems += _proofread(werkmap, report.letters)
    return report


def _proofread(werkmap: Werkmap, results: list[LetterResult]) -> list[Problem]:
    from briefgen import proofreading  # the dictionary is only loaded for check

    for result in results:
        if result.letter is not None:
            result.readability = proofreading.readability(result.letter)
    checker = proofreading.open_checker(werkmap)
    if checker is None:
        return [Problem(werkmap.shown(werkmap.content), message="spellingcontrole niet beschikbaar: installeer hunspell en hunspell-nl (sudo apt-get install hunspell hunspell-nl)", severity=Severity.WARNING)]
    with checker:
        for result in results:
            if result.letter is not None:
                result.problems += proofreading.spelling(result.loaded, result.letter, checker)
    return []


def _duplicate_numbers(results: list[LetterResult], index: LetterIndex) -> None:
    """A number is used once per organisation and year, across the whole werkmap."""
    owners: dict[tuple[str, int, str], list[str]] = {}
    for entry in index.all():
        if entry.letter.number:
            key = (entry.letter.organisation, entry.letter.date.year, entry.letter.number.strip())
            owners.setdefault(key, []).append(index.werkmap.shown(entry.path))
    for result in results:
        letter = result.letter
        if letter is None or not letter.number:
            continue
        others = [o for o in owners.get((letter.organisation, letter.date.year, letter.number.strip()), []) if o != result.shown]
        if others:
            collector = Collector(result.loaded)
            collector.at(("nummer",), f"nummer {letter.number} komt ook voor in {', '.join(others)}")
            result.problems += collector.problems


def _template_folder_problems(session: Session) -> list[Problem]:
    return [p for t in sorted(session.werkmap.templates.glob("*.docx")) for p in session.template_problems(t)]


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
        session = Session(werkmap, settings)
        manifest = Manifest.load(werkmap.manifest)
        report = BuildReport()
        todo: list[LetterResult] = []
        letters = werkmap.letters(selection)
        if changed is not None:
            letters = [p for p in letters if _touched(session, manifest, p, changed)]
        notify("totaal", str(len(letters)))
        for path in letters:
            shown = werkmap.shown(path)
            wanted = [
                f for f in formats
                if force or not manifest.is_current(werkmap.root, shown, variant(f, attachments), werkmap.output(path, f))
            ]
            if not wanted:
                report.letters.append(LetterResult(path, shown, current=True))
                notify("actueel", shown)
                continue
            result = session.read(path)
            report.letters.append(result)
            if result.document is None:
                notify("fout", shown)
            else:
                todo.append(result)
        report.other_problems = list(session.organisation_problems)
        _render_docx(werkmap, todo, formats, settings.jobs, notify)
        if "pdf" in formats:
            report.pdf_unavailable = _convert_pdf(werkmap, settings, todo, notify, attachments)
        for result in todo:
            if result.built:
                built = [variant(f, attachments) for f in result.built]
                manifest.record(werkmap.root, result.shown, session.inputs(result.document), built)
        if selection is None:
            report.removed = _remove_deleted(werkmap, manifest)
        manifest.save()
        return report


def _touched(session: Session, manifest: Manifest, path: Path, changed: set[str]) -> bool:
    """Whether any input of this letter is among the changed files (recorded inputs, else resolved ones)."""
    shown = session.werkmap.shown(path)
    inputs = (manifest.letters.get(shown) or {}).get("invoer")
    if not inputs:
        document = session.read(path).document
        inputs = session.inputs(document) if document else [shown]
    return shown in changed or any(rel in changed for rel in inputs)


def _render_docx(werkmap: Werkmap, todo: list[LetterResult], formats, jobs: int, notify: Progress) -> None:
    """Render every DOCX (in a process pool for large batches); into build/ or, for PDF only, a temp dir."""
    for result in todo:
        target = werkmap.output(result.path, "docx")
        result.docx_target = target if "docx" in formats else _scratch(werkmap, result)
    work = [(r.document, r.docx_target) for r in todo]
    if jobs > 1 and len(work) >= POOL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            errors = list(pool.map(_write_docx, work, chunksize=max(1, len(work) // (jobs * 4))))
    else:
        errors = [_write_docx(item) for item in work]
    for result, error in zip(todo, errors):
        if error:
            result.problems.append(Problem(result.shown, message=error))
            result.document = None
            notify("fout", result.shown)
        elif "docx" in formats:
            result.built.append("docx")
            notify("docx", result.shown)


def _write_docx(item: tuple[Document, Path]) -> str | None:
    document, target = item
    try:
        DocxBuilder().write(document, target)
    except RenderError as exc:
        return str(exc)
    except OSError as exc:
        return f"kan {target.name} niet schrijven: {exc.strerror or exc}"
    return None


def _scratch(werkmap: Werkmap, result: LetterResult) -> Path:
    folder = werkmap.build / ".briefgen-tmp"
    rel = result.path.resolve().relative_to(werkmap.content.resolve()).with_suffix(".docx")
    return folder / rel


def variant(fmt: str, attachments: bool) -> str:
    """The manifest's name for an output kind: a PDF with appended bijlagen is another output."""
    return f"{fmt}+bijlagen" if fmt == "pdf" and attachments else fmt


def _appendable(result: LetterResult) -> tuple[tuple[str, Path], ...]:
    """The letter's bijlagen that can be appended (PDFs), with a warning for the others."""
    keep = []
    for title, path in result.document.attachment_files:
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


def _convert_pdf(werkmap: Werkmap, settings: Settings, todo: list[LetterResult], notify: Progress, attachments: bool = False) -> str | None:
    ready = [r for r in todo if r.document is not None]
    soffice = find_soffice(settings.soffice)
    if soffice is None:
        return f"LibreOffice (soffice) niet gevonden; de DOCX-bestanden zijn wel gemaakt. {INSTALL_HINT}"
    if not ready:
        return None
    jobs = {
        r.shown: PdfJob(
            docx=r.docx_target,
            pdf=werkmap.output(r.path, "pdf"),
            title=r.document.title,
            author=r.document.author,
            date=r.document.date,
            name=r.shown,
            attachments=_appendable(r) if attachments else (),
        )
        for r in ready
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
