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
from tests.cli.test_templates import TEMPLATE, part, rezip
from tests.conftest import write
from tests.golden.extract import docx_text
from tests.html.browser import axe, evaluate
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
HOUSE_STYLES["hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd"] = HOUSE_STYLES["hilversum/2021/inkoop-wmo-jeugd"]
SUBJECT_LABELS = {"Onderwerp", "Betreft"}


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
    assert [a.get("href") for a in page.xpath("//a[starts-with(@href, 'tel:') or starts-with(@href, 'mailto:')]")] == [
        "tel:+31356292798"]
    assert " ".join(tokens(f"Informatie bij {contacts}")) in _docx_words(werkmap / "build/t/huizen.docx")


def test_labels_of_a_house_style_made_with_nieuw_are_read_with_their_fields(tmp_path):
    """'Ons kenmerk' beside ``{{ kenmerk or nummer }}``, 'Bijlagen' beside ``{{ bijlagen or 'geen' }}``, a label
    with its value in the same paragraph or the one below; a label beside another field's value is no row."""
    document = docx.Document()
    table = document.add_table(rows=4, cols=2)
    for row, (label, value) in zip(table.rows, [("Ons kenmerk:", "{{ kenmerk or nummer }}"),
                                                ("Bijlagen", "{{ bijlagen or 'geen' }}"), ("Datum", "{{ aan }}"),
                                                ("Contactpersoon", "{% for c in contactpersonen %}{{ c.naam }}{% endfor %}")],
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
        HeaderRow("Contactpersoon", ("informatie_bij",)),
        HeaderRow("Zaaknummer", ("zaaknummer",)), HeaderRow("Betreft", ("onderwerp",), capitals=True))
    # the one reader of a template's labels also has those with no field of theirs beside them ('briefgen import')
    assert [(label.text, label.field) for label in template_labels(open_template(path))] == [
        ("Ons kenmerk", "kenmerk"), ("Bijlagen", "bijlagen"), ("Datum", "datum"), ("Contactpersoon", "informatie_bij"),
        ("Telefoon", "informatie_telefoon"), ("Zaaknummer", "zaaknummer"), ("Betreft", "onderwerp")]


def _paragraphs(*texts: str) -> bytes:
    return b"".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>".encode() for text in texts)


def _with_paragraphs(werkmap, *texts: str) -> None:
    """The werkmap's 2021 house style (labels of its own, no contacts) with these paragraphs at the top; a letter built."""
    path = werkmap / TEMPLATE
    added = _paragraphs(*texts)
    path.write_bytes(rezip(path.read_bytes(), part("word/document.xml", lambda b: b.replace(b"<w:body>", b"<w:body>" + added, 1))))
    write(werkmap, "content/t/lus.yaml", HEADER_CONTACTS.replace("huisstijl: hilversum-rib-2016", "huisstijl: hilversum-rib-2021"))
    for kind in ("docx", "html"):
        result = invoke(werkmap, "build", "--formaat", kind, str(werkmap / "content" / "t"))
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("label", "email"), [(None, "{{ c.email }}"), ("Contactpersonen", "{{ c['email'] }}"), (None, "")])
def test_contacts_a_house_style_lists_in_a_loop_are_in_the_html_header(werkmap, label, email, tmp_path):
    """A house style with labels of its own (Datum, Nummer, Betreft) that lists the contacts only in a loop over
    ``contactpersonen``: the HTML header has them too, under its label for them or 'Informatie bij', with links;
    their e-mail addresses only when the letter shows them."""
    _with_paragraphs(werkmap, *([label] if label else []),
                     "{% for c in contactpersonen %}{{ c.naam }} {{ c.telefoon }} " + email + " {% endfor %}")
    page = lxml.html.fromstring((werkmap / "build/t/lus.html").read_bytes())
    mail = ", e-mail a.rijssenbeek@hilversum.nl" if email else ""
    assert [(name, value) for name, _, value in _header(page) if "Broek" in value] == [(label or "Informatie bij", (
        "G. van den Broek, telefoon 035\u00a0629\u00a02798 A. Rijssenbeek" + mail))]
    assert [a.get("href") for a in page.xpath("//a[starts-with(@href, 'tel:') or starts-with(@href, 'mailto:')]")] == [
        "tel:+31356292798", *(["mailto:a.rijssenbeek@hilversum.nl"] if email else [])]
    assert ("hilversum.nl" in page.text_content()) == bool(email)
    words = _docx_words(werkmap / "build/t/lus.docx")  # what the letter shows of them
    shown = "G. van den Broek 035\u00a0629\u00a02798 A. Rijssenbeek" + (" a.rijssenbeek@hilversum.nl" if email else "")
    assert " ".join(tokens(shown)) in words and ("hilversum.nl" in words) == bool(email)
    assert axe(werkmap / "build/t/lus.html", tmp_path)["violations"] == []


