"""Ctrl-C while briefgen is still importing its commands: no traceback, the CLI's message and exit code."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from briefgen.cli import dutch

INTERRUPT_AT_IMPORT = '''
import sys

class _Interrupt:
    """Ctrl-C (or `kill`: {signal}) arrives while the CLI's module {name} is being imported."""
    def find_spec(self, name, path=None, target=None):
        if name == {name!r}:
            if {signal}:
                import os
                os.kill(os.getpid(), {signal})
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, _Interrupt())
'''


def _interrupted_while_importing(tmp_path: Path, module: str, *command: str, signal: int = 0) -> subprocess.CompletedProcess[str]:
    (tmp_path / "sitecustomize.py").write_text(INTERRUPT_AT_IMPORT.format(name=module, signal=signal), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    return subprocess.run([*command, "--help"], capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)


def test_ctrl_c_while_the_console_script_starts_says_afgebroken_without_a_traceback(tmp_path):
    script = Path(sys.executable).with_name("briefgen")
    result = _interrupted_while_importing(tmp_path, "briefgen.cli.app", str(script))
    assert "Traceback" not in result.stderr
    assert result.stderr == f"briefgen: {dutch.ABORTED}\n"
    assert result.returncode == dutch.EXIT_INTERRUPTED


def test_ctrl_c_while_python_m_briefgen_starts_too(tmp_path):
    result = _interrupted_while_importing(tmp_path, "typer", sys.executable, "-m", "briefgen")
    assert "Traceback" not in result.stderr
    assert result.stderr == f"briefgen: {dutch.ABORTED}\n"
    assert result.returncode == dutch.EXIT_INTERRUPTED


def test_kill_while_briefgen_starts_says_afgebroken_too(tmp_path):
    """SIGTERM before the CLI's own handler is set: the same message and exit code as Ctrl-C, not a silent -15."""
    script = Path(sys.executable).with_name("briefgen")
    result = _interrupted_while_importing(tmp_path, "briefgen.cli.app", str(script), signal=signal.SIGTERM)
    assert "Traceback" not in result.stderr
    assert result.stderr == f"briefgen: {dutch.ABORTED}\n"
    assert result.returncode == dutch.EXIT_INTERRUPTED
