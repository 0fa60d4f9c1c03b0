"""``briefgen templates nieuw``: a house style made from a municipality's own Word letter.

The griffie's letter keeps what makes it theirs: page setup, the first-page and continuation
headers and footers, the logo and the styles. Its header block (Datum, Ons kenmerk, Onderwerp, …,
in paragraphs or table cells) gets briefgen's fields beside the labels; everything after the
header block (the old letter text) is replaced by briefgen's blocks: aanhef, the body
(``{{p inhoud }}``), slot and signature. What cannot be placed is reported, not guessed.
"""

from __future__ import annotations

import copy
import io
import re
import shlex
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Pt
from docx.styles.style import BaseStyle

from briefgen import prose
from briefgen.builders.docx import BODY_STYLES, _set_language, drop_unused_styles
from briefgen.builders.rolestyles import FIELD_LABEL_STYLE, field_label_style, is_role
from briefgen.fileio import write_atomic
from briefgen.kinds import DEFAULTS
from briefgen.problems import BriefgenError, Problem, Severity
from briefgen.templatefile import PDF_MAGIC, TemplateFileError, open_template

# Header-block labels (lower case, without ':') → the template field placed beside them; None: a
# label briefgen knows but has no value for. Shared with the importer, which reads them back. A field's
# first label is its own name in a letter (FIELD_LABELS), in the order a header block lists them.
LABELS: dict[str, str | None] = {
    "aan": "aan", "van": "van",
    "datum": "datum", "verzenddatum": "datum", "dagtekening": "datum",
    "nummer": "nummer", "briefnummer": "nummer", "rib nr.": "nummer", "rib-nummer": "nummer", "ons nummer": "nummer",
    "kenmerk": "kenmerk", "ons kenmerk": "kenmerk",
    "zaaknummer": "zaaknummer",
    "portefeuillehouder": "portefeuillehouder",
    "informatie bij": "informatie_bij", "contact": "informatie_bij", "contactpersoon": "informatie_bij",
    "contactpersonen": "informatie_bij", "inlichtingen bij": "informatie_bij", "behandeld door": "informatie_bij",
    "telefoon": "informatie_telefoon", "tel. nr.": "informatie_telefoon", "telefoonnummer": "informatie_telefoon",
    "doorkiesnummer": "informatie_telefoon",
    "onderwerp": "onderwerp", "betreft": "onderwerp",
    "bijlagen": "bijlagen", "bijlage": "bijlagen", "bijlage(n)": "bijlagen", "uw kenmerk": None, "uw brief van": None,
    "uw brief": None, "e-mail": None, "verzonden": None,
}
FIELD_LABELS: dict[str, str] = {name: next(label.capitalize() for label, of in LABELS.items() if of == name)
                                 for name in dict.fromkeys(name for name in LABELS.values() if name)}
"""Each field's label where a house style has none of its own (``informatie_bij`` → 'Informatie bij'), in order."""
SHOWN = {"bijlagen": "bijlagen or 'geen'"}
"""What the template shows beside a label, when that is not just the field: a letter without
attachments says so rather than leaving the label empty."""
NUMBER_AS_KENMERK = "kenmerk or nummer"
"""Beside 'Ons kenmerk' when the letter paper has no label for the number: a griffie's letters are
known by their number, which is printed there unless the letter has a kenmerk of its own."""
CONTACT_WITH_PHONE = "{{ informatie_bij }}{% if informatie_telefoon %}, telefoon {{ informatie_telefoon }}{% endif %}"
"""Beside a contact label ('Contactpersoon', 'Inlichtingen bij') when the letter paper has no label for the phone:
the name and, when the contact has one, the phone number, as the shipped house styles write it (huizen.docx)."""
ON_BEHALF = re.compile(r"^(burgemeester en wethouders|het college van burgemeester en wethouders) van (?P<place>.+?),?\s*$",
                       re.IGNORECASE)
"""The line above the signatures when the college signs: ``Het college van burgemeester en wethouders van Zeist,``."""
CLOSING = re.compile(r"^(hoogachtend|met (vriendelijke|hartelijke) groet(en)?|met de meeste hoogachting|"
                     r"met vriendelijke groeten)\s*,?\s*$", re.IGNORECASE)
"""The closing formula of a letter, above the signatures."""
_LABEL_IN_TEXT = re.compile(
    r"^\s*(" + "|".join(re.escape(label) for label in sorted(LABELS, key=len, reverse=True)) + r")\s*(:|\t)\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_LABEL_SPACED = re.compile(
    r"^\s*(" + "|".join(re.escape(label) for label, name in sorted(LABELS.items(), key=lambda item: -len(item[0]))
                       if name not in (None, "aan", "van")) + r") +(\S[^\n\t]{0,60})$",
    re.IGNORECASE,
)


def spaced_label(text: str) -> tuple[str, str, str] | None:
    """A label and its value with only spaces between, in a letterhead: ``Datum 1 januari 2024``,
    ``zaaknummer 1006608``, ``Onderwerp Oud onderwerp`` → label, field and the text before the value.
    Only a subject may be any text; another value has a digit (so ``Aan de leden`` or a sentence is no label)."""
    match = _LABEL_SPACED.match(text)
    if match is None:
        return None
    name = LABELS[match.group(1).lower()]
    assert name is not None  # only labels with a field are in the pattern
    if name != "onderwerp" and not any(c.isdigit() for c in match.group(2)):
        return None
    return match.group(1), name, text[: match.start(2)]

