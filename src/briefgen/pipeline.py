"""Wires the stages: read → validate → resolve → plan → render DOCX → convert PDF → record.

One bad letter never stops the batch: its problems are collected and the others are built.
Nothing here prints; the CLI reports what the returned :class:`~briefgen.results.BuildReport` says.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from briefgen import crossing, currency
from briefgen.buildlock import build_lock
from briefgen.fileio import (
    LinkInPlace,
    OutsideFolder,
    confined,
    describe,
    move_into,
    remove,
    remove_tree,
    write_atomic,
    write_transient,
)
from briefgen.gitchanges import changed_since
from briefgen.manifest import Manifest
from briefgen.problems import BriefgenError, PdfEngineMissing, Problem, Severity
from briefgen.results import BuildReport, LetterOutcome, Rendered
from briefgen.settings import Settings
from briefgen.werkmap import WOO_SUFFIX, Werkmap
from briefgen.workers import POOL_THRESHOLD, ordered

if TYPE_CHECKING:
    from briefgen.builders.base import Builder, Output
    from briefgen.builders.html import HtmlBuilder
    from briefgen.builders.pdf import Feed, PdfBuilder, PdfFailure, PdfJob
    from briefgen.document import Document
    from briefgen.session import Session

# Reading, rendering and converting import their libraries (pydantic models, docxtpl, pikepdf)
# when there is work for them: a build where everything is up to date stays fast.

FORMATS = ("docx", "html", "pdf")  # the Woo metadata (woo.py) goes with every PDF

# (event, letter): "totaal" (the count), "actueel", "fout", "docx", "html", "pdf" (in letter order once the
# letter is done), and "geleverd" as a PDF worker delivers a letter (from its thread, in no fixed order).
Progress = Callable[[str, str], None]


class PdfConverter(Protocol):
    """What makes PDFs from rendered DOCX files: builders/pdf.PdfBuilder, or builders/resident's."""

    def convert(self, jobs: list[PdfJob]) -> list[PdfFailure]: ...


