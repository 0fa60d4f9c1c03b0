"""How the PDF builder starts LibreOffice: past the ``soffice`` shell script, with GnuPG out of sight.

On every document it loads, soffice.bin checks the document's signatures. For that gpgme runs
gpgconf (twice), gpg, gpgsm and gpgconf again, and LibreOffice runs ``sh -c paperconf``: six
forks of a 170 MB process per start, each briefly counted twice in memory, and about 0.1 s.
A conversion needs none of it. gpgme looks for its programs along PATH, so soffice.bin gets a
PATH with only LibreOffice's own program folder: gpgme then reports no engine and LibreOffice
goes on without signature checks, which an unsigned DOCX does not need.

On Linux ``soffice`` is a shell script that, for a plain start, only exports
SAL_ENABLE_FILE_LOCKING=1 and then starts ``oosplash`` (LC_ALL it sets for its own commands and
restores). The PATH must be set after the script, so briefgen does the same and starts oosplash
itself, but only when the script is the one LibreOffice ships (it ends by starting oosplash).
Anything else (macOS, the BSDs, a wrapper, a test's fake soffice) starts as given.

Every LibreOffice makes the socket of a named pipe in /tmp for its profile (and one for each pipe it is told to
accept on). It removes them when it ends by itself; one that briefgen had to kill leaves them: :func:`remove_pipes`.

Standard library only: builders/uno_bridge.py runs under LibreOffice's Python (Debian's /usr/bin/python3, without
briefgen's packages) and imports this module from its own folder, for :func:`remove_sockets`.
"""

from __future__ import annotations

import errno
import hashlib
import os
import select
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

_SCRIPT_ENDING = b'"$sd_prog/oosplash" "$@"'
TAIL_BYTES = 64 * 1024  # what is kept of a program's output: its last messages, never all of a flood
_CHUNK = 64 * 1024
_READ_POLL_SECONDS = 0.25
# A wait's poll step that took this much longer than asked: briefgen itself was not running (kill -STOP, Ctrl-Z).
PAUSE_SECONDS = 1.0
# Where LibreOffice makes the socket of a named pipe (sal/osl/unx/pipe.cxx: the first writable of these).
PIPE_FOLDERS = ("/tmp", "/var/tmp")
LISTENED_SECONDS = 1.0
_PF_EXITING = 0x4  # the kernel's flag of a process that is exiting (include/linux/sched.h)
_SIGKILL_PENDING = 1 << (signal.SIGKILL - 1)  # its bit in /proc/PID/status SigPnd, ShdPnd


def direct(soffice: str) -> str | None:
    """The ``oosplash`` to start instead of ``soffice``, or None to start ``soffice`` as given."""
    found = shutil.which(soffice)
    if found is None or not sys.platform.startswith("linux"):
        return None
    real = Path(found).resolve()
    program = real.parent
    splash = program / "oosplash"
    if (real.name == "soffice" and _is_packaged_script(real) and os.access(splash, os.X_OK)
            and (program / "soffice.bin").is_file() and not (program / "ooenv").exists()):
        return str(splash)
    return None


def environment(splash: str) -> dict[str, str]:
    """The environment for ``splash``: the current one as the script leaves it, PATH its own folder."""
    return os.environ | {"SAL_ENABLE_FILE_LOCKING": "1", "PATH": str(Path(splash).parent)}


def kill_group(process: subprocess.Popen) -> None:
    """Kill a program started with ``start_new_session`` and everything it started, and reap it.

    LibreOffice starts oosplash -> soffice.bin (and a hanging one may have more children): killing
    only the direct child would leave them running.
    """
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def user_installation(profile: Path) -> str:
    """The option that gives LibreOffice ``profile`` (an absolute path) as its user profile."""
    return f"-env:UserInstallation={profile.as_uri()}"


def profile_pipe(profile: Path) -> str:
    """The name of the pipe a LibreOffice with ``profile`` (as :func:`user_installation` gives it) listens on, so that
    a second start with that profile hands its work over (desktop/source/app/officeipcthread.cxx): the MD5 of the
    profile's URL in UTF-16LE, each byte in hexadecimal without a leading zero."""
    digest = hashlib.md5(profile.as_uri().encode("utf-16-le"), usedforsecurity=False).digest()
    return "SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest)


def remove_pipes(*names: str) -> None:
    """Remove the sockets of LibreOffice's pipes ``names`` that no program listens on any more: what a LibreOffice
    that was killed leaves in /tmp (:func:`remove_sockets`)."""
    remove_sockets(*pipe_paths(*names))


def remove_sockets(*paths: str) -> list[str]:
    """Remove the sockets ``paths`` of LibreOffice's pipes that no program listens on any more; those kept because a
    program still takes connections on them.

    Only these exact paths, only a socket, only the user's own, and only one that refuses a connection (a
    LibreOffice still running with the same profile keeps its own). LibreOffice puts them in /tmp and takes no
    other folder while /tmp is writable, so they cannot go under build/.

    Also the UNO bridge's (builders/uno_bridge.py, in LibreOffice's Python): this module imports only the standard
    library, so that the bridge can import it from its own folder.
    """
    kept = []
    for path in paths:
        try:
            status = os.lstat(path)
            if not stat.S_ISSOCK(status.st_mode) or status.st_uid != os.getuid():
                continue
            if _listened(path):
                kept.append(path)
            else:
                os.unlink(path)
        except OSError:
            continue
    return kept


