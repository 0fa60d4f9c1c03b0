"""What real letters need: office-holders never invented, external references, footnotes,
toezeggingen per letter, and ``new`` in the organisation's house style (issue 15)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import invoke
from tests.conftest import REPO, write

PLACEHOLDER_LINE = next(
    n for n, line in enumerate((REPO / "content/organisaties/hilversum.yaml").read_text(encoding="utf-8").splitlines(), 1)
    if '"(in te vullen)"' in line
)
PLACEHOLDER_WARNING = (
    f"content/organisaties/hilversum.yaml:{PLACEHOLDER_LINE}:11: waarschuwing: de gemeentesecretaris is nog niet ingevuld: "
    "vul de echte naam (en 'van'/'tot') in; tot dan ondertekent deze functie geen brief"
)


def test_init_names_no_invented_signer_and_check_reports_the_placeholder(tmp_path):
    """Init's example organisation names nobody made up: who holds office now is '(in te vullen)', as with
    init --gemeente. Check says so on those lines (warnings only, the example letter of 2021 is signed); a letter
    of today from new is not signed by an invented name but gets an error on its 'ondertekening'."""
    root = tmp_path / "griffie"
    made = invoke(None, "init", str(root))
    assert made.exit_code == 0, made.output
    assert ("voor een nieuwe brief: vul in content/organisaties/hilversum.yaml de burgemeester en gemeentesecretaris "
            'van nu in (daar staat nog "(in te vullen)")') in made.stdout.splitlines()
    organisation = (root / "content" / "organisaties" / "hilversum.yaml").read_text(encoding="utf-8")
    assert "Voorbeeld" not in organisation and "J. de Boer" not in organisation
    lines = organisation.splitlines()
    placeholders = [n for n, line in enumerate(lines, 1) if line == '  - naam: "(in te vullen)"']
    assert [lines[n].strip() for n in placeholders] == ["functie: burgemeester", "functie: gemeentesecretaris"]
    checked = invoke(root, "check", "--geen-spelling")
    assert checked.exit_code == 0, checked.output
    assert checked.stderr.splitlines() == [
        f"content/organisaties/hilversum.yaml:{n}:11: waarschuwing: de {function} is nog niet ingevuld: vul de echte "
        "naam (en 'van'/'tot') in; tot dan ondertekent deze functie geen brief"
        for n, function in zip(placeholders, ("burgemeester", "gemeentesecretaris"), strict=True)
    ]
    new = invoke(root, "new", "raadsinformatiebrief", "--organisatie", "hilversum", "--onderwerp", "Eerste brief")
    assert new.exit_code == 0, new.stderr
    letter = root / new.stdout.strip()
    text = letter.read_text(encoding="utf-8")
    letter.write_text(text.replace("tekst: |\n\n", "tekst: |\n      Tekst.\n"), encoding="utf-8")
    # new signs as the example letter of 2021: l.s. by the gemeentesecretaris (the loco-secretaris is in office) and
    # the burgemeester, who is still '(in te vullen)'
    line = next(n for n, text in enumerate(letter.read_text(encoding="utf-8").splitlines(), 1)
                if text == "  - rol: burgemeester")
    checked = invoke(root, "check", "--geen-spelling", str(letter))
    assert checked.exit_code == 1
    shown = letter.relative_to(root).as_posix()
    assert [f"{shown}:{line}:5: geen ondertekenaar: de burgemeester op {today()} is in het organisatiebestand van "
            "Gemeente Hilversum nog niet ingevuld ('(in te vullen)'); vul de echte naam in"] == [
        text for text in checked.stderr.splitlines() if "geen ondertekenaar" in text]


def today() -> str:
    import datetime as dt

    from briefgen.formatting import datum

    return datum(dt.date.today())


def _with_placeholder(tmp_path: Path) -> Path:
    """A werkmap with the repository's organisations as published: the secretaris since 2019 '(in te vullen)'."""
    import shutil

    root = tmp_path / "griffie"
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "content" / "organisaties", root / "content" / "organisaties")
    return root


def test_check_reports_the_placeholder(tmp_path):
    root = _with_placeholder(tmp_path)
    write(root, "content/hilversum/2021/een.yaml", "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\n"
          "onderwerp: Test\nsecties:\n  - tekst: Tekst.\nondertekening: burgemeester\n")
    result = invoke(root, "check", "--geen-spelling")
    assert PLACEHOLDER_WARNING in result.stderr.splitlines()
    assert invoke(root, "check", "--geen-spelling", "--streng").exit_code == 1


def test_build_refuses_to_sign_with_a_placeholder(tmp_path):
    root = _with_placeholder(tmp_path)
    letter = root / "content" / "hilversum" / "2021" / "college.yaml"
    write(root, "content/hilversum/2021/college.yaml",
          "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\nonderwerp: Test\n"
          "secties:\n  - tekst: Tekst.\nondertekening: college\n")
    result = invoke(root, "build", "--formaat", "docx", str(letter))
    assert result.exit_code == 1
    assert (
        "content/hilversum/2021/college.yaml:7:16: geen ondertekenaar: de gemeentesecretaris op 16 november 2021 "
        "is in het organisatiebestand van Gemeente Hilversum nog niet ingevuld ('(in te vullen)'); vul de echte naam in"
    ) in result.stderr.splitlines()
    assert not (root / "build" / "hilversum" / "2021" / "college.docx").exists()