PLACE_DATE = re.compile(r"^(?P<place>[A-Z][^\W\d][^,\d]{0,40}), (?P<date>\d{1,2} [a-z]+\.? \d{4})$")  # "Hilversum, 3 maart 2020"
ADDRESSEE = re.compile(r"^aan (?P<to>(?:de|het) .+?)\s*$", re.IGNORECASE)  # "Aan de leden van de gemeenteraad"
SALUTATION = re.compile(r"^(geachte|beste|hooggeachte)\b.*", re.IGNORECASE)
_JINJA = re.compile(r"\{[{%#]|[}%#]\}")
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_STORIES = {qn("w:document"), qn("w:hdr"), qn("w:ftr")}
A4 = (11906, 16838)  # twips
TOLERANCE = 20
SIGNATURE_GAP_LINES = 4

HYPERLINK_STYLE_XML = """
<w:style w:type="character" w:styleId="Hyperlink">
  <w:name w:val="Hyperlink"/>
  <w:basedOn w:val="DefaultParagraphFont"/>
  <w:uiPriority w:val="99"/>
  <w:unhideWhenUsed/>
  <w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>
</w:style>"""

_BORDER = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
TABLE_STYLE_XML = f"""
<w:style w:type="table" w:customStyle="1" w:styleId="BriefgenTabel">
  <w:name w:val="Briefgen Tabel"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
  <w:tblPr>
    <w:tblInd w:w="0" w:type="dxa"/>
    <w:tblBorders>{"".join(_BORDER.format(e) for e in ("top", "left", "bottom", "right", "insideH", "insideV"))}</w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="40" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
      <w:bottom w:w="40" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:pPr><w:keepNext/></w:pPr>
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tblPr/>
    <w:trPr><w:tblHeader/></w:trPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/></w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="lastRow">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tblPr/>
    <w:tcPr><w:tcBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/></w:tcBorders></w:tcPr>
  </w:tblStylePr>
</w:style>"""

# Paragraph styles the body needs: name → (size in pt, bold, italic, space before, space after).
_PARAGRAPH_STYLES = {
    "Heading 1": (11, True, False, 12, 3),
    "Heading 2": (10, True, False, 9, 2),
    "Heading 3": (10, True, True, 6, 0),
    "List Paragraph": (None, False, False, None, None),
    "Caption": (9, False, True, 6, 3),
}


@dataclass
class Placed:
    label: str
    field: str


@dataclass
class HouseStyleResult:
    """What ``nieuw`` did: the fields it placed, and what it could not place or changed; and how the letter
    paper writes its kenmerk (``kenmerk``: the old value beside 'Ons kenmerk') with the ``nummering`` in that
    form when the kenmerk is a letter number (``VB/2020/123`` → ``VB/{jaar}/{volgnummer}``), or ``own_kenmerk`` when
    it is of a form of its own and the house style shows each letter's kenmerk instead of its number."""

    target: Path
    placed: list[Placed] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    kenmerk: str | None = None
    numbering: str | None = None
    own_kenmerk: bool = False  # 'Ons kenmerk' shows the letter's own kenmerk (a zaak kenmerk), never its number
    on_behalf: str = ""  # the letter's own line above the signatures, printed in its place


_YEAR = r"(?:19|20)\d\d"
_LETTER_NUMBER = re.compile(rf"(?P<before>\D*?)(?:(?P<year>{_YEAR})(?P<between>\D+))?(?P<sequence>0*\d{{1,4}})"
                            rf"(?:(?P<after_sequence>\D+)(?P<year_after>{_YEAR}))?(?P<after>\D*)")
"""A letter number: one sequence of at most 4 significant digits (a zaak number has more), with a year before or
after it."""


def numbering_of(kenmerk: str) -> str | None:
    """The ``nummering`` that writes a letter number in the form of ``kenmerk``: ``RIB 2024-034`` →
    ``RIB {jaar}-{volgnummer:03}``, ``VB/2020/123`` → ``VB/{jaar}/{volgnummer}``, ``RIB 12-2024`` →
    ``RIB {volgnummer}-{jaar}``; None for a kenmerk that is no such number (a zaak kenmerk as ``Z/24/612345``,
    ``2021/123456`` or ``1006608``: more than one number, or one of more than 4 digits)."""
    match = _LETTER_NUMBER.fullmatch(kenmerk.strip())
    if match is None or "{" in kenmerk or "}" in kenmerk or (match.group("year") and match.group("year_after")):
        return None
    sequence = match.group("sequence")
    digits = f":0{len(sequence)}" if sequence.startswith("0") and len(sequence) > 1 else ""
    year = f"{{jaar}}{match.group('between')}" if match.group("year") else ""
    year_after = f"{match.group('after_sequence')}{{jaar}}" if match.group("year_after") else ""
    return f"{match.group('before')}{year}{{volgnummer{digits}}}{year_after}{match.group('after')}"


def label_field(text: str) -> tuple[str, str | None] | None:
    """``"Ons kenmerk:"`` → ``("Ons kenmerk", "kenmerk")``; None when the text is no label."""
    cleaned = " ".join(text.split()).rstrip(":").strip()
    if cleaned.lower() in LABELS:
        return cleaned, LABELS[cleaned.lower()]
    return None


def template_label(text: str) -> tuple[str, str | None] | None:
    """The label a template's cell or paragraph shows, its Jinja left out (``{% if … %}Tel. nr.{% endif %}``
    is the label 'Tel. nr.'): the label as written and its field; None when the text is no label."""
    text = prose.JINJA.sub("", text).strip()
    found = label_field(text) or label_in_text(text)
    return (found[0], found[1]) if found else None


def label_in_text(text: str) -> tuple[str, str | None, str, str] | None:
    """``"Datum: 1 mei 2020"`` → ``("Datum", "datum", "1 mei 2020", "Datum: ")``: label, field,
    value, and the text before the value."""
    match = _LABEL_IN_TEXT.match(text)
    if not match:
        return None
    return match.group(1), LABELS[match.group(1).lower()], match.group(3).strip(), text[: match.start(3)]


