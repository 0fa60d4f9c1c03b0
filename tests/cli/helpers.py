"""Running briefgen from tests: in-process with Typer's CliRunner, or as a real process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner, Result

from briefgen.cli import app


def invoke(root: Path | None, *args: str) -> Result:
    """``briefgen -C root args…`` in-process; stdout and stderr are kept apart."""
    options = ["-C", str(root)] if root is not None else []
    return CliRunner().invoke(app, [*options, *args])


def _program() -> list[str]:
    script = Path(sys.executable).parent / "briefgen"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "briefgen"]


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """briefgen as a real process (for cwd, environment, exit status and 'no traceback')."""
    return subprocess.run([*_program(), *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


def run_with_own_pid(variable: str, *args: str) -> subprocess.CompletedProcess:
    """:func:`run`, with briefgen's process id in the environment variable ``variable``: a fake program that signals
    briefgen reaches it, whichever process (a worker, the UNO bridge) started the fake."""
    own_pid = f'export {variable}=$$; exec "$@"'  # the shell's id is briefgen's after exec
    return subprocess.run(["sh", "-c", own_pid, "sh", *_program(), *args], capture_output=True, text=True, timeout=120)


def unbroken(name: str) -> str:
    """A person's name as a built DOCX writes it under a signature or beside a contact label: with no-break spaces."""
    return name.replace(" ", "\u00a0")
