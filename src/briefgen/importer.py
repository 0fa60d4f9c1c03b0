"""``briefgen import``: existing Word letters become content files.

A letter is read as a sequence of blocks: the header block (labels as in housestyle.LABELS, in
table cells or paragraphs), the aanhef, the body (headings become sections, bold/italic/lists/links
Markdown, tables ``tabellen``), the closing formula and the signers. Whatever has no place in the
content model is reported with its paragraph number; nothing is guessed silently.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from briefgen import formatting
from briefgen.builders.headerfields import header_parts, template_labels
from briefgen.fileio import write_atomic
from briefgen.housestyle import (
    ADDRESSEE,
    CLOSING,
    LABELS,
    ON_BEHALF,
    OTHER_LETTERS,
    PLACE_DATE,
    SALUTATION,
    body_blocks,
    escape_jinja,
    has_picture,
    label_field,
    label_in_text,
    not_word,
    text_of,
    written_addressee,
)
from briefgen.imported import word_file_name
from briefgen.index import LetterIndex
from briefgen.kinds import DEFAULTS
from briefgen.model import Organisation
from briefgen.model.organisation import PLACEHOLDER, Member
from briefgen.model.tables import NUMBERING_WORDS, counted_by
from briefgen.names import TITLES_AFTER, TITLES_BEFORE, person_in, same_person
from briefgen.newletter import DEFAULT_SIGNING, free_path, slug
from briefgen.problems import BriefgenError, Problem, ProblemsError, Severity
from briefgen.resolve import COLLEGE_ROLES, MARKING_FUNCTION
from briefgen.session import Session
from briefgen.templatefile import TemplateFileError, open_template
from briefgen.templateshows import shows, template_uses
from briefgen.werkmap import Werkmap
from briefgen.yamlio import load

W_P, W_TBL, W_R, W_T = qn("w:p"), qn("w:tbl"), qn("w:r"), qn("w:t")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")
_CONTACT_INTRO = re.compile(r"(contact opnemen met|contact op met|terecht bij|informatie bij|vragen aan) ", re.IGNORECASE)
_CONTACT = re.compile(r"(?P<naam>[^,()]+?)(?: voor (?P<domein>[^,()]+?))? \((?P<reach>[^()]+)\)")
_DIGIT_GROUPING = re.compile(r"(?<=\d)[\s-]+(?=\d)")


_MARKING = re.compile(r",\s*(l\.s\.|i\.o\.|w\.n\.)\s*$")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])(?=\s|$)")
_ATTACHMENT_COUNT = re.compile(r"^(?P<count>[0-9]+)\.?(?:\s*\(\s*[^\W\d_]+\s*\)\.?)?$")  # 2, 2., 2 (twee), ASCII digits only
_SPACED_LABEL = re.compile(r"^(zaaknummer|kenmerk)\s+(\S+)$", re.IGNORECASE)
_TABLE_NUMBER = r"^tabel \d+[a-z]?\s*[:.–-]\s*"  # "Tabel 1: ", "Tabel 2b. ", "Tabel 3 - "
_TABLE_CAPTION = re.compile(_TABLE_NUMBER + r"\S.{0,150}$", re.IGNORECASE | re.DOTALL)  # "Tabel 1: Kosten"
_TYPED_ITEM = re.compile(r"^(?:\d+[.)]|[a-z][.)]|[-•–*])\s+")  # "1. Rapport", "- Kaart": a list item typed by hand
_SIGNATURE_GAP = re.compile(r"\t+|\n+| {3,}")
# A title of someone signing for another ("de loco-burgemeester,", "de wnd. burgemeester,") and whose it is.
_ACTING_TITLE = re.compile(r"^(?:loco-|waarnemend |wnd\. ?)(?P<role>.+)$", re.IGNORECASE)
_SIGNER_TITLE = re.compile(r"^(?:de |het )?(?P<title>(?:[a-z-]+\.? )?(?:(?:loco-)?burgemeester|[a-z-]*secretaris|wethouder|griffier|voorzitter)"
                           r"(?: [a-z-]+)*?),?$", re.IGNORECASE)
_SIGNER_NAME = re.compile(rf"^(?:(?i:{TITLES_BEFORE})(?:\. ?| ))*"
                          r"(?:(?:[A-Z][a-z]?\.[ -]?)+|[A-Z][a-zà-ÿ]+ )"
                          r"(?:(?:van|de|der|den|ter|ten|het|'t|op|in|la|le|du|von) )*"
                          r"[A-Z][a-zà-ÿ'-]+(?:[ -](?:(?:van|de|der|den|ter|ten) )*[A-Z][a-zà-ÿ'-]+)*"
                          rf"(?:,? (?:{TITLES_AFTER})\.?)*"
                          r"(?:,\s*(?:l\.s\.|i\.o\.|w\.n\.))?$")
_COUNT_IN_TEXT = re.compile(r"(?<![\w.,€/-])(?<!€ )(?<!€\u00a0)(\d{1,3}(?:\.\d{3})+|\d+)(?![\w.,/-])(?=\**\s+(?P<word>[a-zà-ÿ]{3,}))")
# A number or amount right after "totaal" in the same sentence: "in totaal 42 mensen", "in totaal € 1.245.000".
_TOTAL_IN_TEXT = re.compile(r"(?P<lead>\btotaal\b[^.;:!?\d€{}]{0,30}?)(?P<euro>€[ \u00a0]?)?"
                            r"(?P<value>(?<![\w.,/-])(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d{2}|,-)?)(?![\w/-]|[.,]\d)"
                            r"(?:(?=\**\s+(?P<word>[a-zà-ÿ]{3,})))?", re.IGNORECASE)
_POSITION = re.compile(r"^alinea (\d+):")
_PLACE_BEFORE = re.compile(r"^[A-Z][^\W\d][^,\d]{0,40},\s*")  # "Loosdrecht, " before a date
_WORD_BEFORE = re.compile(r"(\w+)\W*$")
TABLE_NAME_LENGTH = 30
"""At most this long (whole words of the caption), so that ``{{ tabellen.NAAM.totaal }}`` stays readable."""
TOTAL_LABEL = re.compile(r"^(totaal|total|som|subtotaal)\b", re.IGNORECASE)


@dataclass
class Imported:
    """One Word letter, read: the content (in file order) and what could not be placed."""

    source: Path
    shown: str
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    target: Path | None = None
    earlier: Path | None = None  # the content file this letter was already imported as; not written again
    broken_organisations: set[str] = field(default_factory=set)  # organisations it is of, whose file has errors
    skipped: bool = False  # a PDF or a letter in another format in a folder: not read, reported, not counted as a letter
    alone: bool = False  # a PDF without its Word version beside it

    def warn(self, message: str) -> None:
        self.problems.append(Problem(self.shown, message=message, severity=Severity.WARNING))

    def error(self, message: str) -> None:
        self.problems.append(Problem(self.shown, message=message))

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def word_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The files named, and the .docx files in the folders named (Word's ``~$`` lock files skipped), with the
    .doc files there, so each is reported as not read (:func:`not_word`) rather than left out unseen; and
    the PDFs and the letters in another format (:data:`OTHER_LETTERS`) in those folders, which are skipped
    (a PDF often the published version beside the Word letter), each with a warning."""
    found: list[Path] = []
    skipped: list[Path] = []
    for path in paths:
        if path.is_dir() and not _bundle(path):
            files = [p for p in sorted(_files(path)) if not p.name.startswith("~$")]
            found.extend(p for p in files if p.suffix.lower() in (".docx", ".doc"))
            skipped.extend(p for p in files if p.suffix.lower() == ".pdf" or p.suffix.lower() in OTHER_LETTERS)
        else:
            found.append(path)
    return found, skipped


def _bundle(path: Path) -> bool:
    """A macOS document that is a folder (a Pages letter): one file, never searched (its preview PDF is no letter)."""
    return path.suffix.lower() in OTHER_LETTERS


def _files(folder: Path) -> Iterator[Path]:
    """The files under ``folder`` and the bundles (:func:`_bundle`) as files; folder links are not followed and a
    folder that cannot be read is passed over, as :meth:`Path.rglob` does."""
    try:
        paths = list(folder.iterdir())
    except OSError:
        return
    for path in paths:
        if path.is_dir() and not path.is_symlink() and not _bundle(path):
            yield from _files(path)
        elif path.is_file() or path.is_dir() and _bundle(path):
            yield path


