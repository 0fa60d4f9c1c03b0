"""The console script's entry (``briefgen`` and ``python -m briefgen``): Ctrl-C while briefgen is still
starting, before the CLI can handle it, ends it quietly with the CLI's message and exit code.

``kill`` (SIGTERM) ends every command as Ctrl-C does, from the first moment: the same message, exit
code 130, LibreOffice and the worker processes stopped, nothing half-written.
"""

import signal
import sys


def _interrupt(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _interrupt)  # as cli.app.stop_on_term does for a command's body
    try:
        from briefgen.cli import main as run  # typer, the commands: the first tenths of a second

        run()
    except KeyboardInterrupt:
        # cli.dutch's ABORTED and EXIT_INTERRUPTED: that module may be the one whose import was interrupted
        sys.stderr.write("briefgen: afgebroken\n")
        raise SystemExit(130) from None
