"""The commands beyond build and check: new, templates check, list, schema, --bijlagen, --sinds, json."""

from __future__ import annotations

import json
import shutil
import subprocess

import pikepdf
import pytest
from docx import Document

from briefgen import schema
from tests.cli.helpers import invoke
from tests.conftest import HEAD, REPO, VALID_LETTER, require_soffice, write


def new(root, *args):
    return invoke(root, "new", "raadsinformatiebrief", "--organisatie", "hilversum", *args)


def test_two_new_letters_get_consecutive_numbers_and_never_overwrite(werkmap):
    first = new(werkmap, "--onderwerp", "Stand van zaken", "--datum", "2021-12-01")
    second = new(werkmap, "--onderwerp", "Stand van zaken", "--datum", "2021-12-02")
    assert (first.exit_code, second.exit_code) == (0, 0)
    assert first.stdout == "content/hilversum/2021/stand-van-zaken.yaml\n"
    assert second.stdout == "content/hilversum/2021/stand-van-zaken-2.yaml\n"
    texts = [(werkmap / out.stdout.strip()).read_text(encoding="utf-8") for out in (first, second)]
    assert 'nummer: "2021/46"' in texts[0] and 'nummer: "2021/47"' in texts[1]  # after 2021/45
    assert "portefeuillehouder" not in texts[0] and "contactpersonen" not in texts[0]  # hilversum-rib-2021 shows neither
    assert "  - kop: Tot slot" in texts[0]


def test_new_letter_in_a_numbering_format_with_spaces(werkmap):
    org = werkmap / "content/organisaties/hilversum.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace('"{jaar}/{volgnummer}"', '"{jaar} - {volgnummer}"'), encoding="utf-8")
    write(werkmap, "content/hilversum/2016/oud.yaml", HEAD.replace("2021-11-16", "2016-07-12") + 'nummer: "2016 - 34"\n')
    result = new(werkmap, "--datum", "2016-08-01")
    assert 'nummer: "2016 - 35"' in (werkmap / result.stdout.strip()).read_text(encoding="utf-8")


def test_next_letter_of_a_series_links_the_previous_and_compares_counts(werkmap):
    result = new(werkmap, "--van", str(werkmap / VALID_LETTER), "--datum", "2022-03-01")
    assert result.exit_code == 0, result.output
    path = werkmap / result.stdout.strip()
    text = path.read_text(encoding="utf-8")
    assert "vorige: hilversum/2021/inkoop-wmo-jeugd" in text and 'nummer: "2022/1"' in text
    assert invoke(werkmap, "build", "--formaat", "docx", str(path)).exit_code == 0
    docx = Document(str(werkmap / "build/hilversum/2022" / path.with_suffix(".docx").name))
    header = [c.text for c in docx.tables[1].rows[0].cells]
    assert header == ["Situatie", "Vorige brief", "Aantal kinderen", "Verschil"]


def test_new_refuses_a_previous_letter_that_is_not_older(werkmap):
    result = new(werkmap, "--van", str(werkmap / VALID_LETTER), "--datum", "2021-01-01")
    assert result.exit_code == 1
    assert "de nieuwe datum moet later zijn" in result.stderr


def test_templates_check_locates_split_tags_unknown_names_and_page_size(werkmap):
    document = Document(str(werkmap / "templates/huizen.docx"))
    paragraph = document.add_paragraph()
    paragraph.add_run("{{ onder")
    paragraph.add_run("werp }}")
    document.add_paragraph("{{ burgemeester }}")
    document.sections[0].page_height = document.sections[0].page_height + 100000
    document.save(str(werkmap / "templates/kapot.docx"))
    result = invoke(werkmap, "templates", "check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("templates/kapot.docx: word/document.xml, alinea ") and ": de template gebruikt 'burgemeester'" in line
               for line in lines)
    assert any(line.startswith("templates/kapot.docx: word/document.xml, alinea ") and "'{{ onderwerp }}'" in line for line in lines)
    assert any(line.startswith("templates/kapot.docx: het paginaformaat is 210 × ") for line in lines)
    assert not any(line.startswith("templates/huizen.docx") for line in lines)
    assert result.stdout == "6 templates gecontroleerd, 3 fouten.\n"


