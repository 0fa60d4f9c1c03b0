"""The letter's header block as its house style writes it: each label (as written, e.g. 'RIB nr.', 'Betreft',
'zaaknummer') with the field the template shows beside it, in the template's order.

Read from the template's label cells (the value in the next cell of the row) and label paragraphs
(``zaaknummer {{ zaaknummer }}``, or the value in the paragraph below), in the body and then in the
page headers; remembered per template.
The HTML edition shows the same fields under the same labels as the DOCX and PDF.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from docx.oxml.ns import qn

from briefgen.housestyle import template_label, text_of
from briefgen.templatefile import TemplateFile

_PARTS = re.compile(r"word/(document|header\d*)\.xml")
_NAME = r"[A-Za-z_]\w*"
_LITERAL = r"'[^']*'|\"[^\"]*\""
# ``{{ datum }}``, ``{{ kenmerk or nummer }}``, ``{{ bijlagen or 'geen' }}``: what the value cell starts with
_SHOWN = re.compile(rf"\s*\{{\{{-?\s*({_NAME}(?:\s+or\s+{_NAME})*)(?:\s+or\s+({_LITERAL}))?\s*-?\}}\}}")
_OFF = {"0", "false", "off"}


@dataclass(frozen=True)
class HeaderRow:
    label: str  # as the template writes it
    names: tuple[str, ...]  # the fields shown, the first that has a value
    otherwise: str = ""  # the text shown when none has one
    capitals: bool = False  # the label printed in capitals (w:caps): the same word, shown so

    @property
    def field(self) -> str:
        return self.names[0]


@functools.lru_cache(maxsize=16)
def header_rows(source: TemplateFile) -> tuple[HeaderRow, ...]:
    """The header block's labels and their fields, each field once; empty when the template has no such labels."""
    rows: dict[str, HeaderRow] = {}
    parts = sorted((name for name in source.xml if _PARTS.fullmatch(name)), key=lambda name: name != "word/document.xml")
    for part in parts:
        root = source.xml[part]
        for row in root.iter(qn("w:tr")):
            cells = row.findall(qn("w:tc"))
            for cell, beside in zip(cells, cells[1:], strict=False):
                _add(rows, text_of(cell), text_of(beside), cell)
        for paragraph in root.iter(qn("w:p")):
            text = text_of(paragraph)
            if next(paragraph.iterancestors(qn("w:tc")), None) is not None:
                continue
            if "{{" in text:  # "zaaknummer {{ zaaknummer }}"
                before, after = text.split("{{", 1)
                _add(rows, before, "{{" + after, paragraph)
            elif (following := paragraph.getnext()) is not None and following.tag == qn("w:p"):  # the value below
                _add(rows, text, text_of(following), paragraph)
    return tuple(rows.values())


def _add(rows: dict[str, HeaderRow], label_text: str, value_text: str, element) -> None:
    label = template_label(label_text)
    shown = _SHOWN.match(value_text)
    if label is None or shown is None:
        return
    names = tuple(re.split(r"\s+or\s+", shown.group(1)))
    if label[1] not in names or names[0] in rows:  # a label beside some other value: not this field's row
        return
    rows[names[0]] = HeaderRow(label[0], names, (shown.group(2) or "''")[1:-1], _capitals(element))


def _capitals(element) -> bool:
    """Whether the label's text is printed in capitals (``w:caps`` on its runs)."""
    caps = [run.find(f"{qn('w:rPr')}/{qn('w:caps')}") for run in element.iter(qn("w:r")) if run.find(qn("w:t")) is not None]
    return bool(caps) and all(mark is not None and mark.get(qn("w:val"), "1") not in _OFF for mark in caps)
