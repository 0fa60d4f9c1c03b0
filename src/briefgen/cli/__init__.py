"""The command line: the only package that prints and chooses exit codes. One module per command.

Command modules import the core they need inside the command, so that starting briefgen (and a
build with nothing to do) does not pay for libraries another command uses.
"""

from briefgen.cli import build, check, importing, init, listing, new, schema, templates, templates_new, watch  # noqa: F401  (registers the commands)
from briefgen.cli.app import app


def main() -> None:
    app(prog_name="briefgen")


__all__ = ["app", "main"]
