"""The command line: the only package that prints and chooses exit codes. One module per command.

Command modules import the core they need inside the command, so that starting briefgen (and a
build with nothing to do) does not pay for libraries another command uses.
"""

import os

from briefgen.cli import build, check, importing, init, listing, new, schema, templates, templates_new, watch  # noqa: F401  (registers the commands)
from briefgen.cli.app import app


def main() -> None:
    # pydantic would otherwise look through the metadata of every installed package for plugins (entry
    # points) when the first model is built, and run any it finds on every letter: briefgen uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app(prog_name="briefgen")


__all__ = ["app", "main"]
