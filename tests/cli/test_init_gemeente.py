"""briefgen init --gemeente: a werkmap for a municipality's own letters, with its organisation file."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cli.helpers import invoke
from tests.conftest import REPO


def test_init_with_a_municipality_makes_its_organisation_and_says_what_comes_next(tmp_path):
    root = tmp_path / "griffie"
    result = invoke(None, "init", str(root), "--gemeente", "Súdwest-Fryslân")
    assert result.exit_code == 0, result.output
    path = root / "content" / "organisaties" / "sudwest-fryslan.yaml"
    text = path.read_text(encoding="utf-8")
    assert 'naam: "Gemeente Súdwest-Fryslân"\nplaatsnaam: "Súdwest-Fryslân"\n' in text
    assert f"van: {dt.date.today().year}-01-01" in text
    assert "organisatie gemaakt: content/organisaties/sudwest-fryslan.yaml" in result.stdout
    assert "templates nieuw sudwest-fryslan-rib --van eigen-brief.docx" in result.stdout
    assert "import oude-brieven/ --organisatie sudwest-fryslan" in result.stdout

    assert not (root / "content" / "hilversum").exists()  # no example letter among its own letters
    assert sorted(p.name for p in (root / "content" / "organisaties").iterdir()) == ["sudwest-fryslan.yaml"]
    assert (root / "templates" / "hilversum-rib-2021.docx").is_file()  # the standard house styles stay
    checked = invoke(root, "check", "--geen-spelling")
    assert checked.exit_code == 0, checked.output  # placeholders are warnings, not errors
    not_filled = [line for line in checked.stderr.splitlines() if "nog niet ingevuld" in line]
    assert [line.split(": waarschuwing: ")[1].split(" is ")[0] for line in not_filled] == [
        "de burgemeester", "de gemeentesecretaris"]
    assert all(line.startswith("content/organisaties/sudwest-fryslan.yaml:") for line in not_filled)

    assert ("'briefgen check --streng' slaagt pas als in content/organisaties/sudwest-fryslan.yaml de namen van de "
            "burgemeester en de gemeentesecretaris zijn ingevuld (daar staat nog \"(in te vullen)\")") in result.stdout
    strict = invoke(root, "check", "--streng", "--geen-spelling")
    assert strict.exit_code == 1, strict.output

    made = invoke(root, "new", "raadsinformatiebrief", "--organisatie", "sudwest-fryslan", "--onderwerp", "Eerste brief",
                  "--datum", "2026-03-02")
    assert made.exit_code == 0, made.output
    assert (root / made.stdout.strip()).is_file()
    assert ("briefgen: 'ondertekening: college': de gemeentesecretaris en de burgemeester op 2 maart 2026 zijn nog "
            "'(in te vullen)' in content/organisaties/sudwest-fryslan.yaml: vul de echte namen in; tot dan stopt "
            "briefgen check bij deze brief") in made.stderr


def test_a_new_letter_names_only_the_signer_still_to_fill_in_and_nothing_once_both_are(tmp_path):
    root = tmp_path / "griffie"
    assert invoke(None, "init", str(root), "--gemeente", "Zeist").exit_code == 0
    organisation = root / "content" / "organisaties" / "zeist.yaml"
    text = organisation.read_text(encoding="utf-8")
    mayor = 'naam: "(in te vullen)"\n    functie: burgemeester\n'
    assert mayor in text
    organisation.write_text(text.replace(mayor, mayor.replace("(in te vullen)", "B. Urgemeester")), encoding="utf-8")
    made = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--onderwerp", "Een", "--datum", "2026-03-02")
    assert made.exit_code == 0, made.output
    assert ("briefgen: 'ondertekening: college': de gemeentesecretaris op 2 maart 2026 is nog '(in te vullen)' in "
            "content/organisaties/zeist.yaml") in made.stderr, made.stderr
    organisation.write_text(organisation.read_text(encoding="utf-8").replace('naam: "(in te vullen)"', "naam: S. Ecretaris"),
                            encoding="utf-8")
    made = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--onderwerp", "Twee", "--datum", "2026-03-02")
    assert made.exit_code == 0, made.output
    assert "in te vullen" not in made.stderr, made.stderr


def test_init_with_the_example_municipality_keeps_its_file_and_says_so(tmp_path):
    root = tmp_path / "griffie"
    result = invoke(None, "init", str(root), "--gemeente", "Hilversum")
    assert result.exit_code == 0, result.output
    assert "organisatie: content/organisaties/hilversum.yaml (stond al in de voorbeeldwerkmap)" in result.stdout
    assert "organisatie gemaakt" not in result.stdout
    skeleton = REPO / "src" / "briefgen" / "skeleton" / "content" / "organisaties" / "hilversum.yaml"
    assert (root / "content" / "organisaties" / "hilversum.yaml").read_bytes() == skeleton.read_bytes()
    assert (root / "content" / "hilversum" / "2021" / "inkoop-wmo-jeugd.yaml").is_file()


@pytest.mark.parametrize("name", ["", "  ", "---", "Αθήνα", "Zeist\nUtrecht", "Z" * 81])
def test_init_refuses_a_municipality_name_it_cannot_use_and_makes_nothing(tmp_path, name):
    root = tmp_path / "griffie"
    result = invoke(None, "init", str(root), "--gemeente", name)
    assert result.exit_code == 2, result.output
    assert f"ongeldige waarde voor --gemeente: {name!r} is geen bruikbare plaatsnaam (bijvoorbeeld Zeist)" in result.stderr
    assert not root.exists()