def import_letters(session: Session, paths: list[Path], organisation: str | None = None,
                   again: bool = False) -> list[Imported]:
    """Read every letter and write the ones that read well; never overwrites a content file.

    A letter that is already in content/ (:func:`already_imported`) is skipped unless ``again``.
    Each written file is then read as ``briefgen check`` reads it, so what still needs a human
    (a signer, a total) is reported on its line in the new file.
    """
    werkmap, organisations = session.werkmap, session.organisations
    broken = _broken_organisations(session)
    if organisation is not None and organisation in broken:
        raise ProblemsError(broken[organisation][1])  # the organisation's own errors, in its own file
    if organisation is not None and organisations.get(organisation) is None:
        known = ", ".join(sorted(o for o, v in organisations.items() if v)) or "geen"
        raise BriefgenError(f"organisatie '{organisation}' bestaat niet; bekend: {known}")
    styles, addressees = _template_labels(werkmap)
    results = []
    read: dict[Path, tuple[Any, ...] | None] = {}
    reported: set[str] = set()
    letters, skipped = word_files(paths)
    for path in letters:
        imported = read_letter(path, str(path), organisations, session.index, organisation, styles,
                               {ident: names for ident, (names, _) in broken.items()}, addressees)
        for ident in imported.broken_organisations - reported:  # its errors once, before the first letter that needs it
            imported.problems[:0] = broken[ident][1]
            reported.add(ident)
        earlier = already_imported(session.index, imported.data, werkmap, read) if imported.ok and not again else None
        if earlier is not None:
            imported.earlier = earlier
            imported.problems = []  # what reading it said was said when it was imported
            imported.warn(f"al geïmporteerd als {werkmap.shown(earlier)} (zelfde organisatie, datum en onderwerp); "
                          "overgeslagen (--opnieuw importeert de brief toch)")
        elif imported.ok:
            imported.target = write(werkmap, imported)
            shown = werkmap.shown(imported.target)
            imported.problems += [p for p in session.read(imported.target).problems if p.path == shown]
        results.append(imported)
    return [_skipped(path, results) for path in skipped] + results


def _skipped(path: Path, letters: list[Imported]) -> Imported:
    """A file in a folder that is no Word letter, skipped with a warning: a letter in another format with
    how to convert it (:func:`not_word`), a PDF with what became of its Word version beside it."""
    if path.suffix.lower() != ".pdf":
        other = Imported(path, str(path), skipped=True)
        other.warn(f"overgeslagen: {not_word(path)}")
        return other
    return _skipped_pdf(path, letters)


def _skipped_pdf(pdf: Path, letters: list[Imported]) -> Imported:
    """A PDF in a folder, skipped with a warning that says what became of its Word version beside it
    (``RIB.PDF`` beside ``rib.docx`` too), or how to import it when there is none."""
    skipped = Imported(pdf, str(pdf), skipped=True)
    word = next((r for r in letters if r.source.parent == pdf.parent and r.source.suffix.lower() == ".docx"
                 and r.source.stem.casefold() == pdf.stem.casefold()), None)
    if word is None:
        skipped.alone = True
        what = "zet de Word-versie van deze brief (.docx) in de map om haar te importeren"
    elif word.target is not None:
        what = f"de Word-versie {word.source.name} wordt wel geïmporteerd"
    elif word.earlier is not None:
        what = f"de Word-versie {word.source.name} is al eerder geïmporteerd"
    else:
        what = f"de Word-versie {word.source.name} staat ernaast, maar kon niet worden geïmporteerd (zie de melding daarbij)"
    skipped.warn(f"PDF overgeslagen: briefgen importeert alleen Word-brieven (.docx); {what}")
    return skipped


def _broken_organisations(session: Session) -> dict[str, tuple[list[str], list[Problem]]]:
    """The organisations whose file has errors: the names a letter may call them by (``naam``, and
    ``wethouders van`` its ``plaatsnaam``, as far as the file can be read) and the errors, in that file."""
    broken = {}
    for ident, org in session.organisations.items():
        if org is not None:
            continue
        path = session.werkmap.organisation_file(ident)
        errors = session.organisation_errors(ident)
        loaded, _ = load(path, session.werkmap.shown(path), session.werkmap.root)
        data = loaded.data if loaded is not None and isinstance(loaded.data, dict) else {}
        names = [str(data["naam"]).lower()] if isinstance(data.get("naam"), str) and data["naam"].strip() else []
        if isinstance(data.get("plaatsnaam"), str) and data["plaatsnaam"].strip():
            names.append(f"wethouders van {data['plaatsnaam'].lower()}")
        broken[ident] = (names, errors)
    return broken


def already_imported(index: LetterIndex, data: dict[str, Any], werkmap: Werkmap,
                     read: dict[Path, tuple[Any, ...] | None] | None = None) -> Path | None:
    """The content file of the same letter: same organisation, date and subject (spacing and case
    aside), and no number or kenmerk that differs. Importing a folder twice finds every letter: the
    checked letters anywhere in content/, and, as written, those in the folder an import writes to,
    also when a later edit gave them an error (the index leaves those out). ``read``: what was read
    of each such file before in this run (each file is read once, not once per imported letter)."""
    wanted = (data["organisatie"], str(data["datum"]), _subject(data["onderwerp"]), data.get("nummer"), data.get("kenmerk"))
    for entry in index.all():
        letter = entry.letter
        if _same(wanted, (letter.organisation, str(letter.date), _subject(letter.subject), letter.number, letter.reference)):
            return entry.path
    folder = werkmap.content / str(data["organisatie"]) / str(data["datum"].year)
    read = {} if read is None else read
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        if path not in read:
            loaded, _ = load(path, werkmap.shown(path), werkmap.root)
            raw = loaded.data if loaded is not None else None
            read[path] = (raw.get("organisatie"), str(raw.get("datum")), _subject(raw.get("onderwerp")), raw.get("nummer"),
                          raw.get("kenmerk")) if isinstance(raw, dict) else None
        found = read[path]
        if found is not None and _same(wanted, found):
            return path
    return None


