"""DOCX -> PDF/A-2b + PDF/UA with LibreOffice; the only module that runs ``soffice --convert-to``.

Letters come in through a :class:`Feed` while later ones are still being rendered, and are split
over workers (threads). Given a way to keep LibreOffice running (``resident``: builders/resident.py,
where a Python with LibreOffice's ``uno`` exists), each worker starts one LibreOffice at once and
hands it the next letter as soon as it is rendered; the letter goes to whichever worker is free, so
the workers end together. A worker whose LibreOffice will not run that way, or a build without it,
converts the ``--convert-to`` way: each worker converts its share with one ``soffice --convert-to`` call per
batch of at most MAX_BATCH letters, started as soon as that batch is rendered, using its own
LibreOffice profile under ``workdir``; profiles are kept between calls and builds (a fresh
one costs start-up time), except one whose soffice had to be killed. The time-out counts
from the last PDF a call finished, so a large batch is not cut short while a hanging letter
still is. A batch that times out, crashes or leaves letters without output is retried
letter by letter, so one bad letter cannot sink the others; once a letter alone has timed out too,
LibreOffice is taken to be hanging and nothing more is tried, so a hung LibreOffice costs about three
time-outs per build (the version probe, a batch, one letter), not one per letter; only a letter LibreOffice
converted already and that waits for its second pass (below) is still converted, in a fresh LibreOffice, unless that
hangs too (then nothing more: one time-out more at most, :meth:`PdfBuilder._untried`). Every PDF is
post-processed with pikepdf (metadata, language, fixed dates, deterministic /ID), so the same DOCX
always gives the same bytes, and then written atomically onto its target. A letter in which LibreOffice left a
heading alone at the foot of a page (builders/pagelayout.py) is converted once more by its own worker, with a page
break before that heading: by the LibreOffice the worker keeps running, while it runs (no start: :func:`convert_again`,
also for builders/resident.py), else handed back to the feed (:func:`send_back`): in the worker's next
``--convert-to`` call, or the next take.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime
import errno
import itertools
import json
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from briefgen.builders import launch
from briefgen.builders import profile as lo_profile
from briefgen.builders.pdfjob import PdfFailure, PdfJob, Relayout
from briefgen.fileio import describe
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
# Letters per soffice call. soffice.bin grows from about 185 MB after one letter to 213 MB after
# 50 and 222 MB after 200, while a start costs only about 0.3 s of CPU with a prepared profile:
# 50 keeps two workers' LibreOffice under the memory budget at a few per cent more CPU, keeps one
# call well inside the time-out, and bounds what a crash takes down with it.
MAX_BATCH = 50
# Letters a kept-running LibreOffice converts before it is started afresh, for the memory it gathers.
RESIDENT_LETTERS = 200
POLL_SECONDS = 0.25
PROBE_BYTES = 1 << 20  # not_stored(): more than a letter's PDF
_MACOS_SOFFICE = "/Applications/LibreOffice.app/Contents/MacOS/soffice"
_NOT_STORED = "LibreOffice kon de PDF niet opslaan"
_NOISE = ("convert ", "Warning: failed to launch javaldx")


def find_soffice(explicit: str | None = None) -> str | None:
    """The LibreOffice executable: ``explicit``, else $BRIEFGEN_SOFFICE, else from PATH.

    An explicitly chosen program that is not usable gives None rather than a fallback,
    so the caller reports the choice the user made.
    """
    chosen = explicit or os.environ.get("BRIEFGEN_SOFFICE")
    if chosen:
        return shutil.which(chosen)
    return shutil.which("soffice") or shutil.which("libreoffice") or shutil.which(_MACOS_SOFFICE)


def locate_soffice(explicit: str | None = None) -> str:
    """:func:`find_soffice`, or PdfEngineMissing with the program and the setting that asked for it."""
    found = find_soffice(explicit)
    if found:
        return found
    if explicit:
        raise PdfEngineMissing(explicit, "soffice")
    chosen = os.environ.get("BRIEFGEN_SOFFICE")
    raise PdfEngineMissing(chosen, "BRIEFGEN_SOFFICE" if chosen else None)


class Resident(Protocol):
    """A LibreOffice kept running for one worker (builders/resident.py's ResidentConverter)."""

    @property
    def running(self) -> bool: ...

    def start(self) -> None: ...  # PdfEngineMissing when it will not run

    def warm(self) -> None: ...  # LibreOffice's first-use costs paid now, while no letter waits

    # (why not, why no more); PdfEngineMissing when LibreOffice will not (re)start for it
    def convert_one(self, docx: Path, raw: Path, name: str) -> tuple[str | None, str | None]: ...

    def close(self) -> None: ...


# (the worker's profile, the build's abort event) -> a Resident, or None when this machine cannot keep one
ResidentFactory = Callable[[Path, threading.Event], "Resident | None"]


class PdfBuilder:
    name = "pdf"

    def __init__(self, soffice: str, *, jobs: int = os.cpu_count() or 1, timeout: float = 120.0,
                 workdir: Path, resident: ResidentFactory | None = None):
        if shutil.which(soffice) is None:
            raise PdfEngineMissing(soffice)
        self.soffice = soffice
        self._splash = launch.direct(soffice)
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.workdir = Path(workdir).resolve()
        self._resident = resident
        self._version_lock = threading.Lock()
        self._version: str | None = None
        self._version_known = False
        self._given_up: str | None = None  # set once LibreOffice hung on a letter alone: why nothing more is tried
        self._hung_again = False  # a LibreOffice tried after that (for a second pass) hung or would not start too
        self.aborted = threading.Event()  # the build is interrupted: stop LibreOffice, convert nothing more

    def convert(self, jobs: list[PdfJob]) -> list[PdfFailure]:
        """Convert all; return the failures. Never raises for a single bad letter."""
        with self.stream(len(jobs)) as feed:
            for job in jobs:
                feed.put(job)
        return feed.failures

    def stream(self, expected: int, delivered: Callable[[PdfJob], None] | None = None) -> Feed:
        """A :class:`Feed` for ``expected`` letters: conversion starts while the rest are still being rendered.

        ``delivered`` is called (in a worker thread) with each job as soon as its PDF is written.
        """
        return Feed(self, expected, delivered)

    def _run_slot(self, slot: int, feed: Feed, epoch: datetime.datetime | None) -> list[PdfFailure]:
        """One worker: take a call's letters from the feed, convert them, deliver each PDF as soon as it is finished."""
        try:
            staging = Path(tempfile.mkdtemp(prefix=f"batch-{slot}-", dir=self.workdir))
            indir, outdir = staging / "in", staging / "out"
            indir.mkdir()
            outdir.mkdir()
            (staging / "tmp").mkdir()  # soffice's TMPDIR (_run_soffice)
        except OSError as exc:
            return [failure for call in iter(feed.take, None) for failure in _unstaged(call, exc)]
        failures: list[PdfFailure] = []
        try:
            delivery = _Delivery({}, outdir, epoch, feed.delivered)
            while (call := feed.take()) is not None:
                staged, unstaged = _stage(call, indir)
                failures += unstaged
                delivery.staged |= staged
                docs = list(staged)
                reasons = self._convert_batch(slot, docs, outdir, delivery) if docs else {}
                for docx in docs:
                    for failure in [PdfFailure(staged[docx], reasons[docx])] if docx in reasons else delivery.deliver(docx):
                        left = (send_back(failure, delivery.hand_back(docx, feed))
                                if isinstance(failure, Relayout) else failure)
                        failures.extend([left] if left else [])
            return failures
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _run_slot_resident(self, slot: int, feed: Feed, epoch: datetime.datetime | None) -> list[PdfFailure] | None:
        """One worker with a LibreOffice kept running: the next letter as soon as there is one.

        None when this machine cannot keep LibreOffice running (no ``uno``). When LibreOffice does not
        accept the bridge, at the start or when it is started afresh, the worker goes on the
        ``--convert-to`` way, which has its own time-outs and retries.
        """
        assert self._resident is not None  # only called when the build has a way to keep LibreOffice running
        profile = self.workdir / f"profile-{slot}"
        self._prepare(profile)
        converter = self._resident(profile, self.aborted)
        if converter is None:
            return None
        failures: list[PdfFailure] = []
        try:
            scratch = Path(tempfile.mkdtemp(prefix=f"batch-{slot}-", dir=self.workdir))
        except OSError as exc:
            converter.close()
            return [failure for call in iter(lambda: feed.take(single=True), None) for failure in _unstaged(call, exc)]
        def instead(exc: PdfEngineMissing) -> list[PdfFailure]:
            """LibreOffice will not (or no longer) run this way: the rest of this worker's letters with --convert-to."""
            if self.aborted.is_set():
                return failures
            log.info("LibreOffice blijft niet draaien (%s); verder met --convert-to", exc.reason or exc)
            return failures + self._run_slot(slot, feed, epoch)

        # A letter's delivery (pikepdf, its writes) runs beside the conversion of the next letter, so
        # that LibreOffice does not wait for it: at most one delivery per worker is pending.
        delivering = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix=f"pdf-aflevering-{slot}")
        pending: tuple[int, concurrent.futures.Future[PdfFailure | None]] | None = None  # (its index in the feed, ...)
        refused: PdfEngineMissing | None = None  # LibreOffice crashed on a letter's second pass and would not start again

        def settle() -> None:
            nonlocal pending, refused
            if pending is not None:
                (index, done), pending = pending, None
                failure = done.result()
                # Rare (one letter in 40): converted again and delivered here, in turn, while this LibreOffice runs.
                # Otherwise (it would not start, hung, crashed) no start here: the letter goes back to the feed, where
                # a take starts LibreOffice afresh, or its fallback. Also after LibreOffice hung on another letter:
                # this one it converted (PdfJob.second_pass). A hang on the letter itself ends this LibreOffice, not the
                # build: the next letter starts a fresh one.
                if isinstance(failure, Relayout):
                    def back(job: PdfJob) -> None:
                        feed.give_back((index, job))

                    if not converter.running:
                        failure = send_back(failure, back)
                    else:
                        try:
                            failure, _ = convert_again(
                                failure, converter, scratch / "relaid.pdf",
                                lambda raw, job: self._deliver_raw(raw, job, epoch, feed), hand_back=back)
                        except PdfEngineMissing as exc:  # crashed on it and will not start again: back, as when it would not start
                            refused, failure = exc, None
                if failure is not None:
                    failures.append(failure)

        try:
            try:
                converter.start()  # at once: the first letter is still being read
            except PdfEngineMissing as exc:
                return instead(exc)
            if feed.time_to_warm_up():
                converter.warm()  # while the first letter is rendered, LibreOffice would wait idle
            converted = 0
            while True:
                if (call := feed.take(single=True)) is None:
                    if pending is None:
                        return failures
                    settle()  # a letter it hands back is taken again just above
                    continue
                [(index, job)] = call
                if untried := self._untried(job):
                    failures.append(PdfFailure(job, untried))
                    continue
                if converted and converted % RESIDENT_LETTERS == 0:
                    converter.close()  # started afresh just below
                raw = scratch / f"{index:05d}.pdf"
                after_hang = self._given_up is not None  # only a letter's second pass is tried then
                try:
                    if refused:
                        raise refused
                    converter.start()  # (again, after its share of letters, a crash or a hang)
                    reason, given_up = converter.convert_one(job.docx, raw, job.name)  # raises as start() if crashed
                except PdfEngineMissing as exc:
                    # Hung at its start after the hang: not --convert-to as well (one more time-out), nothing more.
                    self._hung_again = self._hung_again or (after_hang and exc.hung)
                    feed.give_back(call[0])
                    settle()
                    return instead(exc)
                converted += 1
                if reason is not None:
                    failures.append(PdfFailure(job, reason))
                    self._hung_again = self._hung_again or bool(after_hang and given_up)
                    self._given_up = self._given_up or given_up  # before settle(): no letter after a hang
                settle()
                if reason is None:
                    pending = index, delivering.submit(self._deliver_raw, raw, job, epoch, feed)
        finally:
            try:
                delivering.shutdown(wait=True)  # a letter reported as built has its PDF on disk
                converter.close()
            finally:
                shutil.rmtree(scratch, ignore_errors=True)

    @staticmethod
    def _deliver_raw(raw: Path, job: PdfJob, epoch: datetime.datetime | None, feed: Feed) -> PdfFailure | None:
        """Deliver one kept LibreOffice's PDF and remove the raw file (the scratch folder need not grow with the batch)."""
        try:
            try:
                failure = _deliver(raw, job, epoch or _midnight(job.date))
            except Exception as exc:  # noqa: BLE001 - one letter's unforeseen failure must not end the build
                return PdfFailure(job, f"nabewerking van de PDF mislukt ({type(exc).__name__}: {exc}); "
                                       "meld dit bij de beheerders van briefgen")
            if failure is None and feed.delivered:
                feed.delivered(job)
            return failure
        finally:
            with contextlib.suppress(OSError):
                raw.unlink()

    def _convert_batch(self, slot: int, docs: list[Path], outdir: Path, delivery: _Delivery) -> dict[Path, str]:
        """One call for docs; each doc it left without PDF is retried alone. The reasons left."""
        failed = self._attempt(slot, docs, outdir, delivery)
        if len(docs) == 1:
            return failed
        reasons: dict[Path, str] = {}
        for docx, reason in failed.items():
            log.debug("%s opnieuw apart na: %s", docx.name, reason)
            reasons |= self._attempt(slot, [docx], outdir, delivery)
        return reasons

    def _attempt(self, slot: int, docs: list[Path], outdir: Path, delivery: _Delivery) -> dict[Path, str]:
        """One soffice call; a Dutch reason for every doc without a complete PDF after it.

        When a call for one letter alone times out, LibreOffice is taken to hang: this and every
        later attempt (of every worker) fails at once without starting it again, but for a letter's second pass
        (:meth:`_untried`).
        """
        untried = {docx: reason for docx in docs if (reason := self._untried(delivery.staged[docx]))}
        docs = [docx for docx in docs if docx not in untried]
        if not docs:
            return untried
        after_hang = self._given_up is not None  # only second passes in this call
        problem, detail, timed_out = self._run_soffice(slot, docs, outdir, lambda: delivery.finished_before_last(docs))
        if timed_out and after_hang:
            self._hung_again = True  # no letter alone tried after it: one time-out for all the second passes
        elif timed_out and len(docs) == 1:
            self._given_up = self._given_up or given_up_reason(delivery.staged[docs[0]].name, self.timeout)
        reasons = {docx: _missing(_output(outdir, docx), problem) for docx in docs if not _is_complete(_output(outdir, docx))}
        return untried | {docx: reason + ("" if reason.startswith(_NOT_STORED) else detail) for docx, reason in reasons.items()}

    def _untried(self, job: PdfJob) -> str | None:
        """Why ``job`` is not tried: LibreOffice hung on a letter alone. A letter's second pass (PdfJob.second_pass:
        LibreOffice converted it once, the hang was another's) is still tried, in a fresh LibreOffice, until one
        tried after the hang hangs too (at its start or on the letters): after that nothing more, so that a
        LibreOffice that hangs on everything costs one time-out more at most (a hard give-up)."""
        if self._given_up and (self._hung_again or not job.second_pass):
            return self._given_up
        return None

    def _run_soffice(self, slot: int, docs: list[Path], outdir: Path,
                     progressed: Callable[[], None]) -> tuple[str | None, str, bool]:
        """Run soffice with a time-out; (what went wrong or None, ": last message" or "", timed out).

        Whatever ends the wait (also an error while delivering, or Ctrl-C), soffice does not outlive it.
        """
        profile = self.workdir / f"profile-{slot}"
        self._prepare(profile)
        command = [self._splash or self.soffice, "--headless", "--norestore", "--nolockcheck",
                   launch.user_installation(profile),
                   "--convert-to", PDF_FILTER, "--outdir", str(outdir), *map(str, docs)]
        # TMPDIR below build/: a LibreOffice killed after a time-out leaves its lu*.tmp folder there, not in /tmp.
        temp = {"TMPDIR": str(outdir.with_name("tmp"))}
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       start_new_session=True,
                                       env=(launch.environment(self._splash) if self._splash else dict(os.environ)) | temp)
        except OSError as exc:
            raise PdfEngineMissing(self.soffice, reason=describe(exc)) from exc
        assert process.stdout is not None  # stdout=PIPE
        output = launch.Tail(process.stdout)  # its last messages only: a soffice may flood them
        try:
            code = _wait_while_progressing(process, outdir, self.timeout, progressed, self.aborted)
        finally:
            launch.kill_group(process)  # also what it left running when it exited by itself
            launch.remove_pipes(launch.profile_pipe(profile))  # a killed LibreOffice's socket in /tmp
            detail = _last_message(output.text())
        if code is None:
            shutil.rmtree(profile, ignore_errors=True)  # may be half-written; start afresh
            return hang_reason(self.timeout), detail, True
        if code < 0:
            return f"LibreOffice is gecrasht ({_signal_name(-code)})", detail, False
        if code != 0:
            return f"LibreOffice afgebroken met code {code}", detail, False
        return None, detail, False

    def _prepare(self, profile: Path) -> None:
        """Record LibreOffice's version in the profile, so that starting it skips its render tests."""
        if lo_profile.is_prepared(profile):
            return
        with self._version_lock:
            if not self._version_known:
                self._version = lo_profile.version(self.soffice, self.timeout, self.aborted)
                self._version_known = not self.aborted.is_set()  # an interrupted probe says nothing
        if self._version:
            try:
                lo_profile.prepare(profile, self._version)
            except OSError as exc:
                log.debug("profiel %s niet voorbereid: %s", profile, exc)


