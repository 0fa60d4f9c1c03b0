"""The console script's entry (``briefgen`` and ``python -m briefgen``): Ctrl-C while briefgen is still
starting, before the CLI can handle it, ends it quietly with the CLI's message and exit code."""

import sys


def main() -> None:
    try:
        from briefgen.cli import main as run  # typer, the commands: the first tenths of a second

        run()
    except KeyboardInterrupt:
        # cli.dutch's ABORTED and EXIT_INTERRUPTED: that module may be the one whose import was interrupted
        sys.stderr.write("briefgen: afgebroken\n")
        raise SystemExit(130) from None
