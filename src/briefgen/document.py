"""The resolved letter, as plain data: what every builder (DOCX, HTML, PDF facts, Woo) reads.

Builders and templatecheck import this module, never the resolver: resolve.py makes a
:class:`Document`, the rest only reads it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from briefgen import richtext
from briefgen.templatefields import TemplateFields


@dataclass(frozen=True)
class TableView:
    """A table ready to print: every cell already formatted the Dutch way."""

    name: str
    title: str | None
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...]


@dataclass(frozen=True)
class SectionView:
    heading: str | None
    blocks: tuple[richtext.Block, ...]


@dataclass(frozen=True)
class Document:
    """One letter, resolved: the template to use, its fields, and the body."""

    source: Path
    shown: str
    template: Path
    fields: TemplateFields  # what the house-style template shows
    sections: tuple[SectionView, ...]
    tables: dict[str, TableView]
    attachments: tuple[str, ...]
    attachment_files: tuple[tuple[str, Path], ...]
    commitments: tuple[str, ...]
    title: str
    author: str
    date: dt.date
    organisation: str
    style: str
    extra_inputs: tuple[Path, ...] = field(default_factory=tuple)