def build(
    werkmap: Werkmap,
    settings: Settings,
    selection: list[Path] | None = None,
    formats: tuple[str, ...] = FORMATS,
    force: bool = False,
    progress: Progress | None = None,
    since: str | None = None,
    attachments: bool = False,
    converter: PdfConverter | None = None,
) -> BuildReport:
    """Build what is stale (or everything with ``force``); ``since`` narrows to letters whose inputs git saw change.

    A letter's outputs are delivered together or not at all: with PDF, its DOCX waits in a scratch
    folder until its PDF is made, so a letter reported as not built has no new output on disk.
    ``converter`` makes the PDFs instead of a batch :class:`PdfBuilder` (``briefgen watch`` keeps one running).
    """
    notify = progress or (lambda event, name: None)
    changed = changed_since(werkmap.root, since) if since is not None else None
    with build_lock(werkmap):
        folder = BuildFolder(werkmap)
        folder.clean_leftovers()
        session = _LazySession(werkmap, settings)
        manifest = Manifest.load(werkmap.manifest, trusted=not force)
        outcomes: list[LetterOutcome] = []
        everything = werkmap.letters()
        letters = everything if selection is None else werkmap.letters(selection)
        if changed is not None:
            letters = [p for p in letters if _touched(session, manifest, p, changed)]
        notify("totaal", str(len(letters)))
        # What check finds across letters: a duplicate nummer is an error on each letter involved, also
        # on one whose own inputs did not change (read again, so that it is reported and not delivered).
        crossed = crossing.duplicates(werkmap, [(p, werkmap.shown(p)) for p in letters], everything)
        stale: list[Path] = []
        made_before: dict[str, list[str]] = {}  # stale letters whose organisation changed: maybe current still
        for path in letters:
            shown = werkmap.shown(path)
            crossed[shown] = [*crossed[shown], *_blocked_outputs(werkmap, shown, werkmap.output_stem(path), formats)]
            if force or any(p.is_error for p in crossed[shown]) or currency.late(werkmap, manifest, path, formats, attachments):
                stale.append(path)
                made = None if force else currency.maybe_unchanged(werkmap, manifest, path, formats, attachments)
                if made is not None:
                    made_before[shown] = made
            else:
                outcomes.append(LetterOutcome(path, shown, current=True))
                notify("actueel", shown)
        rendered: list[Rendered] = []
        unchanged: list[Rendered] = []  # rendered again as before: their outputs stand (made_before)
        stand: dict[str, list[str]] = {}  # of those, the formats that stand (currency.standing)

        def still(r: Rendered) -> bool:
            """Whether ``r`` renders as its outputs did (made_before): then it is current, and its formats stand."""
            made = made_before.get(r.shown)
            kept = None if made is None or r.facts is None else currency.standing(manifest, r.shown, made, dict(r.renders))
            if kept is None:
                return False
            stand[r.shown] = kept
            unchanged.append(r)
            notify("actueel", r.shown)
            return True

        pdf_unavailable = None
        recorder = _Recorder(werkmap, manifest, attachments)
        try:
            if "pdf" in formats:
                # Conversion starts while later letters are still being read and rendered.
                try:
                    with _rendering(werkmap, settings, stale, formats, notify, attachments, crossed) as renders, \
                            _PdfStage(werkmap, settings, formats, notify, converter, len(stale), recorder.delivered,
                                      len(made_before)) as stage:
                        for r in renders:
                            if still(r):
                                stage.skip()
                                continue
                            rendered.append(r)
                            stage.add(r)
                    pdf_unavailable, delivered = stage.deliver()
                finally:  # also after Ctrl-C or kill: the DOCX waiting for their PDF are not output
                    folder.remove_tree(werkmap.build / SCRATCH)
            else:
                delivered = {}
                with _rendering(werkmap, settings, stale, formats, notify, attachments, crossed) as renders:
                    for r in renders:
                        if still(r):  # written onto its outputs as they were
                            continue
                        rendered.append(r)
                        if r.facts is not None:
                            built = [f for f in ("docx", "html") if f in formats]
                            for fmt in built:
                                notify(fmt, r.shown)
                            delivered[r.shown] = r.outcome(built=built)
                            recorder.delivered(r, built)
        except BaseException:
            recorder.interrupted()  # Ctrl-C, kill: what was delivered is current for the next build
            raise
        # Every worker read the organisation files; their problems are reported once, and with letters
        # named on the command line only those of the files these letters use (as `check PAD` does).
        other_problems = sorted({p for r in (*rendered, *unchanged) for p in r.shared_problems})
        if selection is not None:
            used = {i for r in (*rendered, *unchanged) for i in r.inputs} | {p.cause for r in rendered for p in r.problems if p.cause}
            other_problems = [p for p in other_problems if p.path in used]
        for r in rendered:
            outcome = delivered.get(r.shown) or r.outcome()
            if outcome.built:
                manifest.record(werkmap.root, r.shown, list(r.inputs), list(outcome.built), attachments, dict(r.renders))
            outcomes.append(outcome)
        for r in unchanged:  # current: the outputs made from the organisation as it was are what it makes now
            manifest.record(werkmap.root, r.shown, list(r.inputs), stand[r.shown], attachments, dict(r.renders))
            outcomes.append(LetterOutcome(r.path, r.shown, r.problems, current=True))
        # A letter deleted while it was built is not built: its outputs go, as those of any deleted letter.
        built_now = {o.shown for o in outcomes if o.built}
        removed, gone = _remove_deleted(werkmap, manifest, folder, None if selection is None else built_now, built_now)
        outcomes = [o for o in outcomes if o.shown not in gone]
        shown = werkmap.shown(werkmap.manifest)
        other_problems += [Problem(shown, message=text, severity=Severity.WARNING) for text in manifest.ignored]
        try:
            manifest.save()
        except OutsideFolder:
            folder.refused(werkmap.manifest)
        except OSError as exc:  # a problem beside the letters' own, not instead of them (often the same full disk)
            other_problems.append(Problem(shown, message=(
                f"kan het manifest niet bijwerken: {describe(exc)}; "
                "wat gebouwd is, is compleet, de volgende build maakt het opnieuw")))
        other_problems += folder.warnings
        return BuildReport(tuple(outcomes), tuple(other_problems), tuple(removed), pdf_unavailable)


