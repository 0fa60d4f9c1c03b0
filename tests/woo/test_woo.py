"""Woo metadata: a DiWoo file next to every PDF, every value from the shipped TOOI value list."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from lxml import etree

from briefgen import tooi, woo
from tests.cli.helpers import invoke
from tests.golden.build import outputs

D = f"{{{woo.NS}}}"
F = f"{{{woo.FILE_NS}}}"
EXPECTED = {  # letter → (identifier, publisher URI, organisation, creation date)
    "hilversum/2016/inkoop-sociaal-domein-2017": ("2016 - 34", "gemeente/gm0402", "Gemeente Hilversum", "2016-07-12"),
    "hilversum/2021/inkoop-wmo-jeugd": ("2021/45", "gemeente/gm0402", "Gemeente Hilversum", "2021-11-16"),
    "hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd": ("2022/12", "gemeente/gm0402", "Gemeente Hilversum", "2022-03-15"),
    "huizen/2021/transitieregelingen-dagbesteding": ("", "gemeente/gm0406", "Gemeente Huizen", "2021-01-12"),
    "rzou/2021/inkoop-jeugdhulp-wmo-begeleiding": ("1006608", "gemeente/gm0355", "Regio Zuid Oost Utrecht", "2021-03-23"),
}


def one(root, path: str) -> etree._Element:
    found = root.findall(path)
    assert len(found) == 1, path
    return found[0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_pdf_has_diwoo_metadata_with_known_values(pdf_build, name):
    pdf = pdf_build.build / f"{name}.pdf"
    root = etree.parse(str(woo.path_for(pdf))).getroot()
    assert root.tag == f"{D}Document"
    meta = one(root, f"{D}DiWoo")
    identifier, publisher, organisation, created = EXPECTED[name]
    ids = meta.findall(f"{D}identifiers/{D}identifier")
    assert [i.text for i in ids] == ([identifier] if identifier else [])
    for role in ("publisher", "opsteller", "verantwoordelijke"):
        element = one(meta, f"{D}{role}")
        assert element.get("resource") == tooi.ORGANISATIONS + publisher
        assert tooi.organisation_uri(element.get("resource")) == element.get("resource")
        assert element.text == organisation
    category = one(meta, f"{D}classificatiecollectie/{D}informatiecategorieen/{D}informatiecategorie")
    known = tooi.category(category.get("resource"))
    assert known is not None and known.label == category.text  # from the shipped value list
    assert known == tooi.DEFAULT_CATEGORY  # a letter to the council: ingekomen stuk
    assert one(meta, f"{D}titelcollectie/{D}officieleTitel").text.strip()
    assert one(meta, f"{D}creatiedatum").text == created
    assert one(meta, f"{D}geldigheid/{D}begindatum").text == created
    dt.date.fromisoformat(created)
    assert (one(meta, f"{D}language").get("resource"), one(meta, f"{D}language").text) == woo.LANGUAGE
    assert (one(meta, f"{D}format").get("resource"), one(meta, f"{D}format").text) == woo.FORMAT
    stored = one(root, f"{F}bestand")
    data = pdf.read_bytes()
    assert one(stored, f"{F}bestandsnaam").text == pdf.name
    assert one(stored, f"{F}bestandsomvang").text == str(len(data))
    assert one(stored, f"{F}sha256").text == hashlib.sha256(data).hexdigest()


def test_one_metadata_file_per_pdf(pdf_build):
    pdfs = outputs(pdf_build, "pdf")
    metadata = {p.relative_to(pdf_build.build).as_posix() for p in pdf_build.build.rglob("*.diwoo.xml")}
    assert metadata == {name.removesuffix(".pdf") + ".diwoo.xml" for name in pdfs}


def test_value_list_is_complete_and_unambiguous():
    assert [c.article for c in tooi.CATEGORIES] == [f"1{x}" for x in "abcde"] + [f"2{x}" for x in "abcdefghijkl"]
    assert len({c.ident for c in tooi.CATEGORIES}) == len(tooi.CATEGORIES)
    for c in tooi.CATEGORIES:
        assert tooi.category(c.article) == tooi.category(c.label.upper()) == tooi.category(c.uri) == c
    assert tooi.organisation_uri("gm0402") == "https://identifier.overheid.nl/tooi/id/gemeente/gm0402"
    assert tooi.organisation_uri("pv26") == "https://identifier.overheid.nl/tooi/id/provincie/pv26"
    assert tooi.organisation_uri("gm402") is None and tooi.organisation_uri("http://example.org/x") is None


def _facts(**changes) -> woo.WooFacts:
    values = dict(title="T", identifier="2021/1", publisher_uri=tooi.organisation_uri("gm0402"), publisher="Gemeente",
                  category=tooi.DEFAULT_CATEGORY, date=dt.date(2021, 1, 2))
    return woo.WooFacts(**{**values, **changes})


def test_text_is_escaped_and_reads_back(tmp_path):
    pdf = tmp_path / "a & b.pdf"
    pdf.write_bytes(b"%PDF-1.7 test")
    title = 'Onderwerp <met> "tekens" & </diwoo:DiWoo> ]]>'
    target = woo.write(_facts(title=title, publisher="A & B <regio>"), pdf)
    assert target == tmp_path / "a & b.diwoo.xml"
    root = etree.parse(str(target)).getroot()
    assert root.findtext(f"{D}DiWoo/{D}titelcollectie/{D}officieleTitel") == title
    assert root.findtext(f"{D}DiWoo/{D}publisher") == "A & B <regio>"
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_changed_organisation_changes_the_metadata(tmp_path):
    """In one process (briefgen watch) another name, code or category of the organisation shows at once."""
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(b"%PDF-1.7 test")
    before = woo.render(_facts(), pdf)
    changed = _facts(publisher="Gemeente Gooise Meren", publisher_uri=tooi.organisation_uri("gm1942"),
                     category=tooi.category("2e"))
    after = woo.render(changed, pdf)
    assert after != before
    root = etree.fromstring(after)
    assert root.findtext(f"{D}DiWoo/{D}publisher") == "Gemeente Gooise Meren"
    assert one(root, f"{D}DiWoo/{D}publisher").get("resource").endswith("/gemeente/gm1942")
    assert root.findtext(f".//{D}informatiecategorie") == "adviezen"
    assert b"gm0402" not in after and b"Gemeente<" not in after


ORGANISATION = "content/organisaties/hilversum.yaml"


def _set_organisation_key(werkmap: Path, text: str) -> None:
    path = werkmap / ORGANISATION
    path.write_text(path.read_text(encoding="utf-8").replace("tooi: gm0402", text), encoding="utf-8")


@pytest.mark.parametrize("text, line, message", [
    ("tooi: gm402", 5, "ongeldige TOOI-code 'gm402'"),
    ("tooi: gm0402\nwoo:\n  informatiecategorie: 2z", 7, "onbekende Woo-informatiecategorie '2z'"),
    ("tooi: gm0402\nwoo:\n  informatiecategorie:\n    raadsbrief: 2a", 8, "raadsbrief"),
    ("tooi: gm0402\nwoo:\n  informatiecategorie: {}", 7, "'informatiecategorie' mag niet leeg zijn"),
])
def test_wrong_woo_settings_are_located_dutch_messages(werkmap, text, line, message):
    _set_organisation_key(werkmap, text)
    result = invoke(werkmap, "check")
    assert result.exit_code == 1
    assert f"{ORGANISATION}:{line}:" in result.output and message in result.output, result.output
    assert "Traceback" not in result.output


def test_category_per_kind(werkmap):
    from briefgen.model import Organisation

    organisation = Organisation.model_validate({
        "naam": "X", "plaatsnaam": "X", "huisstijl": "x", "tooi": "gm0402",
        "woo": {"informatiecategorie": {"informatienota": "2e"}},
    }, by_alias=True)
    assert organisation.woo.category_for("informatienota").label == "adviezen"
    assert organisation.woo.category_for("raadsinformatiebrief") == tooi.DEFAULT_CATEGORY
    single = Organisation.model_validate({"naam": "X", "plaatsnaam": "X", "huisstijl": "x",
                                          "woo": {"informatiecategorie": "vergaderstukken decentrale overheden"}}, by_alias=True)
    assert single.woo.category_for("raadsinformatiebrief").article == "2c"


def test_no_tooi_code_no_metadata_and_a_missing_file_is_made_again(werkmap):
    """Real LibreOffice: the metadata goes with the PDF; deleting it rebuilds both; no TOOI code, no file."""
    from tests.conftest import require_soffice

    require_soffice()
    pdf = werkmap / "build/hilversum/2021/inkoop-wmo-jeugd.pdf"
    assert invoke(werkmap, "build", "--formaat", "pdf").exit_code == 0
    metadata = woo.path_for(pdf)
    assert metadata.is_file()
    metadata.unlink()
    again = invoke(werkmap, "build", "--formaat", "pdf")
    assert (again.exit_code, again.stdout.splitlines()[-1]) == (0, "1 gebouwd, 0 actueel, 0 met fouten.")
    assert metadata.is_file()
    _set_organisation_key(werkmap, "")
    assert invoke(werkmap, "build", "--formaat", "pdf").exit_code == 0
    assert pdf.is_file() and not metadata.exists()  # the old file would describe another PDF


def test_metadata_that_cannot_be_written_is_a_dutch_problem_and_made_next_time(werkmap):
    from tests.conftest import require_soffice

    require_soffice()
    pdf = werkmap / "build/hilversum/2021/inkoop-wmo-jeugd.pdf"
    woo.path_for(pdf).mkdir(parents=True)
    result = invoke(werkmap, "build", "--formaat", "pdf")
    assert result.exit_code == 1
    assert ("content/hilversum/2021/inkoop-wmo-jeugd.yaml: build/hilversum/2021/inkoop-wmo-jeugd.diwoo.xml is een map, "
            "geen bestand: de brief wordt niet gebouwd") in result.output
    assert result.stdout.splitlines()[-1] == "0 gebouwd, 0 actueel, 1 met fouten."
    assert "Traceback" not in result.output and not pdf.exists()  # checked before anything is made
    woo.path_for(pdf).rmdir()
    again = invoke(werkmap, "build", "--formaat", "pdf")
    assert (again.exit_code, again.stdout.splitlines()[-1]) == (0, "1 gebouwd, 0 actueel, 0 met fouten.")
    assert etree.parse(str(woo.path_for(pdf))).getroot().tag == f"{D}Document"
