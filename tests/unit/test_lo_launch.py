"""Starting LibreOffice past its shell script: only for the layout the Linux packages install."""

from __future__ import annotations

import os

from briefgen.builders import launch


def _layout(tmp_path, script: str = "#!/bin/sh\nexec oosplash \"$@\"\n"):
    program = tmp_path / "lib" / "libreoffice" / "program"
    program.mkdir(parents=True)
    for name, text in (("soffice", script), ("oosplash", "#!/bin/sh\n"), ("soffice.bin", "")):
        (program / name).write_text(text)
        (program / name).chmod(0o755)
    link = tmp_path / "bin" / "soffice"
    link.parent.mkdir()
    link.symlink_to(program / "soffice")
    return link, program


def test_the_packaged_script_is_replaced_by_oosplash_with_its_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("LC_ALL", "nl_NL.UTF-8")
    link, program = _layout(tmp_path)
    started, environment = launch.command(str(link))
    assert started == str(program / "oosplash")
    assert environment["PATH"] == str(program)
    assert (environment["LC_ALL"], environment["LO_SAVE_LC_ALL"], environment["SAL_ENABLE_FILE_LOCKING"]) == (
        "C", "nl_NL.UTF-8", "1")
    assert environment["HOME"] == os.environ["HOME"]


def test_an_unset_lc_all_is_remembered_as_empty_as_the_script_does(tmp_path, monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    link, _ = _layout(tmp_path)
    assert launch.command(str(link))[1]["LO_SAVE_LC_ALL"] == ""


def test_other_layouts_start_as_given(tmp_path):
    link, program = _layout(tmp_path)
    (program / "ooenv").write_text("# a developer build sources this\n")
    assert launch.command(str(link)) == (str(link), None)
    (program / "ooenv").unlink()
    (program / "oosplash").unlink()
    assert launch.command(str(link)) == (str(link), None)


def test_a_program_that_is_not_a_script_starts_as_given(tmp_path):
    link, program = _layout(tmp_path)
    (program / "soffice").write_bytes(b"\x7fELF")
    assert launch.command(str(link)) == (str(link), None)


def test_a_fake_soffice_starts_as_given(tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    assert launch.command(str(fake)) == (str(fake), None)
    assert launch.command(str(tmp_path / "nergens")) == (str(tmp_path / "nergens"), None)
