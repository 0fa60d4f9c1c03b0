"""Which werkmap files changed since a git revision (for ``briefgen build --sinds REV``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from briefgen.problems import BriefgenError


class UnknownRevision(BriefgenError):
    """``--sinds`` names no commit of the repository: a usage error."""


def changed_since(root: Path, revision: str) -> set[str]:
    """Werkmap-relative paths changed since ``revision``: committed, staged, unstaged and new files.

    ``revision`` comes from the command line: it is resolved to a commit id first, so that it can
    never be read by git as an option (``--output=…``).
    """
    commit = _commit(root, revision)
    diff = _git(root, "diff", "--name-only", "--relative", commit, "--")
    new = _git(root, "ls-files", "--others", "--exclude-standard")
    return {line for line in (diff + new).splitlines() if line}


def _commit(root: Path, revision: str) -> str:
    if not revision or "\0" in revision:
        raise UnknownRevision(f"--sinds: '{revision}' is geen git-revisie")
    if _run(root, "rev-parse", "--git-dir").returncode != 0:
        raise BriefgenError(f"--sinds werkt alleen in een git-repository, en {root} ligt niet in een git-repository")
    found = _run(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    commit = found.stdout.strip()
    if found.returncode != 0 or len(commit) < 40 or not all(c in "0123456789abcdef" for c in commit):
        raise UnknownRevision(
            f"--sinds: '{revision}' is geen commit in deze git-repository; geef een revisie zoals HEAD~1, een tag of een commit-id"
        )
    return commit


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise BriefgenError("--sinds heeft git nodig, maar git is niet geïnstalleerd") from None
    except subprocess.TimeoutExpired:
        raise BriefgenError("git gaf binnen 60 s geen antwoord; probeer het opnieuw") from None


def _git(root: Path, *args: str) -> str:
    result = _run(root, *args)
    if result.returncode != 0:
        reason = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"code {result.returncode}"
        raise BriefgenError(f"git kon de wijzigingen niet bepalen ({reason}); is dit een git-repository en bestaat de revisie?")
    return result.stdout