def addressee_line(written: str) -> str:
    """The template text for a letterhead's addressee line ``Aan de leden van de gemeenteraad van Zeist``: that
    line as written for a letter with the standard addressee, else ``Aan`` and the letter's own ``aan``
    (``Aan de leden van de commissie Samenleving``)."""
    standard = DEFAULTS["raadsinformatiebrief"]["aan"]
    return (f"{{% if aan == '{standard}' %}}{escape_jinja(written)}{{% else %}}"
            f"{written.split()[0]} {{{{ aan[:1] | lower }}}}{{{{ aan[1:] }}}}{{% endif %}}")


_ADDRESSEE_LINE = re.compile(r"\{% if aan == '[^']*' %\}(?P<written>.*?)\{% else %\}")


def written_addressee(text: str) -> str | None:
    """The addressee a template's fixed addressee line (:func:`addressee_line`) shows for the standard ``aan``,
    without its 'Aan' (``de leden van de gemeenteraad van Zeist``); None for text without one."""
    match = _ADDRESSEE_LINE.search(text)
    if match is None:
        return None
    found = ADDRESSEE.match(prose.JINJA.sub("", match.group("written")).strip())
    return found.group("to") if found else None


def escape_jinja(text: str) -> str:
    """Text that renders as itself through Jinja: ``{{`` becomes ``{{ '{{' }}``."""
    return _JINJA.sub(lambda m: "{{ '" + m.group() + "' }}", text)


PDF_IMPORT = ("dit is een PDF, en een PDF kan briefgen niet importeren: kopblok, koppen en tabellen staan er niet meer als "
              "zodanig in; importeer de Word-versie van deze brief (.docx), of zet de tekst zelf in een nieuwe brief "
              "(briefgen new)")
PDF_HOUSE_STYLE = ("dit is een PDF, en van een PDF kan briefgen geen huisstijl maken: kop- en voetteksten, stijlen en "
                   "het kopblok staan er niet meer als zodanig in; gebruik de Word-versie van de brief (.docx)")


def is_pdf(path: Path) -> bool:
    """A PDF by its name or by its first bytes (a PDF saved as ``brief.docx``)."""
    if path.suffix.lower() == ".pdf":
        return True
    if not path.is_file():
        return False  # a folder, a pipe: reading it says what it is
    try:
        with open(path, "rb") as handle:
            return handle.read(len(PDF_MAGIC)) == PDF_MAGIC
    except OSError:
        return False  # reading it says why


# Letters in another format than .docx: what each is called, and the programs that save it as .docx (None:
# not one that LibreOffice converts well). A folder's such files are skipped, each with a warning; the
# .doc files are read as letters, and refused with how to convert them (:func:`not_word`).
CONVERTIBLE = {".doc": ("een Word 97-2003-bestand (.doc)", "Word"),
               ".docm": ("een Word-document met macro's (.docm)", "Word"),
               ".dotx": ("een Word-sjabloon (.dotx)", "Word"),
               ".dot": ("een Word 97-2003-sjabloon (.dot)", "Word"),
               ".wpd": ("een WordPerfect-bestand (.wpd)", "WordPerfect"),
               ".odt": ("een OpenDocument-tekst (.odt)", "LibreOffice of Word"),
               ".fodt": ("een OpenDocument-tekst (.fodt)", "LibreOffice"),
               ".rtf": ("een RTF-bestand (.rtf)", "LibreOffice of Word")}
PAGES = "een Pages-bestand (.pages) leest briefgen niet; exporteer het in Pages als Word-document (.docx)"
TEXT_IMPORT = "een tekstbestand (.txt) is geen Word-brief; zet de tekst in een nieuwe brief (briefgen new)"
TEXT_HOUSE_STYLE = "een tekstbestand (.txt) heeft geen huisstijl; gebruik de Word-versie van een brief (.docx)"
OTHER_LETTERS = frozenset(CONVERTIBLE) - {".doc"} | {".pages", ".txt"}
"""The suffixes of files in a folder that ``import`` skips with a warning, as it does PDFs."""


def not_word(path: Path, pdf: str = PDF_IMPORT, text: str = TEXT_IMPORT) -> str | None:
    """Why a file that is no Word letter is not read, and what to give instead: a letter in another format
    (:data:`CONVERTIBLE`: how to convert it; Pages; a text file: ``text``) or a PDF (``pdf``: what to do
    instead); None for other files."""
    suffix = path.suffix.lower()
    if suffix in CONVERTIBLE:
        what, programs = CONVERTIBLE[suffix]
        return (f"{what} leest briefgen niet; zet het eerst om naar .docx met "
                f"'soffice --headless --convert-to docx --outdir {shlex.quote(str(path.parent))} {shlex.quote(str(path))}' "
                f"(of bewaar het in {programs} als .docx)")
    if suffix == ".pages":
        return PAGES
    if suffix == ".txt":
        return text
    if is_pdf(path):
        return pdf
    return None


def create(source: Path, target: Path, shown: str) -> HouseStyleResult:
    """Write ``target`` (a new template) from the Word letter ``source``; never overwrites."""
    if target.exists():
        raise BriefgenError(f"{shown} bestaat al; kies een andere naam of verwijder de oude huisstijl eerst")
    if (other := not_word(source, PDF_HOUSE_STYLE, TEXT_HOUSE_STYLE)) is not None:
        raise BriefgenError(f"{source}: {other}")
    try:
        package = open_template(source)
    except TemplateFileError as exc:
        raise BriefgenError(f"{source}: {exc}") from None
    try:
        doc = Document(package.stream())
    except Exception:  # noqa: BLE001 - a package python-docx cannot read, whatever its flaw
        raise BriefgenError(f"{source}: Word-structuur beschadigd: python-docx kan het bestand niet lezen "
                            "(open en bewaar het opnieuw in Word)") from None
    if any("inhoud" in (t.text or "") and "{{p" in (t.text or "") for t in doc.element.body.iter(qn("w:t"))):
        raise BriefgenError(f"{source} is al een huisstijl van briefgen ({{{{p inhoud }}}}); kopieer hem naar templates/ "
                            "in plaats van er een nieuwe van te maken")
    result = HouseStyleResult(target)
    _Builder(doc, result, shown).run()
    out = io.BytesIO()
    doc.save(out)
    write_atomic(target, _standard_core_properties(out.getvalue()))
    return result


