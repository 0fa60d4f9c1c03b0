"""What every output builder is: a name, a file suffix, ``render`` (a letter's bytes) and ``write``.

Builders render from the resolved :class:`~briefgen.document.Document` and the house-style template
behind it; one letter's failure is a :class:`BuildError` with a Dutch message, never another letter's.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.document import Document
from briefgen.fileio import write_atomic
from briefgen.templatefile import TemplateFile, TemplateFileError, open_template


class BuildError(Exception):
    """One letter's output could not be made (message in Dutch)."""


class Builder:
    name: str
    suffix: str
    error: type[BuildError] = BuildError

    def render(self, document: Document) -> bytes:
        raise NotImplementedError

    def write(self, document: Document, target: Path) -> None:
        write_atomic(target, self.render(document))

    def template(self, document: Document) -> TemplateFile:
        """The letter's house-style template, checked (sizes, XML) before anything reads it."""
        try:
            return open_template(document.template)
        except TemplateFileError as exc:
            raise self.error(f"huisstijl {document.template.name}: {exc}") from None