COMMITMENT = (
    "toezeggingen:\n  - nummer: T21/14\n    omschrijving: De raad krijgt een vervolg.\n    status: afgedaan\n"
)


def _body_text(docx_path: Path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)


def test_toezeggingen_are_printed_unless_the_letter_says_not_to(werkmap):
    base = (
        "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\nonderwerp: Test\n"
        "secties:\n  - tekst: Tekst.\n" + COMMITMENT
    )
    write(werkmap, "content/t/getoond.yaml", base)
    write(werkmap, "content/t/verborgen.yaml", base + "toezeggingen_tonen: false\n")
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content" / "t"))
    assert result.exit_code == 0, result.output
    assert "Toezeggingen" in _body_text(werkmap / "build" / "t" / "getoond.docx")
    hidden = _body_text(werkmap / "build" / "t" / "verborgen.docx")
    assert "Toezeggingen" not in hidden and "T21/14" not in hidden
    listing = invoke(werkmap, "list", "--toezeggingen")
    assert listing.stdout.count("T21/14") == 2


EXTERN = """
extern:
  "2019/67":
    datum: 2019-11-08
    titel: Inkoop sociaal domein 2020
    url: https://hilversum.raadsinformatie.nl/document/2019-67
  "2022/1":
    datum: 2022-01-10
"""


def _with_extern(werkmap: Path) -> None:
    path = werkmap / "content" / "organisaties" / "hilversum.yaml"
    path.write_text(path.read_text(encoding="utf-8") + EXTERN, encoding="utf-8")


def _document_xml(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_external_letter_is_cited_like_one_in_content_with_its_link(werkmap):
    _with_extern(werkmap)
    write(werkmap, "content/t/extern.yaml",
          "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\nonderwerp: Test\n"
          "vorige: \"2019/67\"\n"
          "secties:\n  - kop: Na {{ brief(\"2019/67\") }}\n    tekst: |\n      Zie {{ brief(\"2019/67\") }}; {{ vorige }}.\n")
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content" / "t"))
    assert result.exit_code == 0, result.output
    docx_path = werkmap / "build" / "t" / "extern.docx"
    text = _body_text(docx_path)
    assert "Na RIB 2019/67 van 8 november 2019" in text
    assert "Zie RIB 2019/67 van 8 november 2019; RIB 2019/67 van 8 november 2019." in text
    rels = zipfile_text(docx_path, "word/_rels/document.xml.rels")
    assert "https://hilversum.raadsinformatie.nl/document/2019-67" in rels
    assert "<w:hyperlink" in _document_xml(docx_path)


def zipfile_text(path: Path, name: str) -> str:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def test_unknown_or_newer_external_letter_is_a_located_error(werkmap):
    _with_extern(werkmap)
    write(werkmap, "content/t/fout.yaml",
          "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\nonderwerp: Test\n"
          "vorige: \"2022/1\"\n"
          "secties:\n  - tekst: |\n      Zie {{ brief(\"2018/9\") }}.\n")
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content" / "t"))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert ("content/t/fout.yaml:5:9: de vorige brief is van 10 januari 2022, niet ouder dan deze brief "
            "(16 november 2021)") in lines
    assert any(line.startswith("content/t/fout.yaml:8:") and "brief '2018/9' bestaat niet" in line
               and "'extern:'" in line for line in lines), lines


def test_external_letter_url_must_be_a_web_address(werkmap):
    path = werkmap / "content" / "organisaties" / "hilversum.yaml"
    path.write_text(path.read_text(encoding="utf-8") + '\nextern:\n  "2019/67":\n    datum: 2019-11-08\n'
                    "    url: file:///etc/passwd\n", encoding="utf-8")
    result = invoke(werkmap, "check", "--geen-spelling")
    assert result.exit_code == 1
    assert any(line.startswith("content/organisaties/hilversum.yaml:") and "geen webadres" in line
               for line in result.stderr.splitlines()), result.stderr


def _new(root: Path, kind: str, organisation: str, day: str) -> dict:
    from briefgen import yamlio

    result = invoke(root, "new", kind, "--organisatie", organisation, "--datum", day, "--onderwerp", "Nieuw")
    assert result.exit_code == 0, result.output
    path = root / result.stdout.strip()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schema/brief.schema.json\n")
    assert (path.parent / "../../../schema/brief.schema.json").resolve().is_file()
    loaded, _ = yamlio.load(path, "x", root)
    return loaded.data