_CORE_TYPES = (b"http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties",
               b"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties")


def _standard_core_properties(data: bytes) -> bytes:
    """LibreOffice names the core-properties relationship with a type python-docx does not know;
    python-docx then adds a second ``docProps/core.xml`` to every letter built from the template
    (a zip with a duplicate name). The template gets the standard type."""
    source = zipfile.ZipFile(io.BytesIO(data))
    rels = source.read("_rels/.rels")
    if _CORE_TYPES[0] not in rels:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            target.writestr(info, rels.replace(*_CORE_TYPES) if info.filename == "_rels/.rels" else blob)
    return out.getvalue()


class _Builder:
    def __init__(self, doc, result: HouseStyleResult, shown: str):
        self.doc = doc
        self.body = doc.element.body
        self.result = result
        self.shown = shown
        self.found: set[str] = set()
        self.in_header = False
        self.escaped: list = []
        self.kenmerk_texts: list = []  # the w:t elements with {{ kenmerk }}, for NUMBER_AS_KENMERK
        self.contact_texts: list = []  # the w:t elements with {{ informatie_bij }}, for CONTACT_WITH_PHONE
        self.label_paragraphs: list = []  # paragraphs of label cells: they get FIELD_LABEL_STYLE
        self.values: set = set()  # paragraphs below a label that hold its field
        self.box_anchors: list = []  # letter paragraphs that anchor a text box with the header block: emptied, kept
        self.on_behalf = ""  # the letter's own line above the signatures, printed in its place

    def note(self, message: str, severity: Severity = Severity.WARNING) -> None:
        self.result.problems.append(Problem(self.shown, message=message, severity=severity))

    def run(self) -> None:
        self._drop_text_box_fallbacks()
        self._escape_jinja()
        self.in_header = True  # a letterhead with Datum and Kenmerk in the page headers (on every page is fine)
        for header in self._parts(RT.HEADER):
            for block in body_blocks(header):
                self._place_labels(block)
        self.in_header = False
        blocks = body_blocks(self.body)
        last = -1
        for index, block in enumerate(blocks):
            if block.tag == qn("w:p") and _anchor(block) is None \
                    and (SALUTATION.match(text_of(block).strip()) or _is_heading(block)):
                # the letter itself: a 'Datum' in its text or tables is no header block; but a text box anchored
                # in its first paragraph (the aanhef, a title) is placed on the page by itself: a header block
                boxed = [b for b in blocks[index + 1:] if _anchor(b) is block]
                if [b for b in boxed if self._place_labels(b)]:
                    self.box_anchors.append(block)
                break
            if self._place_labels(block):
                last = index
        if last < 0 and not self.found:
            keep = 0
            while keep < len(blocks) and has_picture(blocks[keep]):
                keep += 1
            last = keep - 1
            self.note("geen kopblok gevonden (Datum, Onderwerp, …); briefgen zet Datum en Onderwerp boven de aanhef")
        self._number_as_kenmerk()
        self._contact_with_phone()
        self._one_section()
        self._own_on_behalf(blocks[last + 1:])
        self._drop(blocks[last + 1:])
        self._note_escaped()
        self._add_missing_fields()
        self._add_letter_blocks()
        self._page_size()
        self._styles()
        self._field_label_style()
        _set_language(self.doc)
        drop_unused_styles(self.doc, also={name.lower() for name in BODY_STYLES})

    def _escape_jinja(self) -> None:
        """Text of the letter that looks like a Jinja tag (``{{``, ``{%``) stays text in the template."""
        roots = [self.body, *self._parts(RT.HEADER), *self._parts(RT.FOOTER)]
        for root in roots:
            for t in root.iter(qn("w:t")):
                if t.text and _JINJA.search(t.text):
                    t.text = escape_jinja(t.text)
                    self.escaped.append(t)

    def _drop_text_box_fallbacks(self) -> None:
        """Word writes a text box twice: as a DrawingML shape and, for Word 2007, as a VML copy in
        ``mc:Fallback``. Word and LibreOffice show the shape; the copy would keep the old values, so it goes."""
        for root in [self.body, *self._parts(RT.HEADER), *self._parts(RT.FOOTER)]:
            for fallback in list(root.iter(f"{{{_MC}}}Fallback")):
                if next(fallback.iter(qn("w:txbxContent")), None) is not None:
                    fallback.getparent().remove(fallback)

    def _note_escaped(self) -> None:
        """Report the escaped texts that are still in the template (not those of the dropped letter text)."""
        kept = sum(1 for t in self.escaped if list(t.iterancestors())[-1].tag in _STORIES)  # not in a dropped block
        if kept:
            self.note(f"{kept} tekstdeel/-delen met {{{{ of {{% als gewone tekst bewaard (niet als veld)")

    def _parts(self, reltype: str) -> list:
        """The root elements of the document's headers or footers, in the order of the relationships."""
        return [rel.target_part.element for _, rel in sorted(self.doc.part.rels.items())
                if not rel.is_external and rel.reltype == reltype]

    # --- the header block -----------------------------------------------------------------

    def _place_labels(self, block) -> bool:
        """Put fields beside the labels in ``block``; True when it holds header-block labels."""
        found = False
        if block.tag == qn("w:tbl"):
            rows = list(block.iter(qn("w:tr")))
            filled: set = set()  # cells below a row of labels that got a field
            for r, row in enumerate(rows):
                cells = row.findall(qn("w:tc"))
                for i, cell in enumerate(cells):
                    if cell in filled:
                        continue
                    label = label_field(text_of(cell))
                    if label is not None:
                        found = True
                        self.label_paragraphs += cell.findall(qn("w:p"))
                        values = [c for c in cells[i + 1:] if text_of(c).strip() != ":"]  # a column of colons
                        value = values[0] if values else None
                        below = _cell_below(rows, r, i)
                        if value is not None and _is_placeholder(label, label_field(text_of(value))):
                            self._fill_cell(value, *label)
                        elif below is not None:  # a row of labels with their values below
                            self._fill_cell(below, *label)
                            filled.add(below)
                        else:
                            self._unplaced(label[0], "er staat geen cel naast of onder het label")
                    else:
                        for paragraph in cell.findall(qn("w:p")):
                            found |= self._place_in_paragraph(paragraph)
            return found
        return self._place_in_paragraph(block)

    def _place_in_paragraph(self, paragraph) -> bool:
        if paragraph in self.values:
            return True  # the value below a label, already a field
        text = text_of(paragraph)
        inline = label_in_text(text)
        if inline is not None:
            label, name, _, prefix = inline
            self._set_paragraph(paragraph, name, label, prefix=prefix)
            return True
        spaced = spaced_label(text)
        if spaced is not None:
            label, name, prefix = spaced
            self._set_paragraph(paragraph, name, label, prefix=prefix)
            return True
        alone = label_field(text)
        if alone is not None:
            label, name = alone
            below = _paragraph_below(paragraph)
            if below is not None:  # a label with its (old) value in the paragraph below: the field goes there
                self.values.add(below)
                self._set_paragraph(below, name, label, prefix="")
            else:
                self._set_paragraph(paragraph, name, label, prefix=text + ("" if text.endswith((":", "\t")) else "\t"))
            return True
        dated = PLACE_DATE.match(text.strip())
        if dated:  # "Hilversum, 3 maart 2020" → "Hilversum, {{ datum }}", also beside a label Datum: never an old date
            place = dated.group("place")
            if "datum" in self.found:
                self.note(f"'{text.strip()}' wordt '{place}, {{{{ datum }}}}': de datum staat ook al bij het label Datum")
            rpr = _first_rpr(paragraph)
            _clear(paragraph)
            _add_run(paragraph, f"{place}, ", rpr)
            self._add_field(paragraph, "datum", rpr)
            self._placed(place, "datum")
            return True
        if ADDRESSEE.match(text.strip()):  # "Aan de leden van de gemeenteraad van Zeist": the letter's own 'aan' (import reads it)
            rpr = _first_rpr(paragraph)
            _clear(paragraph)
            _add_run(paragraph, addressee_line(text.strip()), rpr)
            self._placed(text.strip(), "aan")
            return True
        return False

    def _set_paragraph(self, paragraph, name: str | None, label: str, prefix: str) -> None:
        self._old_value(name, text_of(paragraph).removeprefix(prefix))
        rpr = _first_rpr(paragraph)
        _clear(paragraph)
        _add_run(paragraph, prefix, rpr)
        if self._placeable(label, name):
            assert name is not None  # _placeable: only a named field is placed
            self._add_field(paragraph, name, rpr)
            self._placed(label, name)

    def _old_value(self, name: str | None, text: str) -> None:
        """The kenmerk as the letter paper writes it (the first one with a digit: no label name as placeholder)."""
        if name == "kenmerk" and self.result.kenmerk is None and any(c.isdigit() for c in text):
            self.result.kenmerk = " ".join(text.split())

    def _fill_cell(self, cell, label: str, name: str | None) -> None:
        self._old_value(name, text_of(cell))
        paragraphs = cell.findall(qn("w:p"))
        if not paragraphs:
            paragraphs = [OxmlElement("w:p")]
            cell.append(paragraphs[0])
        first = paragraphs[0]
        rpr = _first_rpr(first)
        for extra in paragraphs[1:]:
            cell.remove(extra)
        _clear(first)
        if self._placeable(label, name):
            assert name is not None  # _placeable: only a named field is placed
            self._add_field(first, name, rpr)
            self._placed(label, name)

    def _add_field(self, paragraph, name: str, rpr) -> None:
        run = _add_run(paragraph, f"{{{{ {SHOWN.get(name, name)} }}}}", rpr)
        if name == "kenmerk":
            self.kenmerk_texts.append(run.find(qn("w:t")))
        elif name == "informatie_bij":
            self.contact_texts.append(run.find(qn("w:t")))

    def _contact_with_phone(self) -> None:
        """A contact label without a phone label of its own shows the contact's phone beside the name: the
        old letter had it there ('J. de Vries, telefoon 030 659 42 11'), and a contact is reached by it."""
        if "informatie_telefoon" in self.found or not self.contact_texts:
            return
        for t in self.contact_texts:
            t.text = CONTACT_WITH_PHONE
        for placed in self.result.placed:
            if placed.field == "informatie_bij":
                placed.field = CONTACT_WITH_PHONE

    def _number_as_kenmerk(self) -> None:
        """'Ons kenmerk' shows the letter's number when the letter paper has no place for it, unless the letter
        paper's kenmerk is of a form of its own that is no letter number (a zaak kenmerk, ``Z/24/612345``): then it
        shows the letter's own kenmerk, never briefgen's number ("2026/1", "RIB 2026-1") in its place. A kenmerk
        that is a letter number gives the ``nummering`` in its form, so new letters are numbered as before."""
        if "nummer" in self.found or not self.kenmerk_texts:
            return
        if self.result.kenmerk is not None:
            self.result.numbering = numbering_of(self.result.kenmerk)
            if self.result.numbering is None:
                self.result.own_kenmerk = True
                return
        for t in self.kenmerk_texts:
            t.text = f"{{{{ {NUMBER_AS_KENMERK} }}}}"
        for placed in self.result.placed:
            if placed.field == "kenmerk":
                placed.field = NUMBER_AS_KENMERK

    def _placeable(self, label: str, name: str | None) -> bool:
        """A label gets its field once; otherwise its old value is removed and that is reported."""
        if name is not None and (name not in self.found or self.in_header):
            return True
        why = "briefgen heeft hiervoor geen veld" if name is None else f"'{{{{ {name} }}}}' staat er al"
        self._unplaced(label, f"{why}; de oude waarde is weggehaald")
        return False

    def _placed(self, label: str, name: str) -> None:
        if name in self.found:
            return  # the same field in the header of the first and of the next pages: reported once
        self.found.add(name)
        self.result.placed.append(Placed(label, SHOWN.get(name, name)))

    def _unplaced(self, label: str, why: str) -> None:
        self.note(f"label '{label}' niet gebruikt: {why}")

    def _drop(self, blocks: list) -> None:
        # A text box goes with the paragraph that anchors it, or stays whole: never an empty text box.
        blocks = [b for b in blocks if next(b.iterancestors(qn("w:txbxContent")), None) is None]
        pictures = sum(1 for b in blocks if has_picture(b) and b not in self.box_anchors)
        if pictures:
            self.note(f"{pictures} afbeelding(en) in de tekst na het kopblok weggelaten; zet een logo in de kop- of voettekst")
        for block in blocks:
            if block in self.box_anchors:  # its text goes, its text box (the header block) stays
                _clear(block)
                style = block.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
                if style is not None:
                    style.getparent().remove(style)
                continue
            block.getparent().remove(block)
        for sdt in list(self.body.iter(qn("w:sdt"))):  # content controls left empty
            if sdt.getparent() is self.body and next(sdt.iter(qn("w:p"), qn("w:tbl")), None) is None:
                self.body.remove(sdt)

    def _one_section(self) -> None:
        """A letter is one section: the section breaks go, the page setup of the last section stays. Each
        kind of header and footer the last section has not (Word's "link to previous") is taken from the
        first section that has it, so the letterhead of a first section is on every letter."""
        breaks = [sect for sect in self.body.iter(qn("w:sectPr")) if sect.getparent().tag == qn("w:pPr")]
        if not breaks:
            return
        last = self.body.find(qn("w:sectPr"))
        if last is None:
            last = breaks.pop()
            self.body.append(last)
        own = {(ref.tag, ref.get(qn("w:type"))) for ref in last.iterchildren(qn("w:headerReference"), qn("w:footerReference"))}
        taken = []
        for sect in breaks:
            for ref in sect.iterchildren(qn("w:headerReference"), qn("w:footerReference")):
                if (ref.tag, ref.get(qn("w:type"))) not in own:
                    own.add((ref.tag, ref.get(qn("w:type"))))
                    taken.append(ref)
                    if ref.get(qn("w:type")) == "first" and sect.find(qn("w:titlePg")) is not None \
                            and last.find(qn("w:titlePg")) is None:
                        last.append(OxmlElement("w:titlePg"))  # schema order fixed below
            sect.getparent().remove(sect)
        for ref in reversed(taken):
            last.insert(0, ref)  # references come first in a w:sectPr
        title = last.find(qn("w:titlePg"))
        if title is not None:  # after w:pgNumType / w:cols / w:formProt / w:vAlign / w:noEndnote, before the rest
            after = [c for c in last if c.tag in {qn(f"w:{n}") for n in ("textDirection", "bidi", "rtlGutter", "docGrid",
                                                                             "printerSettings", "sectPrChange")}]
            if after:
                after[0].addprevious(title)
        self.note(f"de brief had {len(breaks) + 1} secties; samengevoegd tot één: de pagina-instelling van de laatste, "
                  "met de kop- en voetteksten van de eerste sectie die ze had")

    def _own_on_behalf(self, blocks: list) -> None:
        """The griffie's wording of the line above the signatures (``Het college van burgemeester en wethouders
        van Zeist,``), in a paragraph or a signature table of the letter text that goes: her letters print it. Only
        the first line after the closing formula, ending in a comma: not a sentence of the letter, a table cell or
        a copy list ('Afschrift aan: Burgemeester en wethouders van De Bilt') that begins so."""
        lines = [line.strip() for block in blocks
                 for p in ([block] if block.tag == qn("w:p") else block.iter(qn("w:p"))) for line in text_of(p).split("\n")]
        closings = [index for index, line in enumerate(lines) if CLOSING.match(line)]
        if not closings:
            return
        line = next((line for line in lines[closings[-1] + 1:] if line), "")
        found = ON_BEHALF.match(line)
        if found and line.endswith(",") and len(found.group("place").split()) <= 4 \
                and not re.search(r"[.;:!?]", found.group("place")):
            self.on_behalf = self.result.on_behalf = line

    def _add_missing_fields(self) -> None:
        for label, name, bold in (("Datum", "datum", False), ("Onderwerp", "onderwerp", True)):
            if name not in self.found:
                paragraph = self._paragraph()
                _add_run(paragraph, f"{label}: ", None)
                run = _add_run(paragraph, f"{{{{ {name} }}}}", None)
                if bold:
                    run.get_or_add_rPr().append(OxmlElement("w:b"))
                self._placed(label, name)
                self.note(f"geen label '{label}' gevonden; '{label}: {{{{ {name} }}}}' toegevoegd boven de aanhef")

    # --- the letter body ---------------------------------------------------------------------

    def _paragraph(self, text: str = ""):
        paragraph = self.doc.add_paragraph(text)
        return paragraph._p

    def _tag(self, tag: str) -> None:
        self._paragraph(tag)

    def _add_letter_blocks(self) -> None:
        spacer = self.doc.add_paragraph()
        spacer.paragraph_format.space_after = Pt(6)
        self._tag("{%p if aanhef %}")
        aanhef = self.doc.add_paragraph("{{ aanhef }}")
        aanhef.paragraph_format.space_before = Pt(6)
        aanhef.paragraph_format.space_after = Pt(12)
        self._tag("{%p endif %}")
        self._tag("{{p inhoud }}")
        self._tag("{%p if slot %}")
        slot = self.doc.add_paragraph("{{ slot }}")
        slot.paragraph_format.space_before = Pt(12)
        slot.paragraph_format.keep_with_next = True
        self._tag("{%p endif %}")
        self._tag("{%p if ondertekening.namens or ondertekening.links.naam or ondertekening.rechts.naam %}")
        namens = self.doc.add_paragraph(f"{{% if ondertekening.namens %}}{escape_jinja(self.on_behalf)}{{% endif %}}"
                                        if self.on_behalf else "{{ ondertekening.namens }}")
        namens.paragraph_format.space_after = Pt(0)
        namens.paragraph_format.keep_with_next = True
        table = self.doc.add_table(rows=1, cols=2)
        row = table.rows[0]._tr
        row.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, side in zip(table.rows[0].cells, ("links", "rechts"), strict=True):
            lines = [f"{{{{ ondertekening.{side}.titel }}}}", *[""] * SIGNATURE_GAP_LINES, f"{{{{ ondertekening.{side}.naam }}}}"]
            first = cell.paragraphs[0]
            first.text = lines[0]
            paragraphs = [first] + [cell.add_paragraph(line) for line in lines[1:]]
            for paragraph in paragraphs[:-1] if side == "rechts" else paragraphs:
                paragraph.paragraph_format.keep_with_next = True
        self._tag("{%p endif %}")
        end = self.doc.add_paragraph()
        end.paragraph_format.space_after = Pt(0)
        end.paragraph_format.line_spacing = Pt(1)

    # --- page and styles ----------------------------------------------------------------------

    def _page_size(self) -> None:
        for section in self.doc.sections:
            width, height = (Emu(section.page_width or 0).twips, Emu(section.page_height or 0).twips)
            if abs(width - A4[0]) > TOLERANCE or abs(height - A4[1]) > TOLERANCE:
                mm = lambda twips: round(twips / 56.7)  # noqa: E731
                self.note(f"het paginaformaat was {mm(width)} × {mm(height)} mm; A4 (210 × 297 mm) van gemaakt")
                section.page_width = Emu(A4[0] * 635)
                section.page_height = Emu(A4[1] * 635)

    def _styles(self) -> None:
        styles = self.doc.styles
        names = {(s.name or "").lower() for s in styles}
        for name, (size, bold, italic, before, after) in _PARAGRAPH_STYLES.items():
            if name.lower() in names:
                continue
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.font.bold = bold or None
            style.font.italic = italic or None
            if size:
                style.font.size = Pt(size)
            if before is not None:
                style.paragraph_format.space_before = Pt(before)
            if after is not None:
                style.paragraph_format.space_after = Pt(after)
            if name.startswith("Heading"):
                style.paragraph_format.keep_with_next = True
                level = OxmlElement("w:outlineLvl")
                level.set(qn("w:val"), str(int(name[-1]) - 1))
                style.element.get_or_add_pPr().append(level)
            self.note(f"de stijl '{name}' ontbrak en is toegevoegd", Severity.WARNING)
        ids = {s.style_id for s in styles}
        for name, xml in (("hyperlink", HYPERLINK_STYLE_XML), ("briefgen tabel", TABLE_STYLE_XML)):
            if name not in names:
                style = style_element(xml)
                based_on = style.find(qn("w:basedOn"))
                if based_on is not None and based_on.get(qn("w:val")) not in ids:
                    style.remove(based_on)  # Word names its plain table style in the user's language
                styles.element.append(style)


    def _field_label_style(self) -> None:
        """Label cells of the header block get the paragraph style FIELD_LABEL_STYLE, so the PDF reads them
        as row headers (builders/pdfua.py). That style is based on the labels' own style, so they look as
        before; labels of another style of their own get one of their own (Veldnaam-2, … based on theirs)."""
        kept = [p for p in self.label_paragraphs if list(p.iterancestors())[-1].tag in _STORIES]
        if not kept:
            return
        styles = self.doc.styles
        paragraph_styles = [s for s in styles if s.type == WD_STYLE_TYPE.PARAGRAPH]
        by_id = {s.style_id: s for s in paragraph_styles}
        names = {s.name for s in styles}
        plain = styles.default(WD_STYLE_TYPE.PARAGRAPH)
        derived: dict[str | None, BaseStyle] = {}  # the labels' own style id -> its field label style
        for style in paragraph_styles:
            if style.name and is_role(f"/{style.name}", FIELD_LABEL_STYLE):
                base = style.base_style or plain
                derived.setdefault(base.style_id if base is not None else None, style)
        number = 1
        for paragraph in kept:
            mark = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            own = by_id.get(mark.get(qn("w:val"))) if mark is not None else None
            if own is not None and own.name and is_role(f"/{own.name}", FIELD_LABEL_STYLE):
                continue  # already a field label (a template made from a briefgen letter)
            base = own or plain
            key = base.style_id if base is not None else None
            label_style = derived.get(key)
            if label_style is None:
                while field_label_style(number) in names:
                    number += 1
                name = field_label_style(number)
                names.add(name)
                label_style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                label_style.base_style = base
                label_style.quick_style = True
                derived[key] = label_style
            paragraph.get_or_add_pPr().style = label_style.style_id


