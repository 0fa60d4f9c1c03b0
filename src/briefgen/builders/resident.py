"""A LibreOffice that stays running between conversions, for ``briefgen watch``.

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
"""

from __future__ import annotations

import json
import logging
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

from briefgen.builders import launch, pdf
from briefgen.builders import profile as lo_profile
from briefgen.fileio import describe
from briefgen.problems import PdfEngineMissing

log = logging.getLogger(__name__)

BRIDGE = Path(__file__).with_name("uno_bridge.py")
PROFILE = "resident-profile"
START_SECONDS = 60.0  # at least this long for a fresh LibreOffice to accept the bridge (pdf_timeout, if longer)
QUIT_SECONDS = 5.0


def uno_python(soffice: str) -> str | None:
    """A Python that can ``import uno`` for this LibreOffice: its own (LibreOffice's builds ship one), else the system's."""
    found = shutil.which(soffice)
    candidates = []
    if found:
        candidates.append(str(Path(found).resolve().parent / "python"))
    candidates += [shutil.which("python3") or "", "/usr/bin/python3"]
    for candidate in dict.fromkeys(c for c in candidates if c and os.access(c, os.X_OK)):
        try:
            probe = subprocess.run([candidate, "-c", "import uno"], stdin=subprocess.DEVNULL, capture_output=True,
                                   timeout=30, env=_bridge_environment())
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return candidate
    return None


class ResidentUnavailable(Exception):
    """This machine cannot run a resident LibreOffice (no Python with ``uno``); the batch path still works."""


class ResidentConverter:
    """Converts PdfJobs like :class:`pdf.PdfBuilder`, one at a time, with one LibreOffice kept running."""

    name = "pdf"

    def __init__(self, soffice: str, *, timeout: float = 120.0, workdir: Path, python: str | None = None):
        if shutil.which(soffice) is None:
            raise PdfEngineMissing(soffice)
        self.soffice = soffice
        python = python or uno_python(soffice)
        if python is None:
            raise ResidentUnavailable("geen Python met de UNO-koppeling van LibreOffice (Debian: python3-uno)")
        self.python = python
        self.timeout = timeout
        self.workdir = Path(workdir).resolve()
        self._office: subprocess.Popen | None = None
        self._bridge: subprocess.Popen | None = None
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
        profile = self.workdir / PROFILE
        if not lo_profile.is_prepared(profile):
            version = lo_profile.version(self.soffice, self.timeout)
            try:
                if version:
                    lo_profile.prepare(profile, version)
            except OSError as exc:  # LibreOffice makes its profile itself, only slower to start
                log.debug("profiel %s niet voorbereid: %s", profile, exc)
        pipe = f"briefgen-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        splash = launch.direct(self.soffice)
        command = [splash or self.soffice, "--headless", "--invisible", "--norestore", "--nolockcheck", "--nologo",
                   "--nodefault", f"-env:UserInstallation={profile.as_uri()}",
                   f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
        try:
            self._office = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, start_new_session=True,
                                            env=launch.environment(splash) if splash else None)
            self._bridge = subprocess.Popen([self.python, str(BRIDGE), pipe, str(max(START_SECONDS, self.timeout))],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                            start_new_session=True, env=_bridge_environment(), text=True,
                                            encoding="utf-8")
        except OSError as exc:
            self._stop(kill=True)
            raise PdfEngineMissing(self.soffice, reason=describe(exc)) from exc
        self._answers = queue.Queue()
        threading.Thread(target=_read_answers, args=(self._bridge.stdout, self._answers), daemon=True).start()
        answer = self._answer(max(START_SECONDS, self.timeout) + 5)
        if not answer or not answer.get("ready"):
            self._stop(kill=True)
            reason = (answer or {}).get("error") or "LibreOffice nam de verbinding niet aan"
            raise PdfEngineMissing(self.soffice, reason=reason)

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
                reason, fatal = self._convert_one(job, raw)
                failure = pdf.PdfFailure(job, reason) if reason else pdf.deliver(raw, job)
                if failure:
                    failures.append(failure)
                if fatal:
                    given_up = f"niet geprobeerd: {reason}"
            return failures
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def close(self) -> None:
        """End the bridge and LibreOffice: asked first, then killed with everything they started."""
        self._stop(kill=False)

    def _convert_one(self, job: pdf.PdfJob, raw: Path) -> tuple[str | None, bool]:
        """Export job.docx to ``raw``: (None when done, else why not; whether to try no more letters now).

        A crashed LibreOffice gets one more try.
        """
        for attempt in (1, 2):
            try:
                self.start()
            except PdfEngineMissing as exc:
                return f"LibreOffice start niet: {exc.reason or exc}", True
            request = {"convert": str(Path(job.docx).resolve()), "pdf": str(raw), "options": pdf.EXPORT_OPTIONS}
            assert self._bridge is not None and self._bridge.stdin is not None  # start(): a running bridge, stdin=PIPE
            try:
                self._bridge.stdin.write(json.dumps(request) + "\n")
                self._bridge.stdin.flush()
            except OSError:
                answer: dict | None = {"error": "de verbinding met LibreOffice is verbroken", "lost": True}
            else:
                answer = self._answer(self.timeout)
            if answer is None and self.running:  # no answer in time: hanging
                self._stop(kill=True)
                shutil.rmtree(self.workdir / PROFILE, ignore_errors=True)  # may be half-written; start afresh
                return f"LibreOffice reageerde niet binnen {self.timeout:g} s (afgebroken; wordt opnieuw gestart)", True
            if answer and answer.get("ok"):
                return None, False
            lost = answer is None or answer.get("lost") or not self.running
            reason = (answer or {}).get("error") or "LibreOffice is gestopt"
            if not lost:
                return f"LibreOffice kon de brief niet omzetten: {reason}", False
            self._stop(kill=True)
            if attempt == 2:
                return f"LibreOffice is gecrasht, ook bij een tweede poging ({reason})", False
            log.debug("LibreOffice verloren bij %s (%s); opnieuw gestart", job.name, reason)
        raise AssertionError("not reached")

    def _answer(self, seconds: float) -> dict | None:
        """The bridge's next answer, or None when it gave none within ``seconds`` or ended."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                return self._answers.get(timeout=max(0.0, min(0.25, deadline - time.monotonic())))
            except queue.Empty:
                if not self.running and self._answers.empty():
                    return None
                if time.monotonic() >= deadline:
                    return None

    def _stop(self, *, kill: bool) -> None:
        bridge, office = self._bridge, self._office
        self._bridge = self._office = None
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


def _read_answers(stream, answers: queue.Queue) -> None:
    for line in stream:
        try:
            answers.put(json.loads(line))
        except ValueError:
            continue  # not an answer (a library's stray print)
    answers.put(None)


def _bridge_environment() -> dict[str, str]:
    """The environment without briefgen's own Python paths: the bridge runs under another Python."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
