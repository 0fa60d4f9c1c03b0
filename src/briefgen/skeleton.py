"""``briefgen init``: a new werkmap with the standard house styles and one example letter."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from briefgen.problems import BriefgenError

GITIGNORE = "/build/\n"


def create(target: Path) -> Path:
    target = target.resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BriefgenError(f"{target} bestaat al en is niet leeg; kies een nieuwe of lege map")
    source = resources.files("briefgen") / "skeleton"
    with resources.as_file(source) as folder:
        shutil.copytree(folder, target, dirs_exist_ok=True, symlinks=False)
    (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return target