def style_element(xml: str):
    """A ``w:style`` element from one of the XML texts above (python-docx cannot build table styles)."""
    return parse_xml(xml.replace("<w:style ", f"<w:style {nsdecls('w')} ", 1))


# --- small XML helpers ------------------------------------------------------------------------


def body_blocks(body) -> list:
    """The paragraphs and tables of the body in order, also those inside content controls (``w:sdt``)
    and text boxes: a text box's paragraphs follow the paragraph that anchors it (a header block in a
    text box is a header block like any other)."""
    blocks = []
    for child in body.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            blocks.append(child)
            if child.tag == qn("w:p"):
                for box in child.iter(qn("w:txbxContent")):
                    if not any(a.tag == qn("w:txbxContent") for a in box.iterancestors()):  # nested: in its box
                        blocks.extend(body_blocks(box))
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent")) if child.tag == qn("w:sdt") else child
            if content is not None:
                blocks.extend(body_blocks(content))
    return blocks


def text_of(element) -> str:
    """The visible text of a paragraph, cell or table: tabs as ``\\t``, line breaks as ``\\n``,
    paragraphs joined by a space."""
    parts = []
    for paragraph in [element] if element.tag == qn("w:p") else element.iter(qn("w:p")):
        chunk = []
        for node in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
            if next(node.iterancestors(qn("w:p"))) is not paragraph:
                continue  # the text of a text box anchored in this paragraph: its own paragraphs
            chunk.append(node.text or "" if node.tag == qn("w:t") else "\t" if node.tag == qn("w:tab") else "\n")
        parts.append("".join(chunk))
    return " ".join(p for p in parts if p)


