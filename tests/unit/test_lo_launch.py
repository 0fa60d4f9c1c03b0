"""Starting LibreOffice past its shell script: only for the script LibreOffice ships on Linux."""

from __future__ import annotations

import os

import pytest

from briefgen.builders import launch

SCRIPT = "#!/bin/sh\n# …\nexec $RRCHECK $VALGRINDCHECK $STRACECHECK \"$sd_prog/oosplash\" \"$@\"\n"


def _layout(tmp_path, script: str = SCRIPT):
    program = tmp_path / "lib" / "libreoffice" / "program"
    program.mkdir(parents=True)
    for name, text in (("soffice", script), ("oosplash", "#!/bin/sh\n"), ("soffice.bin", "")):
        (program / name).write_text(text)
        (program / name).chmod(0o755)
    link = tmp_path / "bin" / "soffice"
    link.parent.mkdir()
    link.symlink_to(program / "soffice")
    return link, program


@pytest.fixture(autouse=True)
def _linux(monkeypatch):
    monkeypatch.setattr(launch.sys, "platform", "linux")


def test_the_packaged_script_is_replaced_by_oosplash(tmp_path):
    link, program = _layout(tmp_path)
    assert launch.direct(str(link)) == str(program / "oosplash")


def test_oosplash_gets_the_scripts_setting_its_own_path_and_the_users_locale(tmp_path, monkeypatch):
    monkeypatch.setenv("LC_ALL", "nl_NL.UTF-8")
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    _, program = _layout(tmp_path)
    environment = launch.environment(str(program / "oosplash"))
    assert environment["PATH"] == str(program) and environment["SAL_ENABLE_FILE_LOCKING"] == "1"
    assert (environment["LC_ALL"], environment["LANG"], environment["HOME"]) == (
        "nl_NL.UTF-8", "nl_NL.UTF-8", os.environ["HOME"])


def test_a_developer_build_or_a_missing_oosplash_starts_as_given(tmp_path):
    link, program = _layout(tmp_path)
    (program / "ooenv").write_text("# a developer build sources this\n")
    assert launch.direct(str(link)) is None
    (program / "ooenv").unlink()
    (program / "oosplash").unlink()
    assert launch.direct(str(link)) is None


@pytest.mark.parametrize("script", ["\x7fELF", "#!/bin/sh\nexec /opt/other/soffice \"$@\"\n"], ids=["binary", "wrapper"])
def test_anything_but_the_packaged_script_starts_as_given(tmp_path, script):
    link, _ = _layout(tmp_path, script)
    assert launch.direct(str(link)) is None


def test_other_systems_start_as_given(tmp_path, monkeypatch):
    link, _ = _layout(tmp_path)
    monkeypatch.setattr(launch.sys, "platform", "darwin")
    assert launch.direct(str(link)) is None


def test_a_fake_or_missing_soffice_starts_as_given(tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    assert launch.direct(str(fake)) is None
    assert launch.direct(str(tmp_path / "nergens")) is None


def test_the_bridge_imports_launch_from_its_own_folder_with_the_standard_library_only(tmp_path):
    """builders/uno_bridge.py runs under LibreOffice's Python, without briefgen's packages, and removes a killed
    LibreOffice's sockets with launch.remove_sockets: launch.py must load from its folder with nothing but the
    standard library (-S: no site-packages; -I: not even the current folder)."""
    import socket
    import subprocess
    import sys
    from pathlib import Path

    folder = Path(launch.__file__).parent
    left = tmp_path / "left"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as bound:
        bound.bind(str(left))  # bound, nobody listens: as a killed LibreOffice leaves it
        script = f"import sys; sys.path.insert(0, {str(folder)!r}); import launch; print(launch.remove_sockets({str(left)!r}))"
        run = subprocess.run([sys.executable, "-S", "-I", "-c", script], capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]" and not left.exists()
