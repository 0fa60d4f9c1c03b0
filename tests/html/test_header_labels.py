"""The HTML edition's header block has the fields of the letter under the house style's own labels, in its order
(builders/headerfields.py): 'RIB nr.', 'Betreft', 'zaaknummer' as the DOCX has them, not fixed words of briefgen's."""

from __future__ import annotations

from pathlib import Path

import docx
import lxml.html
import pytest

from briefgen.builders.headerfields import HeaderRow, header_rows, template_labels
from briefgen.templatefile import open_template
from tests.cli.helpers import invoke
from tests.conftest import write
from tests.golden.extract import docx_text
from tests.html.test_contacts_and_marks import HEADER_CONTACTS
from tests.html.test_html import tokens

HOUSE_STYLES = {
    "hilversum/2016/inkoop-sociaal-domein-2017": [
        ("Van", False), ("Aan", False), ("RIB nr.", False), ("Portefeuillehouder", False), ("Datum", False),
        ("Informatie bij", False), ("Tel. nr.", False), ("Onderwerp", True)],
    "hilversum/2021/inkoop-wmo-jeugd": [("Datum", True), ("Nummer", True), ("Betreft", True)],
    "huizen/2021/transitieregelingen-dagbesteding": [
        ("Aan", False), ("Datum", False), ("Portefeuillehouder", False), ("Onderwerp", False)],
    "rzou/2021/inkoop-jeugdhulp-wmo-begeleiding": [
        ("Aan", False), ("Van", False), ("Datum", False), ("Onderwerp", False), ("zaaknummer", False)],
}


def _header(page) -> list[tuple[str, bool, str]]:
    """The header block's rows: label, whether shown in capitals, and the values after it (joined)."""
    rows: list[tuple[str, bool, str]] = []
    for node in page.xpath("//dl[@class='kop']/*"):
        if node.tag == "dt":
            rows.append((node.text_content(), node.get("class") == "hoofdletters", ""))
        else:
            label, capitals, value = rows[-1]
            rows[-1] = (label, capitals, f"{value} {node.text_content()}".strip())
    return rows


def _docx_words(path: Path) -> str:
    """The DOCX's words, page headers included, without table bars and the colons after labels ('Aan\t:')."""
    return " ".join(word for word in tokens(docx_text(path)) if word != ":")


@pytest.mark.parametrize("name", HOUSE_STYLES)
def test_the_html_header_has_the_labels_and_values_of_the_docx(html_build, name):
    page = lxml.html.parse(str(html_build.build / f"{name}.html")).getroot()
    rows = _header(page)
    assert [(label, capitals) for label, capitals, _ in rows] == HOUSE_STYLES[name]
    words = _docx_words(html_build.build / f"{name}.docx")
    for label, _, value in rows:
        assert value and " ".join(tokens(f"{label} {value}")) in words, (label, value)


def test_phone_numbers_stand_beside_the_names_where_the_house_style_has_no_label_for_them(werkmap):
    """Huizen writes 'naam, telefoon 035 …' in its 'Informatie bij' cell: the HTML too, with tel: links."""
    write(werkmap, "content/t/huizen.yaml", HEADER_CONTACTS.replace("huisstijl: hilversum-rib-2016", "huisstijl: huizen"))
    for kind in ("html", "docx"):
        result = invoke(werkmap, "build", "--formaat", kind, str(werkmap / "content" / "t"))
        assert result.exit_code == 0, result.output
    page = lxml.html.fromstring((werkmap / "build/t/huizen.html").read_bytes())
    rows = _header(page)
    [contacts] = [value for label, _, value in rows if label == "Informatie bij"]
    assert contacts == "G. van den Broek, telefoon 035\u00a0629\u00a02798 A. Rijssenbeek"
    assert [a.get("href") for a in page.xpath("//dl[@class='kop']//a")] == ["tel:+31356292798"]
    assert " ".join(tokens(f"Informatie bij {contacts}")) in _docx_words(werkmap / "build/t/huizen.docx")


def test_labels_of_a_house_style_made_with_nieuw_are_read_with_their_fields(tmp_path):
    """'Ons kenmerk' beside ``{{ kenmerk or nummer }}``, 'Bijlagen' beside ``{{ bijlagen or 'geen' }}``, a label
    with its value in the same paragraph or the one below; a label beside another field's value is no row."""
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    for row, (label, value) in zip(table.rows, [("Ons kenmerk:", "{{ kenmerk or nummer }}"),
                                                ("Bijlagen", "{{ bijlagen or 'geen' }}"), ("Datum", "{{ aan }}")],
                                   strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    document.add_paragraph("Telefoon {{ organisatie.telefoon }}")
    document.add_paragraph("Zaaknummer: {{ zaaknummer }}")
    document.add_paragraph("Betreft").runs[0].font.all_caps = True
    document.add_paragraph("{{ onderwerp }}")
    path = tmp_path / "huisstijl.docx"
    document.save(str(path))
    assert header_rows(open_template(path)) == (
        HeaderRow("Ons kenmerk", ("kenmerk", "nummer")), HeaderRow("Bijlagen", ("bijlagen",), "geen"),
        HeaderRow("Zaaknummer", ("zaaknummer",)), HeaderRow("Betreft", ("onderwerp",), capitals=True))
    # the one reader of a template's labels also has those with no field of theirs beside them ('briefgen import')
    assert [(label.text, label.field) for label in template_labels(open_template(path))] == [
        ("Ons kenmerk", "kenmerk"), ("Bijlagen", "bijlagen"), ("Datum", "datum"),
        ("Telefoon", "informatie_telefoon"), ("Zaaknummer", "zaaknummer"), ("Betreft", "onderwerp")]
