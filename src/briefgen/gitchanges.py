"""Which werkmap files changed since a git revision (for ``briefgen build --sinds REV``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from briefgen.problems import BriefgenError


def changed_since(root: Path, revision: str) -> set[str]:
    """Werkmap-relative paths changed since ``revision``: committed, staged, unstaged and new files."""
    diff = _git(root, "diff", "--name-only", "--relative", revision, "--")
    new = _git(root, "ls-files", "--others", "--exclude-standard")
    return {line for line in (diff + new).splitlines() if line}


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise BriefgenError("--sinds heeft git nodig, maar git is niet geïnstalleerd") from None
    if result.returncode != 0:
        reason = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"code {result.returncode}"
        raise BriefgenError(f"git kon de wijzigingen niet bepalen ({reason}); is dit een git-repository en bestaat de revisie?")
    return result.stdout
