"""A process renders many letters from one parsed template (builders/docx.py keeps it per process and
starts each letter from a copy): no letter may carry anything of the letters rendered before it."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

from lxml import etree

from briefgen import richtext
from tests.cli.helpers import invoke, run
from tests.conftest import REPO, VALID_LETTER, copy_organisations, write

WITH_NOTES = "content/hilversum/2016/inkoop-sociaal-domein-2017.yaml"  # lists and a table; a footnote is added
NOTE = """\
  - kop: Voetnoot
    tekst: |
      Een zin met een voetnoot.[^1]

      [^1]: De tekst van de voetnoot.
"""
PLAIN = """\
soort: raadsinformatiebrief
organisatie: hilversum
huisstijl: hilversum-rib-2016
nummer: "2016 - 35"
datum: 2016-07-13
onderwerp: Zonder voetnoten
portefeuillehouder: E.G.J. van der Want
aan: Gemeenteraad
van: Burgemeester en wethouders
aanhef: ""
slot: ""
secties:
  - kop: Inleiding
    tekst: Een korte brief zonder voetnoten, lijsten of tabellen.
"""


def _werkmap(root: Path, letters: dict[str, str]) -> Path:
    shutil.copytree(REPO / "templates", root / "templates")
    copy_organisations(root)
    for name, text in letters.items():
        write(root, f"content/hilversum/2016/{name}", text)
    return root


def _build(root: Path) -> None:
    result = run("-C", str(root), "build", "--formaat", "docx", "--jobs", "1")
    assert result.returncode == 0, result.stderr


def test_a_letter_rendered_after_others_is_the_letter_rendered_alone(tmp_path: Path) -> None:
    notes = (REPO / WITH_NOTES).read_text(encoding="utf-8").replace("secties:\n", "secties:\n" + NOTE, 1)
    assert NOTE in notes
    later = notes.replace('nummer: "2016 - 34"', 'nummer: "2016 - 36"', 1)  # one nummer twice is refused
    assert later != notes
    together = _werkmap(tmp_path / "samen", {"a-noten.yaml": notes, "b-zonder.yaml": PLAIN, "c-noten.yaml": later})
    alone = _werkmap(tmp_path / "alleen", {"b-zonder.yaml": PLAIN})
    alone_noted = _werkmap(tmp_path / "alleen-noten", {"c-noten.yaml": later})
    for root in (together, alone, alone_noted):
        _build(root)
    out = together / "build" / "hilversum" / "2016"
    plain = (out / "b-zonder.docx").read_bytes()
    assert plain == (alone / "build" / "hilversum" / "2016" / "b-zonder.docx").read_bytes()
    assert (out / "c-noten.docx").read_bytes() == (alone_noted / "build" / "hilversum" / "2016" / "c-noten.docx").read_bytes()
    with zipfile.ZipFile(out / "a-noten.docx") as noted, zipfile.ZipFile(out / "b-zonder.docx") as without:
        assert b"w:footnoteReference" in noted.read("word/document.xml")
        assert b"w:footnoteReference" not in without.read("word/document.xml")
        assert noted.read("word/numbering.xml") != without.read("word/numbering.xml")


def test_the_archive_with_remembered_members_is_zipfiles_archive() -> None:
    """builders/docx.py writes the package itself so that a member's deflated stream can be reused
    by the next letter; the bytes must stay those zipfile writes, for new and for remembered members."""
    import random

    from briefgen.builders import docx

    rng = random.Random(16)
    noise = bytes(rng.randrange(256) for _ in range(5000))
    members = [("[Content_Types].xml", b"<Types/>" * 40), ("word/document.xml", b"<w:p>tekst</w:p>" * 900),
               ("word/media/image1.png", noise), ("word/leeg.xml", b""), ("word/café-ü.xml", "één".encode() * 50)]
    for _ in range(2):  # the second time every member is remembered
        assert docx._archive(members) == docx._zipped(members)
    changed = [*members[:1], ("word/document.xml", b"<w:p>andere tekst</w:p>" * 900), *members[2:]]
    assert docx._archive(changed) == docx._zipped(changed)
    with zipfile.ZipFile(io.BytesIO(docx._archive(changed))) as archive:
        assert archive.testzip() is None
        assert archive.read("word/document.xml") == changed[1][1]


def _replace_in_member(package: Path, member: str, old: str, new: str) -> None:
    with zipfile.ZipFile(package) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == member:
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            target.writestr(info, data)


def test_a_changed_template_and_organisation_reach_the_next_build_in_the_same_process(tmp_path: Path) -> None:
    """The render caches (parsed template, its cleaned parts, compiled Jinja, deflated members,
    content types) are keyed by template version or by content: a second build in the same process
    (as watch does) uses the changed files, and going back gives the first bytes again."""
    from tests.cli.helpers import invoke

    root = _werkmap(tmp_path, {"b-zonder.yaml": PLAIN})
    built = root / "build" / "hilversum" / "2016" / "b-zonder.docx"
    template = root / "templates" / "hilversum-rib-2016.docx"
    organisation = root / "content" / "organisaties" / "hilversum.yaml"
    original_template, original_organisation = template.read_bytes(), organisation.read_text(encoding="utf-8")

    def build() -> bytes:
        result = invoke(root, "build", "--formaat", "docx", "--jobs", "1", "--opnieuw")
        assert result.exit_code == 0, result.stderr
        return built.read_bytes()

    first = build()
    _replace_in_member(template, "word/header2.xml", "Gemeente Hilversum", "Huisstijl in proef, langer")
    organisation.write_text(original_organisation.replace("naam: Gemeente Hilversum", "naam: Gemeente Proefstad", 1),
                            encoding="utf-8")
    second = build()
    with zipfile.ZipFile(io.BytesIO(second)) as package:
        assert b"Huisstijl in proef, langer" in package.read("word/header2.xml")
        assert b"Gemeente Hilversum" not in package.read("word/header2.xml")
        assert b"Gemeente Proefstad" in package.read("docProps/core.xml")
    template.write_bytes(original_template)
    organisation.write_text(original_organisation, encoding="utf-8")
    assert build() == first


def test_remembered_relationships_are_those_of_each_letter() -> None:
    """``.rels`` members are remembered by their relationships: a letter whose link differs only in
    its address (same id, same type) gets its own address, as python-docx would write it."""
    import docx as python_docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    from briefgen.builders import docx

    written = []
    for address in ("https://example.org/a", "https://example.org/b", "https://example.org/a"):
        document = python_docx.Document()
        document.part.relate_to(address, RT.HYPERLINK, is_external=True)
        rels = document.part.rels
        assert docx._rels_xml(rels, document.part.partname.baseURI) == rels.xml
        written.append(docx._rels_xml(rels, document.part.partname.baseURI))
    assert address.encode() in written[2] and written[0] != written[1] and written[0] == written[2]


def test_remembered_relationships_are_relative_to_their_own_part() -> None:
    """A ``.rels`` member is remembered by its targets' part names and the folder of its part:
    the same relationships of a part in another folder are written relative to that folder."""
    import docx as python_docx
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    from briefgen.builders import docx

    document = python_docx.Document()
    image = Part(PackURI("/word/media/beeld.png"), CT.PNG, b"png", document.part.package)
    written = []
    for name in ("/word/kop.xml", "/word/deel/kop.xml", "/word/kop.xml"):
        part = Part(PackURI(name), CT.XML, b"<x/>", document.part.package)
        part.rels.get_or_add(RT.IMAGE, image)
        assert docx._rels_xml(part.rels, part.partname.baseURI) == part.rels.xml
        written.append(docx._rels_xml(part.rels, part.partname.baseURI))
    assert b'Target="media/beeld.png"' in written[0] and b'Target="../media/beeld.png"' in written[1]


def test_a_changed_footer_without_fields_reaches_the_next_build_in_the_same_process(tmp_path: Path) -> None:
    """Headers and footers with nothing to fill in are skipped by the render once seen unchanged; that
    is remembered per template version, so a footer that now has a field is filled in."""
    from tests.cli.helpers import invoke

    root = _werkmap(tmp_path, {"b-zonder.yaml": PLAIN})
    built = root / "build" / "hilversum" / "2016" / "b-zonder.docx"
    template = root / "templates" / "hilversum-rib-2016.docx"

    def footer() -> bytes:
        result = invoke(root, "build", "--formaat", "docx", "--jobs", "1", "--opnieuw")
        assert result.exit_code == 0, result.stderr
        with zipfile.ZipFile(built) as package:
            return package.read("word/footer1.xml")

    assert b">Pagina <" in footer()
    _replace_in_member(template, "word/footer1.xml", ">Pagina <", ">Brief {{ nummer }}, blad <")
    changed = footer()
    assert b">Brief 2016 - 35, blad <" in changed and b"Pagina" not in changed


def test_core_properties_with_a_field_are_rendered_for_each_letter(tmp_path: Path) -> None:
    """A template's core properties are rendered once per template version only when none has a
    field; an identifier with ``{{ nummer }}`` (docxtpl renders it, briefgen does not set it) gets
    each letter's number, also after a build of the same template without it in the same process."""
    from tests.cli.helpers import invoke

    second = PLAIN.replace('nummer: "2016 - 35"', 'nummer: "2016 - 36"').replace("Zonder voetnoten", "Tweede")
    root = _werkmap(tmp_path, {"b-zonder.yaml": PLAIN, "c-tweede.yaml": second})
    template = root / "templates" / "hilversum-rib-2016.docx"
    out = root / "build" / "hilversum" / "2016"

    def identifiers() -> list[bytes]:
        result = invoke(root, "build", "--formaat", "docx", "--jobs", "1", "--opnieuw")
        assert result.exit_code == 0, result.stderr
        found = []
        for name in ("b-zonder.docx", "c-tweede.docx"):
            with zipfile.ZipFile(out / name) as package:
                core = package.read("docProps/core.xml")
            found.append(re.search(rb"<dc:identifier(/>|>[^<]*</dc:identifier>)", core).group())
        return found

    assert identifiers() == [b"<dc:identifier></dc:identifier>"] * 2
    _replace_in_member(template, "docProps/core.xml", "<dc:description></dc:description>",
                       "<dc:description></dc:description><dc:identifier>Brief {{ nummer }}</dc:identifier>")
    assert identifiers() == [b"<dc:identifier>Brief 2016 - 35</dc:identifier>", b"<dc:identifier>Brief 2016 - 36</dc:identifier>"]


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