class Feed:
    """Letters handed to a :class:`PdfBuilder` one by one as they are rendered, converted while more come.

    The calls have the sizes a whole batch would get (each worker an even share, in calls of at most
    MAX_BATCH) and a worker starts its next call as soon as that many letters wait: overlapping rendering
    with conversion adds no LibreOffice start. A letter that will not come (:meth:`skip`) shortens the
    last call. Leaving the ``with`` block waits for every PDF; an exception inside it (Ctrl-C) stops
    LibreOffice instead.
    """

    def __init__(self, builder: PdfBuilder, expected: int, delivered: Callable[[PdfJob], None] | None = None):
        self.builder = builder
        self.delivered = delivered
        self.failures: list[PdfFailure] = []
        self._sizes = deque(_call_sizes(expected, builder.jobs))
        self._waiting: deque[tuple[int, PdfJob]] = deque()
        self._given: list[PdfJob] = []  # every letter put, in order
        self._closed = False
        self._singles = False  # a worker takes single letters (a kept LibreOffice)
        self._changed = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._errors: list[BaseException] = []
        self._ended = 0  # workers that have ended
        self._workers = 0  # workers started

    def __enter__(self) -> Feed:
        epoch = _source_date_epoch()
        self.builder.aborted.clear()
        try:
            self.builder.workdir.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # each letter is told why when its batch folder cannot be made
        self._workers = min(self.builder.jobs, len(self._sizes))
        for slot in range(self._workers):
            worker = threading.Thread(target=self._work, args=(slot, epoch), name=f"briefgen-pdf-{slot}", daemon=True)
            worker.start()
            self._threads.append(worker)
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is not None:
            self.builder.aborted.set()
        self.close()
        try:
            self._wait()
        except BaseException:
            self.builder.aborted.set()
            self._wait()
            raise
        if kind is None and self._errors:
            raise self._errors[0]
        # As the letters came; by name: a letter sent back with a page break (pagelayout.moved) is another PdfJob.
        order: dict[str, int] = {}
        for index, job in enumerate(self._given):
            order.setdefault(job.name, index)
        self.failures.sort(key=lambda failure: order.get(failure.job.name, len(order)))

    def put(self, job: PdfJob) -> None:
        with self._changed:
            self._waiting.append((len(self._given), job))
            self._given.append(job)
            self._changed.notify_all()

    def give_back(self, item: tuple[int, PdfJob]) -> None:
        """A letter taken that its worker cannot convert after all: first in line for the next take."""
        with self._changed:
            self._waiting.appendleft(item)
            self._changed.notify_all()

    def skip(self) -> None:
        """One of the expected letters will not come (it could not be rendered)."""
        with self._changed:
            if self._sizes:
                self._sizes[-1] -= 1
                if not self._sizes[-1]:
                    self._sizes.pop()
            self._changed.notify_all()

    def time_to_warm_up(self) -> bool:
        """Whether a worker's LibreOffice, just started, should convert a small document first: only as the only
        worker (a build of one letter), while no letter waits for it and more may come.

        The warm-up pays LibreOffice's first-use costs on a core that would otherwise wait for the first letter.
        Beside another worker's LibreOffice the cores are not idle: two warm-ups took the core the first letter
        was being rendered on, and a build of 100 letters gained nothing measurable (bench/PROFILE.md).
        """
        with self._changed:
            return (self._workers == 1 and not self._waiting and not self._closed
                    and not self.builder.aborted.is_set())

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def take(self, single: bool = False) -> list[tuple[int, PdfJob]] | None:
        """The letters of the next call, once they are all rendered (``single``: the next letter); None when no more."""
        with self._changed:
            while True:
                if self.builder.aborted.is_set():
                    return None
                if single and self._waiting:
                    self._singles = True
                    return [self._waiting.popleft()]
                size = self._sizes[0] if self._sizes else len(self._waiting)
                # Beside workers that take letter by letter, a share would never fill up: take what waits.
                if self._waiting and (len(self._waiting) >= size or self._closed or self._singles):
                    if self._sizes:
                        self._sizes.popleft()
                    return [self._waiting.popleft() for _ in range(min(size, len(self._waiting)))]
                if self._closed:
                    return None
                self._changed.wait()

    def _wait(self) -> None:
        """Until every worker has ended. Not Thread.join: a join that Ctrl-C interrupted returns at once the next time.

        In short waits: the kernel may hand Ctrl-C's signal to another thread, and Python runs its handler
        only once the main thread runs again, which a wait without end would postpone until LibreOffice is done.
        """
        with self._changed:
            while self._ended < len(self._threads):
                self._changed.wait(POLL_SECONDS)

    def _work(self, slot: int, epoch: datetime.datetime | None) -> None:
        failures: list[PdfFailure] = []
        try:
            kept = self.builder._run_slot_resident(slot, self, epoch) if self.builder._resident else None
            failures = kept if kept is not None else self.builder._run_slot(slot, self, epoch)
        except BaseException as exc:  # noqa: BLE001 - raised again in the thread that leaves the with block
            with self._changed:
                self._errors.append(exc)
        finally:
            with self._changed:
                self.failures += failures
                self._ended += 1
                self._changed.notify_all()


