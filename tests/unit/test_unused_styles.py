"""drop_unused_styles keeps the styles a letter uses and every style they build on (basedOn, link,
next), and drops the rest; of each kind of link only a style's first counts (as Word reads it)."""

from __future__ import annotations

import docx as python_docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from briefgen.builders.docx import drop_unused_styles

STYLES = {
    "BgA": '<w:basedOn w:val="BgB"/><w:basedOn w:val="BgE"/>',
    "BgB": '<w:link w:val="BgC"/>',
    "BgC": '<w:next w:val="BgD"/>',
    "BgD": "",
    "BgE": "",
    "BgF": '<w:basedOn w:val="BgD"/>',
}


def test_used_styles_and_what_they_build_on_are_kept() -> None:
    document = python_docx.Document()
    styles = document.styles.element
    for style_id, links in STYLES.items():
        styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{style_id}">'
                                f'<w:name w:val="{style_id}"/>{links}</w:style>'))
    document.add_paragraph("tekst")._p.get_or_add_pPr().style = "BgA"
    drop_unused_styles(document)
    kept = {s.get(qn("w:styleId")) for s in styles.iterchildren(qn("w:style"))}
    assert {"BgA", "BgB", "BgC", "BgD"} <= kept
    assert not {"BgE", "BgF"} & kept
