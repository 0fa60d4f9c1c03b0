"""``write_transient``: a DOCX staged only for LibreOffice is written in place, without a temporary file or fsync
(it is removed after its PDF, and the scratch folder is cleared at every build); a DOCX that is also delivered
is still written atomically and synced."""

from __future__ import annotations

import os
import stat

import pytest

from briefgen import pipeline
from briefgen.fileio import write_transient
from briefgen.settings import Settings
from tests.fuzz.conftest import SMALL_LETTER
from tests.fuzz.helpers import new_werkmap, outputs

STYLE_2021 = ("hilversum-rib-2021",)


def test_written_whole_in_place_and_replaced(tmp_path):
    target = tmp_path / ".briefgen-tmp" / "x" / "brief.docx"
    data = bytes(range(256)) * 4000  # more than one write() may take
    write_transient(target, data)
    assert target.read_bytes() == data
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o644
    write_transient(target, b"kort")  # an existing file is cut to the new length
    assert target.read_bytes() == b"kort"
    assert [p.name for p in target.parent.iterdir()] == ["brief.docx"]  # no temporary file


def test_a_symbolic_link_in_its_place_is_refused_and_its_target_untouched(tmp_path):
    elsewhere = tmp_path / "elders.txt"
    elsewhere.write_bytes(b"van iemand anders")
    target = tmp_path / "brief.docx"
    target.symlink_to(elsewhere)
    with pytest.raises(OSError):
        write_transient(target, b"PK")
    assert elsewhere.read_bytes() == b"van iemand anders"


class _Interrupted:
    """Stands in for the PDF step once every letter is rendered (their DOCX staged): Ctrl-C."""

    def convert(self, jobs):
        raise KeyboardInterrupt


def _synced_docx(monkeypatch, tmp_path, formats: tuple[str, ...]) -> list[str]:
    """The files under build/.briefgen-tmp that were fsynced while a build with ``formats`` staged its DOCX."""
    werkmap = new_werkmap(tmp_path / "werkmap", {f"x/brief{i}.yaml": SMALL_LETTER.format(n=i) for i in range(2)},
                          templates=STYLE_2021)
    synced: list[str] = []
    real = os.fsync

    def fsync(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(werkmap, Settings(jobs=1), formats=formats, converter=_Interrupted())
    assert outputs(werkmap, "docx") == {}  # nothing delivered without its PDF
    return [path for path in synced if "/.briefgen-tmp/" in path]


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to name a descriptor's file")
def test_a_docx_staged_only_for_libreoffice_is_not_synced(monkeypatch, tmp_path):
    assert _synced_docx(monkeypatch, tmp_path, ("pdf",)) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to name a descriptor's file")
def test_a_docx_that_is_delivered_too_is_still_synced(monkeypatch, tmp_path):
    synced = _synced_docx(monkeypatch, tmp_path, ("docx", "pdf"))
    assert len(synced) == 2 and all(".docx." in path and path.endswith(".tmp") for path in synced)
