"""Opening a house-style template: the one place that reads a .docx template, as untrusted input.

A template is a zip archive of XML parts that anyone with Word (or a text editor) can change. Before
a part is inflated, its declared size, its compression ratio and the number of parts are checked, so
a zip bomb is refused without being unpacked. Every XML part is parsed without DTDs, entities or
network access, and a part with a DOCTYPE is refused. Relationships must point at parts that exist.

What passes is handed on as a new, uncompressed archive of exactly the checked parts: python-docx
and docxtpl (builders/docx.py) and the lint (templatecheck.py) never read the original file.
Every refusal is a :class:`TemplateFileError` with a Dutch message.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from briefgen.fileio import describe
from briefgen.formatting import getal
from briefgen.problems import BriefgenError
from briefgen.werkmap import Unreadable, read_file

MAX_FILE_BYTES = 50_000_000  # the .docx itself
MAX_PARTS = 1_000
MAX_PART_BYTES = 50_000_000  # one part, unpacked
MAX_TOTAL_BYTES = 100_000_000  # all parts together, unpacked
MAX_RATIO = 100  # unpacked ÷ packed; Word's XML packs 5–20×
RATIO_FROM = 1_000_000  # smaller parts may pack better (runs of zeros in a thumbnail) without harm

REQUIRED_PARTS = ("[Content_Types].xml", "_rels/.rels", "word/document.xml")
_XML = re.compile(r".*\.(xml|rels)", re.IGNORECASE)

# Safe for untrusted input: no DTD loaded, no entity expanded, nothing fetched, no huge-tree mode.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False)

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


class TemplateFileError(BriefgenError):
    """A template file that cannot be used; the message is Dutch and names the part when known."""


@dataclass(eq=False)  # one object per template version, hashed by identity
class TemplateFile:
    """A checked template: its parts, their parsed XML, and a clean archive of exactly those parts."""

    path: Path
    parts: dict[str, bytes]
    xml: dict[str, etree._Element] = field(repr=False)
    package: bytes = field(repr=False)  # uncompressed zip of ``parts``, for python-docx and docxtpl

    def stream(self) -> io.BytesIO:
        return io.BytesIO(self.package)


def open_template(path: Path) -> TemplateFile:
    """The template at ``path``, checked; raises :class:`TemplateFileError`. Read once per version."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise TemplateFileError(f"kan de template niet lezen: {describe(exc)}") from None
    return _open(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _open(path: Path, size: int, mtime_ns: int) -> TemplateFile:
    """Cached by size and modification time: a build reads each template once per process."""
    if size > MAX_FILE_BYTES:
        raise TemplateFileError(f"het bestand is te groot ({getal(size)} bytes; maximaal {getal(MAX_FILE_BYTES)})")
    try:
        data = read_file(path, _werkmap_of(path))
    except Unreadable as exc:
        raise TemplateFileError(f"kan de template niet lezen: {exc}") from None
    parts = _unpack(data)
    xml = {name: parse_part(name, blob) for name, blob in parts.items() if _XML.fullmatch(name)}
    _check_relationships(parts, xml)
    return TemplateFile(path, parts, xml, _repack(parts))


def _werkmap_of(path: Path) -> Path | None:
    """The werkmap of a template in its ``templates/`` folder (beside ``content/``), which the template may
    not lead out of (a symlink to another werkmap's template, to /etc/passwd); None for a file elsewhere
    (the source of ``templates nieuw --van`` or ``import``)."""
    folder = path.absolute().parent
    return folder.parent if folder.name == "templates" and (folder.parent / "content").is_dir() else None


PDF_MAGIC = b"%PDF-"
"""How a PDF begins (also one saved as ``brief.docx``)."""


def _unpack(data: bytes) -> dict[str, bytes]:
    if data.startswith(PDF_MAGIC):
        raise TemplateFileError("geen Word-bestand maar een PDF; briefgen leest alleen Word-bestanden (.docx)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise TemplateFileError("geen Word-bestand: een .docx is een zip-archief, en dit bestand is dat niet "
                                "(of het is beschadigd)") from None
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > MAX_PARTS:
            raise TemplateFileError(f"de template heeft {getal(len(infos))} onderdelen; maximaal {getal(MAX_PARTS)}")
        _check_sizes(infos)
        parts: dict[str, bytes] = {}
        for info in infos:
            if info.filename in parts:
                raise TemplateFileError(f"het onderdeel {info.filename} komt twee keer voor in het zip-archief")
            parts[info.filename] = _read(archive, info)
    for name in REQUIRED_PARTS:
        if name not in parts:
            raise TemplateFileError(f"het onderdeel {name} ontbreekt; is dit wel een Word-document (.docx)?")
    return parts


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse by the sizes the archive declares, before anything is unpacked (reading enforces them)."""
    total = 0
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise TemplateFileError(f"{info.filename} wordt uitgepakt {getal(info.file_size)} bytes; maximaal "
                                    f"{getal(MAX_PART_BYTES)} per onderdeel (een zip-bom?)")
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise TemplateFileError(f"{info.filename} wordt bij het uitpakken {getal(ratio)} keer zo groot; maximaal "
                                    f"{MAX_RATIO} keer (een zip-bom?)")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise TemplateFileError(f"de onderdelen zijn samen uitgepakt {getal(total)} bytes; maximaal {getal(MAX_TOTAL_BYTES)}")


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One part, never more than its declared size (zipfile stops there and then checks the CRC)."""
    try:
        with archive.open(info) as member:
            blob = member.read(info.file_size + 1)
    except RuntimeError:  # encrypted
        raise TemplateFileError(f"{info.filename} is versleuteld; een template mag geen wachtwoord hebben") from None
    except NotImplementedError:
        raise TemplateFileError(f"{info.filename} is ingepakt met een methode die briefgen niet kent; "
                                "sla de template opnieuw op met Word") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise TemplateFileError(f"{info.filename} is beschadigd en kan niet worden uitgepakt") from None
    if len(blob) != info.file_size:
        raise TemplateFileError(f"{info.filename} is beschadigd en kan niet worden uitgepakt")
    return blob


def parse_part(name: str, blob: bytes) -> etree._Element:
    """One XML part, parsed safely; a DOCTYPE or any XML error is a Dutch :class:`TemplateFileError`."""
    if b"<!DOCTYPE" in blob or b"<!ENTITY" in blob:
        raise TemplateFileError(f"{name}: een DOCTYPE of entiteit-definitie is in een template niet toegestaan")
    try:
        root = etree.fromstring(blob, PARSER)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (0, 0)
        raise TemplateFileError(f"{name}, regel {line}, kolom {col}: {_xml_reason(exc)}") from None
    except ValueError:  # an encoding lxml does not know, or one it cannot decode
        raise TemplateFileError(f"{name}: de XML heeft een onbekende of verkeerde tekencodering") from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:  # declared in an encoding the byte test above misses
        raise TemplateFileError(f"{name}: een DOCTYPE of entiteit-definitie is in een template niet toegestaan")
    return root


_ENTITY = re.compile(r"Entity '([^']*)' not defined")
# libxml2 error codes (xmlParserErrors) with their Dutch reason.
_REASONS = {
    4: "het onderdeel is leeg",
    5: "er staat tekst na het einde van de XML",
    9: "ongeldig teken in de XML",
    26: "onbekende entiteit",
    27: "onbekende entiteit",
    73: "een '>' ontbreekt",
    76: "de sluittag hoort niet bij de openingstag",
    77: "de XML houdt midden in een element op",
    89: "entiteiten worden te vaak herhaald (entiteitenbom)",
}


def _xml_reason(exc: etree.XMLSyntaxError) -> str:
    entity = _ENTITY.search(str(exc.msg or ""))
    if entity:
        return f"onbekende entiteit '&{entity.group(1)};' (een template mag geen entiteiten gebruiken)"
    if "amplification" in str(exc.msg or ""):
        return _REASONS[89]
    return _REASONS.get(exc.code, "ongeldige XML") + " (is het bestand buiten Word bewerkt?)"


def _check_relationships(parts: dict[str, bytes], xml: dict[str, etree._Element]) -> None:
    """Every internal relationship points at a part of the archive (python-docx reads them all)."""
    for name, root in xml.items():
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))  # word/_rels/document.xml.rels → word
        for rel in root.iter(_REL):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External":
                continue
            resolved = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
            if resolved not in parts:
                raise TemplateFileError(f"{name} verwijst naar {resolved}, maar dat onderdeel ontbreekt")


def _repack(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, blob in parts.items():
            archive.writestr(name, blob)
    return out.getvalue()


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
"""WordprocessingML's namespace."""
STORIES = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
"""The parts of a template with text and fields: the body, the headers and the footers."""


def place_of(source: TemplateFile, needle: str) -> str:
    """``word/header2.xml, alinea 13: ``: the place of the tag of ``source`` that uses the name ``needle``
    (alone or after a dot), for a render failure on that name; empty unless exactly one tag uses it, as
    a render failure does not say which of several tags failed."""
    from briefgen.prose import JINJA

    pattern = re.compile(rf"(?<![\w]){re.escape(needle)}\b")
    places = [
        f"{part}, alinea {number}: "
        for part in sorted(name for name in source.xml if STORIES.fullmatch(name))
        for number, paragraph in enumerate(source.xml[part].iter(f"{{{W}}}p"), 1)
        for tag in JINJA.findall("".join(t.text or "" for t in paragraph.iter(f"{{{W}}}t")))
        if pattern.search(tag)
    ]
    return places[0] if len(places) == 1 else ""