def _subject(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _same(wanted: tuple[Any, ...], found: tuple[Any, ...]) -> bool:
    """Organisation, date and subject equal; number and kenmerk equal where both have one."""
    return wanted[:3] == found[:3] and all(None in (a, b) or str(a) == str(b) for a, b in zip(wanted[3:], found[3:], strict=True))


def write(werkmap: Werkmap, imported: Imported) -> Path:
    """Write the content file atomically under content/<organisatie>/<jaar>/; never replaces a file."""
    data = imported.data
    folder = werkmap.content / str(data["organisatie"]) / str(data["datum"].year)
    text = "# yaml-language-server: $schema=../../../schema/brief.schema.json\n" + dump(data)
    while True:
        target = free_path(folder, slug(str(data["onderwerp"])))
        try:
            write_atomic(target, text.encode("utf-8"), exclusive=True)
            return target
        except FileExistsError:  # another import took the name meanwhile: the next free one
            continue


def dump(data: dict[str, Any]) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 4096  # one line per value: no folding in the middle of a heading
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(Decimal, lambda r, d: r.represent_scalar("tag:yaml.org,2002:float", str(d)))
    out = io.StringIO()
    yaml.dump(_styled(data), out)
    return out.getvalue()


def _styled(value: Any) -> Any:
    """Multi-line text as a literal block; text ruamel would not write back exactly, double-quoted."""
    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = _styled(item)
        return out
    if isinstance(value, list):
        out_list = CommentedSeq(_styled(item) for item in value)
        if value and all(isinstance(item, (str, int, Decimal)) for item in value):
            out_list.fa.set_flow_style()  # a table row or the column headings on one line
        return out_list
    if isinstance(value, str):
        if any(not ch.isprintable() and ch != "\n" for ch in value) or value != value.strip(" ") and "\n" in value:
            return DoubleQuotedScalarString(value)
        if "\n" in value:
            return LiteralScalarString(value if value.endswith("\n") else value + "\n")
    return value


# --- reading a letter ------------------------------------------------------------------------


def read_letter(path: Path, shown: str, organisations: dict[str, Organisation | None], index: LetterIndex,
                organisation: str | None = None, styles: dict[str, set[str]] | None = None,
                broken: dict[str, list[str]] | None = None, addressees: dict[str, _Shown] | None = None) -> Imported:
    """``broken``: the organisations whose file has errors, with the names a letter may call them by;
    ``addressees``: what each house style shows of the addressee, by style name."""
    imported = Imported(path, shown)
    if (other := not_word(path)) is not None:
        imported.error(other)
        return imported
    try:
        package = open_template(path)
        doc = Document(package.stream())
    except TemplateFileError as exc:
        imported.error(str(exc))
        return imported
    except Exception:  # noqa: BLE001 - a package python-docx cannot read, whatever its flaw
        imported.error("Word-structuur beschadigd: python-docx kan het bestand niet lezen (open en bewaar het opnieuw in Word)")
        return imported
    _Reader(doc, imported, organisations, index, organisation, styles or {}, broken or {}, addressees or {}).read()
    imported.problems.sort(key=_position)  # stable: what has no paragraph (the signers) after the rest
    return imported


def _position(problem: Problem) -> int:
    found = _POSITION.match(problem.message)
    return int(found.group(1)) if found else 1 << 30


@dataclass
class _Block:
    number: int  # paragraph number in the body, 1-based (tables count as one)
    element: Any

    @property
    def is_table(self) -> bool:
        return self.element.tag == W_TBL


class _Reader:
    def __init__(self, doc, imported: Imported, organisations, index: LetterIndex, organisation: str | None,
                 styles: dict[str, set[str]], broken: dict[str, list[str]], addressees: dict[str, _Shown]):
        self.doc = doc
        self.broken = broken
        self.out = imported
        self.organisations = organisations
        self.index = index
        self.organisation = organisation
        self.styles = styles
        self.shown = addressees
        self.fields: dict[str, str] = {}
        self.labels: set[str] = set()
        self.numbering = _Numbering(doc)
        self.style_names = {s.style_id: (s.name or "") for s in doc.styles}
        self.tables: dict[str, dict[str, Any]] = {}
        self.sections: list[dict[str, str]] = []
        self.contacts: list[dict[str, str]] = []
        self.signers: list[dict[str, str]] = []
        self.on_behalf = False
        self.signature_unread: str | None = None  # why the signature could not be read, for the report
        self.signature_seen = False  # anything after the closing formula: a signature, even one not read
        self.closing: str | None = None
        self.salutation: str | None = None
        self.commitments: list[dict[str, str]] = []
        self.attachments: list[dict[str, str]] = []
        self.attachment_count: tuple[str, str, int] | None = None  # label, value, paragraph of 'Bijlage(n): 2'
        self.comparisons: list[int] = []  # paragraph numbers of tables compared with a previous letter
        self.wrong_totals: dict[str, tuple[Decimal, int]] = {}  # table → the wrong total the letter gave, its paragraph
        self.sections_raw: list[dict[str, Any]] = []
        self.prose: list[tuple[list[str], int, int]] = []  # (parts of a section, index, paragraph number) of text

    # --- the whole letter --------------------------------------------------------------------

    def read(self) -> None:
        blocks = [_Block(i, el) for i, el in enumerate(body_blocks(self.doc.element.body), 1)]
        start = self._header(blocks)
        self._running_header()
        end = self._closing_start(blocks, start)
        self._body(blocks[start:end])
        self._signature(blocks[end:])
        self._assemble()

    def _header(self, blocks: list[_Block]) -> int:
        """Read the header block; returns the index of the first block of the letter itself."""
        salutation = next((i for i, b in enumerate(blocks)
                           if not b.is_table and SALUTATION.match(text_of(b.element).strip())), None)
        last_label = -1
        pending: tuple[str, str | None] | None = None  # a label alone in its paragraph; the value follows
        skipped: list[_Block] = []
        for i, block in enumerate(blocks):
            if salutation is not None and i >= salutation:
                break
            if salutation is None and i > last_label + 3 and last_label >= 0:
                break
            if self._heading_level(block) and salutation is None:
                break
            if block.is_table:
                if self._label_table(block):
                    last_label = i
                else:
                    skipped.append(block)
                continue
            text = text_of(block.element).strip()
            if not text:
                continue
            if pending:
                self._field(*pending, text, block)
                pending = None
                last_label = i
                continue
            inline = label_in_text(text)
            alone = label_field(text)
            dated = PLACE_DATE.match(text)
            if inline and inline[2]:
                self._field(inline[0], inline[1], inline[2], block)
                last_label = i
            elif dated and "datum" not in self.fields:
                self._field(dated.group("place"), "datum", dated.group("date"), block)
                last_label = i
            elif alone:
                pending = alone
                last_label = i
            elif ADDRESSEE.match(text) and "aan" not in self.fields:
                to = ADDRESSEE.match(text).group("to")  # type: ignore[union-attr]
                self.fields["aan"] = to[0].upper() + to[1:]
            else:
                skipped.append(block)
        for block in skipped:
            if salutation is not None or block.number <= last_label + 1:
                self.out.warn(f"alinea {block.number}: '{_short(text_of(block.element).strip())}' "
                              "boven de aanhef niet overgenomen")
        if salutation is not None:
            self.salutation = text_of(blocks[salutation].element).strip()
            return salutation + 1
        return last_label + 1

    def _running_header(self) -> None:
        """Fields in the page headers (a letterhead with a date, ``zaaknummer 1006608``); the header
        block in the text wins."""
        found: list[tuple[str | None, str]] = []
        for section in self.doc.sections:
            for part in (section.first_page_header, section.header):
                if part.is_linked_to_previous:
                    continue
                for block in body_blocks(part.part.element):
                    if block.tag == W_TBL:
                        for row in block.iter(qn("w:tr")):
                            cells = [text_of(c).strip() for c in row.findall(qn("w:tc"))]
                            for i, cell in enumerate(cells[:-1]):
                                label = label_field(cell)
                                values = [c for c in cells[i + 1:] if c != ":"]
                                if label and values:
                                    self.labels.add(label[0].lower())
                                    found.append((label[1], values[0]))
                        continue
                    text = text_of(block).strip()
                    inline = label_in_text(text)
                    spaced = _SPACED_LABEL.match(text)
                    if inline:
                        self.labels.add(inline[0].lower())
                        found.append((inline[1], inline[2]))
                    elif spaced:
                        found.append((spaced.group(1).lower(), spaced.group(2)))
        for name, value in found:
            if name and value and name not in self.fields:
                self.fields[name] = value

    def _label_table(self, block: _Block) -> bool:
        found = False
        for row in block.element.iter(qn("w:tr")):
            cells = row.findall(qn("w:tc"))
            for i, cell in enumerate(cells[:-1]):
                label = label_field(text_of(cell))
                if label is not None:
                    found = True
                    values = [c for c in cells[i + 1:] if text_of(c).strip() != ":"]  # a column of colons
                    if values and label[1] in _CONTACT_FIELDS:  # a contact per paragraph of the cell
                        value = "\n".join(line for p in values[0].iter(W_P) if (line := text_of(p).strip()))
                    else:
                        value = text_of(values[0]).strip() if values else ""
                    self._field(*label, value, block)
        return found

    def _field(self, label: str, name: str | None, value: str, block: _Block) -> None:
        self.labels.add(label.lower())
        if not value:
            return
        if name == "bijlagen":  # a count (or one title); the content model lists the attachments by title
            if self.attachment_count is None:
                self.attachment_count = (label, value, block.number)
            return
        if name is None or name in self.fields:
            self.out.warn(f"alinea {block.number}: '{label}: {value}' niet overgenomen (geen plaats in de brief)")
            return
        self.fields[name] = value

    def _closing_start(self, blocks: list[_Block], start: int) -> int:
        """Index of the closing formula, or of the signature when there is none."""
        for i in range(start, len(blocks)):
            block = blocks[i]
            text = "" if block.is_table else text_of(block.element).strip().split("\n")[0].strip()
            if CLOSING.match(text):  # also on the first line of a paragraph that goes on after a line break
                self.closing = text
                return i
            if ON_BEHALF.match(text) or (block.is_table and self._signature_cells(block)):
                return i
        return len(blocks)

    # --- the body --------------------------------------------------------------------------------

    def _body(self, blocks: list[_Block]) -> None:
        section: dict[str, Any] = {"kop": None, "parts": []}
        self.sections_raw = [section]
        lists = _ListWriter()
        caption: str | None = None
        i = 0
        while i < len(blocks):
            block = blocks[i]
            i += 1
            if block.is_table:
                lists.close(section)
                if caption is None and i < len(blocks) and self._is_caption(blocks[i]) \
                        and not (i + 1 < len(blocks) and blocks[i + 1].is_table):  # under this table, not above the next
                    caption = text_of(blocks[i].element).strip()
                    i += 1
                name = self._data_table(block, caption)
                caption = None
                if name:
                    section["parts"].append(f'{{{{ tabel("{name}") }}}}')
                continue
            p = block.element
            text = text_of(p).strip()
            level = self._heading_level(block)
            if has_picture(p):
                self.out.warn(f"alinea {block.number}: afbeelding niet overgenomen (een brief heeft alleen tekst en tabellen)")
            if not text:
                continue
            if (level == 1 or not level and text.endswith(":")) and _closing_list_title(text) and self._closing_lists(blocks[i - 1:]):
                break
            if level == 1:
                lists.close(section)
                section = {"kop": text, "parts": []}
                self.sections_raw.append(section)
                continue
            if self._is_caption(block) and i < len(blocks) and blocks[i].is_table:
                caption = text
                continue
            if level:
                lists.close(section)
                section["parts"].append("#" * min(level, 3) + " " + self._markdown(p))
                continue
            list_info = self.numbering.of(p, self._style_numbering(p), left_indent(self._style_properties(p)))
            if list_info is not None:
                lists.item(section, *list_info, self._markdown(p))
                continue
            if lists.open and self._style(p) == "list paragraph":
                lists.continuation(self._markdown(p))
                continue
            lists.close(section)
            section["parts"].append(self._contact_sentence(self._markdown(p), block))
            self.prose.append((section["parts"], len(section["parts"]) - 1, block.number))
        lists.close(section)
        self._totals_in_text()
        for raw in self.sections_raw:
            if raw["kop"] is None and not raw["parts"]:
                continue
            entry: dict[str, str] = {}
            if raw["kop"] is not None:
                entry["kop"] = raw["kop"]
            entry["tekst"] = "\n\n".join(raw["parts"]) + "\n" if raw["parts"] else ""
            self.sections.append(entry)

    def _totals_in_text(self) -> None:
        """A number in the text that is the total of exactly one table becomes the expression for that
        total, so that text and table cannot drift apart: a number or amount right after ``totaal``
        (``in totaal 42 mensen``, ``in totaal € 1.245.000``), or a count whose word names what the
        table counts (``42 mensen`` beside "Aantal mensen"). The total is the sum of the rows, with
        or without a total row in the letter."""
        totals: dict[Decimal, list[str]] = {}
        for name, table in self.tables.items():
            if all(len(row) == 2 for row in table["rijen"]):
                totals.setdefault(Decimal(sum((row[1] for row in table["rijen"]), 0)), []).append(name)
                if name in self.wrong_totals:  # the text repeats the letter's wrong total: it is that table's total too
                    totals.setdefault(self.wrong_totals[name][0], []).append(name)

        def expression(name: str, text: str, number: int, amount: bool, value: Decimal) -> str:
            found = f"tabellen.{name}.totaal" + (" | bedrag" if amount else " | getal" if "." in text else "")
            wrong = self.wrong_totals.get(name)
            if wrong is not None and value == wrong[0]:
                rows = self.tables[name]["rijen"]
                self.out.warn(f"alinea {number}: '{text}' in de tekst is het totaal uit de brief van tabel '{name}' "
                              f"(alinea {wrong[1]}), maar de rijen tellen op tot {sum(row[1] for row in rows)}; vervangen "
                              f"door {{{{ {found} }}}}, dus de brief noemt nu de som van de rijen: controleer welk getal klopt")
            else:
                self.out.warn(f"alinea {number}: '{text}' in de tekst is het totaal van tabel '{name}'; vervangen door "
                              f"{{{{ {found} }}}}, zodat tekst en tabel gelijk blijven")
            return f"{{{{ {found} }}}}"

        mentioned: set[tuple[int, str]] = set()

        def mentions_wrong_total(text: str, value: Decimal, number: int) -> None:
            """A number in the text that is only the letter's wrong total of a table: said, not changed."""
            for name, (wrong, where) in self.wrong_totals.items():
                if wrong == value and (number, name) not in mentioned:
                    mentioned.add((number, name))
                    rows = self.tables[name]["rijen"]
                    self.out.warn(f"alinea {number}: '{text}' in de tekst is het totaal uit de brief van tabel '{name}' "
                                  f"(alinea {where}), dat niet klopt met de som van de rijen ({sum(row[1] for row in rows)}); "
                                  f"controleer de tekst (of schrijf {{{{ tabellen.{name}.totaal }}}})")

        def after_total(match: re.Match[str], number: int) -> str:
            amount = match.group("euro") is not None
            value = _number(match.group("value").removesuffix(",-"))
            names = [n for n in totals.get(Decimal(value), []) if (self.tables[n].get("soort") == "bedrag") == amount] \
                if value is not None else []
            if len(names) != 1 or _names_a_thing(match, match.start("value")):
                if value is not None and not _names_a_thing(match, match.start("value")):
                    mentions_wrong_total(match.group(0)[len(match.group("lead")):], Decimal(value), number)
                return match.group(0)
            assert value is not None  # names come from a value
            shown = match.group("value") + (f" {match.group('word')}" if match.group("word") else "")
            return match.group("lead") + expression(names[0], ("€ " if amount else "") + shown, number, amount, Decimal(value))

        def replace(match: re.Match[str], number: int) -> str:
            value = int(match.group(1).replace(".", ""))
            names = [n for n in totals.get(Decimal(value), []) if self.tables[n].get("soort") != "bedrag"]
            if len(names) != 1 or _names_a_thing(match) or not _counts(match.group("word"), self.tables[names[0]]):
                if not _names_a_thing(match):
                    mentions_wrong_total(f"{match.group(1)} {match.group('word')}", Decimal(value), number)
                return match.group(0)
            return expression(names[0], f"{match.group(1)} {match.group('word')}", number, False, Decimal(value))

        if not totals:
            return
        for parts, index, number in self.prose:
            parts[index] = _TOTAL_IN_TEXT.sub(lambda m, n=number: after_total(m, n), parts[index])  # type: ignore[misc]
            parts[index] = _COUNT_IN_TEXT.sub(lambda m, n=number: replace(m, n), parts[index])  # type: ignore[misc]

    def _closing_lists(self, blocks: list[_Block], after_signature: bool = False) -> bool:
        """``Toezeggingen`` and ``Bijlagen`` ending the body (headings, or paragraphs ``Bijlagen:``, with
        only list items under them) are lists of the content model; False, and nothing taken, when
        anything else follows. After the signature an item may also be a plain paragraph (``1. Rapport``)."""
        lists: dict[str, list[str]] = {"Toezeggingen": [], "Bijlagen": []}
        titled: dict[str, int] = {}  # the paragraph each list's title is in
        current = None
        for block in blocks:
            text = "" if block.is_table else text_of(block.element).strip()
            if not text and not block.is_table:
                continue
            title = _closing_list_title(text) if self._heading_level(block) == 1 or text.endswith(":") else None
            if title and not lists[title]:
                current = title
                titled.setdefault(title, block.number)
            elif current is None or block.is_table or "\n" in text:
                return False
            elif self.numbering.of(block.element, self._style_numbering(block.element)) is not None:
                lists[current].append(text)
            elif after_signature and not self._heading_level(block):
                lists[current].append(_TYPED_ITEM.sub("", text))
            else:
                return False
        for title, taken in (("Bijlagen", self.attachments), ("Toezeggingen", self.commitments)):
            if taken and lists[title]:
                self.out.warn(f"alinea {titled[title]}: de brief heeft twee lijsten '{title}' (voor en na de "
                              f"handtekening); beide zijn overgenomen, achter elkaar: controleer of er een dubbel in staat")
        self.attachments.extend({"titel": item} for item in lists["Bijlagen"])
        for item in lists["Toezeggingen"]:
            number, _, description = item.partition(": ")
            entry = {"nummer": number, "omschrijving": description.removesuffix(" (afgedaan)")}
            if description.endswith(" (afgedaan)"):
                entry["status"] = "afgedaan"
            self.commitments.append(entry)
        return True

    def _is_caption(self, block: _Block) -> bool:
        """A table's caption: Word's style Bijschrift (Caption), or a line ``Tabel 1: …`` of its own."""
        if block.is_table:
            return False
        text = text_of(block.element).strip()
        return bool(text) and (self._style(block.element) == "caption" or bool(_TABLE_CAPTION.match(text)))

    def _contact_sentence(self, text: str, block: _Block) -> str:
        """``contact opnemen met E. Seijsener voor Wmo (06 18878359)`` → contactpersonen and the filter."""
        intro = _CONTACT_INTRO.search(text)
        if not intro or self.contacts:
            return text
        rest = text[intro.end():]
        people, position, end = [], 0, 0
        while True:
            match = _CONTACT.match(rest, position)
            if not match:
                break
            end = match.end()
            person = {"naam": match.group("naam").strip()}
            if match.group("domein"):
                person["domein"] = match.group("domein").strip()
            for part in match.group("reach").split(", "):
                part = part.strip().replace("\u00a0", " ")
                if "@" in part:
                    person["email"] = part
                else:
                    try:
                        formatting.telefoon(part)
                    except formatting.FormatError:
                        return text
                    person["telefoon"] = part
            people.append(person)
            position = match.end()
            separator = re.match(r", | en ", rest[position:])
            if not separator:
                break
            position += separator.end()
        if not people:
            return text
        if _ungrouped(formatting.contacten(people)) != _ungrouped(rest[:end]):
            return text
        self.contacts = people
        return text[: intro.end()] + "{{ contactpersonen | contacten }}" + rest[end:]

    def _data_table(self, block: _Block, caption: str | None) -> str | None:
        rows = [[text_of(cell).strip() for cell in row.findall(qn("w:tc"))] for row in block.element.iter(qn("w:tr"))]
        if len(rows) < 2:
            self.out.warn(f"alinea {block.number}: tabel zonder rijen niet overgenomen")
            return None
        header, body = rows[0], rows[1:]
        comparison = len(header) == 4 and header[1] == "Vorige brief" and header[3] == "Verschil"
        if comparison:
            header = [header[0], header[2]]
            body = [[row[0], row[2]] for row in body if len(row) == 4]
        total_row = None
        if len(body) > 1 and (TOTAL_LABEL.match(body[-1][0]) or comparison or _sums_up(body)):
            total_row, body = body[-1], body[:-1]
        if comparison:
            body = [row for row in body if row[1] != "–"]
        kind = "bedrag" if any("€" in c for row in body for c in row[1:]) else "aantal"
        parsed: list[list[Any]] = []
        for row in body:
            values = [_number(c) for c in row[1:]]
            if not row[1:] or any(v is None for v in values):
                self.out.warn(f"alinea {block.number}: tabel niet overgenomen: de rij '{row[0]}' heeft waarden "
                              "die geen getal zijn")
                return None
            parsed.append([row[0], *values])
        table: dict[str, Any] = {}
        if caption:
            table["titel"] = caption
        if kind == "bedrag":
            table["soort"] = "bedrag"
        default_header = ["", "Bedrag" if kind == "bedrag" else "Aantal"]
        if header != default_header:
            table["kolommen"] = header
        table["rijen"] = parsed
        wrong: Decimal | None = None
        if total_row is not None:
            sums = [sum((row[k] for row in parsed), 0) for k in range(1, len(header))]
            cells = [_number(c) for c in total_row[1:]]
            declared = [v for v in cells if v is not None]
            if len(declared) != len(cells) or len(declared) != len(sums):
                self.out.warn(f"alinea {block.number}: de totaalregel '{total_row[0]}' is niet te lezen; "
                              "briefgen rekent het totaal zelf")
            elif [Decimal(d) for d in declared] != [Decimal(s) for s in sums]:
                self.out.warn(f"alinea {block.number}: het totaal in de brief ({', '.join(total_row[1:])}) klopt niet met de "
                              "som van de rijen; briefgen rekent het totaal zelf uit")
                wrong = Decimal(declared[0]) if len(declared) == 1 else None
            elif not comparison:
                table["totaal"] = declared[0] if len(declared) == 1 else declared
            if total_row[0] != "Totaal":
                table["totaalregel"] = total_row[0]
        if comparison:
            self.comparisons.append(block.number)
        name = self._table_name(caption, table)
        self.tables[name] = table
        if wrong is not None:
            self.wrong_totals[name] = (wrong, block.number)
        return name

    def _table_name(self, caption: str | None, table: dict[str, Any]) -> str:
        """The name from the caption without its number: the title keeps "Tabel 1:" (the house styles print a
        title as written), the name is the rest (``gehuisveste_statushouders``)."""
        words = re.sub(_TABLE_NUMBER, "", caption, flags=re.IGNORECASE) if caption else ""
        base = slug(words, TABLE_NAME_LENGTH, "_", "tabel") if words else "tabel"
        if not base[0].isalpha():  # ``tabellen.2024_kosten`` is no name in an expression
            base = slug(f"tabel {base}", TABLE_NAME_LENGTH, "_")
        name, n = base, 2
        while name in self.tables:
            name, n = f"{base}_{n}", n + 1
        return name

    # --- closing and signature -----------------------------------------------------------------

    def _signature(self, blocks: list[_Block]) -> None:
        """Signers in a table, or in plain paragraphs (titles and names beside each other with tabs,
        or each on a line of its own); whatever else follows the closing formula is reported."""
        titles: list[str] = []
        names: list[str] = []
        first: _Block | None = None
        for i, block in enumerate(blocks):  # a list of bijlagen (or toezeggingen) after the signature ends it
            text = "" if block.is_table else text_of(block.element).strip()
            if _closing_list_title(text) and (text.endswith(":") or self._heading_level(block) == 1) \
                    and self._closing_lists(blocks[i:], after_signature=True):
                blocks = blocks[:i]
                break
        for block in blocks:
            self.signature_seen |= block.is_table or has_picture(block.element)  # a scanned signature, too
            if block.is_table:
                cells = self._signature_cells(block)
                if cells:
                    self.signers.extend(cells)
                    continue
                self.out.warn(f"alinea {block.number}: tabel na de slotformule niet overgenomen")
                continue
            for text in (line.strip() for line in _spaced(text_of(block.element)).split("\n")):
                if not text or text == self.closing:
                    continue
                self.signature_seen = True
                if ON_BEHALF.match(text):
                    self.on_behalf = True
                    continue
                pieces = [piece.strip() for piece in _SIGNATURE_GAP.split(text) if piece.strip()]
                if all(_SIGNER_TITLE.match(piece) for piece in pieces):
                    titles.extend(_SIGNER_TITLE.match(piece).group("title") for piece in pieces)  # type: ignore[union-attr]
                    first = first or block
                elif all(_SIGNER_NAME.match(piece) for piece in pieces):
                    names.extend(pieces)
                    first = first or block
                else:
                    self.out.warn(f"alinea {block.number}: '{_short(text)}' na de slotformule niet overgenomen")
        if not titles and not names:
            return
        if names and (len(titles) == len(names) or not titles):
            self.signers.extend({"titel": title, "naam": name} for title, name in zip(titles or [""] * len(names), names, strict=True))
            return
        shown = ", ".join(titles + names)
        self.signature_unread = f"alinea {first.number if first else 0}: ondertekening '{_short(shown)}' niet herkend"

    def _signature_cells(self, block: _Block) -> list[dict[str, str]]:
        """A signature table: per column a title (``de burgemeester,``) and, last, a name, in one cell
        (with line breaks or paragraphs) or in rows below each other (titles row, names row). A line
        ``Burgemeester en wethouders van …`` in the table is the on-behalf line."""
        columns: dict[int, list[str]] = {}
        on_behalf = False
        for row in block.element.iter(qn("w:tr")):
            for i, cell in enumerate(row.findall(qn("w:tc"))):
                for line in (line.strip() for p in cell.findall(qn("w:p")) for line in _spaced(text_of(p)).split("\n")):
                    if ON_BEHALF.match(line):
                        on_behalf = True
                    elif line:
                        columns.setdefault(i, []).append(line)
        people = []
        for lines in columns.values():
            title = _SIGNER_TITLE.match(lines[0])
            if len(lines) < 2 or not title or not _SIGNER_NAME.match(lines[-1]):
                return []
            people.append({"titel": title.group("title"), "naam": lines[-1]})
        self.on_behalf |= on_behalf and bool(people)
        return people

    # --- putting it together ------------------------------------------------------------------------

    def _assemble(self) -> None:
        data = self.out.data
        texts = " ".join(_all_text(self.doc)).lower()
        kind = "informatienota" if "informatienota" in texts else "raadsinformatiebrief"
        data["soort"] = kind
        org_id = self.organisation or self._guess_organisation(texts)
        if org_id is None:
            of = sorted(ident for ident, names in self.broken.items() if any(name in texts for name in names))
            for ident in of:
                self.out.broken_organisations.add(ident)
                self.out.error(f"de brief is van organisatie '{ident}', maar haar organisatiebestand heeft fouten (gemeld bij "
                               "dat bestand); verbeter die en importeer de brief opnieuw")
            if not of:
                self.out.error("organisatie niet herkend; geef haar op met --organisatie")
            return
        org = self.organisations[org_id]
        data["organisatie"] = org_id
        style = self._style_of(org_id, org, kind)
        if style:
            data["huisstijl"] = style
        for key in ("zaaknummer", "nummer", "kenmerk"):
            if self.fields.get(key):
                data[key] = self.fields[key]
        day = _date(self.fields.get("datum", ""))
        if day is None:
            self.out.error(f"geen datum gevonden in het kopblok ({self.fields.get('datum') or 'geen label Datum'}); "
                           "verwacht bijvoorbeeld 'Datum: 16 november 2021'")
            return
        data["datum"] = day
        if not self.fields.get("onderwerp"):
            self.out.error("geen onderwerp gevonden in het kopblok (label Onderwerp of Betreft)")
            return
        data["onderwerp"] = self.fields["onderwerp"]
        holder = self.fields.get("portefeuillehouder")
        if holder:
            data["portefeuillehouder"] = self._portfolio_holder(holder, org, day)
        previous = self._previous(org_id, day)
        if previous:
            data["vorige"] = previous
        defaults = DEFAULTS[kind]
        shown = self.shown.get(style or org.style_for(kind) or "")
        if "aan" in self.fields and (to := _addressee(self.fields["aan"], defaults["aan"], shown)) is not None:
            data["aan"] = to
        if "van" in self.fields and (shown is None or shown.uses_from) and _plain(self.fields["van"]) != _plain(defaults["van"]):
            data["van"] = self.fields["van"]  # as 'aan': only what the letter without it would not show
        data["aanhef"] = self.salutation or ""
        if self.tables:
            data["tabellen"] = self.tables
        data["secties"] = self.sections
        contacts = self.contacts or self._header_contacts()
        if contacts:
            data["contactpersonen"] = contacts
        if self.commitments:
            data["toezeggingen"] = self.commitments
        self._counted_attachments()
        if self.attachments:
            data["bijlagen"] = self.attachments
        if (self.closing or "") != defaults["slot"]:
            data["slot"] = self.closing or ""
        signers = self._signers(org, day)
        if self.signature_unread:
            self.out.warn(f"{self.signature_unread}; controleer de ondertekening")
        if signers:
            data["ondertekening"] = signers
        elif self.signature_seen:
            data["ondertekening"] = DEFAULT_SIGNING
            self.out.warn(f"geen ondertekenaar overgenomen; 'ondertekening: {DEFAULT_SIGNING}' ingevuld, zoals in een nieuwe "
                          "brief: controleer wie deze brief ondertekent")
        else:  # nothing after the closing formula: the letter was sent unsigned, and says so
            data["ondertekening"] = []
            self.out.warn("geen ondertekening in de brief; 'ondertekening: []' ingevuld (zonder handtekening, zoals de brief "
                          "was): controleer of dat klopt")
        if not self.salutation and not defaults["aanhef"]:
            del data["aanhef"]
        if word_file_name(self.out.source.name):  # a name the letter model takes ('brief' is none)
            data["geimporteerd_uit"] = self.out.source.name  # what the old letter lacked is a fact of it (checks._contacts)

    def _counted_attachments(self) -> None:
        """'Bijlage(n): 2' in the header block: the letter keeps that count (a house style shows
        ``bijlagen or 'geen'``), as titles to fill in when the letter does not list them."""
        if self.attachment_count is None:
            return
        label, value, number = self.attachment_count
        place = f"alinea {number}: '{label}: {value}'"
        if value.lower().rstrip(".") in ("geen", "-", "0", "nee", "n.v.t"):
            if self.attachments:
                self.out.warn(f"{place}, maar de brief noemt {len(self.attachments)} bijlage(n); die zijn overgenomen")
            return
        counted = _ATTACHMENT_COUNT.match(value.strip())
        if counted is None:
            if not self.attachments:
                self.attachments = [{"titel": value}]
            return
        count = int(counted["count"])
        if count == 0:  # '0 (nul)': as 'geen'
            if self.attachments:
                self.out.warn(f"{place}, maar de brief noemt {len(self.attachments)} bijlage(n); die zijn overgenomen")
            return
        if self.attachments:
            if len(self.attachments) != count:
                self.out.warn(f"{place}, maar de brief noemt {len(self.attachments)} bijlage(n); die zijn overgenomen")
            return
        self.attachments = [{"titel": f"Bijlage {i} {PLACEHOLDER}"} for i in range(1, count + 1)]
        self.out.warn(f"{place}: de brief noemt de titels niet; 'bijlagen:' met {count} titel(s) 'Bijlage N {PLACEHOLDER}' "
                      "ingevuld: vul de echte titels in")

    def _guess_organisation(self, texts: str) -> str | None:
        found = [ident for ident, org in self.organisations.items()
                 if org is not None and (org.name.lower() in texts or f"wethouders van {org.place.lower()}" in texts)]
        return found[0] if len(found) == 1 else None

    def _style_of(self, org_id: str, org: Organisation, kind: str) -> str | None:
        """The organisation's template whose header-block labels hold all of this letter's, the closest
        first; None (the organisation's house style) when that is its default or when none of its
        templates has them all, which the report says. Another organisation's template is never chosen."""
        if not self.labels:
            return None
        default = org.style_for(kind) or ""
        own = self._own_styles(org_id, org)
        fitting = [style for style, labels in self.styles.items() if style in own and self.labels <= labels]
        if not fitting:
            placed = {LABELS[label] for label in self.styles.get(default, set()) if label in LABELS}
            missing = ", ".join(f"'{label}'" for label in sorted(self.labels) if LABELS.get(label) not in (None, *placed))
            if not missing:  # only labels with no field (Uw kenmerk), or other names for the default's fields
                return None
            self.out.warn(f"het kopblok heeft labels die de huisstijl '{default}' van {org.name} niet heeft ({missing}) en "
                          f"geen andere huisstijl van {org.name} heeft ze alle; '{default}' gebruikt: controleer de kop "
                          "(of zet 'huisstijl:')")
            return None
        best = min(sorted(fitting), key=lambda style: (len(self.styles[style] - self.labels), style != default))
        return None if best == default else best

    def _own_styles(self, org_id: str, org: Organisation) -> set[str]:
        """The templates of an organisation: its default, those named after it (``hilversum-rib-2016``)
        and those its letters use; never the default of another organisation."""
        others = {s for i, o in self.organisations.items() if o is not None and i != org_id for s in o.styles.values()}
        own = {style for style in self.styles if style == org_id or style.startswith(f"{org_id}-")}
        own |= {e.letter.style for e in self.index.all() if e.letter.organisation == org_id and e.letter.style}
        return (own - others) | set(org.styles.values())

    def _previous(self, org_id: str, day: dt.date) -> str | None:
        """A comparison table (Vorige brief | … | Verschil) names the letter it compares with."""
        if not self.comparisons:
            return None
        candidates = [e for e in self.index.all() if e.letter.organisation == org_id and e.letter.date < day]
        for entry in sorted(candidates, key=lambda e: e.letter.date, reverse=True):
            renamed = _match_tables({n: t.title for n, t in entry.letter.tables.items()},
                                    {n: t.get("titel") for n, t in self.tables.items()})
            if renamed is not None:
                self._rename_tables(renamed)
                return entry.ident
        self.out.warn(f"alinea {self.comparisons[0]}: een vergelijking met een vorige brief, maar die brief is niet gevonden; "
                      "alleen de huidige stand is overgenomen (zet 'vorige:' voor de vergelijking)")
        return None

    def _rename_tables(self, renamed: dict[str, str]) -> None:
        """Each table takes the name of its table in the previous letter (``renamed``: current name ->
        earlier name); every table is kept, in its order."""
        for section in self.sections:
            for old, new in renamed.items():
                section["tekst"] = section["tekst"].replace(f'tabel("{old}")', f'tabel("\0{new}")')
                section["tekst"] = section["tekst"].replace(f"tabellen.{old}.", f"tabellen.\0{new}.")
            section["tekst"] = section["tekst"].replace('tabel("\0', 'tabel("').replace("tabellen.\0", "tabellen.")
        self.tables = {renamed[name]: table for name, table in self.tables.items()}

    def _header_contacts(self) -> list[dict[str, str]]:
        """The contacts of the header block: one per line (or per ';', or per 'en' between two names of people)
        of 'Informatie bij' (also 'Contact'), each with what follows its name (``E. Seijsener, telefoon 06 18878359``), and the phone
        numbers beside 'Tel. nr.' in the same order."""
        people = [_header_contact(part) for part in _several(_spaced(self.fields.get("informatie_bij", "")), _is_person)]
        phones = _several(self.fields.get("informatie_telefoon", "").replace("\u00a0", " "), _is_phone)
        if len(phones) > 1 and len(phones) != len(people):
            phones = [" ".join(phones)]  # not one per contact: the first gets them, as written, for check to report
        for person, phone in zip(people, phones, strict=False):
            person.setdefault("telefoon", phone)
        return people

    @staticmethod
    def _portfolio_holder(text: str, org: Organisation, day: dt.date) -> str:
        """``Wethouder drs. A.B. Jansen`` → ``A.B. Jansen``, as the organisation writes the name (:func:`person_in`);
        a name not in office stays as written (check reports it)."""
        return person_in(text, (member.name for member in org.college if member.in_office(day))) or text

    def _signers(self, org: Organisation, day: dt.date) -> list[dict[str, str]] | str:
        result: list[dict[str, str]] = []
        missing = False
        for person in self.signers:
            name, marking = person["naam"], None
            found = _MARKING.search(name)
            if found:
                marking, name = found.group(1), name[: found.start()].strip()
            title = person["titel"]
            entry: dict[str, str] = {}
            if marking:
                function = MARKING_FUNCTION.get(marking, "{rol}").format(rol=title)
                members = [m for m in org.college if m.in_office(day) and same_person(m.name, name)
                           and (marking == "i.o." or m.function.lower() == function.lower())]
                entry = {"rol": title, "markering": marking}
            else:
                members = [m for m in org.college if m.in_office(day) and same_person(m.name, name)]
                acting_as = _ACTING_TITLE.match(title)
                if acting_as and members and not any(_signs_as(m, title) for m in members):
                    title = acting_as.group("role")  # a wethouder as "de loco-burgemeester,": signs for the burgemeester
                members.sort(key=lambda m: title.lower() not in (m.function.lower(), (m.title or "").lower()))
                acting = MARKING_FUNCTION["w.n."].format(rol=title).lower()
                if members and title and not _signs_as(members[0], title):
                    if any(m.function.lower() == acting for m in members):  # a loco-burgemeester in the organisation
                        result.append({"rol": title.lower(), "markering": "w.n."})
                        continue
                    self.out.warn(f"ondertekenaar '{person['naam']}' tekende als {title}, maar is op {formatting.datum(day)} "
                                  f"{members[0].function} van {org.name}; overgenomen als 'rol: {members[0].function}' (onder de "
                                  f"handtekening staat dan 'de {members[0].function}'): tekende {name} als loco-{title.lower()}, geef "
                                  f"{name} dan in de organisatie ook de functie '{acting}' en zet bij de ondertekenaar "
                                  f"'rol: {title.lower()}' met 'markering: w.n.'")
                if members:
                    entry = {"rol": members[0].function}
                    same = [m for m in org.college if m.in_office(day) and m.function == members[0].function]
                    if len(same) > 1:
                        entry["naam"] = members[0].name  # as the organisation writes it: 'drs.' and all
            if not members:
                self.out.warn(f"ondertekenaar '{person['naam']}'{f' ({title})' if title else ''} is niet gevonden in het college van "
                              f"{org.name} op {formatting.datum(day)}")
                missing = True
                continue
            result.append(entry)
        if missing:  # the others alone would sign a letter that more people signed: the default, and a warning
            return []
        if result == [{"rol": "gemeentesecretaris"}, {"rol": "burgemeester"}]:
            return "college"
        if result and not self.on_behalf and any(e["rol"].lower() in COLLEGE_ROLES for e in result):
            self.out.warn("de brief heeft geen regel 'Burgemeester en wethouders van …' boven de handtekeningen; "
                          "briefgen zet die er wel boven")
        if result and self.on_behalf and not any(e["rol"].lower() in COLLEGE_ROLES for e in result):
            self.out.warn("de regel 'Burgemeester en wethouders van …' boven de handtekeningen komt niet in de brief: briefgen "
                          "zet die alleen boven een handtekening van de burgemeester of de (gemeente)secretaris")
        return result

    # --- Markdown ---------------------------------------------------------------------------------

    def _style(self, p) -> str:
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is None:
            return "normal"
        return self.style_names.get(style.get(qn("w:val")), style.get(qn("w:val"))).lower()

    def _style_numbering(self, p):
        """The numbering a paragraph has through its style (python-docx's and Word's List Bullet)."""
        properties = self._style_properties(p)
        return properties.find(qn("w:numPr")) if properties is not None else None

    def _style_properties(self, p):
        """The paragraph properties of a paragraph's style, or None."""
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is None:
            return None
        for element in self.doc.styles.element.findall(qn("w:style")):
            if element.get(qn("w:styleId")) == style.get(qn("w:val")):
                return element.find(qn("w:pPr"))
        return None

    def _heading_level(self, block: _Block) -> int:
        if block.is_table:
            return 0
        match = re.fullmatch(r"(heading|kop) ([1-9])", self._style(block.element))
        return int(match.group(2)) if match else 0

    def _markdown(self, p) -> str:
        pieces: list[tuple[str, bool, bool, str | None]] = []
        for child in p.iterchildren():
            if child.tag == W_R:
                pieces.extend(_run_pieces(child, None))
            elif child.tag == qn("w:hyperlink"):
                target = None
                rel = child.get(qn("r:id"))
                if rel and rel in self.doc.part.rels:
                    target = self.doc.part.rels[rel].target_ref
                for run in child.iter(W_R):
                    pieces.extend(_run_pieces(run, target))
            elif child.tag in (qn("w:ins"), qn("w:smartTag"), qn("w:fldSimple")):
                for run in child.iter(W_R):
                    pieces.extend(_run_pieces(run, None))
        return _to_markdown(pieces)


_SAME_INDENT = 100  # twips (under 2 mm): list items indented this much apart are at one depth


class _ListWriter:
    """Word list paragraphs → Markdown lists; neighbouring lists get different markers so
    Markdown keeps them apart."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.open = False
        self.markers: list[str] = []
        self.key: tuple[str, bool] | None = None
        self.counters: dict[int, int] = {}
        self.flip = False
        self.indents: list[int] = []  # the indentation of each depth of the open list

    def item(self, section: dict[str, Any], num: str, level: int, ordered: bool, start: int, indentation: int | None,
             text: str) -> None:
        level = self._depth(level, indentation)
        if self.open and (level == 0 and self.key != (num, ordered)):
            self.close(section)
            self.flip = not self.flip
        if not self.open:
            self.open, self.key, self.markers, self.counters = True, (num, ordered), [], {}
        del self.markers[level + 1:]
        indent = " " * sum(len(m) for m in self.markers[:level])
        if level not in self.counters or len(self.markers) <= level:
            counter = start
            for deeper in [k for k in self.counters if k > level]:
                del self.counters[deeper]
        else:
            counter = self.counters[level] + 1
        self.counters[level] = counter
        marker = (f"{counter}{')' if self.flip else '.'} " if ordered else ("* " if self.flip else "- "))
        if len(self.markers) > level:
            self.markers[level] = marker
        else:
            self.markers.append(marker)
        self.lines.append(indent + marker + _indent(text, " " * (len(indent) + len(marker))))

    def _depth(self, level: int, indent: int | None) -> int:
        """How deep an item is: by its indentation beside the items before it, as the old letter shows it (a
        list nested as a list of its own, only indented further, is nested), or by Word's level when that
        is deeper (a list whose levels all have one indentation) or the letter sets no indentation."""
        if indent is None:
            return level
        if not self.open:
            self.indents = []
        while self.indents and indent < self.indents[-1] - _SAME_INDENT:
            self.indents.pop()
        if self.indents and abs(indent - self.indents[-1]) <= _SAME_INDENT:
            self.indents[-1] = indent
        else:
            self.indents.append(indent)
        return max(min(len(self.indents) - 1, 2), level)

    def continuation(self, text: str) -> None:
        indent = " " * sum(len(m) for m in self.markers)
        self.lines.append("")
        self.lines.append(indent + _indent(text, indent))

    def close(self, section: dict[str, Any]) -> None:
        if self.open:
            section["parts"].append("\n".join(self.lines))
        self.lines, self.open = [], False


class _Numbering:
    """numId → (ordered per level, start per level), and the indentation of each level, from the numbering part."""

    def __init__(self, doc) -> None:
        self.formats: dict[str, dict[int, tuple[bool, int]]] = {}
        self.indents: dict[tuple[str, int], int] = {}
        try:
            numbering = doc.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstracts = {}
        abstract_indents: dict[str | None, dict[int, int]] = {}
        for abstract in numbering.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                start = lvl.find(qn("w:start"))
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    fmt is not None and fmt.get(qn("w:val")) not in ("bullet", "none"),
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )
                indent = left_indent(lvl.find(qn("w:pPr")))
                if indent is not None:
                    abstract_indents.setdefault(abstract.get(qn("w:abstractNumId")), {})[int(lvl.get(qn("w:ilvl"), "0"))] = indent
            abstracts[abstract.get(qn("w:abstractNumId"))] = levels
        for num in numbering.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            for level, indent in abstract_indents.get(ref.get(qn("w:val")) if ref is not None else None, {}).items():
                self.indents[(num.get(qn("w:numId")), level)] = indent
            levels = dict(abstracts.get(ref.get(qn("w:val")) if ref is not None else None, {}))
            for override in num.findall(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                level = int(override.get(qn("w:ilvl"), "0"))
                if start is not None and level in levels:
                    levels[level] = (levels[level][0], int(start.get(qn("w:val"))))
            self.formats[num.get(qn("w:numId"))] = levels

    def of(self, p, style_numpr=None, style_indent: int | None = None) -> tuple[str, int, bool, int, int | None] | None:
        """A list paragraph's list, level, kind, start and indentation (its own, else its level's, else its
        style's; None when nothing says)."""
        numpr = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if numpr is None:
            numpr = style_numpr
        if numpr is None:
            return None
        num = numpr.find(qn("w:numId"))
        ilvl = numpr.find(qn("w:ilvl"))
        if num is None or num.get(qn("w:val")) == "0":
            return None
        num_id = num.get(qn("w:val"))
        level = int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
        ordered, start = self.formats.get(num_id, {}).get(level, (False, 1))
        indent = left_indent(p.find(qn("w:pPr")))
        if indent is None:
            indent = self.indents.get((num_id, level), style_indent)
        return num_id, min(level, 2), ordered, start, indent


def left_indent(ppr) -> int | None:
    """The left indentation (twips) that paragraph properties set, or None."""
    ind = ppr.find(qn("w:ind")) if ppr is not None else None
    value = (ind.get(qn("w:left")) or ind.get(qn("w:start"))) if ind is not None else None
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


# --- helpers -------------------------------------------------------------------------------------


_CONTACT_FIELDS = ("informatie_bij", "informatie_telefoon")
_SEVERAL = re.compile(r"\s*[\n;]\s*")
_AND = re.compile(r"\s+en\s+")
_INITIAL = re.compile(r"\b[A-Z]\.")
_REACH_LABEL = re.compile(r"^(?:telefoon|tel\.?(?:\s*nr\.?)?|telefoonnummer|e-?mail)\s*:?\s*", re.IGNORECASE)


def _plain(text: str) -> str:
    """An addressee or sender as compared: without 'Aan', case, spacing and a closing comma or full stop."""
    text = " ".join(text.split()).casefold().rstrip(",.")
    return text.removeprefix("aan ")


@dataclass(frozen=True)
class _Shown:
    """What a house style shows of a letter's addressee and sender: whether its template uses ``aan`` at all, the
    text of its fixed addressee line (:func:`written_addressee`) for the standard ``aan``, if it has one, and
    whether it uses ``van``."""

    uses_to: bool
    written: str | None = None
    uses_from: bool = True


def _addressee(field: str, default: str, shown: _Shown | None) -> str | None:
    """The ``aan`` an imported letter keeps, so that it builds with the addressee it had; None when the letter
    without ``aan`` shows the same (its style shows no addressee, or the one written): left out, like a new letter."""
    if shown is not None and not shown.uses_to:
        return None
    if _plain(field) == _plain(shown.written if shown is not None and shown.written is not None else default):
        return None
    if shown is not None and shown.written is not None and field == default:
        # the fixed line shows its own text for the standard ``aan``: in another case it shows the letter's
        return field[:1].lower() + field[1:]
    return field


def _header_contact(text: str) -> dict[str, str]:
    """``E. Seijsener, telefoon 06 18878359, e.seijsener@hilversum.nl`` → name, phone and e-mail; a part that
    is neither stays in the name (``Broek, G.Q. van den``)."""
    name, *parts = [part.strip() for part in text.split(",")]
    person: dict[str, str] = {}
    for part in parts:
        reach = _REACH_LABEL.sub("", part)
        if "@" in reach and " " not in reach and "email" not in person:
            person["email"] = reach
        elif reach and "telefoon" not in person and _is_phone(reach):
            person["telefoon"] = reach
        else:
            name += ", " + part
    return {"naam": name, **person}


def _several(text: str, one: Callable[[str], bool]) -> list[str]:
    """The parts of a header value with several contacts or numbers: one per line or per ';', and per 'en'
    only when every part around it is ``one`` (``E. Seijsener en A. Rijssenbeek``; not ``Team Wonen en Zorg``)."""
    parts = []
    for part in _SEVERAL.split(text):
        pieces = _AND.split(part.strip())
        parts.extend(pieces if len(pieces) > 1 and all(one(piece) for piece in pieces) else [part.strip()])
    return [part for part in parts if part]


def _is_person(text: str) -> bool:
    """A person's name with initials, before what follows it (``E. Seijsener, telefoon …``)."""
    name = text.split(",")[0].strip()
    return bool(_SIGNER_NAME.match(name) and _INITIAL.search(name))


def _ungrouped(text: str) -> str:
    """``text`` with the digits of a phone number together: the filter groups them as NEN 1775 does (``06 18 87 83 59``),
    the old letter may have printed them otherwise (``06 18878359``); the number is the same."""
    return _DIGIT_GROUPING.sub("", text).replace("\u00a0", " ")


def _is_phone(text: str) -> bool:
    try:
        formatting.telefoon(text)
    except formatting.FormatError:
        return False
    return True


def _template_labels(werkmap: Werkmap) -> tuple[dict[str, set[str]], dict[str, _Shown]]:
    """Header-block labels of every template in templates/ (text and page headers; headerfields), by style name;
    and what each shows of the addressee (:class:`_Shown`)."""
    found = {}
    addressees: dict[str, _Shown] = {}
    for path in sorted(werkmap.templates.glob("*.docx")):
        try:
            source = open_template(path)
        except TemplateFileError:
            continue
        found[path.stem] = {label.text.lower() for label in template_labels(source)}
        written = next((addressee for root in header_parts(source) for paragraph in root.iter(W_P)
                        if (addressee := written_addressee(text_of(paragraph))) is not None), None)
        uses = template_uses(path)
        addressees[path.stem] = _Shown(shows(uses, "aan"), written, shows(uses, "van"))
    return found, addressees


def _all_text(doc) -> list[str]:
    texts = [text_of(doc.element.body)]
    for section in doc.sections:
        for part in (section.header, section.first_page_header, section.footer, section.first_page_footer):
            if not part.is_linked_to_previous:
                texts.append(text_of(part.part.element))
    return texts


def _run_pieces(run, link: str | None) -> list[tuple[str, bool, bool, str | None]]:
    rpr = run.find(qn("w:rPr"))
    bold = _on(rpr, "w:b")
    italic = _on(rpr, "w:i")
    pieces = []
    for node in run.iterchildren():
        if node.tag == W_T:
            pieces.append((node.text or "", bold, italic, link))
        elif node.tag == qn("w:tab"):
            pieces.append((" ", bold, italic, link))
        elif node.tag in (qn("w:br"), qn("w:cr")):
            pieces.append(("\n", False, False, None))
    return pieces


def _on(rpr, tag: str) -> bool:
    if rpr is None:
        return False
    element = rpr.find(qn(tag))
    return element is not None and element.get(qn("w:val"), "true") not in ("0", "false", "off")


def _to_markdown(pieces: list[tuple[str, bool, bool, str | None]]) -> str:
    merged: list[list[Any]] = []
    for text, bold, italic, link in pieces:
        if merged and merged[-1][1:] == [bold, italic, link] and text != "\n" and merged[-1][0] != "\n":
            merged[-1][0] += text
        else:
            merged.append([text, bold, italic, link])
    out = []
    for text, bold, italic, link in merged:
        if text == "\n":
            out.append("\\\n")
            continue
        core = _escape(text.strip())
        if not core:
            out.append(text)
            continue
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        mark = ("**" if bold else "") + ("*" if italic else "")
        styled = f"{mark}{core}{mark[::-1]}"
        if link:
            styled = f"[{styled}]({link})"
        out.append(lead + styled + trail)
    markdown = "".join(out).strip()
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2) if not m.group(2)[0].isdigit()
                              else m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], markdown)


