"""``briefgen import``: Word letters (made from scratch with python-docx) become content files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docx import Document

from briefgen.yamlio import load
from tests.cli.helpers import invoke, unbroken
from tests.cli.wordletters import paragraphs_letter, plain_letter, python_docx_letter
from tests.conftest import TEST_SIGNER

TARGET = "content/hilversum/2020/oude-brief-over-kosten.yaml"


def _data(werkmap, rel: str = TARGET):
    loaded, problems = load(werkmap / rel, rel)
    assert not problems, problems
    return loaded.data


def test_a_word_letter_becomes_a_content_file(werkmap, tmp_path):
    source = python_docx_letter(tmp_path / "brief.docx")
    result = invoke(werkmap, "import", str(source), "--organisatie", "hilversum")
    assert result.exit_code == 0, result.output
    assert f"{source} → {TARGET}" in result.stdout
    assert "1 brief geïmporteerd: 1 met alleen waarschuwingen (5 waarschuwingen)." in result.stdout
    data = _data(werkmap)
    assert data["soort"] == "raadsinformatiebrief"
    assert data["organisatie"] == "hilversum"
    assert "huisstijl" not in data  # no template has its labels (Ons kenmerk, Bijlage(n)): the organisation's own
    assert str(data["datum"]) == "2020-03-03"
    assert data["kenmerk"] == "VB/2020/123"
    assert data["onderwerp"] == "Oude brief over kosten"
    assert data["aanhef"] == "Geachte leden van de raad,"
    assert [s["kop"] for s in data["secties"]] == ["Aanleiding", "Kosten"]
    assert data["secties"][0]["tekst"] == (
        "Dit is **vet** en *schuin*, zie [de website](https://www.voorbeeld.nl/). "
        "Een ster \\* en {{ '{{' }} accolades {{ '}}' }} blijven tekst.\n\n"
        "Betreft: dit staat in de tekst en is geen kopblok.\n\n"
        "## Details\n\n- eerste punt\n- tweede punt\n"
    )
    assert data["secties"][1]["tekst"] == (
        'De kosten per post:\n\n{{ tabel("kosten_per_post") }}\n\n'
        "Vragen? U kunt contact opnemen met {{ contactpersonen | contacten }}.\n"
    )
    assert data["tabellen"]["kosten_per_post"] == {
        "titel": "Kosten per post", "soort": "bedrag", "kolommen": ["Datum", "Bedrag"],
        "rijen": [["Huur", 1000], ["Licht", 500]], "totaal": 1500,
    }
    assert data["contactpersonen"] == [{"naam": "E. Seijsener", "domein": "Wmo", "telefoon": "06 18878359"}]
    assert "aan" not in data  # 'Aan de leden van de gemeenteraad': the default
    assert data["bijlagen"] == [{"titel": "Bijlage 1 (in te vullen)"}, {"titel": "Bijlage 2 (in te vullen)"}]
    assert data["slot"] == "Met vriendelijke groet,"
    assert data["ondertekening"] == "college"  # the test secretaris and P.I. Broertjes were in office
    assert result.stderr.splitlines() == [
        f"{source}: waarschuwing: alinea 2: 'Bijlage(n): 2': de brief noemt de titels niet; 'bijlagen:' met 2 titel(s) "
        "'Bijlage N (in te vullen)' ingevuld: vul de echte titels in",
        f"{source}: waarschuwing: alinea 18: 'P.S. Een naschrift.' na de slotformule niet overgenomen",
        f"{source}: waarschuwing: het kopblok heeft labels die de huisstijl 'hilversum-rib-2021' van Gemeente Hilversum niet "
        "heeft ('bijlage(n)') en geen andere huisstijl van Gemeente Hilversum heeft ze alle; 'hilversum-rib-2021' gebruikt: "
        "controleer de kop (of zet 'huisstijl:')",
        *(f"{TARGET}:{40 + n}:12: waarschuwing: de titel van bijlage {n + 1} is nog niet ingevuld ('(in te vullen)'); "
          "vul de echte titel in (of haal de bijlage weg)" for n in range(2)),
    ]
    check = invoke(werkmap, "check", str(werkmap / TARGET))
    assert "fout" not in check.stderr, check.output
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / TARGET)).exit_code == 1  # bijlagen to fill in
    path = werkmap / TARGET
    path.write_text(path.read_text(encoding="utf-8").replace(" (in te vullen)", ""), encoding="utf-8")
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / TARGET))
    assert built.exit_code == 0, built.output


def test_a_wrong_total_and_an_unknown_signer_are_reported(werkmap, tmp_path):
    source = python_docx_letter(tmp_path / "brief.docx", signer="X. Onbekend", total="1.600")
    result = invoke(werkmap, "import", str(source))  # the organisation found by 'wethouders van Hilversum'
    assert result.exit_code == 0, result.output
    assert (f"{source}: waarschuwing: alinea 13: het totaal in de brief (€ 1.600) klopt niet met de som van de rijen; "
            "briefgen rekent het totaal zelf uit") in result.stderr
    assert (f"{source}: waarschuwing: ondertekenaar 'X. Onbekend' (burgemeester) is niet gevonden in het college van "
            "Gemeente Hilversum op 3 maart 2020") in result.stderr
    data = _data(werkmap)
    assert "totaal" not in data["tabellen"]["kosten_per_post"]
    assert data["ondertekening"] == "college"  # not the secretaris alone


def test_an_existing_content_file_is_never_overwritten(werkmap, tmp_path):
    source = python_docx_letter(tmp_path / "brief.docx")
    assert invoke(werkmap, "import", str(source), "-o", "hilversum").exit_code == 0
    first = (werkmap / TARGET).read_bytes()
    again = invoke(werkmap, "import", str(source), "-o", "hilversum", "--opnieuw")
    assert again.exit_code == 0
    assert "content/hilversum/2020/oude-brief-over-kosten-2.yaml" in again.stdout
    assert (werkmap / TARGET).read_bytes() == first
    assert not list((werkmap / "content/hilversum/2020").glob(".*.tmp"))


def test_a_folder_imports_in_one_go_with_a_summary(werkmap, tmp_path):
    folder = tmp_path / "oud"
    folder.mkdir()
    python_docx_letter(folder / "a.docx")
    shutil.copy(folder / "a.docx", folder / "~$a.docx")  # Word's lock file: skipped
    (folder / "kapot.docx").write_bytes(b"geen zip")
    doc = Document()
    doc.add_paragraph("Geachte leden van de raad,")
    doc.add_paragraph("Een brief zonder datum en onderwerp.")
    doc.save(folder / "zonder-kop.docx")
    result = invoke(werkmap, "import", str(folder), "--organisatie", "hilversum")
    assert result.exit_code == 1
    assert "1 brief geïmporteerd: 1 met alleen waarschuwingen (5 waarschuwingen); 2 brieven niet geïmporteerd (zie de fouten hierboven)." in result.stdout
    assert f"{folder / 'kapot.docx'}: geen Word-bestand" in result.stderr
    assert (f"{folder / 'zonder-kop.docx'}: geen datum gevonden in het kopblok (geen label Datum); "
            "verwacht bijvoorbeeld 'Datum: 16 november 2021'") in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (werkmap / "content/hilversum").rglob("*.yaml") if "2020" in p.parts) == [
        "oude-brief-over-kosten.yaml"]


def test_an_unknown_organisation_is_refused_in_dutch(werkmap, tmp_path):
    source = python_docx_letter(tmp_path / "brief.docx")
    result = invoke(werkmap, "import", str(source), "--organisatie", "nergens")
    assert result.exit_code == 1
    assert result.stderr.startswith("briefgen: organisatie 'nergens' bestaat niet; bekend: ")
    missing = invoke(werkmap, "import", str(tmp_path / "weg.docx"))
    assert missing.exit_code == 2 and "bestaat niet" in missing.stderr


TRICKY = """\
soort: raadsinformatiebrief
organisatie: hilversum
datum: 2021-11-16
nummer: "2021/80"
onderwerp: Lastige tekst
secties:
  - kop: Eerste
    tekst: |
      1\\. begint als een lijst, \\- en \\# ook; een \\*ster\\*, een _laag_ streepje en [haken].
      Een harde regel\\
      en ***vet en schuin*** en [**vette link**](https://example.org/a_b).

      3. drie
      4. vier
         - genest
         - ook genest
           1. dieper
      5. vijf

      - los
      - tweede

      * andere lijst

      Tekst met {{ '{{' }} en {{ '{%' }}.
  - kop: Tweede
    tekst: |
      ## Tussenkop

      ### Kleinere kop

      Slot.
toezeggingen:
  - nummer: T21/1
    omschrijving: "Een toezegging: met een dubbele punt"
  - nummer: T21/2
    omschrijving: Afgedaan
    status: afgedaan
bijlagen:
  - titel: Eerste bijlage
  - titel: Tweede bijlage
ondertekening: college
"""


def test_a_letter_with_difficult_text_builds_again_to_the_same_text(werkmap, tmp_path):
    from tests.golden.extract import docx_text

    source = werkmap / "content/hilversum/2021/lastig.yaml"
    source.write_text(TRICKY, encoding="utf-8")
    assert invoke(werkmap, "build", "--formaat", "docx", str(source)).exit_code == 0
    built = werkmap / "build/hilversum/2021/lastig.docx"
    shutil.copy(built, tmp_path / "lastig.docx")
    result = invoke(werkmap, "import", str(tmp_path / "lastig.docx"), "--opnieuw")  # the same letter, on purpose
    assert result.exit_code == 0, result.output
    target = werkmap / "content/hilversum/2021/lastige-tekst.yaml"
    source.unlink()  # the same letter twice has one nummer twice, which build refuses
    again = invoke(werkmap, "build", "--formaat", "docx", str(target))
    assert again.exit_code == 0, again.output
    assert docx_text(werkmap / "build/hilversum/2021/lastige-tekst.docx") == docx_text(built)
    data = _data(werkmap, "content/hilversum/2021/lastige-tekst.yaml")
    assert data["toezeggingen"] == [{"nummer": "T21/1", "omschrijving": "Een toezegging: met een dubbele punt"},
                                    {"nummer": "T21/2", "omschrijving": "Afgedaan", "status": "afgedaan"}]
    assert data["bijlagen"] == [{"titel": "Eerste bijlage"}, {"titel": "Tweede bijlage"}]


def test_what_the_new_file_still_lacks_is_reported_on_its_line(werkmap, tmp_path):
    """A portefeuillehouder not in office on the date: the file is written, check's error is shown."""
    paragraphs_letter(tmp_path / "oud.docx", "Datum: 1 januari 2011", "Onderwerp: Voor de tijd van de secretaris",
                      "Portefeuillehouder: A.B. Jansen", "Geachte leden van de raad,", "Tekst.", "Hoogachtend,")
    result = invoke(werkmap, "import", str(tmp_path / "oud.docx"), "-o", "hilversum")
    assert result.exit_code == 1
    rel = "content/hilversum/2011/voor-de-tijd-van-de-secretaris.yaml"
    assert f"{tmp_path / 'oud.docx'} → {rel}" in result.stdout
    assert "1 brief geïmporteerd: 1 met fouten om te verbeteren (1 fout, 1 waarschuwing)." in result.stdout
    assert (f"{rel}:7:21: portefeuillehouder 'A.B. Jansen' is niet in functie op 1 januari 2011 bij Gemeente Hilversum"
            in result.stderr)  # located in the new file, as briefgen check says it


def test_a_letter_of_an_organisation_that_is_not_recognised(werkmap, tmp_path):
    paragraphs_letter(tmp_path / "wie.docx", "Datum: 1 mei 2021", "Onderwerp: Iets", "Geachte leden van de raad,",
                      "Tekst.")
    result = invoke(werkmap, "import", str(tmp_path / "wie.docx"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'wie.docx'}: organisatie niet herkend; geef haar op met --organisatie" in result.stderr
    assert not list((werkmap / "content").rglob("iets.yaml"))


def test_a_letter_written_in_libreoffice_imports(werkmap, tmp_path):
    from tests.cli.wordletters import libreoffice_letter
    from tests.conftest import require_soffice

    source = libreoffice_letter(tmp_path, require_soffice())
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    data = _data(werkmap, "content/hilversum/2020/een-brief-uit-libreoffice.yaml")
    assert (str(data["datum"]), data["zaaknummer"], data["onderwerp"]) == ("2020-04-01", "Z-2020-7", "Een brief uit LibreOffice")
    assert data["secties"] == [{"kop": "Inleiding", "tekst": "Oude tekst die verdwijnt.\n"}]
    assert "slot" not in data  # 'Hoogachtend,': the default


def test_a_picture_in_the_text_is_reported(werkmap, tmp_path):
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (10, 10)).save(picture, format="PNG")
    doc = Document()
    for line in ("Datum: 1 mei 2021", "Onderwerp: Met een plaatje", "Geachte leden van de raad,", "Tekst."):
        doc.add_paragraph(line)
    doc.add_picture(picture)
    doc.save(tmp_path / "plaatje.docx")
    result = invoke(werkmap, "import", str(tmp_path / "plaatje.docx"), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    assert (f"{tmp_path / 'plaatje.docx'}: waarschuwing: alinea 5: afbeelding niet overgenomen "
            "(een brief heeft alleen tekst en tabellen)") in result.stderr


def test_place_and_date_without_a_label_is_the_date(werkmap, tmp_path):
    doc = Document()
    for line in ("Hilversum, 12 okt. 2021", "Betreft: Plaats en datum", "Geachte leden van de raad,", "Tekst."):
        doc.add_paragraph(line)
    doc.save(tmp_path / "plaats.docx")
    result = invoke(werkmap, "import", str(tmp_path / "plaats.docx"), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    assert str(_data(werkmap, "content/hilversum/2021/plaats-en-datum.yaml")["datum"]) == "2021-10-12"


PLAIN = "content/hilversum/2020/ondertekening-in-alineas.yaml"
ON_BEHALF = "Burgemeester en wethouders van Hilversum,"


@pytest.mark.parametrize(("signature", "expected"), [
    ((ON_BEHALF, "de secretaris,\t\tde burgemeester,", "", f"{TEST_SIGNER}\t\tP.I. Broertjes"), "college"),
    ((ON_BEHALF, "de secretaris,\t\tde burgemeester,", TEST_SIGNER, "P.I. Broertjes"), "college"),
    ((ON_BEHALF, "de secretaris,", TEST_SIGNER, "de burgemeester,", "", "P.I. Broertjes"), "college"),
    (("de burgemeester,", "", "", "P.I. Broertjes"), [{"rol": "burgemeester"}]),
    (("de burgemeester,\n\n\nP.I. Broertjes",), [{"rol": "burgemeester"}]),
    ((ON_BEHALF, "de secretaris,\t\tde burgemeester,", "W. Groot, l.s.\t\tP.I. Broertjes"),
     [{"rol": "secretaris", "markering": "l.s."}, {"rol": "burgemeester"}]),
], ids=["tabs", "names-on-own-lines", "title-name-paragraphs", "one-signer", "line-breaks", "loco"])
def test_a_signature_in_plain_paragraphs_is_taken_over(werkmap, tmp_path, signature, expected):
    source = plain_letter(tmp_path / "brief.docx", closing=("Met vriendelijke groet,", *signature))
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    assert "na de slotformule niet overgenomen" not in result.stderr, result.stderr
    assert "ondertekening" not in result.stderr, result.stderr
    assert _data(werkmap, PLAIN)["ondertekening"] == expected


@pytest.mark.parametrize(("signature", "why"), [
    (("de secretaris,\t\tde burgemeester,", "M. Pieters\t\tM.M. van Leeuwen"), "ondertekenaar 'M. Pieters' (secretaris) is niet gevonden"),
    (("de secretaris,\t\tde burgemeester,", "de griffier,"), "ondertekening 'secretaris, burgemeester, griffier' niet herkend"),
    ((ON_BEHALF,), "geen ondertekenaar overgenomen"),
], ids=["not-in-office", "titles-without-names", "only-on-behalf"])
def test_a_signature_that_cannot_be_read_gets_the_default_and_a_warning(werkmap, tmp_path, signature, why):
    source = plain_letter(tmp_path / "brief.docx", closing=("Met vriendelijke groet,", *signature))
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    assert why in result.stderr, result.stderr
    assert (f"{source}: waarschuwing: geen ondertekenaar overgenomen; 'ondertekening: college' ingevuld, zoals in een nieuwe "
            "brief: controleer wie deze brief ondertekent") in result.stderr, result.stderr
    assert _data(werkmap, PLAIN)["ondertekening"] == "college"


def test_a_letter_without_any_signature_says_so_explicitly(werkmap, tmp_path):
    source = plain_letter(tmp_path / "brief.docx")
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    assert (f"{source}: waarschuwing: geen ondertekening in de brief; 'ondertekening: []' ingevuld (zonder handtekening, "
            "zoals de brief was): controleer of dat klopt") in result.stderr
    assert _data(werkmap, PLAIN)["ondertekening"] == []


def test_check_reports_a_letter_with_a_closing_formula_and_nobody_to_sign(werkmap):
    from tests.conftest import write

    rel = "content/hilversum/2021/zonder-ondertekening.yaml"
    text = ("soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\nnummer: \"2021/90\"\n"
            "onderwerp: Zonder ondertekening\nsecties:\n  - tekst: Tekst.\nslot: Met vriendelijke groet,\n")
    write(werkmap, rel, text)
    result = invoke(werkmap, "check", "--streng", str(werkmap / rel))
    assert result.exit_code == 1
    assert (f"{rel}:8:7: waarschuwing: niemand ondertekent deze brief: hij wordt gebouwd met alleen de slotformule; "
            "vul 'ondertekening:' in (bijvoorbeeld 'ondertekening: college'), of 'ondertekening: []' als dat zo bedoeld is"
            ) in result.stderr
    write(werkmap, rel, text + "ondertekening: []\n")
    assert "niemand ondertekent" not in invoke(werkmap, "check", str(werkmap / rel)).stderr


def test_importing_the_same_letters_again_skips_them(werkmap, tmp_path):
    folder = tmp_path / "oud"
    folder.mkdir()
    python_docx_letter(folder / "a.docx")
    shutil.copy(folder / "a.docx", folder / "kopie van a.docx")
    plain_letter(folder / "b.docx")
    first = invoke(werkmap, "import", str(folder), "-o", "hilversum")
    assert first.exit_code == 0, first.output
    assert "2 brieven geïmporteerd: 2 met alleen waarschuwingen (6 waarschuwingen); 1 brief al eerder geïmporteerd." in first.stdout
    assert (f"{folder / 'kopie van a.docx'}: waarschuwing: al geïmporteerd als {TARGET} (zelfde organisatie, datum en onderwerp); "
            "overgeslagen (--opnieuw importeert de brief toch)") in first.stderr
    files = sorted((werkmap / "content/hilversum/2020").glob("*.yaml"))
    again = invoke(werkmap, "import", str(folder), "-o", "hilversum")
    assert again.exit_code == 0, again.output
    assert "0 brieven geïmporteerd; 3 brieven al eerder geïmporteerd." in again.stdout
    assert f"{folder / 'b.docx'}: waarschuwing: al geïmporteerd als {PLAIN}" in again.stderr
    assert len(again.stderr.splitlines()) == 3  # only that it was skipped, once a letter
    assert sorted((werkmap / "content/hilversum/2020").glob("*.yaml")) == files
    forced = invoke(werkmap, "import", str(folder / "b.docx"), "-o", "hilversum", "--opnieuw")
    assert forced.exit_code == 0 and "content/hilversum/2020/ondertekening-in-alineas-2.yaml" in forced.stdout


def test_the_addressee_and_a_closing_formula_of_its_own_are_kept(werkmap, tmp_path):
    source = plain_letter(tmp_path / "brief.docx", header=("Aan de leden van de commissie Samenleving", "Datum: 3 maart 2020",
                                                           "Onderwerp: Ondertekening in alinea's"),
                          closing=("Met vriendelijke groeten,", "de burgemeester,", "P.I. Broertjes"))
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    assert "boven de aanhef niet overgenomen" not in result.stderr
    data = _data(werkmap, PLAIN)
    assert (data["aan"], data["slot"]) == ("De leden van de commissie Samenleving", "Met vriendelijke groeten,")


def test_import_warnings_come_in_the_order_of_the_letter(werkmap, tmp_path):
    source = plain_letter(tmp_path / "brief.docx", header=("Afdeling Samenleving", "Uw kenmerk: AB/1", "Datum: 3 maart 2020",
                                                           "Onderwerp: Ondertekening in alinea's"),
                          body=("Tekst.",), closing=("Met vriendelijke groet,", "de burgemeester,", "P.I. Broertjes", "P.S. Nog iets."))
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    assert [line.split(": waarschuwing: ")[1][:9] for line in result.stderr.splitlines()] == [
        "alinea 1:", "alinea 2:", "alinea 10", "de brief "]  # what has no paragraph last


def test_a_count_in_the_text_that_is_a_tables_total_becomes_its_expression(werkmap, tmp_path):
    doc = Document()
    for line in ("Datum: 3 maart 2020", "Onderwerp: Tellen", "Geachte leden van de raad,",
                 "In totaal gaat het om 42 mensen, van wie 12 nieuw; op 12 maart meer."):
        doc.add_paragraph(line)
    doc.add_paragraph("Mensen per wijk", style="Caption")
    table = doc.add_table(rows=0, cols=2)
    for row in (("Wijk", "Aantal mensen"), ("Noord", "30"), ("Zuid", "12"), ("Totaal", "42")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = row
    doc.add_paragraph("De wijk telt 1.042 woningen.")
    doc.add_paragraph("Zie artikel 42 van de wet en motie 42 over wonen; om 42 uur, 42 procent, 42 gevallen, "
                      "42 per week, 42 wijken, 42 aantallen.")
    doc.save(tmp_path / "tellen.docx")
    result = invoke(werkmap, "import", str(tmp_path / "tellen.docx"), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    assert (f"{tmp_path / 'tellen.docx'}: waarschuwing: alinea 4: '42 mensen' in de tekst is het totaal van tabel "
            "'mensen_per_wijk'; vervangen door {{ tabellen.mensen_per_wijk.totaal }}, zodat tekst en tabel gelijk blijven"
            ) in result.stderr
    text = _data(werkmap, "content/hilversum/2020/tellen.yaml")["secties"][0]["tekst"]
    assert text.startswith("In totaal gaat het om {{ tabellen.mensen_per_wijk.totaal }} mensen, van wie 12 nieuw; "
                           "op 12 maart meer.\n")  # 12 is no table's total; a date stays a date
    assert "De wijk telt 1.042 woningen." in text
    # numberings, and other things than the table counts (its title and headings say: mensen)
    assert ("Zie artikel 42 van de wet en motie 42 over wonen; om 42 uur, 42 procent, 42 gevallen, 42 per week, "
            "42 wijken, 42 aantallen.") in text


def test_a_closing_formula_with_the_signature_after_line_breaks_is_read(werkmap, tmp_path):
    source = plain_letter(tmp_path / "brief.docx", closing=(
        f"Met vriendelijke groet,\n{ON_BEHALF}\nde secretaris,\tde burgemeester,\n\n{TEST_SIGNER}\tP.I. Broertjes",))
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    data = _data(werkmap, PLAIN)
    assert (data["slot"], data["ondertekening"]) == ("Met vriendelijke groet,", "college")
    assert data["secties"] == [{"tekst": "Tekst.\n"}]


def test_a_letter_imported_before_and_edited_into_an_error_is_still_found(werkmap, tmp_path):
    """The index leaves out a letter with errors; the folder an import writes to is read as written too."""
    source = plain_letter(tmp_path / "b.docx")
    assert invoke(werkmap, "import", str(source), "-o", "hilversum").exit_code == 0
    written = werkmap / PLAIN
    written.write_text(written.read_text(encoding="utf-8") + "opmerking: nog nakijken\n", encoding="utf-8")
    again = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert again.exit_code == 0, again.output
    assert f"{source}: waarschuwing: al geïmporteerd als {PLAIN}" in again.stderr
    assert sorted(p.name for p in written.parent.glob("*.yaml")) == [written.name]


def _table_letter(path, header, body=("Tekst.",), after=(), signature=None, bullets=()):
    """A letter with its header block in a table (label | value), as Word letters often have it; ``signature``:
    rows of cells of a signature table after the closing formula; ``bullets``: (style, text) paragraphs after the body."""
    doc = Document()
    table = doc.add_table(rows=0, cols=2)
    for label, value in header:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    doc.add_paragraph("Geachte leden van de raad,")
    for line in body:
        doc.add_paragraph(line)
    for style, text in bullets:
        doc.add_paragraph(text, style=style)
    doc.add_paragraph("Met vriendelijke groet,")
    for line in after:
        doc.add_paragraph(line)
    if signature:
        sig = doc.add_table(rows=len(signature), cols=len(signature[0]))
        for r, row in enumerate(signature):
            for c, text in enumerate(row):
                sig.cell(r, c).text = text
    doc.save(path)
    return path


def test_an_imported_letter_never_gets_another_organisations_house_style(werkmap, tmp_path):
    """Datum and Onderwerp fit rzou's template best, but a letter of Huizen gets Huizen's (its default)."""
    source = _table_letter(tmp_path / "b.docx", (("Datum", "3 maart 2020"), ("Onderwerp", "Kop van Huizen")))
    result = invoke(werkmap, "import", str(source), "-o", "huizen")
    assert result.exit_code == 0, result.output
    assert "huisstijl" not in _data(werkmap, "content/huizen/2020/kop-van-huizen.yaml")
    assert "huisstijl" not in result.stderr, result.stderr


def test_a_header_block_that_fits_none_of_the_organisations_styles_is_reported(werkmap, tmp_path):
    """No template of Huizen has a Zaaknummer: Huizen's own style, and a warning."""
    source = _table_letter(tmp_path / "b.docx", (("Datum", "3 maart 2020"), ("Zaaknummer", "Z-7"), ("Betreft", "Andere kop")))
    result = invoke(werkmap, "import", str(source), "-o", "huizen")
    assert result.exit_code == 0, result.output
    assert "huisstijl" not in _data(werkmap, "content/huizen/2020/andere-kop.yaml")
    assert (f"{source}: waarschuwing: het kopblok heeft labels die de huisstijl 'huizen' van Gemeente Huizen niet heeft "
            "('zaaknummer') en geen andere huisstijl van Gemeente Huizen heeft ze alle; 'huizen' gebruikt: controleer de kop "
            "(of zet 'huisstijl:')") in result.stderr, result.stderr


def test_the_organisations_own_second_template_is_still_chosen(werkmap, tmp_path):
    """Hilversum's 2016 template (named after it) has Aan and Van; its default (2021) has not."""
    source = _table_letter(tmp_path / "b.docx", (("Datum", "3 maart 2020"), ("Aan", "De raad"), ("Van", "Het college"),
                                                 ("Onderwerp", "Oude kop")))
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    assert _data(werkmap, "content/hilversum/2020/oude-kop.yaml")["huisstijl"] == "hilversum-rib-2016"


@pytest.mark.parametrize("value", ["Hilversum, 3 maart 2020", "Hilversum, 3-3-2020", "Hilversum, 3 mrt. 2020"])
def test_a_place_before_the_date_in_the_header_block_is_left_out(werkmap, tmp_path, value):
    source = _table_letter(tmp_path / "b.docx", (("Datum", value), ("Onderwerp", "Plaats in de cel")))
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    assert str(_data(werkmap, "content/hilversum/2020/plaats-in-de-cel.yaml")["datum"]) == "2020-03-03"


HEADER = (("Datum", "3 maart 2020"), ("Onderwerp", "Ondertekening in een tabel"))
IN_TABLE = "content/hilversum/2020/ondertekening-in-een-tabel.yaml"


@pytest.mark.parametrize(("after", "signature"), [
    ((), (("de secretaris,", "de burgemeester,"), (TEST_SIGNER, "P.I. Broertjes"))),
    ((ON_BEHALF,), (("de secretaris,", "de burgemeester,"), (TEST_SIGNER, "P.I. Broertjes"))),
    ((ON_BEHALF,), ((f"de secretaris,\n\n\n{TEST_SIGNER}", "de burgemeester,\n\n\nP.I. Broertjes"),)),
    ((), ((ON_BEHALF, ON_BEHALF), ("De secretaris", "De burgemeester"), ("", ""), (TEST_SIGNER, "P.I. Broertjes"))),
], ids=["titles-row-names-row", "on-behalf-above", "title-and-name-per-cell", "on-behalf-in-the-table"])
def test_a_signature_in_a_word_table_is_read(werkmap, tmp_path, after, signature):
    source = _table_letter(tmp_path / "b.docx", HEADER, after=after, signature=signature)
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    assert "ondertekening" not in result.stderr and "niet overgenomen" not in result.stderr, result.stderr
    assert _data(werkmap, IN_TABLE)["ondertekening"] == "college"


def test_an_unknown_signer_beside_a_known_one_gives_the_default_signing(werkmap, tmp_path):
    """Not the secretaris alone: whoever else signed would silently drop out of the letter."""
    source = plain_letter(tmp_path / "brief.docx", closing=("Met vriendelijke groet,", ON_BEHALF,
                                                            "de secretaris,\t\tde burgemeester,", f"{TEST_SIGNER}\t\tK. Onbekend"))
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    assert (f"{source}: waarschuwing: ondertekenaar 'K. Onbekend' (burgemeester) is niet gevonden in het college van "
            "Gemeente Hilversum op 3 maart 2020") in result.stderr
    assert "'ondertekening: college' ingevuld" in result.stderr
    assert _data(werkmap, PLAIN)["ondertekening"] == "college"


@pytest.mark.parametrize("title", [("Heading 1", "Bijlagen"), ("Normal", "Bijlagen:"), ("Normal", "Bijlage(n):")],
                         ids=["heading", "paragraph", "paragraph-n"])
def test_a_list_of_attachments_before_the_closing_becomes_bijlagen(werkmap, tmp_path, title):
    source = _table_letter(tmp_path / "b.docx", (("Datum", "3 maart 2020"), ("Onderwerp", "Met bijlagen")),
                           bullets=(title, ("List Bullet", "Overzicht routes"), ("List Bullet", "Kaart Kortenhoef")))
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    data = _data(werkmap, "content/hilversum/2020/met-bijlagen.yaml")
    assert data["bijlagen"] == [{"titel": "Overzicht routes"}, {"titel": "Kaart Kortenhoef"}]
    assert data["secties"] == [{"tekst": "Tekst.\n"}]


def _total_letter(path, sentence, rows, *, caption=None, after=False):
    doc = Document()
    for line in ("Datum: 14 april 2021", "Onderwerp: In totaal", "Geachte leden van de raad,"):
        doc.add_paragraph(line)
    if not after:
        doc.add_paragraph(sentence)
    if caption:
        doc.add_paragraph(caption, style="Caption")
    table = doc.add_table(rows=0, cols=2)
    for row in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = row
    if after:
        doc.add_paragraph(sentence)
    doc.save(path)
    return path


COUNTS = (("Locatie", "Aantal"), ("A", "20"), ("B", "22"))


@pytest.mark.parametrize(("sentence", "rows", "caption", "after", "expected", "said"), [
    ("Wij vangen in totaal 42 mensen op.", (*COUNTS, ("Totaal", "42")), None, False,
     "Wij vangen in totaal {{ tabellen.tabel.totaal }} mensen op.", "'42 mensen'"),
    ("Het gaat in totaal om 42 mensen.", COUNTS, None, False,
     "Het gaat in totaal om {{ tabellen.tabel.totaal }} mensen.", "'42 mensen'"),
    ("In totaal zijn dat 42 mensen.", COUNTS, "Opvang per locatie", True,
     "In totaal zijn dat {{ tabellen.opvang_per_locatie.totaal }} mensen.", "'42 mensen'"),
    ("Wij vangen in totaal 87 ontheemden op.", (("Locatie", "Aantal"), ("A", "50"), ("B", "37")), None, False,
     "Wij vangen in totaal {{ tabellen.tabel.totaal }} ontheemden op.", "'87 ontheemden'"),
    ("De kosten zijn in totaal € 1.245.000.", (("Post", "Bedrag"), ("Bouw", "€ 1.000.000"), ("Inrichting", "€ 245.000")),
     None, False, "De kosten zijn in totaal {{ tabellen.tabel.totaal | bedrag }}.", "'€ 1.245.000'"),
    ("Het zijn in totaal 1.042 woningen.", (("Wijk", "Woningen"), ("Noord", "1.000"), ("Zuid", "42")), None, False,
     "Het zijn in totaal {{ tabellen.tabel.totaal | getal }} woningen.", "'1.042 woningen'"),
], ids=["docs-total-row", "no-total-row", "caption-after-table", "other-word", "amount", "thousands"])
def test_a_number_after_in_totaal_that_is_a_tables_sum_becomes_its_expression(werkmap, tmp_path, sentence, rows, caption,
                                                                               after, expected, said):
    source = _total_letter(tmp_path / "t.docx", sentence, rows, caption=caption, after=after)
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    assert expected in _data(werkmap, "content/hilversum/2021/in-totaal.yaml")["secties"][0]["tekst"]
    assert f"{said} in de tekst is het totaal van tabel" in result.stderr, result.stderr
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/in-totaal.yaml"))
    assert built.exit_code == 0, built.output
    texts = [p.text.replace("\u00a0", " ") for p in Document(str(werkmap / "build/hilversum/2021/in-totaal.docx")).paragraphs]
    assert sentence in texts  # the letter says what it said, now computed from the table


@pytest.mark.parametrize("sentence", ["Wij vangen in totaal 41 mensen op.", "In totaal zijn dat 42 procent, in artikel 42.",
                                      "Het totaal. Wij vangen 42 mensen op."],
                         ids=["not-the-sum", "after-totaal-but-sum-of-nothing", "other-sentence"])
def test_a_number_that_is_not_the_tables_total_stays_literal(werkmap, tmp_path, sentence):
    source = _total_letter(tmp_path / "t.docx", sentence, (("Locatie", "Percentage"), ("A", "20"), ("B", "21"))
                           if "procent" in sentence else COUNTS)
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    assert "tabellen." not in _data(werkmap, "content/hilversum/2021/in-totaal.yaml")["secties"][0]["tekst"]


def test_word_97_files_are_named_with_how_to_convert_them(werkmap, tmp_path):
    """A folder of .doc files was "0 brieven … 0 niet" with exit code 0, one .doc "geen Word-bestand"."""
    folder = tmp_path / "oud"
    folder.mkdir()
    old = folder / "brief.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # an OLE2 compound file, as Word 97-2003 writes
    python_docx_letter(folder / "nieuw.docx")
    how = (f"{old}: een Word 97-2003-bestand (.doc) leest briefgen niet; zet het eerst om naar .docx met "
           f"'soffice --headless --convert-to docx --outdir {folder} {old}' (of bewaar het in Word als .docx)")
    result = invoke(werkmap, "import", str(folder), "--organisatie", "hilversum")
    assert result.exit_code == 1, result.output
    assert how in result.stderr.splitlines()
    assert "1 brief geïmporteerd: 1 met alleen waarschuwingen (5 waarschuwingen); 1 brief niet geïmporteerd (zie de fouten hierboven)." in result.stdout
    single = invoke(werkmap, "import", str(old), "--organisatie", "hilversum")
    assert single.exit_code == 1 and how in single.stderr.splitlines(), single.output
    style = invoke(werkmap, "templates", "nieuw", "oud", "--van", str(old))
    assert style.exit_code == 1 and "een Word 97-2003-bestand (.doc) leest briefgen niet" in style.stderr, style.output
    assert not (werkmap / "templates/oud.docx").exists()


def test_word_files_with_upper_case_suffixes_in_a_folder_are_read(werkmap, tmp_path):
    """OUD2.DOC and NIEUW.DOCX in a folder were skipped without a word: rglob("*.doc") is case-sensitive."""
    folder = tmp_path / "oud"
    (folder / "sub").mkdir(parents=True)
    old = folder / "sub/OUD2.DOC"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    python_docx_letter(folder / "NIEUW.DOCX")
    result = invoke(werkmap, "import", str(folder), "--organisatie", "hilversum")
    assert result.exit_code == 1, result.output
    assert f"{old}: een Word 97-2003-bestand (.doc) leest briefgen niet" in result.stderr, result.stderr
    assert "1 brief geïmporteerd: 1 met alleen waarschuwingen (5 waarschuwingen); 1 brief niet geïmporteerd (zie de fouten hierboven)." in result.stdout


def test_letters_in_another_format_in_a_folder_are_each_named_with_what_to_do(werkmap, tmp_path):
    """.odt, .rtf, .pages and .txt files in a folder were left out without a word; named, each was
    "geen Word-bestand" or "[Content_Types].xml ontbreekt", without saying what to do."""
    folder = tmp_path / "oud"
    (folder / "sub").mkdir(parents=True)
    python_docx_letter(folder / "nieuw.docx")
    (folder / "nieuw.pdf").write_bytes(b"%PDF-1.7\n")
    odt, rtf = folder / "sub/brief.ODT", folder / "brief.rtf"
    pages, txt = folder / "brief.pages", folder / "aantekening.txt"
    odt.write_bytes(b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.text")
    rtf.write_bytes(b"{\\rtf1 Geachte raad}")
    pages.write_bytes(b"PK\x03\x04")
    txt.write_text("Geachte raad,\n")
    (folder / "logo.png").write_bytes(b"\x89PNG")  # no letter: not mentioned
    convert = "zet het eerst om naar .docx met 'soffice --headless --convert-to docx --outdir {} {}'"
    expected = {
        odt: "een OpenDocument-tekst (.odt) leest briefgen niet; " + convert.format(odt.parent, odt)
             + " (of bewaar het in LibreOffice of Word als .docx)",
        rtf: "een RTF-bestand (.rtf) leest briefgen niet; " + convert.format(folder, rtf)
             + " (of bewaar het in LibreOffice of Word als .docx)",
        pages: "een Pages-bestand (.pages) leest briefgen niet; exporteer het in Pages als Word-document (.docx)",
        txt: "een tekstbestand (.txt) is geen Word-brief; zet de tekst in een nieuwe brief (briefgen new)",
    }
    result = invoke(werkmap, "import", str(folder), "--organisatie", "hilversum")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    for path, why in expected.items():
        assert lines.count(f"{path}: waarschuwing: overgeslagen: {why}") == 1, result.stderr
    assert "logo.png" not in result.output
    assert ("1 brief geïmporteerd: 1 met alleen waarschuwingen (5 waarschuwingen); "
            "1 PDF en 4 andere bestanden overgeslagen.") in result.stdout
    (folder / "nieuw.pdf").unlink()
    (folder / "nieuw.docx").unlink()
    alone = invoke(werkmap, "import", str(folder / "sub"), "--organisatie", "hilversum")
    assert alone.exit_code == 0, alone.output
    assert "0 brieven geïmporteerd; 1 bestand in een ander formaat overgeslagen." in alone.stdout
    for path, why in expected.items():
        single = invoke(werkmap, "import", str(path), "--organisatie", "hilversum")
        assert single.exit_code == 1 and single.stderr.splitlines() == [f"{path}: {why}"], single.output
        assert "1 brief niet geïmporteerd (zie de fouten hierboven)." in single.stdout
    style = invoke(werkmap, "templates", "nieuw", "oud", "--van", str(txt))
    assert style.exit_code == 1 and "een tekstbestand (.txt) heeft geen huisstijl" in style.stderr, style.output
    assert not (werkmap / "templates/oud.docx").exists()


@pytest.mark.parametrize(("count", "listed", "expected", "warning"), [
    ("2", (), ["Bijlage 1 (in te vullen)", "Bijlage 2 (in te vullen)"], "de brief noemt de titels niet"),
    ("2", ("Jaarverslag", "Verslag RBL"), ["Jaarverslag", "Verslag RBL"], None),
    ("3", ("Jaarverslag", "Verslag RBL"), ["Jaarverslag", "Verslag RBL"], "maar de brief noemt 2 bijlage(n)"),
    ("2.", (), ["Bijlage 1 (in te vullen)", "Bijlage 2 (in te vullen)"], "de brief noemt de titels niet"),
    ("2 (twee)", (), ["Bijlage 1 (in te vullen)", "Bijlage 2 (in te vullen)"], "de brief noemt de titels niet"),
    ("2 (twee)", ("Jaarverslag", "Verslag RBL"), ["Jaarverslag", "Verslag RBL"], None),
    ("\u00b2", (), ["\u00b2"], None),
    ("Jaarverslag 2020", (), ["Jaarverslag 2020"], None),
    ("geen", (), None, None),
    ("0 (nul)", (), None, None),
], ids=["count", "count-and-list", "count-differs", "count-dot", "count-word", "count-word-and-list", "superscript",
        "title", "none", "zero-word"])
def test_the_number_of_attachments_in_the_header_block_is_kept(werkmap, tmp_path, count, listed, expected, warning):
    """'Bijlage(n): 2' became 'Bijlage(n): geen' in the built letter: the count is kept as bijlagen."""
    doc = Document()
    for line in ("Datum: 3 maart 2021", "Onderwerp: Jaarverslag leerplicht", f"Bijlage(n): {count}",
                 "Geachte leden van de raad,", "Hierbij het jaarverslag.", *(("Bijlagen:",) if listed else ())):
        doc.add_paragraph(line)
    for title in listed:
        doc.add_paragraph(title, style="List Bullet")
    doc.add_paragraph("Met vriendelijke groet,")
    source = tmp_path / "oud.docx"
    doc.save(source)
    result = invoke(werkmap, "import", str(source), "--organisatie", "hilversum")
    assert result.exit_code == 0, result.output
    data = _data(werkmap, "content/hilversum/2021/jaarverslag-leerplicht.yaml")
    assert [b["titel"] for b in data["bijlagen"]] if expected else "bijlagen" not in data, data.get("bijlagen")
    if expected:
        assert [b["titel"] for b in data["bijlagen"]] == expected
    assert "niet overgenomen (geen plaats" not in result.stderr
    if warning:
        assert f"alinea 3: 'Bijlage(n): {count}'" in result.stderr and warning in result.stderr, result.stderr
    else:
        assert "Bijlage(n)" not in result.stderr.replace("('bijlage(n)')", ""), result.stderr


def _loco_letter(path, title="de burgemeester,"):
    doc = Document()
    for line in ("Datum: 3 maart 2020", "Onderwerp: Zwembad", "Geachte leden van de raad,", "Het zwembad is dicht.",
                 "Hoogachtend,", "Burgemeester en wethouders van Hilversum,"):
        doc.add_paragraph(line)
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "de loco-secretaris,\n\n\nW. Groot", f"{title}\n\n\nA.B. Jansen"
    doc.save(path)
    return path


@pytest.mark.parametrize("title", ["de burgemeester,", "de loco-burgemeester,", "de wnd. burgemeester,"])
def test_a_wethouder_signing_as_burgemeester_is_reported(werkmap, tmp_path, title):
    """A loco-burgemeester became 'de wethouder,' and the line 'Burgemeester en wethouders van …' went, silently;
    written as 'de loco-burgemeester,' the title was not even read, and no warning said how to sign for the burgemeester."""
    result = invoke(werkmap, "import", str(_loco_letter(tmp_path / "oud.docx", title)), "--organisatie", "hilversum")
    assert result.exit_code == 0, result.output
    assert _data(werkmap, "content/hilversum/2020/zwembad.yaml")["ondertekening"] == [
        {"rol": "loco-secretaris"}, {"rol": "wethouder", "naam": "A.B. Jansen"}]
    assert ("ondertekenaar 'A.B. Jansen' tekende als burgemeester, maar is op 3 maart 2020 wethouder van Gemeente Hilversum; "
            "overgenomen als 'rol: wethouder' (onder de handtekening staat dan 'de wethouder'): tekende A.B. Jansen als "
            "loco-burgemeester, geef A.B. Jansen dan in de organisatie ook de functie 'waarnemend burgemeester' en zet bij de "
            "ondertekenaar 'rol: burgemeester' met 'markering: w.n.'") in result.stderr
    assert "de regel 'Burgemeester en wethouders van …' boven de handtekeningen komt niet in de brief" in result.stderr


@pytest.mark.parametrize("title", ["de burgemeester,", "de loco-burgemeester,"])
def test_a_loco_burgemeester_of_the_organisation_signs_as_waarnemend_burgemeester(werkmap, tmp_path, title):
    organisation = werkmap / "content/organisaties/hilversum.yaml"
    organisation.write_text(organisation.read_text(encoding="utf-8").replace(
        "  - naam: C.D. Bakker\n", "  - naam: A.B. Jansen\n    functie: waarnemend burgemeester\n    van: 2018-05-01\n"
                                   "  - naam: C.D. Bakker\n", 1), encoding="utf-8")
    result = invoke(werkmap, "import", str(_loco_letter(tmp_path / "oud.docx", title)), "--organisatie", "hilversum")
    assert result.exit_code == 0, result.output
    target = "content/hilversum/2020/zwembad.yaml"
    assert _data(werkmap, target)["ondertekening"] == [{"rol": "loco-secretaris"},
                                                       {"rol": "burgemeester", "markering": "w.n."}]
    assert "tekende als" not in result.stderr and "komt niet in de brief" not in result.stderr, result.stderr
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / target))
    assert built.exit_code == 0, built.output
    from tests.golden.extract import docx_text

    text = docx_text(werkmap / "build/hilversum/2020/zwembad.docx")
    assert "Burgemeester en wethouders van Hilversum," in text and unbroken("A.B. Jansen") in text, text


def test_a_follow_up_letter_with_dates_in_its_table_titles_finds_the_previous_letter(werkmap, tmp_path):
    """The tables of a series carry their date ("… per 1 februari 2022"): the import compared titles
    exactly and never found the previous letter."""


    title = "titel: Contracten Maatschappelijke Ondersteuning Jeugd"
    result, data, _ = _follow_up_imported(
        werkmap, tmp_path,
        lambda text: text.replace(f"{title}\n", f"{title} per 1 november 2021\n"),
        lambda text: text.replace(title, f"{title} per 1 februari 2022").replace("[PGB, 6]", "[PGB, 7]"))
    assert "die brief is niet gevonden" not in result.stderr, result.stderr
    assert data["vorige"].startswith("hilversum/2021/")
    assert [t["titel"] for t in data["tabellen"].values()][0] == f"{title.split(': ')[1]} per 1 februari 2022"


def test_tables_whose_titles_differ_only_by_a_year_are_all_kept(werkmap, tmp_path):
    """'Aanmeldingen 2020' and 'Aanmeldingen 2021' in the previous letter, '… 2021' and '… 2022' in the
    follow-up: both had the same key, both mapped onto one earlier table and one table was lost (its rows
    gone, the text naming a table that did not exist). Now one to one: the same title first, then the key."""


    a, b = "titel: Contracten Maatschappelijke Ondersteuning Jeugd", "titel: Contracten Jeugdhulp"
    _, data, imported = _follow_up_imported(
        werkmap, tmp_path,
        lambda text: text.replace(f"{a}\n", "titel: Aanmeldingen 2020\n").replace(f"{b}\n", "titel: Aanmeldingen 2021\n"),
        lambda text: text.replace(a, "titel: Aanmeldingen 2021").replace(b, "titel: Aanmeldingen 2022")
        .replace("[PGB, 6]", "[PGB, 7]"))
    assert data["vorige"].startswith("hilversum/2021/")
    tables = {name: table["titel"] for name, table in data["tabellen"].items()}
    assert sorted(tables.values()) == ["Aanmeldingen 2021", "Aanmeldingen 2022"], tables
    assert tables["aanmeldingen_2021"] == "Aanmeldingen 2021", tables
    named = set(re.findall(r'tabel\("([^"]+)"\)', Path(imported).read_text(encoding="utf-8")))
    assert named and named <= set(tables), (named, tables)
    checked = invoke(werkmap, "check", imported)
    assert checked.exit_code == 0 and "bestaat niet" not in checked.output + checked.stderr, checked.output


@pytest.mark.parametrize(("earlier", "current", "expected"), [
    ({"a20": "Aanmeldingen 2020", "a21": "Aanmeldingen 2021"}, {"x": "Aanmeldingen 2021", "y": "Aanmeldingen 2022"},
     {"x": "a21", "y": "a20"}),
    ({"c": "Contracten per 1 november 2021"}, {"x": "Contracten per 1 februari 2022"}, {"x": "c"}),
    ({"a20": "Aanmeldingen 2020", "a21": "Aanmeldingen 2021"}, {"y": "Aanmeldingen 2022"}, None),  # which one?
    ({"a": "Aanmeldingen 2020"}, {"x": "Aanmeldingen 2021", "y": "Aanmeldingen 2022"}, None),
    ({"t": None, "c": "Contracten"}, {"x": None, "y": "Contracten"}, {"x": "t", "y": "c"}),
    ({"c": "Contracten"}, {"x": "Contracten", "y": "Nieuw"}, None),
], ids=["year-shifted", "dated", "ambiguous-earlier", "ambiguous-current", "untitled", "new-table"])
def test_tables_of_a_follow_up_match_the_previous_letter_one_to_one(earlier, current, expected):
    from briefgen.importer import _match_tables

    assert _match_tables(earlier, current) == expected


@pytest.mark.parametrize(("sentence", "kept"), [
    ("In onze gemeente worden 112 ontheemden opgevangen.", True),   # the word is not what the table counts: said
    ("In onze gemeente worden 112 personen opgevangen.", False),    # 'Aantal personen': the expression, and said
], ids=["other-word", "counted-word"])
def test_a_wrong_total_repeated_in_the_text_is_reported_at_the_text(werkmap, tmp_path, sentence, kept):
    """The old letter's total row says 112, the rows add up to 113: the table shows 113, so the text's 112
    is named (or becomes the table's total, with a warning), never left to contradict the table silently."""
    doc = Document()
    for line in ("Datum: 5 juni 2021", "Onderwerp: Opvang ontheemden", "Geachte leden van de raad,", sentence):
        doc.add_paragraph(line)
    table = doc.add_table(rows=5, cols=2)
    for i, row in enumerate([["Locatie", "Aantal personen"], ["Centrum", "48"], ["Noord", "40"], ["Zuid", "25"],
                             ["Totaal", "112"]]):
        table.cell(i, 0).text, table.cell(i, 1).text = row
    doc.add_paragraph("Hoogachtend,")
    doc.save(tmp_path / "oud.docx")
    result = invoke(werkmap, "import", str(tmp_path / "oud.docx"), "--organisatie", "hilversum")
    assert result.exit_code == 0, result.output
    text = _data(werkmap, "content/hilversum/2021/opvang-ontheemden.yaml")["secties"][0]["tekst"]
    assert "alinea 5: het totaal in de brief (112) klopt niet met de som van de rijen" in result.stderr
    if kept:
        assert "112 ontheemden" in text
        assert ("alinea 4: '112 ontheemden' in de tekst is het totaal uit de brief van tabel 'tabel' (alinea 5), dat niet "
                "klopt met de som van de rijen (113); controleer de tekst (of schrijf {{ tabellen.tabel.totaal }})"
                in result.stderr), result.stderr
    else:
        assert "{{ tabellen.tabel.totaal }} personen" in text
        assert ("alinea 4: '112 personen' in de tekst is het totaal uit de brief van tabel 'tabel' (alinea 5), maar de rijen "
                "tellen op tot 113; vervangen door {{ tabellen.tabel.totaal }}, dus de brief noemt nu de som van de rijen: "
                "controleer welk getal klopt" in result.stderr), result.stderr


def _follow_up_imported(werkmap: Path, tmp_path: Path, first_edit, follow_up_edit):
    """The example letter and a follow-up made with ``new --van``, each edited, built as DOCX, and imported again
    into an empty content folder (the first, then the follow-up): the follow-up's import and its data."""
    import glob

    from tests.conftest import VALID_LETTER

    first = werkmap / VALID_LETTER
    made = invoke(werkmap, "new", "raadsinformatiebrief", "--organisatie", "hilversum", "--datum", "2022-02-01",
                  "--van", str(first))
    assert made.exit_code == 0, made.output
    (follow_up,) = map(Path, glob.glob(str(werkmap / "content/hilversum/2022/*.yaml")))
    first.write_text(first_edit(first.read_text(encoding="utf-8")), encoding="utf-8")
    follow_up.write_text(follow_up_edit(follow_up.read_text(encoding="utf-8")), encoding="utf-8")
    built = invoke(werkmap, "build", "--formaat", "docx")
    assert built.exit_code == 0, built.output
    shutil.copytree(werkmap / "build/hilversum", tmp_path / "oud")
    shutil.rmtree(werkmap / "content/hilversum")
    assert invoke(werkmap, "import", str(tmp_path / "oud/2021/inkoop-wmo-jeugd.docx")).exit_code == 0
    result = invoke(werkmap, "import", str(tmp_path / "oud/2022" / follow_up.with_suffix(".docx").name))
    assert result.exit_code == 0, result.output
    (imported,) = glob.glob(str(werkmap / "content/hilversum/2022/*.yaml"))
    return result, _data(werkmap, str(Path(imported).relative_to(werkmap))), imported