FLAWED = PLAIN.replace(
    "    tekst: Een korte brief zonder voetnoten, lijsten of tabellen.\n",
    "    tekst: |\n      Een zin met een voetnoot zonder tekst.[^2]\n",
)


def test_a_section_text_parsed_before_reports_its_problems_again(tmp_path: Path) -> None:
    """richtext.parse remembers its result by text; the problems in a text shared by several
    letters are reported for each of them, in every build of the same process."""
    assert FLAWED != PLAIN
    flawed = [FLAWED.replace('nummer: "2016 - 35"', f'nummer: "2016 - {n}"') for n in (37, 38)]  # a nummer each
    assert len(set(flawed)) == 2
    root = _werkmap(tmp_path, {"a-fout.yaml": flawed[0], "b-fout.yaml": flawed[1], "c-goed.yaml": PLAIN})
    for _ in range(2):
        result = invoke(root, "build", "--formaat", "docx", "--jobs", "1")
        assert result.exit_code == 1, result.output
        for name in ("a-fout.yaml", "b-fout.yaml"):
            assert re.search(rf"{name}:1[0-9]:\d+: voetnoot '\[\^2\]' heeft geen tekst", result.stderr), result.stderr
        assert "c-goed.yaml" not in result.stderr
        assert (root / "build" / "hilversum" / "2016" / "c-goed.docx").is_file()


