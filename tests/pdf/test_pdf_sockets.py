"""A LibreOffice that briefgen had to kill leaves the socket of its profile's pipe in /tmp
(``OSL_PIPE_<uid>_SingleOfficeIPC_<hash>``): briefgen removes it, so a build leaves nothing outside build/."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from briefgen.builders import launch
from tests.pdf.test_pdf_processes import BRIEFGEN, _werkmap
from tests.pdf.test_pdf_resident_build import uno  # noqa: F401  (fixture)

# Binds the socket LibreOffice would for its profile, then hangs: only a kill ends it.
HANGING = """#!{python}
import hashlib, os, socket, sys, time
if "--version" in sys.argv:
    print("LibreOffice 7.4.7.2 40(Build:2)")
    sys.exit(0)
url = next(a for a in sys.argv if a.startswith("-env:UserInstallation=")).split("=", 1)[1]
name = "SingleOfficeIPC_" + "".join(f"{{b:x}}" for b in hashlib.md5(url.encode("utf-16-le")).digest())
pipe = socket.socket(socket.AF_UNIX)
pipe.bind(f"/tmp/OSL_PIPE_{{os.getuid()}}_{{name}}")
pipe.listen()
time.sleep(600)
"""


def _socket(profile: Path) -> Path:
    return Path("/tmp") / f"OSL_PIPE_{os.getuid()}_{launch.profile_pipe(profile)}"


def _profile(root: Path) -> Path:
    return (root / "build" / ".briefgen-lo" / "profile-0").resolve()


def test_the_pipe_name_is_the_one_libreoffice_gives_its_profile():
    """As LibreOffice 7.4 named it for this profile (seen in /tmp): one byte of the hash (0c) is written as "c"."""
    assert (launch.profile_pipe(Path("/tmp/s27aprobe/my prof é"))
            == "SingleOfficeIPC_1429228ca4ab18765bebc2dfc3ce513")


def test_libreoffice_makes_the_socket_briefgen_names(soffice, tmp_path):
    profile = tmp_path / "een profiel é"
    source = tmp_path / "brief.txt"
    source.write_text("hallo\n" * 2000, encoding="utf-8")
    office = subprocess.Popen([soffice, "--headless", "--norestore", launch.user_installation(profile),
                               "--convert-to", "pdf", "--outdir", str(tmp_path / "uit"), str(source)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not _socket(profile).exists() and office.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _socket(profile).exists()
    finally:
        launch.kill_group(office)
        launch.remove_pipes(launch.profile_pipe(profile))
    assert not _socket(profile).exists()


def test_a_hanging_libreoffice_that_was_killed_leaves_no_socket_in_tmp(tmp_path):
    """Kept running (it never accepts the bridge) and then --convert-to (it hangs): killed both times, no socket left."""
    fake = tmp_path / "soffice"
    fake.write_text(HANGING.format(python=sys.executable), encoding="utf-8")
    fake.chmod(0o755)
    root = _werkmap(tmp_path, 1, f'soffice = "{fake}"\npdf_timeout = 2\ntaken = 1\n')
    profile = _profile(root)
    try:
        result = subprocess.run([BRIEFGEN, "-C", str(root), "build", "--formaat", "pdf"], capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 1, result.stderr
        assert "reageerde niet binnen 2 s" in result.stderr
        assert not _socket(profile).exists()
    finally:
        _socket(profile).unlink(missing_ok=True)


def test_a_kept_libreoffice_stopped_at_once_leaves_no_socket_in_tmp(soffice, uno, tmp_path):  # noqa: F811
    """briefgen watch's LibreOffice, ended at once (Ctrl-C: ``aborted``), is killed: its sockets go with it."""
    from briefgen.builders.resident import ResidentConverter

    converter = ResidentConverter(soffice, workdir=tmp_path / "lo", warm_up=False)
    converter.start()
    socket = _socket(converter.profile)
    try:
        assert socket.exists()
        converter.aborted.set()
        converter.close()
        assert not socket.exists()
    finally:
        converter.close()
        socket.unlink(missing_ok=True)