_MONTHS = frozenset("januari februari maart april mei juni juli augustus september oktober november december "
                    "jan feb mrt apr jun jul aug sep sept okt nov dec".split())
_BEFORE_A_DATE = frozenset({"per", "op", "vanaf", "sinds", "t/m", "tot", "en", "met", "peildatum", "d.d.", "stand", "in"})


def title_key(title: Any) -> str | None:
    """A table title without its dates and numbers: "Contracten Jeugd per 1 april 2024" and "Contracten
    Jeugd per 1 november 2023" are the same table in a series of letters."""
    if title is None:
        return None
    words = str(title).casefold().split()
    dated = [any(c.isdigit() for c in w) or w.strip(".,;:()") in _MONTHS for w in words]
    for i in range(len(words) - 1, -1, -1):  # "per", "tot en met" before a date are part of it
        if not dated[i] and i + 1 < len(words) and dated[i + 1] and words[i].strip(",;:(") in _BEFORE_A_DATE:
            dated[i] = True
    return " ".join(w for w, d in zip(words, dated, strict=True) if not d).strip(" ,;:-–(")


def _match_tables(earlier: dict[str, Any], current: dict[str, Any]) -> dict[str, str] | None:
    """Current table name -> the name of the same table in an earlier letter (tables by name -> title),
    one to one: the same title first, then the same title without its dates and numbers (:func:`title_key`)
    when just one table on each side has it. None unless every current table has its earlier table."""
    matched: dict[str, str] = {}
    for name, title in current.items():  # a table without a title matches one without a title, as one with
        same = [n for n, t in earlier.items() if t == title]
        if len(same) == 1 and sum(t == title for t in current.values()) == 1:
            matched[name] = same[0]
    for name, title in current.items():
        if name in matched:
            continue
        key = title_key(title)
        mine = [n for n, t in current.items() if n not in matched and title_key(t) == key]
        theirs = [n for n, t in earlier.items() if n not in matched.values() and title_key(t) == key]
        if key is not None and len(mine) == 1 and len(theirs) == 1:
            matched[name] = theirs[0]
    return matched if len(matched) == len(current) else None


