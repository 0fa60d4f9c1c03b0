"""``briefgen new`` after ``import``: a griffie whose house style has no outline of its own goes on with the sections
and contacts of its own latest letter (Zeist: old letters without headings, each with a contact)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from ruamel.yaml import YAML

from tests.cli.helpers import invoke
from tests.cli.test_first_hour import UNFILLED

OLD = """soort: raadsinformatiebrief
organisatie: zeist
datum: {datum}
kenmerk: Z/25/{kenmerk}
onderwerp: Oud {kenmerk}
geimporteerd_uit: oud-{kenmerk}.docx
aanhef: Geachte leden van de raad,
secties:
{secties}contactpersonen:
  - naam: {naam}
    telefoon: "030 698 {kenmerk}"
    email: {email}
    domein: Ruimte
ondertekening: college
"""


def _griffie(tmp_path: Path, style: str = "standaard") -> Path:
    root = tmp_path / "griffie"
    assert invoke(None, "init", str(root), "--gemeente", "Zeist").exit_code == 0
    settings = root / "content/organisaties/zeist.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("huisstijl: standaard", f"huisstijl: {style}"),
                        encoding="utf-8")
    return root


def _old(root: Path, name: str, datum: str, kenmerk: str, sections: str, naam: str = "P. de Vries",
         email: str = "p.devries@zeist.nl") -> None:
    path = root / "content/zeist/2025" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(OLD.format(datum=datum, kenmerk=kenmerk, secties=sections, naam=naam, email=email), encoding="utf-8")


def _new(root: Path):
    made = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-03-02", "--onderwerp", "Proef")
    assert made.exit_code == 0, made.output
    return YAML(typ="safe").load((root / made.stdout.strip()).read_text(encoding="utf-8")), made.stderr


WITHOUT_HEADINGS = "  - tekst: |\n      Wij informeren u.\n"


def test_new_follows_the_latest_letter_without_headings_with_one_section_and_says_so(tmp_path):
    root = _griffie(tmp_path)
    _old(root, "eerder", "2025-01-10", "1111", "  - kop: Aanleiding\n    tekst: Eerder.\n")
    _old(root, "laatste", "2025-06-10", "2222", WITHOUT_HEADINGS)
    data, stderr = _new(root)
    assert data["secties"] == [{"tekst": ""}], data
    assert stderr == ("briefgen: de secties volgen de laatste raadsinformatiebrief van de organisatie "
                      "(content/zeist/2025/laatste.yaml); vul hun tekst in\n"
                      "briefgen: de contactpersonen komen uit content/zeist/2025/laatste.yaml: controleer of zij nog uw "
                      "contactpersonen zijn\n" + UNFILLED)


def test_new_follows_the_headings_of_the_latest_letter(tmp_path):
    root = _griffie(tmp_path)
    _old(root, "laatste", "2025-06-10", "2222",
         "  - tekst: Inleiding.\n  - kop: Aanleiding\n    tekst: A.\n  - kop: Wat gaan we doen\n    tekst: B.\n")
    data, _ = _new(root)
    assert data["secties"] == [{"tekst": ""}, {"kop": "Aanleiding", "tekst": ""}, {"kop": "Wat gaan we doen", "tekst": ""}]


def test_a_published_house_style_keeps_its_own_sections(tmp_path):
    root = _griffie(tmp_path, "huizen")
    _old(root, "laatste", "2025-06-10", "2222", WITHOUT_HEADINGS)
    data, stderr = _new(root)
    assert [section["kop"] for section in data["secties"]] == ["Aanleiding", "Argumentatie", "Kaders", "Kanttekeningen",
                                                               "Financiën", "Alternatieven", "Uitvoering"]
    assert "secties" not in stderr


def test_new_takes_the_contacts_of_the_latest_letter(tmp_path):
    root = _griffie(tmp_path)
    _old(root, "eerder", "2025-01-10", "1111", WITHOUT_HEADINGS, naam="J. Eerder")
    _old(root, "laatste", "2025-06-10", "2222", WITHOUT_HEADINGS)
    data, stderr = _new(root)
    assert data["contactpersonen"] == [{"naam": "P. de Vries", "telefoon": "030 698 2222", "email": "p.devries@zeist.nl",
                                        "domein": "Ruimte"}]
    assert ("briefgen: de contactpersonen komen uit content/zeist/2025/laatste.yaml: controleer of zij nog uw "
            "contactpersonen zijn\n") in stderr


def test_a_heading_with_an_expression_is_left_out_and_the_new_letter_checks(tmp_path):
    """A heading such as 'Besluit {{ kenmerk }}' of the latest letter is not taken: the new letter has no kenmerk, and
    check would refuse it (apart from what every new letter still lacks: its text)."""
    root = _griffie(tmp_path)
    _old(root, "laatste", "2025-06-10", "2222",
         "  - kop: Aanleiding\n    tekst: A.\n  - kop: \"Besluit {{ kenmerk }}\"\n    tekst: B.\n")
    made = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-03-02", "--onderwerp", "Proef")
    assert made.exit_code == 0, made.output
    path = root / made.stdout.strip()
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert data["secties"] == [{"kop": "Aanleiding", "tekst": ""}, {"tekst": ""}], data
    checked = invoke(root, "check", str(path))
    assert "lege sectie:" in checked.output and "{{" not in checked.output, checked.output


@pytest.mark.parametrize("style", ["zeist-rib", "standaard"])
def test_contacts_are_taken_only_where_the_house_style_shows_them(tmp_path, style):
    """zeist-rib: made from Zeist's letter paper, which shows no contact."""
    root = _griffie(tmp_path, style)
    if style == "zeist-rib":
        paper = Document()
        for line in ("Aan de leden van de gemeenteraad van Zeist", "Datum: 12 maart 2024", "Ons kenmerk: Z/24/612345",
                     "Onderwerp: Herinrichting Slotplein", "Geachte leden van de raad,", "Wij informeren u.",
                     "Met vriendelijke groet,"):
            paper.add_paragraph(line)
        paper.save(str(tmp_path / "eigen-brief.docx"))
        made = invoke(root, "templates", "nieuw", "zeist-rib", "--van", str(tmp_path / "eigen-brief.docx"))
        assert made.exit_code == 0, made.output
    _old(root, "laatste", "2025-06-10", "2222", WITHOUT_HEADINGS)
    data, _ = _new(root)
    assert ("contactpersonen" in data) == (style == "standaard"), data
    assert data["secties"] == [{"tekst": ""}]


def test_a_contact_without_phone_and_email_is_taken_with_a_note(tmp_path):
    root = _griffie(tmp_path)
    _old(root, "laatste", "2025-06-10", "2222", WITHOUT_HEADINGS, email="''")
    old = root / "content/zeist/2025/laatste.yaml"
    old.write_text(old.read_text(encoding="utf-8").replace('    telefoon: "030 698 2222"\n', "").replace("    email: ''\n", ""),
                   encoding="utf-8")
    data, stderr = _new(root)
    assert data["contactpersonen"] == [{"naam": "P. de Vries", "domein": "Ruimte"}]
    assert ("briefgen: contactpersoon P. de Vries heeft geen telefoon en geen e-mail: vul 'telefoon:' of 'email:' in "
            "(anders bouwt deze brief niet)\n") in stderr