def _is_placeholder(label: tuple[str, str | None], beside: tuple[str, str | None] | None) -> bool:
    """Whether the cell beside a label is the place of its value: any text that is no label, and a label
    name as placeholder text (``Betreft | Onderwerp``, ``Datum | Datum``) when it names the same field
    (not a row of labels with their values below: ``Ons kenmerk | Datum``)."""
    return beside is None or (label[1] is not None and beside[1] == label[1])


def _cell_below(rows: list, r: int, i: int):
    """The cell in the same column of the next row when it is the place of a value (empty, or any text
    that is no label: the old value of a letter) and that row has as many cells; else None."""
    if r + 1 >= len(rows):
        return None
    above, below = rows[r].findall(qn("w:tc")), rows[r + 1].findall(qn("w:tc"))
    if len(below) != len(above) or label_field(text_of(below[i])) is not None:
        return None
    return below[i]


def _anchor(block):
    """The paragraph that anchors the text box ``block`` is in; None for a block not in a text box."""
    if next(block.iterancestors(qn("w:txbxContent")), None) is None:
        return None
    return next(block.iterancestors(qn("w:p")), None)


def _paragraph_below(paragraph):
    """The paragraph under a label alone that holds its (old) value: the next paragraph with text in the
    same cell, text box or body, when that is one short line that is no label, aanhef, addressee line
    (``Aan de leden …``), place and date (``Hilversum, 3 maart 2020``), heading, picture or text box; else None
    (the field then goes beside the label)."""
    below = paragraph.getnext()
    while below is not None and below.tag == qn("w:p") and not text_of(below).strip() and not has_picture(below) \
            and next(below.iter(qn("w:txbxContent")), None) is None:
        below = below.getnext()
    if below is None or below.tag != qn("w:p") or has_picture(below) or next(below.iter(qn("w:txbxContent")), None) is not None:
        return None
    text = text_of(below).strip()
    if len(text) > 80 or "\n" in text or "\t" in text or _is_heading(below) or SALUTATION.match(text) \
            or ADDRESSEE.match(text) or PLACE_DATE.match(text) \
            or label_field(text) is not None or label_in_text(text) is not None or spaced_label(text) is not None:
        return None
    return below


