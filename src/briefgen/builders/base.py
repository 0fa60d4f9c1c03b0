"""What every output builder is: a name, a file suffix, ``render`` (a letter's bytes) and ``write``.

Builders render from the resolved :class:`~briefgen.document.Document` and the house-style template
behind it; one letter's failure is a :class:`BuildError` with a Dutch message, never another letter's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefgen.document import Document
from briefgen.fileio import write_atomic
from briefgen.templatefile import TemplateFile, TemplateFileError, open_template


@dataclass(frozen=True)
class Output:
    """A letter's output file: its bytes and, for a package (DOCX), its members as they go into it, in
    archive order (renderhash.py hashes them without unpacking the written file again)."""

    data: bytes
    members: tuple[tuple[str, bytes], ...] = ()


class BuildError(Exception):
    """One letter's output could not be made (message in Dutch)."""


class Builder:
    name: str
    suffix: str
    error: type[BuildError] = BuildError

    def render(self, document: Document) -> bytes:
        raise NotImplementedError

    def output(self, document: Document) -> Output:
        """What :meth:`write` writes; a package's builder gives its members as well."""
        return Output(self.render(document))

    def write(self, document: Document, target: Path) -> Output:
        output = self.output(document)
        write_atomic(target, output.data)
        return output

    def template(self, document: Document) -> TemplateFile:
        """The letter's house-style template, checked (sizes, XML) before anything reads it."""
        try:
            return open_template(document.template)
        except TemplateFileError as exc:
            raise self.error(f"huisstijl {document.template.name}: {exc}") from None