def test_templates_check_reports_an_organisation_whose_house_style_has_no_template(werkmap):
    """Found by a new user: a missing templates/wijdemeren.docx gave '0 fouten' here; only a check of a letter
    said so, at that letter's 'organisatie:' line."""
    organisation = werkmap / "content/organisaties/huizen.yaml"
    text = organisation.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("huisstijl:"))
    organisation.write_text(text.replace("huisstijl: huizen", "huisstijl: wijdemeren"), encoding="utf-8")
    result = invoke(werkmap, "templates", "check")
    assert result.exit_code == 1
    assert result.stderr == (f"content/organisaties/huizen.yaml:{line}:12: huisstijl 'wijdemeren' heeft geen template "
                             "(verwacht templates/wijdemeren.docx); maak hem met 'briefgen templates nieuw' of kies een "
                             "huisstijl uit templates/\n")
    assert result.stdout == "5 templates gecontroleerd, 1 fout.\n"


def test_templates_check_warns_about_a_letterhead_without_page_numbers(werkmap):
    """Found by a new user: a letterhead without a page field gave a 14-page letter without page numbers, unwarned."""
    import io
    import zipfile

    source = (werkmap / "templates/huizen.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            data = old.read(name)
            new.writestr(name, data.replace(b"PAGE", b"DATE") if name.startswith(("word/header", "word/footer")) else data)
    (werkmap / "templates/zonder-nummers.docx").write_bytes(out.getvalue())
    result = invoke(werkmap, "templates", "check")
    assert result.exit_code == 0, result.output
    assert result.stderr == ("templates/zonder-nummers.docx: waarschuwing: de huisstijl heeft geen paginanummer in kop- of "
                             "voettekst: bij een brief van meer pagina's ziet de lezer niet of er een pagina ontbreekt; "
                             "voeg in Word een veld 'Pagina X van Y' toe aan de voettekst\n")


def test_list_shows_series_and_toezeggingen(werkmap):
    shutil.copy(REPO / "content/hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd.yaml", werkmap / "content/hilversum/2022.yaml")
    listing = invoke(werkmap, "list")
    assert listing.exit_code == 0
    row = next(line for line in listing.stdout.splitlines() if line.startswith("content/hilversum/2022.yaml"))
    assert "2022/12" in row and "hilversum/2021/inkoop-wmo-jeugd → •" in row and "hilversum-rib-2021" in row
    commitments = invoke(werkmap, "list", "--toezeggingen").stdout.splitlines()
    assert commitments[1].split()[:2] == ["T21/14", "afgedaan"]


def test_list_toezeggingen_without_any_says_so(werkmap):
    """It printed the header alone (stop 30); CSV keeps its header, for a spreadsheet."""
    result = invoke(werkmap, "list", "--toezeggingen")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "geen toezeggingen\n", "")
    assert invoke(werkmap, "list", "--toezeggingen", "--csv").stdout.splitlines() == ["\ufefftoezegging;status;omschrijving;brief;datum"]


def test_a_previous_letter_with_only_a_kenmerk_is_cited_and_listed_by_it(werkmap):
    """An imported letter has the kenmerk it was sent with, no nummer: before, it was cited as "(RIB van 14 maart
    2021)" and listed with "-"."""
    write(werkmap, "content/x/eerder.yaml", HEAD.replace("2021-11-16", "2021-03-14") + "kenmerk: RIB 2021-07\n")
    write(werkmap, "content/x/later.yaml", HEAD + "vorige: x/eerder\nsecties:\n  - tekst: Zie {{ vorige }}.\n")
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/x/later.yaml")).exit_code == 0
    texts = [p.text for p in Document(str(werkmap / "build/x/later.docx")).paragraphs]
    assert "Zie RIB 2021-07 van 14 maart 2021." in texts
    listing = invoke(werkmap, "list").stdout.splitlines()
    assert next(line for line in listing if line.startswith("content/x/eerder.yaml")).split()[1:3] == ["RIB", "2021-07"]