class _Aborted(Exception):
    """The build was interrupted: LibreOffice is stopped, no more letters are converted."""


def hang_reason(timeout: float, note: str = "") -> str:
    """Why a letter on which LibreOffice did nothing for ``timeout`` seconds has no PDF."""
    return f"LibreOffice reageerde niet binnen {timeout:g} s (afgebroken{note})"


def given_up_reason(name: str, timeout: float) -> str:
    """Why no later letter is tried once LibreOffice hung on the letter ``name`` alone."""
    return f"LibreOffice reageert niet; niet meer geprobeerd nadat LibreOffice ook met alleen {name} na {timeout:g} s niets deed"


def _call_sizes(count: int, jobs: int) -> list[int]:
    """How many letters each soffice call converts: the workers' even shares, each in calls of at most MAX_BATCH."""
    workers = min(max(1, jobs), count)
    bounds = [count * i // workers for i in range(workers + 1)] if workers else [0]
    calls = [[min(MAX_BATCH, end - at) for at in range(start, end, MAX_BATCH)]
             for start, end in zip(bounds, bounds[1:], strict=False)]
    return [size for round_ in itertools.zip_longest(*calls) for size in round_ if size]


def _wait_while_progressing(process: subprocess.Popen, outdir: Path, timeout: float,
                            progressed: Callable[[], None], aborted: threading.Event) -> int | None:
    """soffice's exit code, or None when it made no PDF for ``timeout`` seconds.

    The time-out counts from the last finished PDF, so a long batch may run as long as it keeps
    producing, while one letter that hangs is still caught after ``timeout``; time that briefgen itself
    was stopped does not count (launch.Deadline). ``progressed`` is called whenever a PDF was added.
    An interrupted build raises :class:`_Aborted`.
    """
    deadline = launch.Deadline(timeout, POLL_SECONDS)
    done = 0
    while True:
        try:
            return process.wait(timeout=max(deadline.step(), 0.01))
        except subprocess.TimeoutExpired:
            if aborted.is_set():
                raise _Aborted() from None
            finished = sum(1 for _ in outdir.glob("*.pdf"))
            if finished > done:
                done = finished
                deadline.restart()
                progressed()
            if deadline.passed():
                return None


def _source_date_epoch() -> datetime.datetime | None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    try:
        return datetime.datetime.fromtimestamp(int(value), datetime.UTC)
    except (ValueError, OverflowError, OSError):
        raise BriefgenError(
            f"SOURCE_DATE_EPOCH is geen geldig aantal seconden: {value!r}") from None


def _midnight(date: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(date, datetime.time(), datetime.UTC)


def _stage(share: list[tuple[int, PdfJob]],
           indir: Path) -> tuple[dict[Path, PdfJob], list[PdfFailure]]:
    """Link (or copy) each DOCX under a unique name: two folders may hold the same name."""
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


def _unstaged(share: list[tuple[int, PdfJob]], exc: OSError) -> list[PdfFailure]:
    return [PdfFailure(job, f"kan geen werkmap voor LibreOffice maken: {describe(exc)}") for _, job in share]


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


def not_stored(folder: Path) -> str | None:
    """``LibreOffice kon de PDF niet opslaan: <why>`` when ``folder`` cannot take a PDF ('de schijf is vol'), else None.

    Asked after LibreOffice failed to store one, whose own report of it is English and technical: a probe of
    PROBE_BYTES is written there and removed.
    """
    try:
        with tempfile.TemporaryFile(dir=folder) as probe:
            probe.write(bytes(PROBE_BYTES))
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        return None if exc.errno == errno.ENOENT else f"{_NOT_STORED}: {describe(exc)}"  # no folder: not the disk
    return None


def _missing(pdf: Path, problem: str | None) -> str:
    """Why ``pdf`` is not a complete PDF: a folder it cannot be written in, what went wrong with soffice, else what it left."""
    if (reason := not_stored(pdf.parent)) is not None:
        return reason
    if problem:
        return problem
    try:
        size = pdf.stat().st_size
    except OSError:
        return "LibreOffice heeft geen PDF gemaakt"
    return "LibreOffice heeft een leeg PDF-bestand gemaakt" if size == 0 else "LibreOffice heeft een onvolledige PDF gemaakt"


def _signal_name(number: int) -> str:
    try:
        return f"signaal {signal.Signals(number).name}"
    except ValueError:
        return f"signaal {number}"


def _last_message(text: str) -> str:
    """The last line soffice printed that says something, as ": line" (or "")."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith(_NOISE)]
    return f": {lines[-1][:200]}" if lines else ""


class _Delivery:
    """Post-processes and delivers a worker's PDFs, each once, while soffice is still converting.

    soffice converts its documents in the order given, so a PDF is finished once the PDF of a later
    document exists; the last one is delivered after soffice has ended.
    """

    def __init__(self, staged: dict[Path, PdfJob], outdir: Path, epoch: datetime.datetime | None,
                 delivered: Callable[[PdfJob], None] | None = None):
        self.staged, self.outdir, self.epoch, self.delivered = staged, outdir, epoch, delivered
        self.done: dict[Path, PdfFailure | None] = {}

    def finished_before_last(self, docs: list[Path]) -> None:
        present = {path.name for path in self.outdir.glob("*.pdf")}
        later = False
        for docx in reversed(docs):
            name = _output(self.outdir, docx).name
            if later and name in present and docx not in self.done:
                self.deliver(docx)
            later = later or name in present

    def hand_back(self, docx: Path, feed: Feed) -> Callable[[PdfJob], None]:
        """How the letter staged as ``docx`` goes back to ``feed`` for its second pass (:func:`convert_again`):
        converted in a next call, with the letters still to come, staged again under this name."""

        def back(job: PdfJob) -> None:
            for path in (docx, _output(self.outdir, docx)):
                with contextlib.suppress(OSError):
                    path.unlink()
            del self.staged[docx], self.done[docx]
            feed.give_back((int(docx.stem), job))

        return back

    def deliver(self, docx: Path) -> list[PdfFailure]:
        if docx not in self.done:
            job = self.staged[docx]
            self.done[docx] = _deliver(_output(self.outdir, docx), job, self.epoch or _midnight(job.date))
            if self.done[docx] is None and self.delivered:
                self.delivered(job)
        failure = self.done[docx]
        return [failure] if failure else []


def deliver(raw: Path, job: PdfJob) -> PdfFailure | None:
    """The post-processing and atomic write of every PDF LibreOffice made, for converters outside this module."""
    return _deliver(raw, job, _source_date_epoch() or _midnight(job.date))


def send_back(failure: Relayout, hand_back: Callable[[PdfJob], None]) -> PdfFailure | None:
    """A letter LibreOffice left a heading alone in (Relayout), for its second pass elsewhere: its DOCX (the staged
    one, delivered with the PDF) gets a page break before those headings (pagelayout.moved) and the letter goes to
    ``hand_back`` (a build's feed: the worker's next ``--convert-to`` call, or its next take, which starts
    LibreOffice afresh or goes on with ``--convert-to``). None, or why it cannot be."""
    from briefgen.builders.pagelayout import moved

    job = moved(failure)
    if isinstance(job, PdfFailure):
        return job
    hand_back(job)
    return None


def convert_again(failure: Relayout, converter: Resident, raw: Path,
                  deliver: Callable[[Path, PdfJob], PdfFailure | None] = deliver, *,
                  hand_back: Callable[[PdfJob], None] | None) -> tuple[PdfFailure | None, str | None]:
    """A letter LibreOffice left a heading alone in (Relayout), converted once more by ``converter``'s LibreOffice
    (the one that converted it; a build's worker asks only while it runs, else :func:`send_back`): with a page break
    before those headings (pagelayout.moved, as :func:`send_back`) into ``raw``, and delivered with ``deliver``;
    never sent back again.

    (None when delivered, else why not; None, else why no later letter is tried now), as Resident.convert_one.
    PdfEngineMissing, as it, when LibreOffice will not (re)start for it; the letter then goes to ``hand_back`` first
    (a build's feed; None: watch's converter, which has none, fails the letter itself).
    """
    from briefgen.builders.pagelayout import moved

    job = moved(failure)
    if isinstance(job, PdfFailure):
        return job, None
    with contextlib.suppress(OSError):
        raw.unlink()
    try:
        reason, given_up = converter.convert_one(job.docx, raw, job.name)
    except PdfEngineMissing:
        if hand_back is not None:
            hand_back(job)
        raise
    return (PdfFailure(job, reason) if reason else deliver(raw, job)), given_up


def _deliver(raw: Path, job: PdfJob, stamp: datetime.datetime) -> PdfFailure | None:
    """Post-process LibreOffice's PDF and write it onto job.pdf (builders/pdfdelivery.py).

    Imported at the first PDF delivered, in a PDF worker's delivery thread: pikepdf and the repairs
    imported as this module loads would hold up LibreOffice's start and the first letter's rendering
    (about 50 ms of CPU on the main thread).
    """
    from briefgen.builders.pdfdelivery import deliver_pdf

    return deliver_pdf(raw, job, stamp)