def pipe_paths(*names: str) -> list[str]:
    """Where LibreOffice may make the sockets of its pipes ``names``."""
    return [os.path.join(folder, f"OSL_PIPE_{os.getuid()}_{name}") for name in names for folder in PIPE_FOLDERS]


def _listened(path: str) -> bool:
    """Whether a program takes connections on the socket ``path``: once one connection is accepted by a program that
    is not ending. A LibreOffice just killed may still accept while it ends (its soffice.bin is not the child that was
    waited for), and a full backlog refuses for a moment: those are asked again for up to LISTENED_SECONDS."""
    deadline = time.monotonic() + LISTENED_SECONDS
    while True:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(LISTENED_SECONDS)
            try:
                probe.connect(path)
            except OSError as exc:
                if exc.errno == errno.ECONNREFUSED:
                    return False
                if exc.errno != errno.EAGAIN:
                    return True  # no answer in time, or no such socket: keep it
            else:
                if not _ending(probe):
                    return True
        if time.monotonic() >= deadline:
            return True
        time.sleep(0.02)


def _ending(connected: socket.socket) -> bool:
    """Whether the program that accepted ``connected`` is being killed or exiting (Linux: SIGKILL pending in
    /proc/PID/status, or PF_EXITING in /proc/PID/stat); False where this cannot be told."""
    try:
        pid = struct.unpack("3i", connected.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))[0]
    except (AttributeError, OSError):  # no SO_PEERCRED here
        return False
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace").rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return True  # gone since it accepted
    except (OSError, IndexError):
        return False
    pending = [int(line.split(":", 1)[1], 16) for line in status.splitlines() if line.startswith(("SigPnd:", "ShdPnd:"))]
    flags = int(fields[6]) if len(fields) > 6 and fields[6].isdigit() else 0
    return any(mask & _SIGKILL_PENDING for mask in pending) or bool(flags & _PF_EXITING)


def _is_packaged_script(path: Path) -> bool:
    try:
        text = path.read_bytes()[:20_000]
    except OSError:
        return False
    return text.startswith(b"#!") and _SCRIPT_ENDING in text


class Tail:
    """The last TAIL_BYTES a program writes to ``stream`` (its end of a pipe), read in a thread while it runs.

    A program that floods its output (``yes "Error: …"``) then fills neither memory nor the disk, and does
    not block on a full pipe either (which would look like a hang): older bytes are dropped as new ones come.
    """

    def __init__(self, stream: IO[bytes], limit: int = TAIL_BYTES):
        self._stream = stream
        self._limit = limit
        self._kept = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="briefgen-uitvoer", daemon=True)
        self._thread.start()

    def text(self, seconds: float = 2.0) -> str:
        """What was kept, as text; call once the program has ended (what it started may hold the pipe open)."""
        self._stop.set()
        self._thread.join(seconds)
        return bytes(self._kept[-self._limit:]).decode("utf-8", "replace")

    def _read(self) -> None:
        descriptor = self._stream.fileno()
        after_stop = 0
        try:
            while after_stop <= self._limit:
                readable, _, _ = select.select([descriptor], [], [], _READ_POLL_SECONDS)
                if not readable:
                    if self._stop.is_set():
                        break
                    continue
                chunk = os.read(descriptor, _CHUNK)
                if not chunk:
                    break
                self._kept += chunk
                if len(self._kept) > 2 * self._limit:
                    del self._kept[:-self._limit]
                if self._stop.is_set():
                    after_stop += len(chunk)  # someone outside the killed group still floods: enough
        except (OSError, ValueError):
            pass
        finally:
            self._stream.close()


class Deadline:
    """A time-out that counts only while briefgen itself runs.

    The time-out is for LibreOffice's lack of progress. While briefgen is stopped (``kill -STOP``, Ctrl-Z,
    a debugger), LibreOffice goes on and its answer waits unread: that time must not count. The wait polls
    in steps of at most ``poll`` seconds (:meth:`step`) and asks :meth:`passed` after each; a step that took
    PAUSE_SECONDS longer than that was a pause of briefgen, and the deadline moves on by as much. (A
    suspended computer stops the monotonic clock itself, LibreOffice with it.)
    """

    def __init__(self, seconds: float, poll: float):
        self.seconds = seconds
        self.poll = poll
        self._seen = time.monotonic()
        self._end = self._seen + seconds

    def restart(self) -> None:
        """Count the time-out afresh (LibreOffice made progress)."""
        self._end = time.monotonic() + self.seconds

    def step(self) -> float:
        """How long the next poll waits."""
        return max(0.0, min(self.poll, self._end - time.monotonic()))

    def passed(self) -> bool:
        now = time.monotonic()
        gap, self._seen = now - self._seen, now
        if gap > self.poll + PAUSE_SECONDS:
            self._end += gap
        return now >= self._end