def test_new_uses_the_house_style_of_the_organisation(werkmap):
    letter = _new(werkmap, "raadsinformatiebrief", "hilversum", "2021-12-01")
    assert letter["aanhef"] == "Geachte raads- en commissieleden,"
    assert [s.get("kop") for s in letter["secties"]] == [None, "Tot slot"]
    letter = _new(werkmap, "raadsinformatiebrief", "huizen", "2021-12-01")
    assert [s["kop"] for s in letter["secties"]][:3] == ["Aanleiding", "Argumentatie", "Kaders"]
    org = werkmap / "content" / "organisaties" / "hilversum.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("huisstijl: hilversum-rib-2021", "huisstijl: hilversum-rib-2016"),
                   encoding="utf-8")
    letter = _new(werkmap, "raadsinformatiebrief", "hilversum", "2016-08-01")
    assert letter["aanhef"] == ""
    assert [s["kop"] for s in letter["secties"]] == ["KERNBOODSCHAP", "AANLEIDING", "CONSEQUENTIES", "VERVOLGTRAJECT"]


FOOTNOTE_LETTER = (
    "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\nonderwerp: Test\n"
    "secties:\n  - tekst: |\n      Eerder schreven wij u daarover.[^1] Meer volgt.\n\n"
    "      [^1]: Zie [de vorige brief](https://hilversum.raadsinformatie.nl/document/2019-67).\n"
)


def test_footnote_becomes_a_word_footnote(werkmap):
    write(werkmap, "content/t/noot.yaml", FOOTNOTE_LETTER)
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content" / "t"))
    assert result.exit_code == 0, result.output
    path = werkmap / "build" / "t" / "noot.docx"
    body = _document_xml(path)
    assert '<w:footnoteReference w:id="1"/>' in body and "^1" not in body
    notes = zipfile_text(path, "word/footnotes.xml")
    assert 'w:id="1"' in notes and "Zie " in notes and "de vorige brief" in notes and "<w:footnoteRef/>" in notes
    assert "footnotes.xml" in zipfile_text(path, "word/_rels/document.xml.rels")
    assert "https://hilversum.raadsinformatie.nl/document/2019-67" in zipfile_text(path, "word/_rels/footnotes.xml.rels")
    assert "footnotes+xml" in zipfile_text(path, "[Content_Types].xml")
    styles = zipfile_text(path, "word/styles.xml")
    assert 'w:styleId="FootnoteText"' in styles and 'w:styleId="FootnoteReference"' in styles


def test_footnote_in_the_html_edition_links_to_its_note_and_back(werkmap):
    import lxml.html

    write(werkmap, "content/t/noot.yaml", FOOTNOTE_LETTER)
    result = invoke(werkmap, "build", "--formaat", "html", str(werkmap / "content" / "t"))
    assert result.exit_code == 0, result.output
    page = lxml.html.fromstring((werkmap / "build" / "t" / "noot.html").read_bytes())
    [reference] = page.xpath("//sup/a")
    assert (reference.get("href"), reference.get("id"), reference.text) == ("#voetnoot-1", "verwijzing-1", "1")
    [note] = page.xpath("//section[@class='voetnoten']//li")
    assert note.get("id") == "voetnoot-1" and "de vorige brief" in note.text_content()
    assert note.xpath(".//a[@href='#verwijzing-1']")
    assert "^1" not in page.text_content()


def test_unknown_and_unused_footnotes_are_located_errors(werkmap):
    write(werkmap, "content/t/noot.yaml",
          "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\nonderwerp: Test\n"
          "secties:\n  - tekst: |\n      Eerder.[^2] Meer.\n\n      [^1]: Niet gebruikt.\n")
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content" / "t"))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert ("content/t/noot.yaml:7:14: voetnoot '[^2]' heeft geen tekst; schrijf in dezelfde sectie een regel "
            "'[^2]: …'") in lines, lines
    assert ("content/t/noot.yaml:9:7: voetnoot '[^1]' wordt nergens in de tekst gebruikt; zet [^1] achter het "
            "woord waar de voetnoot bij hoort, of laat hem weg") in lines, lines


def test_footnote_is_at_the_foot_of_the_pdf_page(werkmap):
    import subprocess

    from tests.conftest import require_soffice

    require_soffice()
    write(werkmap, "content/t/noot.yaml", FOOTNOTE_LETTER)
    result = invoke(werkmap, "build", str(werkmap / "content" / "t"))
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", "-layout", str(werkmap / "build" / "t" / "noot.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert "Eerder schreven wij u daarover.1 Meer volgt." in lines
    assert lines.index("Zie de vorige brief.") > lines.index("Hoogachtend,")
    assert "^1" not in text


def test_footnote_pdf_passes_verapdf(werkmap):
    """The Note element gets an ID, and LibreOffice's untagged jump back from the note is gone."""
    from tests.conftest import require_soffice
    from tests.verapdf.conftest import validate

    require_soffice()
    write(werkmap, "content/t/noot.yaml", FOOTNOTE_LETTER)
    assert invoke(werkmap, "build", str(werkmap / "content" / "t")).exit_code == 0
    [result] = validate([werkmap / "build" / "t" / "noot.pdf"])
    assert result.ok, result.problems()
