"""Readable text of built letters, for golden comparisons: DOCX structure and PDF text."""

from __future__ import annotations

import subprocess
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

W_P, W_TBL = qn("w:p"), qn("w:tbl")


def docx_text(path: Path) -> str:
    """Headers, body and footers in order; headings marked with #, list items with their level."""
    document = Document(str(path))
    lines: list[str] = []
    section = document.sections[0]
    for label, part in (("kop eerste pagina", section.first_page_header), ("kop", section.header)):
        text = _paragraphs_text(part)
        if text:
            lines.append(f"[{label}] {text}")
    for element in document.element.body.iterchildren():
        if element.tag == W_P:
            lines.append(_paragraph_line(element))
        elif element.tag == W_TBL:
            lines.extend(_table_lines(element))
    for label, part in (("voet eerste pagina", section.first_page_footer), ("voet", section.footer)):
        text = _paragraphs_text(part)
        if text:
            lines.append(f"[{label}] {text}")
    return "\n".join(line for line in lines if line.strip()) + "\n"


def _paragraphs_text(part) -> str:
    texts = [_text(p._p) for p in part.paragraphs]
    for table in part.tables:
        texts.extend(" | ".join(_text(c._tc) for c in row.cells) for row in table.rows)
    return " / ".join(t for t in texts if t.strip())


def _text(element) -> str:
    parts = []
    for node in element.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
        if node.getparent().tag == qn("w:tabs"):  # a tab stop's definition, not a tab character
            continue
        parts.append(node.text or "" if node.tag == qn("w:t") else ("\n" if node.tag == qn("w:br") else "\t"))
    return "".join(parts)


def _paragraph_line(p) -> str:
    text = _text(p)
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    style_id = style.get(qn("w:val")) if style is not None else ""
    numpr = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if style_id.startswith("Heading") or style_id.startswith("Kop"):
        return f"{'#' * int(style_id[-1] if style_id[-1].isdigit() else 1)} {text}"
    if numpr is not None:
        level = int(numpr.find(qn("w:ilvl")).get(qn("w:val")))
        return f"{'  ' * level}- {text}"
    return text


def _table_lines(tbl) -> list[str]:
    rows = []
    for tr in tbl.iter(qn("w:tr")):
        cells = [" / ".join(_text(p) for p in tc.iter(W_P) if _text(p).strip()) for tc in tr.iter(qn("w:tc"))]
        if any(cells):
            rows.append("| " + " | ".join(cells) + " |")
    return rows


def pdf_text(path: Path) -> str:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    text = result.stdout.decode("utf-8").replace("\f", "\n[nieuwe pagina]\n")
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip()) + "\n"