def test_list_shows_what_it_can_read_of_a_letter_with_errors(werkmap):
    """Found by a new user: a letter with errors was listed with '-' for number, date and subject, even when
    only its signer was wrong; now the row says which letter it is, and its status that it has errors."""
    write(werkmap, "content/x/ondertekend.yaml", HEAD + 'nummer: "2021/77"\nondertekening: [wethouder]\n'
                                                 "secties:\n  - tekst: Tekst.\n")
    write(werkmap, "content/x/datum.yaml", HEAD.replace("2021-11-16", "2021-13-45") + 'nummer: "2021/78"\n')
    write(werkmap, "content/x/lijst.yaml", HEAD + "nummer: [1]\n")
    assert invoke(werkmap, "check", "--geen-spelling").exit_code == 1
    listing = invoke(werkmap, "list").stdout.splitlines()
    signed = next(line for line in listing if line.startswith("content/x/ondertekend.yaml"))
    dated = next(line for line in listing if line.startswith("content/x/datum.yaml"))
    assert "2021/77" in signed and "16 november 2021" in signed and " Test " in signed
    assert "2021/78" in dated and " Test " in dated
    assert signed.endswith("bevat fouten (briefgen check)") and dated.endswith("bevat fouten (briefgen check)")
    listed = next(line for line in listing if line.startswith("content/x/lijst.yaml"))
    assert "16 november 2021" in listed and " Test " in listed  # a broken number hides neither date nor subject


def test_check_json_and_strict(werkmap):
    write(werkmap, "content/x/toekomst.yaml", HEAD.replace("2021-11-16", "2099-01-01") + "secties:\n  - tekst: Tekst.\n")
    relaxed = invoke(werkmap, "check", "--geen-spelling", "--format", "json")
    data = json.loads(relaxed.stdout)
    assert relaxed.exit_code == 0 and data["fout"] is False
    assert {"bestand": "content/x/toekomst.yaml", "regel": 3, "kolom": 8, "ernst": "waarschuwing",
            "melding": "de datum 1 januari 2099 ligt in de toekomst"} in data["problemen"]
    assert invoke(werkmap, "check", "--geen-spelling", "--streng").exit_code == 1


def test_schema_files_are_current_and_name_every_key():
    for kind, name in schema.FILE_NAMES.items():
        assert (REPO / "schema" / name).read_text(encoding="utf-8") == schema.text(kind), "run: briefgen schema --schrijf schema"
    properties = schema.schema("brief")["properties"]
    assert {"soort", "organisatie", "datum", "onderwerp", "secties", "tabellen", "ondertekening", "vorige"} <= set(properties)
    assert properties["onderwerp"]["description"] == "Onderwerp; ook de titel van de PDF"


def test_soffice_setting_that_points_nowhere_is_named_and_nothing_is_built(werkmap):
    (werkmap / "briefgen.toml").write_text('soffice = "/geen/libreoffice"\n', encoding="utf-8")
    result = invoke(werkmap, "build")
    assert result.exit_code == 1
    assert result.stdout == "0 gebouwd, 0 actueel, 1 met fouten.\n"  # the report and the disk agree
    assert not (werkmap / "build/hilversum/2021/inkoop-wmo-jeugd.docx").exists()
    assert not (werkmap / "build/hilversum/2021/inkoop-wmo-jeugd.pdf").exists()
    assert "de instelling 'soffice' in briefgen.toml wijst naar '/geen/libreoffice'" in result.stderr
    assert "--formaat docx" in result.stderr
    assert "Niet gebouwd" in result.stderr


def test_without_libreoffice_the_message_says_how_to_install(werkmap, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "leeg"))
    monkeypatch.delenv("BRIEFGEN_SOFFICE", raising=False)
    result = invoke(werkmap, "build")
    assert (result.exit_code, result.stdout) == (1, "0 gebouwd, 0 actueel, 1 met fouten.\n")
    assert "sudo apt-get install libreoffice-writer-nogui" in result.stderr
    assert not list((werkmap / "build").rglob("*.docx"))
    assert invoke(werkmap, "build", "--formaat", "docx").stdout.endswith("1 gebouwd, 0 actueel, 0 met fouten.\n")


def test_bijlagen_are_appended_with_bookmarks(werkmap):
    require_soffice()
    source = REPO / "content/huizen/2021"
    shutil.copytree(source, werkmap / "content/huizen/2021")
    result = invoke(werkmap, "build", "--bijlagen", str(werkmap / "content/huizen"))
    assert result.exit_code == 0, result.output
    with pikepdf.open(werkmap / "build/huizen/2021/transitieregelingen-dagbesteding.pdf") as pdf:
        with pikepdf.open(source / "bijlagen/transitieregeling-de-oude-pastorie.pdf") as attachment:
            extra = len(attachment.pages)
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        assert titles == ["Transitieregelingen dagbesteding", "Bijlage: Transitieregeling De Oude Pastorie dagbesteding"]
        assert pdf.open_metadata()["{http://www.aiim.org/pdfa/ns/id/}part"] == "2"  # the attachment is PDF/A
        pages = len(pdf.pages)
    plain = invoke(werkmap, "build", "--formaat", "pdf", str(werkmap / "content/huizen"))
    assert plain.stdout.startswith(" pdf  ")  # a PDF without bijlagen is another output: rebuilt
    with pikepdf.open(werkmap / "build/huizen/2021/transitieregelingen-dagbesteding.pdf") as pdf:
        assert len(pdf.pages) == pages - extra


