"""``write_transient``: a DOCX staged only for LibreOffice is written in place, without a temporary file or fsync
(it is removed after its PDF, and the scratch folder is cleared at every build); a DOCX that is also delivered
is still written atomically and synced."""

from __future__ import annotations

import os
import stat

import pytest

from briefgen import pipeline
from briefgen.fileio import LinkInPlace, write_transient
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


@pytest.mark.parametrize("inside", [True, False])
def test_a_symbolic_link_in_its_place_is_refused_and_its_target_untouched(tmp_path, inside):
    """Also a link to a file beside it (in build/ itself), which confined() lets through: it is not followed."""
    elsewhere = tmp_path / "elders.docx"
    elsewhere.write_bytes(b"van iemand anders")
    target = tmp_path / "brief.docx"
    target.symlink_to(elsewhere if inside else tmp_path / "weg" / "nergens.docx")
    with pytest.raises(LinkInPlace, match="op die plaats staat een symbolische koppeling"):
        write_transient(target, b"PK")
    assert elsewhere.read_bytes() == b"van iemand anders" and target.is_symlink()


def test_a_hard_link_in_its_place_keeps_its_content(tmp_path):
    """The file in place is replaced, not written through: another name for it still shows what it showed."""
    other = tmp_path / "uitvoer.docx"
    other.write_bytes(b"de geleverde brief")
    target = tmp_path / "brief.docx"
    os.link(other, target)
    write_transient(target, b"PK nieuw")
    assert target.read_bytes() == b"PK nieuw" and other.read_bytes() == b"de geleverde brief"


def test_a_folder_in_its_place_is_an_os_error(tmp_path):
    (tmp_path / "brief.docx").mkdir()
    with pytest.raises(OSError):
        write_transient(tmp_path / "brief.docx", b"PK")


def test_a_build_whose_staged_docx_is_a_link_to_an_output_in_build_leaves_that_output_alone(tmp_path):
    """The scratch folder linked to a folder in build/ (so the build cannot clear it) with a link, in the place of
    a letter's staged DOCX, to that letter's delivered DOCX: the letter fails with a Dutch message, and the DOCX
    it would have written through keeps its content (a link that stays inside build/ passed confined())."""
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief0.yaml": SMALL_LETTER.format(n=0)}, templates=STYLE_2021)
    delivered = werkmap.build / "x" / "brief0.docx"
    delivered.parent.mkdir(parents=True)
    delivered.write_bytes(b"de geleverde brief")
    (werkmap.build / "elders" / "x").mkdir(parents=True)
    (werkmap.build / "elders" / "x" / "brief0.docx").symlink_to(delivered)
    (werkmap.build / pipeline.SCRATCH).symlink_to(werkmap.build / "elders")
    report = pipeline.build(werkmap, Settings(jobs=1), formats=("pdf",), converter=_Unreached())
    messages = [p.format() for p in report.problems]
    assert any(f"kan build/{pipeline.SCRATCH}/x/brief0.docx niet schrijven: op die plaats staat een symbolische koppeling" in m
               for m in messages), messages
    assert delivered.read_bytes() == b"de geleverde brief"


class _Interrupted:
    """Stands in for the PDF step once every letter is rendered (their DOCX staged): Ctrl-C."""

    def convert(self, jobs):
        raise KeyboardInterrupt


class _Unreached:
    """The PDF step, which a letter whose staged DOCX could not be written never reaches."""

    def convert(self, jobs):
        raise AssertionError(f"reached the PDF step: {jobs}")


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
