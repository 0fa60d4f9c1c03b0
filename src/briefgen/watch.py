"""``briefgen watch``: rebuild what a saved file makes stale, with one LibreOffice kept running.

The first round builds what is stale, as ``briefgen build`` would. After that each batch of changes
under content/ and templates/ rebuilds the letters that changed and the letters whose recorded inputs
(the manifest's ``invoer``: organisation, template, cited letters, bijlagen) changed; letters that
failed last time are tried again when a file other than a letter changed (the organisation they
missed may now exist). Whether a letter really is stale is still the manifest's decision
(pipeline.build), so a file saved unchanged rebuilds nothing. The settings files are checked about
once a second; changed settings are read again, and a changed LibreOffice or time-out restarts
LibreOffice. A LibreOffice to keep running that will not start (at first, or again after a crash or hang) leaves the
PDFs to the batch converter; it is started again for a round of a few letters once RETRY_FIRST_SECONDS have passed,
then twice that, with a short start time-out (resident.BUILD_START_SECONDS), and after START_FAILURES failed starts
in a row no more (:attr:`Round.resident_failed` says why and what next, once per failed start). A LibreOffice that
hangs at start so costs a save no wait, bar these few tries. One that crashes partway through a save's letters and
will not start again leaves that letter and the rest of the save to the batch converter too (:meth:`Watcher._batch`). Nothing here prints: every round is handed to the caller
(cli/watch.py) as a :class:`Round`.
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import pipeline
from briefgen.buildlock import BuildLocked
from briefgen.fileio import describe
from briefgen.manifest import Manifest, file_hash
from briefgen.problems import BriefgenError, PdfEngineMissing
from briefgen.settings import Settings, load_settings
from briefgen.werkmap import Werkmap

if TYPE_CHECKING:
    from briefgen.builders.pdf import PdfFailure, PdfJob
    from briefgen.builders.resident import ResidentConverter

SETTINGS_FILES = ("briefgen.toml", "pyproject.toml")
SETTINGS_POLL_MS = 1000  # how often the settings files are compared when nothing else changed
QUIET_MS = 20  # a batch of changes is complete after this long without another (an editor's save takes a few ms)
RESIDENT_MAX = 8  # rounds of more letters are converted the batch way (pdf.PdfBuilder, in parallel)
LOCK_POLL_S = 0.5  # how often a round refused by another build's lock is tried again
RETRY_FIRST_SECONDS = 60.0  # a failed start of the LibreOffice to keep running is tried again after this, then twice
START_FAILURES = 3  # failed starts in a row after which watch goes on without a LibreOffice kept running


@dataclass(frozen=True)
class StartFailure:
    """The LibreOffice to keep running did not start: why, and in how many seconds a save starts it again (None: never
    again in this watch)."""

    reason: str
    retry: float | None
    attempts: int


@dataclass
class Round:
    """One rebuild: why it ran, what pipeline.build reported, how long it took."""

    changed: list[str] = field(default_factory=list)  # werkmap paths; empty for the first round
    report: pipeline.BuildReport | None = None
    error: BriefgenError | None = None  # settings that cannot be read, another build holding the lock, …
    seconds: float = 0.0
    settings_reloaded: bool = False
    after_lock: bool = False  # tried again once another build let go of the werkmap
    resident_failed: StartFailure | None = None  # a start of the LibreOffice to keep running failed in this round


class Watcher:
    """Builds the selection, then once per batch of changes what they made stale."""

    def __init__(self, werkmap: Werkmap, settings: Settings, selection: list[Path] | None = None,
                 formats: tuple[str, ...] = pipeline.FORMATS, resident: bool = True):
        self.werkmap, self.settings, self.selection, self.formats = werkmap, settings, selection, formats
        self.resident = resident and "pdf" in formats
        self.converter: ResidentConverter | None = None
        self.resident_unavailable: str | None = None  # why PDFs are made the batch way for good (no uno)
        # Why the last start of the LibreOffice to keep running failed (the batch way meanwhile), until it started
        self.resident_failed: StartFailure | None = None
        self._unsaid = False  # resident_failed is new: not yet handed on (start_failure)
        self._retry_at = 0.0  # _now() from which a save starts it again
        self._failed: set[str] = set()
        self._pending: set[str] = set()  # changes of a round that could not run (another build held the lock)
        self._locked: tuple[list[Path] | None, list[str]] | None = None  # the round another build's lock refused
        self._settings_hashes = self._hash_settings()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the resident LibreOffice (when PDFs are wanted and this machine can keep one running), unless it
        runs, or its last start failed less than the back-off ago (or START_FAILURES times in a row); a start that
        fails leaves its reason in :attr:`resident_failed`."""
        if (unsafe := self.werkmap.unsafe_build()) is not None:  # its profile would be made (and removed) there
            raise BriefgenError(unsafe)
        if not self.resident or self.resident_unavailable or (self.converter is not None and self.converter.running):
            return
        failed = self.resident_failed
        if failed is not None and (failed.retry is None or _now() < self._retry_at):
            return
        from briefgen.builders import resident
        from briefgen.builders.pdf import find_soffice
        from briefgen.builders.resident import ResidentConverter, ResidentUnavailable

        soffice = find_soffice(self.settings.soffice)
        if soffice is None:
            return  # every round reports the missing LibreOffice (pipeline: pdf_unavailable)
        try:
            if self.converter is None:  # a try again after a failed start waits no longer than a build's worker
                self.converter = ResidentConverter(soffice, timeout=self.settings.pdf_timeout,
                                                   workdir=self.werkmap.build / ".briefgen-lo",
                                                   start_timeout=resident.BUILD_START_SECONDS if failed else None,
                                                   instead=self._batch)
            self.converter.start()  # self.converter already: close() must reach it, also after Ctrl-C here
        except ResidentUnavailable as exc:
            self.converter, self.resident_unavailable = None, str(exc)
        except PdfEngineMissing as exc:
            self.close()
            attempts = failed.attempts + 1 if failed else 1
            retry = RETRY_FIRST_SECONDS * 2 ** (attempts - 1) if attempts < START_FAILURES else None
            self.resident_failed, self._unsaid = StartFailure(exc.reason or str(exc), retry, attempts), True
            self._retry_at = _now() + (retry or 0.0)
        else:
            self.resident_failed = None

    def _batch(self, jobs: list[PdfJob]) -> list[PdfFailure]:
        """The letters of a round left when the LibreOffice kept running crashed and would not start again:
        converted the batch way, as when it would not start at the round's beginning (the back-off is start()'s)."""
        from briefgen.builders.pdf import locate_soffice

        return pipeline.batch_builder(locate_soffice(self.settings.soffice), self.settings,
                                      self.werkmap.build / pipeline.LO_WORKDIR).convert(jobs)

    def start_failure(self) -> StartFailure | None:
        """The failed start of the LibreOffice to keep running not handed on yet: once per failed start."""
        failed, self._unsaid = (self.resident_failed if self._unsaid else None), False
        return failed

    def close(self) -> None:
        """End LibreOffice (and everything it started)."""
        if self.converter is not None:
            self.converter.close()
            self.converter = None

    def rounds(self, stop: threading.Event | None = None) -> Iterator[Round]:
        """The first build, then one round per batch of changes, until ``stop`` is set (or Ctrl-C).

        Watching starts before the first build, so that what is saved during it is not missed.
        """
        stop = stop or threading.Event()
        batches: queue.Queue[set[str] | OSError | None] = queue.Queue()
        folders = [p for p in (self.werkmap.content, self.werkmap.templates) if p.is_dir()]
        watcher = threading.Thread(target=_watch, args=(folders, stop, batches), daemon=True)
        watcher.start()
        try:
            self.start()  # unless the caller did
            yield self._build(None, [])
            yield from self._after_lock(stop)
            while not stop.is_set():
                try:
                    batch = batches.get(timeout=SETTINGS_POLL_MS / 1000)
                except queue.Empty:
                    batch = set()
                while isinstance(batch, set) and not batches.empty():  # what came in during the last build: one round
                    more = batches.get()
                    batch = batch | more if isinstance(more, set) else more
                if isinstance(batch, OSError):
                    raise BriefgenError(f"kan de mappen content/ en templates/ niet meer volgen: {describe(batch)}")
                if not isinstance(batch, set):
                    return  # the watching ended (stop)
                round_ = self._round(batch)
                if round_ is not None:
                    yield round_
                    yield from self._after_lock(stop)
        finally:
            stop.set()

    def _after_lock(self, stop: threading.Event) -> Iterator[Round]:
        """The round another build's lock refused, tried every :data:`LOCK_POLL_S` until that build is done;
        what is saved meanwhile comes in the next round."""
        while self._locked is not None and not stop.wait(LOCK_POLL_S):
            todo, changed = self._locked
            round_ = self._build(todo, changed)
            if self._locked is None:
                round_.after_lock = True
                yield round_

    def _round(self, paths: set[str]) -> Round | None:
        """What a batch of changed files (and the settings) call for; None when nothing."""
        changed = sorted({self.werkmap.shown(Path(path)) for path in paths
                          if Path(path).exists() or self.werkmap.is_letter(Path(path))} | self._pending)
        reloaded = self._reload_settings()
        if isinstance(reloaded, BriefgenError):
            self._pending = set(changed)  # the letters are built with the settings in force until now, next
            return Round(error=reloaded, resident_failed=self.start_failure())
        if not changed and not reloaded:
            return None
        todo = self._affected(changed) if changed else []
        if not todo and not reloaded:
            return None
        round_ = self._build(todo, changed) if todo else Round(changed)
        round_.settings_reloaded = reloaded
        round_.resident_failed = round_.resident_failed or self.start_failure()  # a start with the new settings
        return round_

    def _build(self, todo: list[Path] | None, changed: list[str]) -> Round:
        """pipeline.build of ``todo`` (None: the whole selection, as ``briefgen build``).

        A few letters go to the resident LibreOffice; the first round and larger rounds (a changed house
        style) to the batch converter, whose parallel workers are quicker for many letters than one
        LibreOffice taking them in turn.
        """
        started = time.monotonic()
        selection = self.selection if todo is None else todo
        converter = self._resident() if todo is not None and len(todo) <= RESIDENT_MAX else None
        try:
            report = pipeline.build(self.werkmap, self.settings, selection, self.formats, converter=converter)
        except BriefgenError as exc:
            self._pending = set(changed)
            self._locked = (todo, changed) if isinstance(exc, BuildLocked) else None
            return Round(changed, error=exc, seconds=time.monotonic() - started, resident_failed=self.start_failure())
        self._pending, self._locked = set(), None
        for result in report.letters:
            (self._failed.add if result.failed else self._failed.discard)(result.shown)
        return Round(changed, report, seconds=time.monotonic() - started, resident_failed=self.start_failure())

    def _resident(self) -> ResidentConverter | None:
        """The LibreOffice kept running, for a round of a few letters: started again first when it is not running (a
        hang or crash it did not recover from; a start that failed, after the back-off); None when it does not run."""
        self.start()
        return self.converter if self.converter is not None and self.converter.running else None

    def _affected(self, changed: list[str]) -> list[Path]:
        """The selected letters a change can have made stale."""
        changed_set = set(changed)
        manifest = Manifest.load(self.werkmap.manifest).letters
        other = any(not self.werkmap.is_letter(self.werkmap.root / rel) for rel in changed_set)
        try:
            letters = self.werkmap.letters(self.selection)
        except BriefgenError:
            letters = []  # a selected letter was deleted: its name is in changed, pipeline says no more
        todo = []
        for path in letters:
            shown = self.werkmap.shown(path)
            inputs = (manifest.get(shown) or {}).get("invoer") or {}
            if shown in changed_set or changed_set & inputs.keys() or (other and shown in self._failed):
                todo.append(path)
        return todo

    def _hash_settings(self) -> dict[str, str | None]:
        return {name: file_hash(self.werkmap.root / name) for name in SETTINGS_FILES}

    def _reload_settings(self) -> bool | BriefgenError:
        """True when the settings changed and were read again; the error when they cannot be read."""
        hashes = self._hash_settings()
        if hashes == self._settings_hashes:
            return False
        try:
            settings = load_settings(self.werkmap.root)
        except BriefgenError as exc:
            self._settings_hashes = hashes  # reported once; the old settings stay in force
            return exc
        self._settings_hashes = hashes
        restart = (settings.soffice, settings.pdf_timeout) != (self.settings.soffice, self.settings.pdf_timeout)
        self.settings = settings
        if restart:
            self.close()
            self.resident_unavailable = self.resident_failed = None
            self.start()
        return True


def _now() -> float:
    """The clock of the back-off after a failed start (a test moves it on)."""
    return time.monotonic()


def _watch(folders: list[Path], stop: threading.Event, batches: queue.Queue) -> None:
    """Put each batch of changed paths on ``batches`` until ``stop`` (or the OSError that ended it); then None."""
    import watchfiles

    try:
        for changes in watchfiles.watch(*folders, stop_event=stop, step=QUIET_MS, raise_interrupt=False):
            batches.put({path for _, path in changes})
    except OSError as exc:  # a folder removed, the system's limit of watches reached: the main thread says so
        batches.put(exc)
    finally:
        batches.put(None)


def open_in_viewer(pdf: Path) -> bool:
    """Show ``pdf`` in the desktop's PDF viewer (xdg-open); False when there is none. Does not wait."""
    opener = shutil.which("xdg-open")
    if opener is None:
        return False
    try:
        subprocess.Popen([opener, str(pdf)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        return False
    return True