def _is_heading(paragraph) -> bool:
    """A paragraph with an outline level of its own (Word's and LibreOffice's headings)."""
    return paragraph.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}") is not None or any(
        (style.get(qn("w:val")) or "").lower().replace(" ", "").startswith(("heading", "kop"))
        for style in paragraph.iterfind(f"{qn('w:pPr')}/{qn('w:pStyle')}"))


def has_picture(block) -> bool:
    return any(True for _ in block.iter(qn("w:drawing"), qn("w:pict"), qn("w:object")))


def _first_rpr(paragraph):
    for run in paragraph.iter(qn("w:r")):
        rpr = run.find(qn("w:rPr"))
        if rpr is not None:
            return rpr
    return None


def _clear(paragraph) -> None:
    """Remove the content of a paragraph, keeping its properties (style, tabs, spacing) and the text
    boxes anchored in it (their paragraphs are blocks of their own)."""
    for child in list(paragraph):
        if child.tag != qn("w:pPr") and next(child.iter(qn("w:txbxContent")), None) is None:
            paragraph.remove(child)


def _add_run(paragraph, text: str, rpr):
    """A run with ``text`` (tabs as ``w:tab``) and a copy of ``rpr``."""
    run = OxmlElement("w:r")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    for i, piece in enumerate(text.split("\t")):
        if i:
            run.append(OxmlElement("w:tab"))
        if piece:
            t = OxmlElement("w:t")
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.append(t)
    paragraph.append(run)
    return run
