"""What briefgen's LibreOffice processes may do to briefgen, and briefgen's own stops, seen from outside:
a flood of output, ``kill`` during the conversion, briefgen paused with ``kill -STOP``."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fuzz.conftest import SMALL_LETTER
from tests.fuzz.helpers import STYLE_2021, new_werkmap
from tests.pdf.test_pdf_resident_build import uno  # noqa: F401  (fixture)

BRIEFGEN = str(Path(sys.executable).with_name("briefgen"))

FLOOD = """#!/bin/sh
case "$*" in *--version*) {version};; esac
exec yes "Error: iets gaat mis"
"""


def _werkmap(tmp_path: Path, letters: int, settings: str) -> Path:
    werkmap = new_werkmap(tmp_path / "werkmap", {f"serie/brief{i}.yaml": SMALL_LETTER.format(n=i) for i in range(letters)},
                          templates=STYLE_2021)
    (werkmap.root / "briefgen.toml").write_text(settings, encoding="utf-8")
    return werkmap.root


def _limited_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # as `ulimit -v 1000000`


@pytest.mark.parametrize("version", ['echo "LibreOffice 7.4.7.2 40(Build:2)"; exit 0', 'exec yes "Error: iets gaat mis"'],
                         ids=["conversion", "version-too"])
def test_a_soffice_that_floods_its_output_is_stopped_after_the_time_out_with_a_dutch_message(tmp_path, version):
    """``yes "Error: …"`` as soffice, pdf_timeout = 2, memory limited: the output is not kept (not in memory,
    not on disk), the time-out holds, and the letter gets the Dutch reason with the last message."""
    fake = tmp_path / "soffice"
    fake.write_text(FLOOD.format(version=version), encoding="utf-8")
    fake.chmod(0o755)
    root = _werkmap(tmp_path, 1, f'soffice = "{fake}"\npdf_timeout = 2\ntaken = 1\n')
    started = time.monotonic()
    result = subprocess.run([BRIEFGEN, "-C", str(root), "build"], capture_output=True, text=True, timeout=300,
                            preexec_fn=_limited_memory)
    assert time.monotonic() - started < 60
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert ("content/serie/brief0.yaml: PDF niet gemaakt: LibreOffice reageerde niet binnen 2 s (afgebroken): "
            "Error: iets gaat mis") in result.stderr
    assert subprocess.run(["pgrep", "-f", str(fake)], capture_output=True).stdout == b""


def _sockets(pid: int) -> list[str]:
    return [name for folder in ("/tmp", "/var/tmp") for name in os.listdir(folder)
            if name.startswith(f"OSL_PIPE_{os.getuid()}_briefgen-{pid}-")]


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_a_build_stopped_while_libreoffice_converts_leaves_no_pipe_socket_in_tmp(soffice, uno, tmp_path, how):  # noqa: F811
    """Its kept LibreOffices are killed at once; the sockets of the pipes briefgen named for them go too."""
    root = _werkmap(tmp_path, 12, f'soffice = "{soffice}"\ntaken = 2\n')
    build = subprocess.Popen([BRIEFGEN, "-C", str(root), "build", "--formaat", "pdf"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while len(_sockets(build.pid)) < 2 and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(_sockets(build.pid)) == 2, "the build's two LibreOffices did not start"
        build.send_signal(how)
        _, stderr = build.communicate(timeout=60)
        assert build.returncode == 130, stderr
        assert _sockets(build.pid) == []
    finally:
        build.kill()
        for name in _sockets(build.pid):
            os.unlink(os.path.join("/tmp", name))


def test_briefgen_paused_longer_than_the_time_out_is_not_taken_for_a_hanging_libreoffice(soffice, uno, tmp_path):  # noqa: F811
    """``kill -STOP`` of briefgen (only) for longer than pdf_timeout, while its LibreOffice converts: LibreOffice went
    on and answered meanwhile, so every letter is built."""
    root = _werkmap(tmp_path, 8, f'soffice = "{soffice}"\npdf_timeout = 4\ntaken = 1\n')
    build = subprocess.Popen([BRIEFGEN, "-C", str(root), "build", "--formaat", "pdf"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not list((root / "build" / "serie").glob("*.pdf")) and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        build.send_signal(signal.SIGSTOP)
        time.sleep(7)
        build.send_signal(signal.SIGCONT)
        stdout, stderr = build.communicate(timeout=180)
        assert "reageerde niet" not in stderr and "niet meer geprobeerd" not in stderr
        assert build.returncode == 0, stderr
        assert len(list((root / "build" / "serie").glob("*.pdf"))) == 8
    finally:
        build.send_signal(signal.SIGCONT)
        build.kill()


DRIVER = """
import sys
from pathlib import Path
from briefgen.builders.resident import ResidentConverter
soffice, python, work = sys.argv[1:]
converter = ResidentConverter(soffice, python=python, timeout=3, workdir=Path(work), warm_up=False, prepares_profile=False)
converter.start()
print("gestart", flush=True)
reason, _ = converter.convert_one(Path(work) / "brief.docx", Path(work) / "brief.pdf", "brief")
converter.aborted.set()  # close at once: the fake LibreOffice does not quit
converter.close()
print(reason or "ok", flush=True)
"""

# A bridge that LibreOffice needs 6 s to answer.
SLOW_BRIDGE = f"""#!{sys.executable}
import json, sys, time
print(json.dumps({{"ready": True}}), flush=True)
for line in sys.stdin:
    if json.loads(line).get("quit"):
        break
    time.sleep(6)
    print(json.dumps({{"ok": True}}), flush=True)
"""


def test_an_answer_that_comes_after_briefgen_was_paused_is_not_a_time_out(tmp_path):
    """A kept LibreOffice's letter takes 6 s; pdf_timeout 3 s; briefgen is stopped from 0.5 s to 5.5 s after asking. Of
    the 6 s briefgen itself ran 1.5 s when the answer comes: no time-out (a time-out without the pause, as before)."""
    fake_soffice, bridge = tmp_path / "soffice", tmp_path / "python"
    fake_soffice.write_text("#!/bin/sh\nexec sleep 1000\n", encoding="utf-8")
    bridge.write_text(SLOW_BRIDGE, encoding="utf-8")
    for program in (fake_soffice, bridge):
        program.chmod(0o755)
    driver = subprocess.Popen([sys.executable, "-c", DRIVER, str(fake_soffice), str(bridge), str(tmp_path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert driver.stdout is not None
        assert driver.stdout.readline() == "gestart\n"
        time.sleep(0.5)
        driver.send_signal(signal.SIGSTOP)
        time.sleep(5)
        driver.send_signal(signal.SIGCONT)
        stdout, stderr = driver.communicate(timeout=60)
        assert stdout == "ok\n", stderr
    finally:
        driver.send_signal(signal.SIGCONT)
        driver.kill()