def test_a_remembered_parse_is_not_changed_by_its_caller() -> None:
    text = "Een alinea met € 12 en een voetnoot.[^9]\n\n- een\n- twee\n"
    first_flaws: list[richtext.Flaw] = []
    first = richtext.parse(text, first_flaws)
    first.append(richtext.Paragraph(()))
    first_flaws.clear()
    again_flaws: list[richtext.Flaw] = []
    again = richtext.parse(text, again_flaws)
    assert len(again) == 2 and isinstance(again[1], richtext.ListBlock)
    assert [flaw.line for flaw in again_flaws] == [1]
    assert richtext.parse(text + "\n- drie\n")[1].items[-1] != again[1].items[-1]


def test_a_long_text_is_parsed_each_time_not_remembered() -> None:
    long = "Een lange alinea.[^9] " + "woord " * richtext.REMEMBERED_CHARS
    remembered = richtext._remembered.cache_info().currsize
    for _ in range(2):
        flaws: list[richtext.Flaw] = []
        assert len(richtext.parse(long, flaws)) == 1 and [flaw.line for flaw in flaws] == [1]
    assert richtext._remembered.cache_info().currsize == remembered


TEMPLATE_NOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>Brief {{ nummer }}</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def _with_footnotes(package: Path) -> None:
    """The template with a footnotes part of its own, holding a field."""
    with zipfile.ZipFile(package) as source:
        items = {info.filename: source.read(info.filename) for info in source.infolist()}
    items["word/footnotes.xml"] = TEMPLATE_NOTES.encode()
    items["[Content_Types].xml"] = items["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'wordprocessingml.footnotes+xml"/></Types>')
    items["word/_rels/document.xml.rels"] = items["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdBgNotes" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items.items():
            target.writestr(name, data)


def test_a_template_with_footnotes_of_its_own_has_them_filled_in(tmp_path: Path) -> None:
    """docxtpl fills in the fields of a template's footnotes part; the render skips that step only
    for a template without one, and the letter's own footnotes go into the same part."""
    notes = (REPO / WITH_NOTES).read_text(encoding="utf-8").replace("secties:\n", "secties:\n" + NOTE, 1)
    root = _werkmap(tmp_path, {"a-noten.yaml": notes, "b-zonder.yaml": PLAIN})
    _with_footnotes(root / "templates" / "hilversum-rib-2016.docx")
    result = invoke(root, "build", "--formaat", "docx", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    out = root / "build" / "hilversum" / "2016"
    with zipfile.ZipFile(out / "b-zonder.docx") as plain:
        assert b">Brief 2016 - 35</w:t>" in plain.read("word/footnotes.xml")
    with zipfile.ZipFile(out / "a-noten.docx") as noted:
        footnotes = noted.read("word/footnotes.xml")
        assert b"{{" not in footnotes and b"De tekst van de voetnoot." in footnotes
        assert re.findall(rb'<w:footnote w:id="(\d+)"', footnotes) == [b"1", b"2"]
        assert noted.read("word/_rels/document.xml.rels").count(b"relationships/footnotes") == 1


THREE_COLUMNS = """\
    kolommen: [Situatie, Aantal kinderen, Ouders]
    rijen:
      - ["PGB", 6, 6]
      - ["Andere aanbieder", 2, 2]
      - ["Gestopt/afgerond", 5, 5]
      - ["De gecertificeerde instelling DJGB zoekt andere aanbieder", 1, 1]
      - ["Volgt binnenkort", 1, 1]
    totaal: [15, 15]
"""


def test_table_prototypes_are_those_of_each_table_and_template(tmp_path: Path) -> None:
    """A table's empty ``w:tbl`` is made once per number of columns and table style, then copied: a
    table with another number of columns, or a template whose table style changed (a second build
    in the same process, as watch does), gets its own grid and style."""
    from tests.cli.helpers import invoke

    letter = (REPO / VALID_LETTER).read_text(encoding="utf-8")
    two_columns = letter[letter.index("    kolommen: [Situatie, Aantal kinderen]"):letter.index("    totaal: 15\n") + 14]
    three = (letter.replace(two_columns, THREE_COLUMNS, 1).replace('nummer: "2021/45"', 'nummer: "2021/46"', 1)
             .replace("tabellen.mo_jeugd.totaal }}", "tabellen.mo_jeugd.totaal_per_kolom['Aantal kinderen'] }}"))
    assert three != letter and "2021/46" in three and "totaal_per_kolom" in three
    root = tmp_path / "werkmap"
    shutil.copytree(REPO / "templates", root / "templates")
    copy_organisations(root)
    write(root, VALID_LETTER, letter)
    write(root, VALID_LETTER.replace("inkoop-wmo-jeugd", "drie-kolommen"), three)
    out = root / "build" / "hilversum" / "2021"

    def tables(name: str) -> list[tuple[int, str]]:
        with zipfile.ZipFile(out / name) as built:
            body = etree.fromstring(built.read("word/document.xml"))
        found = []
        for table in body.iter(f"{{{W}}}tbl"):
            grid = table.find(f"{{{W}}}tblGrid")
            style = table.find(f"{{{W}}}tblPr/{{{W}}}tblStyle")
            if grid is not None and style is not None:
                found.append((len(grid), style.get(f"{{{W}}}val")))
        return found

    for _ in range(2):
        result = invoke(root, "build", "--formaat", "docx", "--jobs", "1", "--opnieuw")
        assert result.exit_code == 0, result.stderr
        assert tables("inkoop-wmo-jeugd.docx") == [(2, "BriefgenTabel")] * 2
        assert tables("drie-kolommen.docx") == [(3, "BriefgenTabel"), (2, "BriefgenTabel")]
    _replace_in_member(root / "templates" / "hilversum-rib-2021.docx", "word/styles.xml",
                       'w:styleId="BriefgenTabel"', 'w:styleId="BriefgenTabel2"')
    result = invoke(root, "build", "--formaat", "docx", "--jobs", "1", "--opnieuw")
    assert result.exit_code == 0, result.stderr
    assert tables("drie-kolommen.docx") == [(3, "BriefgenTabel2"), (2, "BriefgenTabel2")]


def test_the_lint_checks_the_text_docxtpl_would_check(tmp_path: Path) -> None:
    """The template check takes the body, headers and footers from the parsed template the renders
    start from (docxtpl's own check parses the package once more): the same names, also a name in a
    footer and one a template declares itself."""
    from docxtpl import DocxTemplate

    from briefgen import expressions
    from briefgen.builders.docx import _Template
    from briefgen.templatefile import open_template

    shutil.copytree(REPO / "templates", tmp_path / "templates")
    changed = tmp_path / "templates" / "hilversum-rib-2016.docx"
    _replace_in_member(changed, "word/footer1.xml", ">Pagina <", ">{{ voettekst }} {% set eigen = 1 %}{{ eigen }} <")
    for path in sorted((tmp_path / "templates").glob("*.docx")):
        source = open_template(path)
        env = expressions.sandbox(autoescape=True)
        names = _Template(source).get_undeclared_template_variables(jinja_env=env)
        assert names == DocxTemplate.get_undeclared_template_variables(_Template(source), jinja_env=env), path.name
        assert ("voettekst" in names) == (path == changed) and "eigen" not in names


def test_drawings_in_the_template_body_are_numbered_as_docxtpl_numbers_them(tmp_path: Path) -> None:
    """docxtpl gives each drawing (``wp:docPr``) of the rendered body a new id from 1001 on; the
    render skips that only for a body without drawings."""
    root = _werkmap(tmp_path, {"b-zonder.yaml": PLAIN})
    drawing = ('<w:r><w:drawing><wp:inline><wp:extent cx="1" cy="1"/><wp:docPr id="7" name="a"/></wp:inline></w:drawing></w:r>'
               '<w:r><w:drawing><wp:inline><wp:extent cx="1" cy="1"/><wp:docPr id="7" name="b"/></wp:inline></w:drawing></w:r>')
    _replace_in_member(root / "templates" / "hilversum-rib-2016.docx", "word/document.xml",
                       "<w:t>Van</w:t></w:r>", "<w:t>Van</w:t></w:r>" + drawing)
    _build(root)
    with zipfile.ZipFile(root / "build" / "hilversum" / "2016" / "b-zonder.docx") as package:
        body = package.read("word/document.xml")
    assert re.findall(rb'<wp:docPr id="(\d+)" name="(\w)"', body) == [(b"1001", b"a"), (b"1002", b"b")]


def test_a_changed_header_with_fields_reaches_the_next_build_in_the_same_process(tmp_path: Path) -> None:
    """A header's XML is remembered per template version (docxtpl asks for it twice a letter): a
    second build in the same process, as watch does, renders the changed header."""
    root = _werkmap(tmp_path, {"b-zonder.yaml": PLAIN})
    template = root / "templates" / "hilversum-rib-2016.docx"

    def header() -> bytes:
        result = invoke(root, "build", "--formaat", "docx", "--jobs", "1", "--opnieuw")
        assert result.exit_code == 0, result.stderr
        with zipfile.ZipFile(root / "build" / "hilversum" / "2016" / "b-zonder.docx") as package:
            return package.read("word/header2.xml")

    assert b">Gemeente Hilversum<" in header()
    _replace_in_member(template, "word/header2.xml", ">{{ organisatie.naam }}<", ">Gemeente Hilversum-Noord<")
    changed = header()
    assert b">Gemeente Hilversum-Noord<" in changed and b">Raadsinformatiebrief<" in changed


MINIMAL_CORE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
                'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject>Oud</dc:subject></cp:coreProperties>')


def test_core_properties_prepared_once_per_template_are_what_python_docx_writes_per_letter(tmp_path: Path) -> None:
    """The core properties that are the same in every letter are written into the parsed template
    once, the letter's own texts straight into their elements: the same core.xml as docxtpl's render
    and python-docx's setters on the letter, also for a template whose core.xml lacks the elements
    (python-docx adds each at the end, in the order they are set)."""
    import docx as python_docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docxtpl import DocxTemplate

    from briefgen.builders.docx import _set_properties
    from briefgen.session import Session
    from briefgen.settings import Settings
    from briefgen.werkmap import Werkmap

    for core in (None, MINIMAL_CORE):
        root = _werkmap(tmp_path / ("eigen" if core is None else "kaal"), {"b-zonder.yaml": PLAIN})
        template = root / "templates" / "hilversum-rib-2016.docx"
        if core is not None:
            with zipfile.ZipFile(template) as source:
                items = [(info, source.read(info.filename)) for info in source.infolist()]
            with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as target:
                for info, data in items:
                    target.writestr(info, core.encode() if info.filename == "docProps/core.xml" else data)
        _build(root)
        with zipfile.ZipFile(root / "build" / "hilversum" / "2016" / "b-zonder.docx") as package:
            built = package.read("docProps/core.xml")
        document = Session(Werkmap(root), Settings()).read(root / "content" / "hilversum" / "2016" / "b-zonder.yaml").document
        assert document is not None
        expected = DocxTemplate(str(template))
        expected.init_docx()
        expected.render_properties({})
        _set_properties(expected.docx, document)
        assert isinstance(expected.docx, python_docx.document.Document)
        assert built == expected.docx.part.package.part_related_by(RT.CORE_PROPERTIES).blob
        assert b"<dc:title>Zonder voetnoten</dc:title>" in built


def test_the_fields_a_changed_template_shows_reach_the_html_of_the_next_build_in_the_same_process(tmp_path: Path) -> None:
    """The names a template's fields use are found once per template version and process, for the
    template check and for the HTML edition (which shows what the house style shows): a field added
    to the template shows in the HTML of the next build, as watch makes it."""
    letter = PLAIN.replace('nummer: "2016 - 35"\n', 'nummer: "2016 - 35"\nkenmerk: "KN-4711"\n', 1)
    root = _werkmap(tmp_path, {"b-kenmerk.yaml": letter})

    def html() -> str:
        result = invoke(root, "build", "--formaat", "html", "--jobs", "1", "--opnieuw")
        assert result.exit_code == 0, result.stderr
        return (root / "build" / "hilversum" / "2016" / "b-kenmerk.html").read_text(encoding="utf-8")

    assert "KN-4711" not in html()  # the 2016 house style does not show a kenmerk
    _replace_in_member(root / "templates" / "hilversum-rib-2016.docx", "word/footer1.xml", ">Pagina <", ">{{ kenmerk }} <")
    assert "KN-4711" in html()


def test_render_hashes_are_those_of_the_written_files(tmp_path: Path) -> None:
    """The render hashes (manifest ``weergave``) are taken from the members the DOCX builder packs and the HTML
    it writes, not from the files read back: they must be the hashes of what the written files contain (the
    DOCX's members by name, sorted, after the facts; the HTML's bytes), or an organisation edit would leave a
    stale PDF or make one for nothing."""
    import hashlib

    from briefgen.pipeline import _Worker
    from briefgen.settings import load_settings
    from briefgen.werkmap import Werkmap

    root = _werkmap(tmp_path / "w", {"zonder-voetnoten.yaml": PLAIN, "met-voetnoten.yaml": (REPO / WITH_NOTES).read_text(
        encoding="utf-8").replace("secties:\n", "secties:\n" + NOTE, 1)})
    worker = _Worker(Werkmap(root), load_settings(root))
    for name in ("zonder-voetnoten", "met-voetnoten"):
        docx, html = root / "build" / f"{name}.docx", root / "build" / f"{name}.html"
        rendered = worker((root / f"content/hilversum/2016/{name}.yaml", docx, html, ()))
        assert rendered.facts is not None, rendered.problems
        digest = hashlib.sha256(f"feiten\0{rendered.facts!r}\0".encode())
        with zipfile.ZipFile(docx) as archive:
            assert len(archive.namelist()) > 5
            for member in sorted(archive.namelist()):
                digest.update(f"{member}\0".encode() + archive.read(member) + b"\0")
        assert dict(rendered.renders) == {"docx": digest.hexdigest(), "html": hashlib.sha256(html.read_bytes()).hexdigest()}


def test_the_docx_render_hash_covers_the_package_when_a_builder_gives_no_members(tmp_path: Path) -> None:
    """A builder that writes only the package's bytes (Builder.output's default, no members) gets the hash of
    the members it packed, the same as one that gives them: not a hash of the facts alone, which would call
    a letter whose DOCX changed unchanged. Bytes that are no package give no hashes (the letter is rendered)."""
    from briefgen.builders.base import Output
    from briefgen.builders.docx import packaged
    from briefgen.renderhash import render_hashes

    first = [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document>een</w:document>")]
    second = [first[0], ("word/document.xml", b"<w:document>twee</w:document>")]
    assert render_hashes(Output(packaged(first)), None, "feiten") == render_hashes(
        Output(packaged(first), tuple(first)), None, "feiten")
    assert render_hashes(Output(packaged(first)), None, "feiten") != render_hashes(Output(packaged(second)), None, "feiten")
    assert render_hashes(Output(b"geen zip"), Output(b"<html/>"), "feiten") == {}