def _signs_as(member: Member, title: str) -> bool:
    """Whether the title under a signature is the member's function or title (``secretaris`` for a
    gemeentesecretaris): not a wethouder signing as burgemeester."""
    title = title.lower()
    return any(own and (own == title or own.endswith(title) or title.endswith(own))
               for own in (member.function.lower(), (member.title or "").lower()))


def _closing_list_title(text: str) -> str | None:
    """``Bijlagen``, ``Bijlage(n):``, ``Toezeggingen:`` → the list of the content model they head."""
    cleaned = text.rstrip(":").strip().lower()
    if cleaned in ("bijlagen", "bijlage(n)", "bijlage"):
        return "Bijlagen"
    return "Toezeggingen" if cleaned == "toezeggingen" else None


def _counts(word: str, table: dict[str, Any]) -> bool:
    return counted_by(word, table.get("titel"), table.get("kolommen"))


def _names_a_thing(match: re.Match[str], start: int | None = None) -> bool:
    """Whether the number (at ``start``, else where the match starts) is a numbering (``artikel 15``,
    ``motie 42``) rather than a count."""
    before = _WORD_BEFORE.search(match.string, 0, match.start() if start is None else start)
    return before is not None and before.group(1).lower() in NUMBERING_WORDS


def _escape(text: str) -> str:
    """Plain text as Markdown and Jinja that render back to the same text."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return escape_jinja(text)


def _indent(text: str, indent: str) -> str:
    return text.replace("\n", "\n" + indent)


def _number(text: str) -> int | Decimal | None:
    """``1.250`` → 1250, ``€ 1.250,50`` → Decimal('1250.50'), ``+3``/``−3``; None when no number."""
    cleaned = text.replace("€", "").replace("\u00a0", "").replace(" ", "").replace("−", "-")
    if not re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})*(,\d+)?|[+-]?\d+(,\d+)?", cleaned):
        return None
    cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() and "." not in cleaned else value


def _sums_up(rows: list[list[str]]) -> bool:
    """The last row holds the column sums of the rows above it (a total row without the word)."""
    cells = [[_number(c) for c in row[1:]] for row in rows]
    values = [[v for v in row if v is not None] for row in cells]
    if values != cells or len({len(row) for row in values}) != 1:  # a cell that is no number
        return False
    sums = [sum((Decimal(row[k]) for row in values[:-1]), Decimal(0)) for k in range(len(values[0]))]
    return sums == [Decimal(v) for v in values[-1]]


def _date(text: str) -> dt.date | None:
    """``3 maart 2020``, ``3 mrt. 2020``, ``3-3-2020``, ISO; a place before it (``Loosdrecht, 3 maart 2020``) is left out."""
    text = _PLACE_BEFORE.sub("", text.strip()).lower()
    match = re.fullmatch(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})", text)
    try:
        if match:
            month = 3 if match.group(2) == "mrt" else next((i for i, m in enumerate(MONTHS, 1) if m.startswith(match.group(2)[:3])), None)
            return dt.date(int(match.group(3)), month, int(match.group(1))) if month else None
        match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
        if match:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _spaced(text: str) -> str:
    """A name as briefgen writes it (no-break spaces, so that it is never broken over two lines) as typed."""
    return text.replace(formatting.NBSP, " ")


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"