@pytest.fixture
def repository(werkmap):
    def git(*args):
        subprocess.run(["git", "-C", str(werkmap), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "leeg")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "brieven")
    return git


def test_build_since_a_revision_builds_only_what_changed(werkmap, repository):
    write(werkmap, "content/x/nieuw.yaml", HEAD + "secties:\n  - tekst: Tekst.\n")
    result = invoke(werkmap, "build", "--formaat", "docx", "--sinds", "HEAD")
    assert result.stdout == "docx  content/x/nieuw.yaml\n1 gebouwd, 0 actueel, 0 met fouten.\n"
    everything = invoke(werkmap, "build", "--formaat", "docx", "--sinds", "HEAD~1")
    assert everything.stdout.endswith("1 gebouwd, 1 actueel, 0 met fouten.\n")
    assert invoke(werkmap, "build", "--sinds", "geen-revisie").exit_code == 2  # a usage error


def test_switching_bijlagen_on_and_off_rebuilds_the_one_pdf(werkmap):
    require_soffice()
    shutil.copytree(REPO / "content/huizen/2021", werkmap / "content/huizen/2021")
    folder, pdf = str(werkmap / "content/huizen"), werkmap / "build/huizen/2021/transitieregelingen-dagbesteding.pdf"

    def pages(*args):
        result = invoke(werkmap, "build", "--formaat", "pdf", *args, folder)
        assert result.exit_code == 0, result.output
        with pikepdf.open(pdf) as document:
            return result.stdout, len(document.pages)

    plain_out, plain = pages()
    with_out, appended = pages("--bijlagen")
    again_out, again = pages()
    assert " pdf  content/huizen/2021/transitieregelingen-dagbesteding.yaml" in with_out
    assert " pdf  content/huizen/2021/transitieregelingen-dagbesteding.yaml" in again_out  # not "actueel"
    assert appended > plain == again
    assert pages()[0].startswith("0 gebouwd, ")  # and now it is current


def test_a_previous_letter_with_a_zaaknummer_and_a_kenmerk_is_cited_and_listed_by_its_zaaknummer(werkmap):
    """The kenmerk only when there is nothing else: before it was added, such a letter was cited by its zaaknummer."""
    both = "zaaknummer: Z-2021-88\nkenmerk: RIB 2021-07\n"
    write(werkmap, "content/x/eerder.yaml", HEAD.replace("2021-11-16", "2021-03-14") + both)
    write(werkmap, "content/x/later.yaml", HEAD + "vorige: x/eerder\nsecties:\n  - tekst: Zie {{ vorige }}.\n")
    write(werkmap, "content/x/fout.yaml", HEAD + both + "onbekend: 1\n")
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/x/later.yaml")).exit_code == 0
    texts = [p.text for p in Document(str(werkmap / "build/x/later.docx")).paragraphs]
    assert "Zie RIB Z-2021-88 van 14 maart 2021." in texts
    listing = invoke(werkmap, "list").stdout.splitlines()
    assert next(line for line in listing if line.startswith("content/x/eerder.yaml")).split()[1] == "Z-2021-88"
    assert next(line for line in listing if line.startswith("content/x/fout.yaml")).split()[1] == "Z-2021-88"


def test_new_dates_a_letter_today_in_the_netherlands_whatever_the_machines_time_zone(werkmap):
    """Kiritimati (UTC+14) and Adak (UTC-10) are always on different dates; a Dutch letter takes the Dutch one."""
    import os

    from tests.cli.helpers import run

    dates = []
    for zone in ("Pacific/Kiritimati", "America/Adak"):
        done = run("new", "raadsinformatiebrief", "--organisatie", "hilversum", "--onderwerp", f"Zone {zone}",
                   cwd=werkmap, env=dict(os.environ, TZ=zone))
        assert done.returncode == 0, done.stderr
        text = (werkmap / done.stdout.strip()).read_text(encoding="utf-8")
        dates.append(next(line for line in text.splitlines() if line.startswith("datum:")))
    assert dates[0] == dates[1]