SCRATCH = ".briefgen-tmp"  # DOCX waiting for their PDF, below build/
LO_WORKDIR = ".briefgen-lo"  # LibreOffice's profiles and conversion batches, below build/


def batch_builder(soffice: str, settings: Settings, workdir: Path) -> PdfBuilder:
    """The PdfBuilder of a build: ``settings.jobs`` workers, each with a LibreOffice of its own for this build (else
    ``--convert-to``); their profiles kept in ``workdir`` between builds (a fresh profile costs seconds)."""
    from briefgen.builders.pdf import PdfBuilder
    from briefgen.builders.resident import for_build

    return PdfBuilder(soffice, jobs=settings.jobs, timeout=settings.pdf_timeout, workdir=workdir,
                      resident=for_build(soffice, settings.pdf_timeout, workdir))


class BuildFolder:
    """Deletes in build/ for the pipeline, each through :func:`fileio.confined`.

    What would land outside build/ (a hostile manifest, a symlink under build/) is left alone and
    becomes a warning.
    """

    def __init__(self, werkmap: Werkmap):
        self.werkmap = werkmap
        self.warnings: list[Problem] = []

    def refused(self, path: Path) -> None:
        self.warnings.append(Problem(
            self.werkmap.shown(path),
            message="ligt buiten build/ (via een symbolische koppeling of een vreemd manifest); briefgen laat het met rust",
            severity=Severity.WARNING,
        ))

    def remove(self, path: Path) -> bool:
        try:
            return remove(self.werkmap.build, path)
        except OutsideFolder:
            self.refused(path)
        except OSError:
            pass  # gone already, or not ours to remove: the build does not depend on it
        return False

    def remove_empty_folders(self, path: Path) -> None:
        """The folders that held ``path``, from its own upwards, as long as they are empty: inside build/,
        never build/ itself, and no folder reached through a symbolic link."""
        build = self.werkmap.build
        folder = path.parent
        while folder != build and build in folder.parents:
            try:
                target = confined(build, folder)
                if target != build.resolve() / folder.relative_to(build):
                    return  # a symbolic link on the way: what it leads to is not this folder
                os.rmdir(target)
            except OutsideFolder:
                self.refused(folder)
                return
            except OSError:
                return  # not empty (or not ours to remove): neither are the folders above it
            folder = folder.parent

    def remove_tree(self, path: Path) -> None:
        if not os.path.lexists(path):
            return
        try:
            remove_tree(self.werkmap.build, path)
        except OutsideFolder:
            self.refused(path)

    def clean_leftovers(self) -> None:
        """What a killed build may have left: half-written temporary files and conversion batches."""
        build = self.werkmap.build
        self.remove_tree(build / SCRATCH)
        for batch in (build / LO_WORKDIR).glob("batch-*"):
            self.remove_tree(batch)
        for folder, subfolders, files in os.walk(build):
            subfolders[:] = [d for d in subfolders if d != LO_WORKDIR]  # LibreOffice's own profiles
            for name in files:
                if name.startswith(".") and name.endswith(".tmp"):
                    self.remove(Path(folder, name))


def _blocked_outputs(werkmap: Werkmap, shown: str, stem: str, formats: tuple[str, ...]) -> list[Problem]:
    """An output of the letter whose place is taken by a folder (``build/a/b.pdf/``): the letter is not built,
    so none of its outputs is replaced while another cannot be written (checked before anything is made)."""
    suffixes = [*formats, WOO_SUFFIX] if "pdf" in formats else list(formats)
    return [Problem(shown, message=f"{werkmap.shown(Path(output))} is een map, geen bestand: de brief wordt niet gebouwd "
                                   "en zijn andere uitvoer blijft zoals die was; haal die map weg of verplaats hem")
            for output in (f"{stem}.{suffix}" for suffix in suffixes) if os.path.isdir(output)]


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


# With PDFs, LibreOffice spends several times longer on a letter than reading and rendering it: one
# render process for this many PDF workers keeps them fed and leaves the cores and memory to LibreOffice.
PDF_WORKERS_PER_RENDERER = 4


