"""A LibreOffice that stays running between conversions: ``briefgen watch``'s, and one per worker of a build.

A batch build starts ``soffice --convert-to`` per call: about 0.4 s of start-up before the first
page, which a griffie waiting for one saved letter notices every time. Here one soffice is started
once (own profile under build/, listening on a private pipe) together with a small bridge program
(builders/uno_bridge.py) that runs under the Python that has LibreOffice's ``uno`` module (Debian:
python3-uno, for the system Python; briefgen's own Python need not have it). The bridge loads each
DOCX hidden and exports it with the same filter options as the batch path (pdf.EXPORT_OPTIONS); the
PDF then gets the same pikepdf post-processing and atomic write (pdf.deliver).

A conversion that takes longer than ``timeout`` (the ``pdf_timeout`` setting) ends LibreOffice and the
bridge (their process groups) and fails that letter; a LibreOffice that crashed is started afresh and
the letter tried once more. Either way the next conversion has a fresh LibreOffice. :meth:`close`
ends both, also after Ctrl-C, and the bridge ends LibreOffice itself when briefgen disappears.

A build (builders/pdf.py) keeps one per worker and hands it each letter as soon as it is rendered
(:meth:`ResidentConverter.convert_one`): LibreOffice starts while the first letters are still being
read, and the workers stay busy to the last letter, where ``--convert-to`` calls must wait for a
call's whole share and end unevenly.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

from briefgen.builders import launch, pdf
from briefgen.builders import profile as lo_profile
from briefgen.builders.pdfjob import Relayout
from briefgen.fileio import describe
from briefgen.problems import PdfEngineMissing

log = logging.getLogger(__name__)

BRIDGE = Path(__file__).with_name("uno_bridge.py")
PROFILE = "resident-profile"
PROFILE_LOCK = ".lock"  # LibreOffice's, in its profile: the user, host and time of the one running
# A build's LibreOffice that has not accepted the bridge by then is not kept running: the worker uses --convert-to.
BUILD_START_SECONDS = 30.0
START_SECONDS = 60.0  # at least this long for a fresh LibreOffice to accept the bridge (pdf_timeout, if longer)
QUIT_SECONDS = 5.0
WARM_UP_SECONDS = 30.0  # a warm-up converts a one-line document: far longer means LibreOffice hangs
ANSWER_CHARACTERS = 1 << 20  # a longer line from the bridge is no answer (a library's flood): read past, not kept


@functools.cache
def uno_python(soffice: str) -> str | None:
    """A Python that has ``uno`` for this LibreOffice: its own (LibreOffice's builds ship one), else the system's.

    The system's is /usr/bin/python3 (Debian's python3-uno is built for it) before whatever ``python3`` is first on
    PATH (a virtualenv's or pyenv's, which seldom has ``uno``). The probe only finds the module, without loading
    LibreOffice's libraries (a tenth of a second); a ``uno`` that is found but will not load makes the bridge
    fail to start, and the worker then goes on with ``--convert-to``.
    """
    found = shutil.which(soffice)
    candidates = []
    if found:
        candidates.append(str(Path(found).resolve().parent / "python"))
    candidates += ["/usr/bin/python3", shutil.which("python3") or ""]
    for candidate in dict.fromkeys(c for c in candidates if c and os.access(c, os.X_OK)):
        try:
            probe = subprocess.run([candidate, "-c", _HAS_UNO], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, timeout=30, env=_bridge_environment(),
                                   cwd="/")  # no uno.py of the werkmap's
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return candidate
    return None


_HAS_UNO = "import importlib.util, sys; sys.exit(importlib.util.find_spec('uno') is None)"


def for_build(soffice: str, timeout: float, workdir: Path) -> pdf.ResidentFactory:
    """How a build's PDF workers keep their LibreOffice running (:class:`pdf.PdfBuilder`'s ``resident``).

    Each worker's LibreOffice uses the worker's prepared profile, starts without a warm-up (the worker
    warms it up only while no letter waits for it: :meth:`ResidentConverter.warm`), has ``timeout`` for
    each letter (after a hang the build gives up, as with ``--convert-to``) and is killed when its work is done.
    None for a machine without ``uno``: the workers then use ``--convert-to``.
    """

    def make(profile: Path, aborted: threading.Event) -> ResidentConverter | None:
        try:
            return ResidentConverter(soffice, timeout=timeout, workdir=workdir, profile=profile,
                                     start_timeout=min(timeout, BUILD_START_SECONDS), aborted=aborted,
                                     warm_up=False, restarted=False, prepares_profile=False, ends_hard=True)
        except ResidentUnavailable:
            return None

    return make


class ResidentUnavailable(Exception):
    """This machine cannot run a resident LibreOffice (no Python with ``uno``); the batch path still works."""


class ResidentConverter:
    """Converts PdfJobs like :class:`pdf.PdfBuilder`, one at a time, with one LibreOffice kept running."""

    name = "pdf"

    def __init__(self, soffice: str, *, timeout: float = 120.0, workdir: Path, python: str | None = None,
                 profile: Path | None = None, start_timeout: float | None = None,
                 aborted: threading.Event | None = None, warm_up: bool = True, restarted: bool = True,
                 prepares_profile: bool = True, instead: Callable[[list[pdf.PdfJob]], list[pdf.PdfFailure]] | None = None,
                 ends_hard: bool = False):
        """``profile`` defaults to ``workdir/PROFILE``; ``start_timeout`` to START_SECONDS or ``timeout`` if longer.

        ``aborted`` set (Ctrl-C in a build) ends a wait for LibreOffice at once; ``warm_up`` converts a
        small document at start, so that the first real letter is as quick as the next (watch);
        ``restarted``: the next letter after a hang gets a fresh LibreOffice (watch; a build gives up).
        ``prepares_profile``: probe LibreOffice's version for the profile here (a build's PdfBuilder did already).
        ``instead``: what converts the letters of a :meth:`convert` left once this LibreOffice will not start again
        (watch: the batch way, a LibreOffice per build); None: they fail "niet geprobeerd".
        ``ends_hard``: :meth:`close` kills LibreOffice rather than asking it to quit (a build's, whose tail that was):
        its quit only writes a backup of the profile and settings a build does not need, which LibreOffice
        writes atomically while it runs (bench/PROFILE.md, stop 30: the tail).
        """
        if shutil.which(soffice) is None:
            raise PdfEngineMissing(soffice)
        self.soffice = soffice
        python = python or uno_python(soffice)
        if python is None:
            raise ResidentUnavailable("geen Python met de UNO-koppeling van LibreOffice (Debian: python3-uno)")
        self.python = python
        self.timeout = timeout
        self.workdir = Path(workdir).resolve()
        self.profile = Path(profile).resolve() if profile is not None else self.workdir / PROFILE
        self.start_timeout = start_timeout if start_timeout is not None else max(START_SECONDS, timeout)
        self.aborted = aborted or threading.Event()
        self.warm_up = warm_up
        self.restarted = restarted
        self.prepares_profile = prepares_profile
        self.instead = instead
        self.ends_hard = ends_hard
        self._office: subprocess.Popen | None = None
        self._bridge: subprocess.Popen | None = None
        # TMPDIR of both, beside the profile: a killed LibreOffice leaves its lu*.tmp folder there, in build/, not /tmp
        self._temp: Path | None = None
        self._pipe: str | None = None  # the name of LibreOffice's pipe, whose socket a killed LibreOffice leaves
        self._answers: queue.Queue[dict | None] = queue.Queue()

    def __enter__(self) -> ResidentConverter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        return (self._office is not None and self._office.poll() is None
                and self._bridge is not None and self._bridge.poll() is None)

    def start(self) -> None:
        """Start LibreOffice and the bridge (if not running); PdfEngineMissing when it will not start."""
        if self.running:
            return
        self._stop(kill=True)
        profile = self.profile
        if self.prepares_profile and not lo_profile.is_prepared(profile):
            version = lo_profile.version(self.soffice, self.timeout, self.aborted)
            try:
                if version:
                    lo_profile.prepare(profile, version)
            except OSError as exc:  # LibreOffice makes its profile itself, only slower to start
                log.debug("profiel %s niet voorbereid: %s", profile, exc)
        # Only a LibreOffice with this profile uses this folder: what a killed one left is removed here.
        temp = profile.with_name(f"{profile.name}.tmp")
        shutil.rmtree(temp, ignore_errors=True)
        try:
            temp.mkdir(parents=True)
        except OSError as exc:
            raise PdfEngineMissing(self.soffice, reason=f"kan geen werkmap voor LibreOffice maken: {describe(exc)}") from exc
        self._temp = temp
        environment = {"TMPDIR": str(temp)}
        pipe = self._pipe = f"briefgen-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        splash = launch.direct(self.soffice)
        command = [splash or self.soffice, "--headless", "--invisible", "--norestore", "--nolockcheck", "--nologo",
                   "--nodefault", launch.user_installation(profile),
                   f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
        try:
            self._office = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, start_new_session=True,
                                            env=(launch.environment(splash) if splash else dict(os.environ)) | environment)
            # The bridge ends this LibreOffice also when briefgen is killed while it hangs (uno_bridge._orphaned).
            orphan = [str(os.getpid()), str(self._office.pid), *launch.pipe_paths(pipe, launch.profile_pipe(profile))]
            self._bridge = subprocess.Popen([self.python, str(BRIDGE), pipe, str(self.start_timeout), *orphan],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                            start_new_session=True, env=_bridge_environment() | environment, text=True,
                                            encoding="utf-8", errors="replace")
        except OSError as exc:
            self._stop(kill=True)
            raise PdfEngineMissing(self.soffice, reason=describe(exc)) from exc
        self._answers = queue.Queue()
        threading.Thread(target=_read_answers, args=(self._bridge.stdout, self._answers), daemon=True).start()
        answer = self._answer(self.start_timeout + 5)
        if not answer or not answer.get("ready"):
            hung = not self.aborted.is_set() and self._office.poll() is None  # still running: waited the time-out
            self._stop(kill=True)
            reason = (answer or {}).get("error") or (
                "afgebroken" if self.aborted.is_set() else "LibreOffice nam de verbinding niet aan")
            raise PdfEngineMissing(self.soffice, reason=reason, hung=hung)
        if self.warm_up:
            self.warm()

    def warm(self) -> None:
        """Have the running LibreOffice convert a small document with the letters' filter options, so that its
        first-use costs (Writer, the DOCX import, the PDF/A export: a cold first letter takes about 0.4 s
        longer than the next) are paid before a letter waits for them.

        Only an optimisation, so nothing is reported: a LibreOffice that hangs on it is ended after
        WARM_UP_SECONDS (at most ``timeout``) and one that crashed is stopped; either way the next letter
        starts a fresh one.
        """
        if not self.running:
            return
        assert self._bridge is not None and self._bridge.stdin is not None  # running: a bridge with stdin=PIPE
        try:
            self._bridge.stdin.write(json.dumps({"warm": True, "options": pdf.EXPORT_OPTIONS}) + "\n")
            self._bridge.stdin.flush()
        except OSError:
            return
        answer = self._answer(min(self.timeout, WARM_UP_SECONDS))
        if answer is None and self.running and not self.aborted.is_set():
            self._stop(kill=True)
            shutil.rmtree(self.profile, ignore_errors=True)  # may be half-written; start afresh
        elif answer is not None and answer.get("lost"):
            self._stop(kill=True)  # crashed on it: the next letter starts a fresh one, its own retry kept

    def convert(self, jobs: list[pdf.PdfJob]) -> list[pdf.PdfFailure]:
        """Convert each job in turn; the failures, each with a Dutch reason. Never raises for one bad letter."""
        if not jobs:
            return []
        try:
            self.workdir.mkdir(parents=True, exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix="batch-resident-", dir=self.workdir))
        except OSError as exc:
            return [pdf.PdfFailure(job, f"kan geen werkmap voor LibreOffice maken: {describe(exc)}") for job in jobs]
        try:
            failures = []
            given_up: str | None = None  # once LibreOffice hung or would not start, the rest is not tried
            for index, job in enumerate(jobs):
                if given_up:
                    failures.append(pdf.PdfFailure(job, given_up))
                    continue
                raw = scratch / f"{index:04d}.pdf"
                try:
                    reason, given_up = self.convert_one(job.docx, raw, job.name)
                    failure = pdf.PdfFailure(job, reason) if reason else pdf.deliver(raw, job)
                    if isinstance(failure, Relayout):
                        failure, given_up = pdf.convert_again(failure, self, raw, pdf.deliver, hand_back=None)
                except PdfEngineMissing as exc:
                    reason = f"LibreOffice start niet: {exc.reason or exc}"
                    if self.instead is not None and not self.aborted.is_set():  # this and the rest the slower way
                        failures += self._instead(jobs[index:], reason)
                        break
                    failure, given_up = pdf.PdfFailure(job, reason), f"niet geprobeerd: {reason}"
                if failure:
                    failures.append(failure)
            return failures
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _instead(self, jobs: list[pdf.PdfJob], reason: str) -> list[pdf.PdfFailure]:
        """``jobs`` converted by :attr:`instead`; each failed with ``reason`` when that cannot run either."""
        assert self.instead is not None
        log.debug("LibreOffice start niet meer (%s); %d brieven op de langzame manier", reason, len(jobs))
        try:
            return self.instead(jobs)
        except (OSError, PdfEngineMissing) as exc:
            return [pdf.PdfFailure(job, f"{reason}; ook een nieuwe LibreOffice niet: {exc}") for job in jobs]

    def close(self) -> None:
        """End the bridge and LibreOffice: asked first (killed at once after ``aborted``, or with ``ends_hard``), then
        with everything they started."""
        self._stop(kill=self.ends_hard or self.aborted.is_set())

    def convert_one(self, docx: Path, raw: Path, name: str) -> tuple[str | None, str | None]:
        """Export ``docx`` (the letter ``name``) to the PDF ``raw``: (None when done, else why not; None, else why
        no later letter is tried now).

        A crashed LibreOffice gets one more try. PdfEngineMissing when LibreOffice will not (re)start for it: the
        letter is not converted, and a build's worker leaves it with the rest to ``--convert-to``.
        Not post-processed: that is :func:`pdf.deliver`'s.
        """
        for attempt in (1, 2):
            self.start()
            request = {"convert": str(Path(docx).resolve()), "pdf": str(raw), "options": pdf.EXPORT_OPTIONS}
            assert self._bridge is not None and self._bridge.stdin is not None  # start(): a running bridge, stdin=PIPE
            try:
                self._bridge.stdin.write(json.dumps(request) + "\n")
                self._bridge.stdin.flush()
            except OSError:
                answer: dict | None = {"error": "de verbinding met LibreOffice is verbroken", "lost": True}
            else:
                answer = self._answer(self.timeout)
            if self.aborted.is_set():
                self._stop(kill=True)
                return "afgebroken", "afgebroken"
            if answer is None and self.running:  # no answer in time: hanging
                self._stop(kill=True)
                shutil.rmtree(self.profile, ignore_errors=True)  # may be half-written; start afresh
                note = "; wordt opnieuw gestart" if self.restarted else ""
                return pdf.hang_reason(self.timeout, note), pdf.given_up_reason(name, self.timeout)
            if answer and answer.get("ok"):
                return None, None
            lost = answer is None or answer.get("lost") or not self.running
            reason = (answer or {}).get("error") or "LibreOffice is gestopt"
            if not lost:
                if (stored := pdf.not_stored(raw.parent)) is not None:  # LibreOffice's reason: English, technical
                    return stored, None
                return f"LibreOffice kon de brief niet omzetten: {reason}", None
            self._stop(kill=True)
            if attempt == 2:
                return f"LibreOffice is gecrasht, ook bij een tweede poging ({reason})", None
            log.debug("LibreOffice verloren bij %s (%s); opnieuw gestart", Path(docx).name, reason)
        raise AssertionError("not reached")

    def _answer(self, seconds: float) -> dict | None:
        """The bridge's next answer, or None when it gave none within ``seconds`` of briefgen's own running time
        (launch.Deadline: an answer that came while briefgen was stopped is read, not taken for a hang) or ended."""
        deadline = launch.Deadline(seconds, 0.25)
        while True:
            try:
                return self._answers.get(timeout=deadline.step())
            except queue.Empty:
                if self.aborted.is_set() or (not self.running and self._answers.empty()):
                    return None
                if deadline.passed():
                    return None

    def _stop(self, *, kill: bool) -> None:
        bridge, office, temp, pipe = self._bridge, self._office, self._temp, self._pipe
        self._bridge = self._office = self._temp = self._pipe = None
        if bridge is not None and not kill and bridge.poll() is None:
            assert bridge.stdin is not None  # started with stdin=PIPE
            try:
                bridge.stdin.write(json.dumps({"quit": True}) + "\n")
                bridge.stdin.flush()
                bridge.wait(QUIT_SECONDS)
                if office is not None:
                    office.wait(QUIT_SECONDS)
            except (OSError, subprocess.TimeoutExpired):
                pass
        for process in (bridge, office):
            if process is not None:
                launch.kill_group(process)  # also whatever it left running (oosplash -> soffice.bin)
                for stream in (process.stdin, process.stdout):
                    if stream is not None:
                        try:
                            stream.close()
                        except OSError:
                            pass
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
        if pipe is not None:  # what a killed LibreOffice leaves in /tmp; waits for its soffice.bin to close them
            launch.remove_pipes(pipe, launch.profile_pipe(self.profile))
        if office is not None:  # the profile's lock, which only a LibreOffice that quit removes itself
            with contextlib.suppress(OSError):
                (self.profile / PROFILE_LOCK).unlink(missing_ok=True)


def _read_answers(stream, answers: queue.Queue) -> None:
    """Each answer line of the bridge onto ``answers``, then None when it ends. A line of more than
    ANSWER_CHARACTERS is read past in parts and dropped: no output makes briefgen's memory grow."""
    overlong = False
    while line := stream.readline(ANSWER_CHARACTERS):
        whole = line.endswith("\n")
        if not overlong and whole:
            try:
                answers.put(json.loads(line))
            except ValueError:
                pass  # not an answer (a library's stray print)
        overlong = not whole
    answers.put(None)


def _bridge_environment() -> dict[str, str]:
    """The environment without briefgen's own Python paths: the bridge runs under another Python."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
