"""Fixtures of the fuzz and hazard tests: a LibreOffice baseline werkmap, warm profiles, tmpfs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from briefgen import pipeline
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap
from tests.conftest import require_soffice
from tests.fuzz.helpers import EXAMPLE_2021, can_mount_tmpfs, example, new_werkmap

SMALL_LETTER = """\
soort: raadsinformatiebrief
organisatie: hilversum
datum: 2021-11-16
onderwerp: Korte brief {n}
secties:
  - kop: Aanleiding
    tekst: |
      Dit is brief {n}, met een zin.
ondertekening:
  - rol: burgemeester
"""


@pytest.fixture(scope="session")
def lo_baseline(tmp_path_factory) -> Werkmap:
    """A werkmap with two letters built in every format (PDF by the real LibreOffice), once per session.

    Tests copy it (with build/, manifest and the warm LibreOffice profile) instead of paying
    LibreOffice's first start again.
    """
    require_soffice()
    root = tmp_path_factory.mktemp("lo-baseline") / "werkmap"
    werkmap = new_werkmap(root, {EXAMPLE_2021: example(), "klein/korte-brief.yaml": SMALL_LETTER.format(n=1)})
    report = pipeline.build(werkmap, Settings(jobs=1), formats=pipeline.FORMATS)
    assert report.ok, [p.format() for p in report.problems] + [report.pdf_unavailable]
    return werkmap


@pytest.fixture
def copy_baseline(lo_baseline, tmp_path):
    """copy_baseline() -> a private copy of the built baseline werkmap."""

    def make(name: str = "werkmap") -> Werkmap:
        target = tmp_path / name
        shutil.copytree(lo_baseline.root, target, symlinks=True)
        return Werkmap(target)

    return make


@pytest.fixture
def warm(lo_baseline):
    """warm(werkmap, slots=1): give the werkmap the baseline's LibreOffice profile(s) (saves seconds)."""

    def give(werkmap: Werkmap, slots: int = 1) -> None:
        source = lo_baseline.build / ".briefgen-lo" / "profile-0"
        for slot in range(slots):
            target = werkmap.build / ".briefgen-lo" / f"profile-{slot}"
            if not target.exists():
                shutil.copytree(source, target, symlinks=True)

    return give


@pytest.fixture
def tmpfs(tmp_path):
    """tmpfs(folder, size) mounts a small tmpfs on ``folder``; unmounted after the test.

    Skips with the reason when mounting is not permitted (not root, no CAP_SYS_ADMIN, container).
    """
    reason = can_mount_tmpfs(tmp_path / "mount-probe")
    if reason:
        pytest.skip(f"schijf-vol-test vraagt een eigen tmpfs: {reason}")
    mounted: list[Path] = []

    def mount(folder: Path, size: str = "200k") -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        if subprocess.run(["umount", str(folder)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], check=False)