@pytest.mark.parametrize("phone", ["", " {{ contactpersonen[0].telefoon }}"])
def test_a_house_style_that_shows_only_the_first_contact_has_only_that_one_in_the_html_header(werkmap, tmp_path, phone):
    """``Contactpersoon {{ contactpersonen[0].naam }}``: the letter names the first contact under its own label, and
    so does the page (not every contact, nor an e-mail address, nor briefgen's 'Informatie bij'); its phone number
    only where the letter shows that too."""
    _with_paragraphs(werkmap, "Contactpersoon", "{{ contactpersonen[0].naam }}" + phone)
    page = lxml.html.fromstring((werkmap / "build/t/lus.html").read_bytes())
    assert [(label, value) for label, _, value in _header(page) if "Broek" in value] == [
        ("Contactpersoon", "G. van den Broek" + (", telefoon 035\u00a0629\u00a02798" if phone else ""))]
    assert bool(page.xpath("//a[starts-with(@href, 'tel:')]")) == bool(phone)
    assert "Informatie bij" not in page.text_content()
    assert "Rijssenbeek" not in page.xpath("//dl[@class='kop']")[0].text_content()
    words = _docx_words(werkmap / "build/t/lus.docx")
    assert "Contactpersoon G. van den Broek" in words and "Rijssenbeek" not in words
    assert axe(werkmap / "build/t/lus.html", tmp_path)["violations"] == []


@pytest.mark.parametrize("phone", ["", "{% if informatie_telefoon %}, telefoon {{ informatie_telefoon }}{% endif %}"])
def test_the_first_contact_shown_as_informatie_bij_has_its_phone_in_the_html_header_only_where_the_letter_does(
        werkmap, tmp_path, phone):
    """``Informatie bij {{ informatie_bij }}`` without ``informatie_telefoon``: the letter leaves the first contact's
    phone number out (``check`` warns), and so does the page; with it, both show it, with a tel: link."""
    _with_paragraphs(werkmap, "Informatie bij", "{{ informatie_bij }}" + phone)
    page = lxml.html.fromstring((werkmap / "build/t/lus.html").read_bytes())
    assert [(label, value) for label, _, value in _header(page) if "Broek" in value] == [
        ("Informatie bij", "G. van den Broek" + (", telefoon 035\u00a0629\u00a02798" if phone else ""))]
    assert bool(page.xpath("//a[starts-with(@href, 'tel:')]")) == bool(phone)
    assert ("629" in page.text_content()) == bool(phone)
    words = _docx_words(werkmap / "build/t/lus.docx")
    assert "G. van den Broek" in words and ("629" in words) == bool(phone)
    assert axe(werkmap / "build/t/lus.html", tmp_path)["violations"] == []


@pytest.mark.parametrize("email", ["{{ contactpersonen[1].email }}", "{{ contactpersonen[1]['email'] }}",
                                   '{{ contactpersonen[1]["email"] }}'])
def test_a_contacts_e_mail_address_the_house_style_shows_by_index_is_in_the_html_header(werkmap, email, tmp_path):
    """``Contactpersoon {{ contactpersonen[1].naam }} {{ contactpersonen[1].email }}``: the letter shows the second
    contact with the e-mail address, and so does the page, under the same label, with a mailto: link; not the
    first contact, whom the letter leaves out."""
    _with_paragraphs(werkmap, "Contactpersoon", "{{ contactpersonen[1].naam }} " + email)
    page = lxml.html.fromstring((werkmap / "build/t/lus.html").read_bytes())
    assert [(label, value) for label, _, value in _header(page) if "Rijssenbeek" in value] == [
        ("Contactpersoon", "A. Rijssenbeek, e-mail a.rijssenbeek@hilversum.nl")]
    assert [a.get("href") for a in page.xpath("//a[starts-with(@href, 'tel:') or starts-with(@href, 'mailto:')]")] == [
        "mailto:a.rijssenbeek@hilversum.nl"]
    assert "Broek" not in page.text_content() and "Informatie bij" not in page.text_content()
    words = _docx_words(werkmap / "build/t/lus.docx")
    assert "Contactpersoon A. Rijssenbeek a.rijssenbeek@hilversum.nl" in words and "Broek" not in words
    assert axe(werkmap / "build/t/lus.html", tmp_path)["violations"] == []


@pytest.mark.parametrize("name", HOUSE_STYLES)
def test_the_subject_is_shown_once_as_the_title_beside_the_house_styles_label(html_build, name):
    """The letter has no title heading but a labelled subject ('Betreft', 'Onderwerp'): the page shows that row
    with the subject as its one h1, not a title and the same words again in the header block."""
    page = lxml.html.parse(str(html_build.build / f"{name}.html")).getroot()
    [title] = page.iter("h1")
    subject = title.text_content()
    assert subject and subject in page.findtext(".//title")
    label = title.getparent().getprevious()
    assert (title.getparent().tag, label.tag, label.text_content() in SUBJECT_LABELS) == ("dd", "dt", True)
    [block] = page.xpath("//dl[@class='kop']")
    assert block.text_content().count(subject) == 1 and page.xpath("//main//dl[@class='kop']//h1") == [title]
    assert f"{label.text_content()} {subject}" in _docx_words(html_build.build / f"{name}.docx")