@contextmanager
def _rendering(
    werkmap: Werkmap, settings: Settings, paths: list[Path], formats: tuple[str, ...], notify: Progress,
    attachments: bool = False, crossed: dict[str, list[Problem]] | None = None,
) -> Iterator[Iterator[Rendered]]:
    """Read, check and render every stale letter, in worker processes for large batches; each as it is done.

    Only a DOCX-only build renders onto the output itself; with PDF the DOCX goes to the scratch
    folder and is delivered once its PDF is made. ``crossed``: each letter's problems found across letters
    (crossing.py), which it gets with its own. Worker processes are forked as the block opens,
    before the PDF stage starts its threads (workers.ordered); without them, the read-and-render
    libraries are imported at the first letter, after LibreOffice was started.
    """
    if not paths:
        yield iter(())
        return
    staged = "pdf" in formats
    tasks = [
        (
            path,
            _scratch(werkmap, path, "docx") if staged else werkmap.output(path, "docx") if "docx" in formats else None,
            (_scratch(werkmap, path, "html") if staged else werkmap.output(path, "html")) if "html" in formats else None,
            tuple((crossed or {}).get(werkmap.shown(path), ())),
        )
        for path in paths
    ]
    # A DOCX staged only for LibreOffice (no DOCX asked for) is removed after its PDF: no fsync for it.
    options = (werkmap, settings, staged and attachments, staged and "docx" not in formats, staged, "html" in formats)
    renderers = max(1, settings.jobs // PDF_WORKERS_PER_RENDERER) if staged else settings.jobs
    if renderers > 1 and len(tasks) >= POOL_THRESHOLD:
        _import_renderers(formats)  # before the fork: the workers share one import
    # Preparing (Session.prepare, ~0.15 s) runs in this process before the fork: in a PDF build it would
    # hold back LibreOffice's start (_PdfStage), which matters more than the render processes' head start.
    # salvage: a render process killed on its own, the letters the others wrote meanwhile are recorded all the same
    with ordered(_Worker, options, tasks, renderers, prepare=None if staged else _Worker.prepare, salvage=True) as results:
        yield _reported(results, formats, notify)


RENDERERS = ("briefgen.builders.docx", "briefgen.session")
HTML_RENDERER = "briefgen.builders.html"  # only when HTML is asked for: a PDF build's first letter does not wait for it


def _import_renderers(formats: tuple[str, ...] = FORMATS) -> None:
    """Import what reads and renders letters of ``formats``, before any worker is forked (they then share one import).

    The first time in a process without the cyclic garbage collector, and its objects frozen afterwards:
    the imports make few cycles, yet the collector would walk their hundreds of thousands of objects
    again and again, during the imports and in every collection while letters are rendered (about a
    tenth of the CPU of a DOCX-only build of 100 letters, bench/PROFILE.md). Only once: a later freeze
    (a round of ``watch``) would also keep whatever garbage was waiting for the collector, for good.
    """
    names = (*RENDERERS, HTML_RENDERER) if "html" in formats else RENDERERS
    if all(name in sys.modules for name in names):
        return
    first = not all(name in sys.modules for name in RENDERERS)
    enabled = gc.isenabled()
    gc.disable()
    try:
        for name in names:
            importlib.import_module(name)
    finally:
        if enabled:
            gc.enable()
    if first:
        gc.freeze()


def _reported(results: Iterable[Rendered], formats: tuple[str, ...], notify: Progress) -> Iterator[Rendered]:
    """The read-and-render stage's letters, those that failed reported as they come (what was delivered, by build)."""
    _import_renderers(formats)
    for result in results:
        if result.facts is None:
            notify("fout", result.shown)
        yield result


class _Worker:
    """Reads and renders letters; one per process, so organisations and templates are read once."""

    def __init__(self, werkmap: Werkmap, settings: Settings, attachments: bool = False, transient: bool = False,
                 pdf: bool = False, html: bool = True):
        from briefgen.builders.docx import DocxBuilder
        from briefgen.session import Session

        self.session = Session(werkmap, settings)
        self.builder = DocxBuilder()
        self.html: HtmlBuilder | None = None
        if html:
            from briefgen.builders.html import HtmlBuilder

            self.html = HtmlBuilder()
        self.attachments = attachments
        self.transient = transient  # the DOCX is written for LibreOffice only (fileio.write_transient)
        self.pdf = pdf  # the DOCX is converted to PDF: the house style's warnings about the PDF are shared

    def prepare(self) -> None:
        """What every render process would do first, done once before they are forked (workers.ordered): the
        organisations read and the templates they name checked (Session.prepare, ~0.1 s a process)."""
        self.session.prepare()

    def __call__(self, task: tuple[Path, Path | None, Path | None, tuple[Problem, ...]]) -> Rendered:
        """Only the small :class:`Rendered` leaves the worker: a large batch's memory stays small."""
        from briefgen.renderhash import render_hashes

        path, target, html_target, crossed = task
        read = self.session.read(path)
        problems = [*(p.for_build() for p in read.problems if not p.check_only), *crossed]
        shared = tuple(p for p in (*self.session.organisation_problems, *self.session.used_style_problems(read.letter))
                       if not p.check_only) + tuple(p for p in read.problems if self.pdf and p.about_pdf)
        document = read.document
        if document is None:
            return Rendered(path, read.shown, tuple(problems), shared_problems=shared)
        # The letter's fate is decided before anything is written: its bijlagen are checked first.
        appended = currency.appendable(read.shown, document.attachment_files, problems) if self.attachments else ()
        error = None
        if not any(p.is_error for p in problems):
            written: dict[str, Output] = {}
            builders: list[tuple[Builder, Path | None]] = [(self.builder, target)]
            if self.html is not None:
                builders.append((self.html, html_target))
            for builder, destination in builders:
                done = self._write(builder, document, destination) if destination else None
                if isinstance(done, str):
                    error = done
                    break
                if done is not None:
                    written[builder.name] = done
            if error is None:
                facts = currency.facts(self.session, document, appended)
                renders = tuple(render_hashes(written.get("docx"), written.get("html"), facts).items())
                return Rendered(path, read.shown, tuple(problems), target, html_target,
                                tuple(self.session.inputs(document)), facts, shared, renders)
            problems.append(Problem(read.shown, message=error))
        return Rendered(path, read.shown, tuple(problems), shared_problems=shared)

    def _write(self, builder: Builder, document: Document, target: Path) -> Output | str:
        """What was written, or why it could not be (in Dutch)."""
        from briefgen.builders.base import BuildError

        try:
            place = confined(self.session.werkmap.build, target)
            if self.transient and builder is self.builder:
                output = builder.output(document)
                write_transient(target, output.data)  # as named: a link in its place was resolved in ``place``
                return output
            return builder.write(document, place)
        except BuildError as exc:
            return str(exc)
        except LinkInPlace as exc:  # in the scratch folder too: say where, the name alone is also that of the output
            return f"kan {self.session.werkmap.shown(target)} niet schrijven: {exc}"
        except OutsideFolder as exc:
            return f"kan {target.name} niet schrijven: {exc}"
        except OSError as exc:
            return f"kan {target.name} niet schrijven: {describe(exc)}"
        except Exception as exc:  # noqa: BLE001 - one letter's unforeseen failure must not stop the batch
            return (f"{builder.name.upper()} niet gemaakt door een interne fout ({type(exc).__name__}: {exc}); "
                    "meld dit bij de beheerders van briefgen")


def _scratch(werkmap: Werkmap, path: Path, fmt: str) -> Path:
    return werkmap.build / SCRATCH / f"{werkmap.letter_id(path)}.{fmt}"


class _PdfStage:
    """Hands each rendered letter to the PDF converter as it comes; then delivers what each letter got.

    A letter whose PDF is made gets its staged DOCX and HTML (of ``formats``) delivered too. LibreOffice
    starts as the stage opens, while the first letters are read; what keeps it from starting is reported
    with the first rendered letter, so a batch in which none renders reports nothing about it.
    """

    def __init__(self, werkmap: Werkmap, settings: Settings, formats: tuple[str, ...], notify: Progress,
                 converter: PdfConverter | None, expected: int,
                 record: Callable[[Rendered, tuple[str, ...]], None] | None = None, maybe_current: int = 0):
        self.werkmap, self.settings, self.formats, self.notify = werkmap, settings, formats, notify
        self.record = record  # told of each letter a PDF worker delivered, from its thread
        self.converter = converter
        self.expected = expected  # letters that may still come
        self.maybe_current = maybe_current  # of them, those that may need no PDF: no early start for them alone
        self.unavailable: BriefgenError | None = None  # why no PDF could be made at all (the CLI words it)
        self.outcomes: dict[str, LetterOutcome] = {}  # by shown path, for each letter that got this far
        self.jobs: dict[str, PdfJob] = {}
        self.targets: dict[str, dict[str, Path]] = {}
        self.rendered: list[Rendered] = []
        self._results: dict[str, Rendered] = {}  # by shown path
        self._completed: dict[str, LetterOutcome] = {}  # by shown path: written by the PDF workers (_delivered)
        self.failures: list[PdfFailure] = []
        self._started = False
        self._feed: Feed | None = None
        self._collected: list[PdfJob] = []  # for a converter that takes a whole list (briefgen watch's)
        self._importing: threading.Thread | None = None

    def __enter__(self) -> _PdfStage:
        if self.converter is None and self.expected > self.maybe_current:
            self._start(early=True)  # LibreOffice starts while the first letters are being read
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        try:
            self._join_import()
            if self._feed is not None:
                if not self.jobs:
                    self._feed.builder.aborted.set()  # no letter came: the LibreOffice started early goes at once
                self._feed.__exit__(kind, exc, tb)
                self.failures = self._feed.failures
            elif self._collected and kind is None and self.converter is not None:
                self.failures = self.converter.convert(self._collected)
        except (OSError, OutsideFolder, PdfEngineMissing) as error:
            if kind is None:
                self.unavailable = self._why(error)

    def _join_import(self) -> None:
        """The stage never ends with the import still running: a process forked afterwards (the render pool of
        the next round of briefgen watch) would inherit its held import lock."""
        if self._importing is not None:
            self._importing.join()

    def skip(self) -> None:
        """One letter less to come: it failed, or it needs no PDF."""
        self.expected -= 1
        if self._feed is not None:
            self._feed.skip()

    def add(self, r: Rendered) -> None:
        if r.facts is None or r.docx is None:
            self.skip()
            return
        self.rendered.append(r)
        self._results[r.shown] = r
        if not self._started:
            self._start()
        if self.unavailable is not None:
            return
        from briefgen.builders.pdf import PdfJob

        build = self.werkmap.build
        try:
            pdf = confined(build, self.werkmap.output(r.path, "pdf"))
            self.targets[r.shown] = {fmt: confined(build, self.werkmap.output(r.path, fmt))
                                     for fmt in ("docx", "html") if fmt in self.formats}
        except OutsideFolder as exc:
            self.outcomes[r.shown] = r.outcome(problems=[Problem(r.shown, message=f"PDF niet gemaakt: {exc}")])
            self.notify("fout", r.shown)
            if self._feed is not None:
                self._feed.skip()
            return
        job = self.jobs[r.shown] = PdfJob(
            docx=r.docx, pdf=pdf, title=r.facts.title, author=r.facts.author, date=r.facts.date,
            name=r.shown, attachments=r.facts.attachments,
        )
        if self._feed is not None:
            self._feed.put(job)
            if self._importing is None and len(self.jobs) >= min(self.settings.jobs, self.expected):
                self._importing = threading.Thread(target=_import_delivery, name="briefgen-pdf-import")
                self._importing.start()
        else:
            self._collected.append(job)

    def _start(self, early: bool = False) -> None:
        """Look for LibreOffice and start the workers; ``early`` (before any letter is rendered): a failure
        is not reported yet, but found again with the first rendered letter, so that a batch in which
        no letter renders reports none."""
        from briefgen.builders.pdf import locate_soffice

        self._started = True
        try:
            soffice = locate_soffice(self.settings.soffice)
            build = self.werkmap.build
            workdir = confined(build, build / LO_WORKDIR)
            for kept in workdir.iterdir() if workdir.is_dir() else ():
                confined(build, kept)  # LibreOffice writes into its profiles: none may lead outside build/
            if self.converter is not None:
                return
            feed = batch_builder(soffice, self.settings, workdir).stream(self.expected, self._delivered)
            self._feed = feed.__enter__()
        except (OSError, OutsideFolder, PdfEngineMissing) as error:
            if early:
                self._started = False
            else:
                self.unavailable = self._why(error)

    def _why(self, error: BaseException) -> BriefgenError:
        if isinstance(error, PdfEngineMissing):
            return error
        if isinstance(error, OutsideFolder):
            return BriefgenError(f"PDF's niet gemaakt: {self.werkmap.shown(error.path)} wijst naar een plek buiten build/; "
                                 "verwijder die koppeling; er is niets gebouwd")
        assert isinstance(error, OSError)
        return BriefgenError(f"PDF's niet gemaakt: {self.werkmap.shown(self.werkmap.build / LO_WORKDIR)}: "
                             f"{describe(error)}; er is niets gebouwd")

    def deliver(self) -> tuple[BriefgenError | None, dict[str, LetterOutcome]]:
        """Why no more PDFs could be made, or None; and the outcome of each letter that got this far.

        When LibreOffice could not go on (it would not start again mid-build), the letters whose PDF
        was delivered before are built all the same; the others are not.
        """
        failed = {f.job.name: f.reason for f in self.failures}
        for result in self.rendered:
            if result.shown not in self.jobs or (self.unavailable is not None and result.shown not in self._completed):
                continue
            if result.shown in failed:
                self._failed(result, f"PDF niet gemaakt: {failed[result.shown]}")
                continue
            outcome = self._completed.pop(result.shown, None) or self._complete(result)
            self.outcomes[result.shown] = outcome
            if not outcome.built:
                self.notify("fout", result.shown)
                continue
            for fmt in self.targets[result.shown]:
                self.notify(fmt, result.shown)
            self.notify("pdf", result.shown)
        return self.unavailable, self.outcomes

    def _delivered(self, job: PdfJob) -> None:
        """A PDF worker wrote this letter's PDF: its DOCX, HTML and Woo metadata follow at once, beside LibreOffice."""
        result = self._results[job.name]
        try:
            self._completed[job.name] = done = self._complete(result)
            if done.built:
                if self.record is not None:
                    self.record(result, done.built)
                self.notify("geleverd", result.shown)  # for a progress bar; reported in order after the stage
        except Exception as exc:  # noqa: BLE001 - one letter's unforeseen failure must not stop the PDF worker
            self._completed[job.name] = result.outcome(problems=[Problem(
                result.shown, message=f"niet afgemaakt door een interne fout ({type(exc).__name__}: {exc}); "
                                      "meld dit bij de beheerders van briefgen")])

    def _complete(self, result: Rendered) -> LetterOutcome:
        """Move a letter's staged DOCX and HTML (of ``formats``) into build/ and write its Woo metadata,
        once its PDF is made; prints nothing, so that a PDF worker thread may call it."""
        build = self.werkmap.build
        staged = {"docx": result.docx, "html": result.html}
        try:
            for fmt, target in self.targets[result.shown].items():
                source = staged[fmt]
                assert source is not None  # rendered to the scratch folder for each of formats
                move_into(build, source, target)
        except (OSError, OutsideFolder) as exc:
            reason = describe(exc) if isinstance(exc, OSError) else str(exc)
            return result.outcome(problems=[Problem(result.shown, message=f"kan {target.name} niet schrijven: {reason}")])
        built = list(self.targets[result.shown])
        for fmt, source in staged.items():
            if source is not None and fmt not in built:  # staged for LibreOffice only: not left for the end
                with suppress(OSError, OutsideFolder):
                    remove(build, source)
        failure = _write_woo(build, result, self.jobs[result.shown].pdf)
        if failure is not None:
            # the next build makes the PDF and its metadata again
            return result.outcome(built, [failure])
        return result.outcome([*built, "pdf", *(["woo"] if result.facts and result.facts.woo else [])])

    def _failed(self, result: Rendered, message: str) -> None:
        self.outcomes[result.shown] = result.outcome(problems=[Problem(result.shown, message=message)])
        self.notify("fout", result.shown)


def _import_delivery() -> None:
    """Import the PDF delivery (pikepdf and the repairs, ~50 ms of CPU) while LibreOffice converts the first letters.

    Started once every LibreOffice of the build has a letter: imported sooner, it would take the CPU from the first
    letters' reading and rendering, for which LibreOffice waits; imported by the first delivery, that letter's PDF (with
    one letter, the build) would wait for it. An import that fails is left to the delivery, which reports it for the
    letter."""
    with suppress(Exception):  # noqa: BLE001 - whatever breaks the import, the delivery meets it again and says it
        importlib.import_module("briefgen.builders.pdfdelivery")


def _write_woo(build: Path, result: Rendered, pdf: Path) -> Problem | None:
    """The Woo metadata next to a PDF just made; a letter whose organisation has no TOOI code gets none."""
    from briefgen import woo

    target = woo.path_for(pdf)
    assert result.facts is not None  # only a rendered letter gets a PDF
    try:
        if result.facts.woo is None:
            remove(build, target)  # made for an earlier PDF, it would describe another file
            return None
        write_atomic(target, woo.render(result.facts.woo, pdf), inside=build)
    except (OSError, OutsideFolder) as exc:
        reason = describe(exc) if isinstance(exc, OSError) else str(exc)
        return Problem(result.shown, message=f"Woo-metadata: kan {target.name} niet schrijven of verwijderen: {reason}")
    return None


def _remove_deleted(werkmap: Werkmap, manifest: Manifest, folder: BuildFolder, letters: set[str] | None = None,
                    built_now: Collection[str] = ()) -> tuple[list[str], set[str]]:
    """Outputs of letters whose content file is gone are removed, and said so (only inside build/), with the
    folders that this leaves empty; and the letters that are gone.

    ``letters``: only these (None: every letter of the manifest). A letter of ``built_now`` is looked up
    again, not taken from its hash of this build: it may have been deleted after it was read.
    """
    removed = []
    gone = set()
    for shown in list(manifest.letters) if letters is None else sorted(letters):
        if (manifest.was_file(shown) and shown not in built_now) or (werkmap.root / shown).is_file():
            continue
        gone.add(shown)
        stem = werkmap.build / Path(shown).relative_to("content")
        for suffix in (*FORMATS, WOO_SUFFIX):
            output = stem.with_suffix(f".{suffix}")
            if folder.remove(output):
                removed.append(werkmap.shown(output))
        folder.remove_empty_folders(stem)  # a letter moved elsewhere leaves no empty folders behind
        manifest.forget(shown)
    return removed, gone


CHECKPOINT_SECONDS = 2.0  # a killed build loses at most this much of the record of what it delivered


class _Recorder:
    """Records each letter in the manifest as its outputs are delivered (also from a PDF worker's thread),
    and saves the manifest every :data:`CHECKPOINT_SECONDS`, so that an interrupted or killed build
    leaves what it delivered current for the next one."""

    def __init__(self, werkmap: Werkmap, manifest: Manifest, attachments: bool):
        self.werkmap, self.manifest, self.attachments = werkmap, manifest, attachments
        self._lock = threading.Lock()
        self._saved = time.monotonic()

    def delivered(self, r: Rendered, built: Iterable[str]) -> None:
        with self._lock:
            self.manifest.record(self.werkmap.root, r.shown, list(r.inputs), list(built), self.attachments, dict(r.renders))
            if time.monotonic() - self._saved >= CHECKPOINT_SECONDS:
                self._save()

    def interrupted(self) -> None:
        with self._lock:
            self._save()

    def _save(self) -> None:
        with suppress(OSError, OutsideFolder):  # the end of the build reports a manifest it cannot write
            self.manifest.save()
        self._saved = time.monotonic()
