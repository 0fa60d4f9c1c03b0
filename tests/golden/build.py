"""Build the repository's example letters into a scratch copy of the werkmap."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefgen import pipeline
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap
from tests.conftest import REPO  # noqa: E402  (one definition of the repository root)

EXPECTED = Path(__file__).resolve().parent / "expected"


def build_examples(target: Path, formats: tuple[str, ...]) -> tuple[Werkmap, pipeline.BuildReport]:
    for folder in ("content", "templates"):
        shutil.copytree(REPO / folder, target / folder)
    werkmap = Werkmap(target)
    report = pipeline.build(werkmap, Settings(), formats=formats)
    return werkmap, report


def outputs(werkmap: Werkmap, suffix: str) -> dict[str, Path]:
    """Built outputs by their name under build/ (e.g. ``hilversum/2021/x.docx``)."""
    return {p.relative_to(werkmap.build).as_posix(): p for p in sorted(werkmap.build.rglob(f"*.{suffix}"))
            if not p.relative_to(werkmap.build).parts[0].startswith(".")}