def test_the_subject_without_a_label_that_can_be_read_is_the_title_above_the_header_block(werkmap):
    path = werkmap / TEMPLATE
    path.write_bytes(rezip(path.read_bytes(), part("word/document.xml", lambda b: b.replace(b">Betreft<", b">Inzake dit<", 1))))
    result = invoke(werkmap, "build", "--formaat", "html")
    assert result.exit_code == 0, result.output
    page = lxml.html.fromstring((werkmap / "build/hilversum/2021/inkoop-wmo-jeugd.html").read_bytes())
    [title] = page.iter("h1")
    assert title.text_content() == "Stand van zaken inkoop Wmo en Jeugd"
    assert title.getnext().tag == "dl" and title.getparent().tag == "main"
    assert "Stand van zaken" not in page.xpath("//dl[@class='kop']")[0].text_content()


def test_the_header_rows_are_in_the_letters_order_paragraphs_and_cells_alike(tmp_path):
    """A label paragraph above a table, and in the table a cell with a label and its value below it: the rows are
    in the order the letter shows them, not first the table's cells and then the paragraphs."""
    document = docx.Document()
    document.add_paragraph("Zaaknummer {{ zaaknummer }}")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Datum", "{{ datum }}"
    table.cell(1, 0).text = "Betreft"
    table.cell(1, 0).add_paragraph("{{ onderwerp }}")
    table.cell(2, 0).text, table.cell(2, 1).text = "Kenmerk", "{{ kenmerk }}"
    path = tmp_path / "volgorde.docx"
    document.save(str(path))
    assert [row.label for row in header_rows(open_template(path))] == ["Zaaknummer", "Datum", "Betreft", "Kenmerk"]
    # 'Betreft' twice: as its cell (nothing beside it) and as the paragraph with its value below
    labels = [label.text for label in template_labels(open_template(path))]
    assert list(dict.fromkeys(labels)) == ["Zaaknummer", "Datum", "Betreft", "Kenmerk"], labels


def test_the_title_in_the_header_block_stands_out_from_the_rows_beside_it(html_build, tmp_path):
    """The h1 in the 'Betreft' row is larger than the other rows' text and bold: a title a reader sees as one."""
    found = evaluate(html_build.build / "hilversum/2021/inkoop-wmo-jeugd.html", tmp_path, (
        "var size=function(e){var s=getComputedStyle(e);return [parseFloat(s.fontSize),parseInt(s.fontWeight)];};"
        "briefgenOut({title:size(document.querySelector('dl.kop h1')),"
        "rows:Array.from(document.querySelectorAll('dl.kop dd:not(:has(h1))')).map(size)});"))
    (title_size, title_weight), rows = found["title"], found["rows"]
    assert rows and all(title_size >= 1.2 * size for size, _ in rows) and title_weight >= 700, found


def test_a_contacts_label_beside_one_contacts_field_is_its_row(tmp_path):
    """'Contactpersoon' beside ``{{ contactpersonen[0].naam }}`` and 'Telefoon' beside its phone number are the
    contacts' rows under those labels; a phone label beside a name is not."""
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    for row, (label, value) in zip(table.rows, [("Tel. nr.", "{{ contactpersonen[0].naam }}"),
                                                ("Contactpersoon", "{{ contactpersonen[0]['naam'] }}"),
                                                ("Telefoon", "{{ contactpersonen[0].telefoon }}")], strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    path = tmp_path / "een.docx"
    document.save(str(path))
    assert header_rows(open_template(path)) == (
        HeaderRow("Contactpersoon", ("informatie_bij",)), HeaderRow("Telefoon", ("informatie_telefoon",)))


def test_an_e_mail_address_shown_by_index_beside_a_loop_is_that_contacts_only(werkmap, tmp_path):
    """The contacts in a loop without their e-mail addresses, and the second one's below it: the page shows
    every contact, and the e-mail address of that one only."""
    _with_paragraphs(werkmap, "Contactpersonen", "{% for c in contactpersonen %}{{ c.naam }} {% endfor %}",
                     "{{ contactpersonen[1].email }}")
    page = lxml.html.fromstring((werkmap / "build/t/lus.html").read_bytes())
    assert [page_contact.text_content() for page_contact in page.xpath("//dl[@class='kop']/dd[@class='contact']")] == [
        "G. van den Broek, telefoon 035\u00a0629\u00a02798", "A. Rijssenbeek, e-mail a.rijssenbeek@hilversum.nl"]
    assert "G. van den Broek A. Rijssenbeek a.rijssenbeek@hilversum.nl" in _docx_words(werkmap / "build/t/lus.docx")
    assert axe(werkmap / "build/t/lus.html", tmp_path)["violations"] == []
