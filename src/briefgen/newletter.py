"""``briefgen new``: a new letter file with the next free number, or the next letter of a series."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shlex
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from briefgen import formatting, series
from briefgen.checks import PLACEHOLDERS
from briefgen.crossing import written_values
from briefgen.fileio import write_atomic
from briefgen.index import Entry, LetterIndex, cited_number
from briefgen.kinds import DEFAULTS, closing_formula
from briefgen.model import Contact, Letter, Organisation, Signer
from briefgen.model.letter import COLLEGE_SIGNERS
from briefgen.model.organisation import PLACEHOLDER
from briefgen.numbering import next_number, number_order
from briefgen.problems import BriefgenError, WrongUsage, did_you_mean
from briefgen.resolve import signing_candidates
from briefgen.templateshows import kenmerk_not_number, shows, template_uses
from briefgen.werkmap import LETTER_SUFFIXES, Unreadable, Werkmap, read_file

STANDARD_SECTIONS = {
    "raadsinformatiebrief": ("Kernboodschap", "Aanleiding", "Consequenties", "Vervolgtraject"),
    "informatienota": ("Inleiding", "Kernboodschap", "Vervolg", "Communicatie"),
}
"""For a house style not in HOUSE_STYLES (a werkmap's own template)."""


@dataclass(frozen=True)
class Outline:
    """How a letter in a house style starts: its aanhef and its section headings (None: no heading)."""

    salutation: str
    sections: tuple[str | None, ...]
    kind: str = "raadsinformatiebrief"  # the kind of the published letters it was taken from


HOUSE_STYLES = {
    "hilversum-rib-2016": Outline("", ("KERNBOODSCHAP", "AANLEIDING", "CONSEQUENTIES", "VERVOLGTRAJECT")),
    "hilversum-rib-2021": Outline("Geachte raads- en commissieleden,", (None, "Tot slot")),
    "rzou-informatienota": Outline("Geachte leden van de raad,", ("Inleiding", "Communicatie"), "informatienota"),
    "huizen": Outline(
        "Geachte leden van de raad,",
        ("Aanleiding", "Argumentatie", "Kaders", "Kanttekeningen", "Financiën", "Alternatieven", "Uitvoering"),
    ),
}
"""The sections of the published letters of each standard house style, for ``briefgen new``; a
letter of another kind in that style starts from the standard ones of its kind."""

MODELINE = "# yaml-language-server: "
"""How the first line of a letter starts that names its schema for the editor."""

DEFAULT_SIGNING = "college"
"""Who signs a new letter, and an imported one whose signature could not be read."""


def published_outline(style: str, kind: str) -> Outline | None:
    """The outline of the published letters of ``style`` for ``kind``; None when it has none of its own."""
    published = HOUSE_STYLES.get(style.removesuffix(".docx"))
    return published if published is not None and published.kind == kind else None


def outline(style: str, kind: str) -> Outline:
    return published_outline(style, kind) or Outline(DEFAULTS[kind]["aanhef"], STANDARD_SECTIONS[kind], kind)


def numbers_taken(index: LetterIndex, organisation: str) -> list[tuple[str | None, str | None]]:
    """The nummer and kenmerk of every letter of the organisation. A letter with an error (which the index
    leaves out) still holds its number: they are read from its text, so a new letter never gets it too."""
    taken = []
    for path in index.werkmap.letters():
        entry = index.get(index.ident(path))
        if entry is not None:
            if entry.letter.organisation == organisation:
                taken.append((entry.letter.number, entry.letter.reference))
            continue
        try:
            text = read_file(path, index.werkmap.root).decode("utf-8", errors="replace")
        except Unreadable:
            continue
        raw = written_values(text)
        if raw.get("organisatie") == organisation:
            taken.append((raw.get("nummer"), raw.get("kenmerk")))
    return taken


def ascii_letters(text: str) -> str:
    """``text`` in lower case without accents and without what has no ASCII form ("Súdwest" → "sudwest")."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


_APOSTROPHE = re.compile(r"(?<=\w)['’‘`´](?=\w)")


FILLER_WORDS = frozenset({"de", "het", "een", "en", "of", "van", "in", "op", "voor", "met", "aan", "bij", "over", "tot",
                          "naar", "om", "uit", "door", "te", "als", "na", "per", "tegen", "onder", "zijn", "der"})
"""Words a name cut off after the last whole word that fits does not end on."""


def slug(text: str, limit: int = 60, separator: str = "-", empty: str = "nieuwe-brief") -> str:
    """A file or table name from Dutch text: lower case ASCII words (``Súdwest`` → ``sudwest``, ``ĳ`` → ``ij``),
    ``auto's`` as ``autos``, ``&`` as ``en``, joined by ``separator`` and cut after the last whole word that fits
    in ``limit`` that is no filler word (a single longer word is cut); ``empty`` when no word is left."""
    text = _APOSTROPHE.sub("", text.replace("&", " en "))
    words = re.findall(r"[a-z0-9]+", ascii_letters(text))
    kept: list[str] = []
    for word in words:
        if len(separator.join([*kept, word])) > limit:
            while len(kept) > 1 and kept[-1] in FILLER_WORDS:  # cut off: no name ending in "…-stationsplein-en-de"
                kept.pop()
            break
        kept.append(word)
    return separator.join(kept) or (words[0][:limit] if words else empty)


def free_path(folder: Path, name: str) -> Path:
    """A file name that does not exist yet: ``x.yaml``, else ``x-2.yaml``, …"""
    candidate, n = folder / f"{name}.yaml", 2
    while candidate.exists():
        candidate, n = folder / f"{name}-{n}.yaml", n + 1
    return candidate


def create(
    werkmap: Werkmap,
    index: LetterIndex,
    organisations: dict[str, Organisation | None],
    kind: str,
    organisation: str,
    subject: str | None,
    day: dt.date,
    previous: Path | None = None,
    notes: list[str] | None = None,
) -> Path:
    """Write the new letter; never overwrites a file. Returns its path; what the user must still fill in
    (in Dutch) is added to ``notes``."""
    _check_writable(subject)
    org = organisations.get(organisation)
    if org is None:
        known = ", ".join(sorted(organisations)) or "geen"
        state = "bevat fouten (zie briefgen check)" if organisation in organisations else "bestaat niet"
        raise BriefgenError(f"organisatie '{organisation}' {state}{did_you_mean(organisation, organisations) or '; bekend: ' + known}")
    if previous is None and org.style_for(kind) is None:  # check would reject the letter
        kinds = ", ".join(where[-1] for where in org.styles)
        raise BriefgenError(f"organisatie '{organisation}' heeft geen huisstijl voor {kind} (wel voor: {kinds}); "
                            f"zet er een bij 'huisstijl:' in {werkmap.shown(werkmap.organisation_file(organisation))}")
    number = next_number(numbers_taken(index, organisation), org.numbering, day.year)
    untitled = previous is None and not subject
    if previous is not None:
        text, subject = _follow_up(werkmap, index, previous, subject, day, number, notes if notes is not None else [],
                                   org.style_for(kind) or "")
    else:
        subject = subject or PLACEHOLDERS["onderwerp"]
        text = _fresh(werkmap, kind, organisation, org, subject, day, number, _latest(index, organisation, kind, day),
                      notes if notes is not None else [])
        if notes is not None and kenmerk_not_number(_shown_by(werkmap, org.style_for(kind) or "")):
            notes.append(KENMERK_NOTE)  # as the empty 'kenmerk:' _fresh wrote
    target = free_path(werkmap.content / organisation / str(day.year), slug(subject))
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(text)
    if untitled and notes is not None:
        here = Path(os.path.relpath(target))  # the command works where it is run, also outside the werkmap
        move = f"{shlex.quote(here.as_posix())} {shlex.quote((here.parent / 'onderwerp-van-de-brief.yaml').as_posix())}"
        # 'mv' also in a git work tree: git mv refuses the file just written, which git does not track yet
        notes.append(f"geen onderwerp opgegeven: vul 'onderwerp:' in en geef het bestand een naam naar het onderwerp, "
                     f"zoals 'mv {move}'; met --onderwerp \"…\" krijgt een nieuwe brief die naam meteen")
    return target


def previous_file(werkmap: Werkmap, index: LetterIndex, given: Path) -> Path:
    """``--van`` as a file, or as the id that ``vorige:`` uses and messages print (``hilversum/2021/x``, also with
    ``.yaml``): ``content/<id>.yaml``, only a letter inside the werkmap; else ``given`` as it is."""
    if os.path.lexists(given) or given.is_absolute() or ".." in given.parts:
        return given
    ident = given.as_posix()
    by_id = index.path(ident.removesuffix(given.suffix) if given.suffix in LETTER_SUFFIXES else ident)
    return by_id if os.path.lexists(by_id) and werkmap.is_letter(by_id) and werkmap.contains(by_id) else given


def _yaml() -> YAML:
    """Round-trip YAML that writes any text so that it reads back the same, and keeps comments."""
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _dump(data) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def _check_writable(subject: str | None) -> None:
    """Text that cannot be stored as UTF-8 (bytes of another encoding in a shell argument) is refused."""
    try:
        (subject or "").encode("utf-8")
    except UnicodeEncodeError:
        raise BriefgenError(
            "het onderwerp bevat tekens die geen UTF-8 zijn (de terminal gebruikt een andere codering); "
            "typ het onderwerp opnieuw of zet het later in het bestand"
        ) from None


def _text(value: str) -> str:
    """A value as ruamel must write it to read back the same: its plain and single-quoted styles write
    NEL, U+2028 and U+2029 as line breaks, so text with those (or any other unprintable character)
    is double-quoted, where every such character is an escape."""
    if any(not ch.isprintable() and ch != "\n" for ch in value):
        return DoubleQuotedScalarString(value)
    return value


def _comment(text: str) -> str:
    """Text on one comment line: a line break would end the comment and start YAML."""
    return " ".join(text.split())


OWN_WORDS = {"aanhef": "salutation", "slot": "closing"}
"""The fields a new letter takes from the organisation's latest letter: a griffie goes on with its own words."""


def _latest(index: LetterIndex, organisation: str, kind: str, day: dt.date) -> Entry | None:
    """The organisation's latest letter of this kind up to ``day`` (the highest number of that day): a griffie that
    imported its letters goes on with its own words ("Geachte raadsleden,", "Met vriendelijke groet,"), sections and
    contacts, not briefgen's or the house style's."""
    own = [e for e in index.all() if e.letter.organisation == organisation and e.letter.kind == kind
           and e.letter.date <= day]
    return max(own, key=lambda e: (e.letter.date, number_order(cited_number(e.letter) or "")), default=None)


def _own_sections(latest: Letter) -> tuple[str | None, ...]:
    """The headings of ``latest``'s sections (None: no heading); one section without heading when it had none. A heading
    with a Jinja expression is left out: it would use fields of that letter that the new one does not have."""
    headings = tuple(None if section.heading and ("{{" in section.heading or "{%" in section.heading)
                     else section.heading for section in latest.sections)
    return headings if any(headings) else (None,)


def _fresh(werkmap: Werkmap, kind: str, organisation: str, org: Organisation, subject: str, day: dt.date, number: str,
           latest: Entry | None, notes: list[str]) -> str:
    """The skeleton is YAML text for its comments and layout; every value the user chose is set through
    ruamel, which quotes and escapes it, so the file always reads back as written. ``latest``: the organisation's
    latest letter of this kind (:func:`_latest`), whose aanhef, slot, contacts and (in a house style without an
    outline of its own) sections the new letter takes; what that leaves to fill in is added to ``notes``."""
    own = {key: value for key, field in OWN_WORDS.items() if latest is not None
           and (value := getattr(latest.letter, field)) is not None}
    style = org.style_for(kind) or ""
    shown = _shown_by(werkmap, style)
    holders = [m for m in org.college if m.in_office(day) and m.function.lower() in ("wethouder", "burgemeester")
               and not m.is_placeholder]
    choices = "".join(
        "#   " + _comment(f"{m.name} ({m.function}: {formatting.opsomming(m.portfolios) or '-'})") + "\n" for m in holders
    )
    if not choices:  # fill in the college only where it is still to be filled in; else the date is before them all
        placeholders = any(m.is_placeholder for m in org.college)
        choices = "#   (niemand in functie op deze datum" + (": vul eerst het college in het organisatiebestand in" if placeholders
                                                            else "") + ")\n"
    holder = (f"# portefeuillehouder: kies een van de collegeleden in functie op {formatting.datum(day)}:\n{choices}"
              if shown("portefeuillehouder") else "")
    shape = outline(style, kind)
    if latest is not None and published_outline(style, kind) is None:
        if (own_sections := _own_sections(latest.letter)) != shape.sections:  # said only where it changes them
            shape = Outline(shape.salutation, own_sections, kind)
            notes.append(f"de secties volgen de laatste {kind} van de organisatie "
                         f"({werkmap.shown(latest.path)}); vul hun tekst in")
    sections = "".join(("  - kop: x\n" if title is not None else "  -\n") + "    tekst: |\n\n" for title in shape.sections)
    folder = werkmap.content / organisation / str(day.year)
    modeline = f"{MODELINE}$schema={os.path.relpath(_schema_file(werkmap), folder)}\n"
    data = _yaml().load(
        f"{modeline}soort: x\norganisatie: x\ndatum: 2000-01-01\nnummer: x\nonderwerp: x\n"
        f"{holder}"
        f"aanhef: x\n"
        f"secties:\n{sections}"
        + ("contactpersonen: []\n" if shown("contactpersonen", "informatie_bij", "informatie_telefoon") else "")
        + f"ondertekening: {DEFAULT_SIGNING}\n"
    )
    data["soort"], data["organisatie"], data["datum"] = kind, organisation, day
    data["nummer"], data["onderwerp"] = DoubleQuotedScalarString(number), _text(subject)
    if kenmerk_not_number(shown):
        _to_fill(data, "kenmerk", "nummer", KENMERK_TO_FILL)
    for key, under, comment in _OPTIONAL_SHOWN:
        if shown(key):
            _to_fill(data, key, next(k for k in under if k in data), comment.format(**DEFAULTS[kind]))
    if "contactpersonen" in data and latest is not None and latest.letter.contacts:
        data["contactpersonen"] = [
            {key: DoubleQuotedScalarString(value) if key == "telefoon" else _text(value)
             for key, field in CONTACT_FIELDS.items() if (value := getattr(person, field))}
            for person in latest.letter.contacts
        ]
        notes.append(f"de contactpersonen komen uit {werkmap.shown(latest.path)}: controleer of zij nog uw "
                     "contactpersonen zijn")
        _contact_notes(latest.letter.contacts, notes)
    if shown("aanhef"):
        salutation = own.get("aanhef", shape.salutation)
        data["aanhef"] = DoubleQuotedScalarString(salutation) if not salutation else _text(salutation)
    else:
        del data["aanhef"]
    for section, title in zip(data["secties"], shape.sections, strict=True):
        if title is not None:
            section["kop"] = title
    closing = own.get("slot")
    if closing is not None and closing != DEFAULTS[kind]["slot"] and shown("slot"):  # no slot: the default
        data.insert(list(data).index("ondertekening"), "slot", _text(closing))
    if shown("ondertekening"):
        data["ondertekening"] = _signing(werkmap, organisation, org, day, latest, notes)
    else:  # the house style types its signature as fixed text: the letter names nobody
        del data["ondertekening"]
    return _dump(data)


def _signing(werkmap: Werkmap, organisation: str, org: Organisation, day: dt.date, latest: Entry | None,
             notes: list[str]):
    """The ``ondertekening`` of a new letter: that of the organisation's latest letter of its kind (a griffie
    whose letters are signed l.s. by the loco-secretaris goes on so), ``[]`` for an organisation without a
    college (nobody could sign), else ``college``; what the user must check or fill in is added to ``notes``."""
    organisation_file = werkmap.shown(werkmap.organisation_file(organisation))
    signers: list[Signer] = list(latest.letter.signers) if latest is not None else []
    if latest is not None and "signers" in latest.letter.model_fields_set and not signers:
        notes.append(f"de ondertekening volgt {werkmap.shown(latest.path)}: 'ondertekening: []' (niemand ondertekent); "
                     f"vul 'ondertekening: {DEFAULT_SIGNING}' in als deze brief wel ondertekend wordt")
        return []
    if latest is None or "signers" not in latest.letter.model_fields_set:
        if not org.college:
            notes.append(f"'ondertekening: []' (niemand ondertekent): {organisation_file} heeft geen college; vul daar "
                         "het college in en hier wie ondertekent als deze brief wel ondertekend wordt")
            return []
        signers = [Signer.model_validate(signer) for signer in COLLEGE_SIGNERS]
        value: object = DEFAULT_SIGNING
    elif (value := _signers_value(signers)) != DEFAULT_SIGNING:
        notes.append(f"de ondertekening volgt {werkmap.shown(latest.path)}: controleer wie deze brief ondertekent")
    unfilled = [f"de {member.function}" for signer in signers
                for member in signing_candidates(org, signer, day)[1] if member.is_placeholder]
    if unfilled:
        said = f"'ondertekening: {DEFAULT_SIGNING}'" if value == DEFAULT_SIGNING else "de ondertekening"
        notes.append(f"{said}: {formatting.opsomming(unfilled)} op {formatting.datum(day)} "
                     f"{'is' if len(unfilled) == 1 else 'zijn'} nog '{PLACEHOLDER}' in {organisation_file}: vul de echte "
                     "namen in; tot dan stopt briefgen check bij deze brief")
    return value


def _signers_value(signers: list[Signer]):
    """``signers`` as a letter writes them: ``college`` when they are just that, else the list form."""
    written = [signer.model_dump(by_alias=True, exclude_none=True) for signer in signers]
    if written == list(COLLEGE_SIGNERS):
        return DEFAULT_SIGNING
    return [{key: _text(value) for key, value in signer.items()} for signer in written]


CONTACT_FIELDS = {"naam": "name", "functie": "function", "telefoon": "phone", "email": "email", "domein": "domain"}
"""The fields of a contact that a new letter takes from the organisation's latest letter."""


def _contact_notes(contacts: list[Contact], notes: list[str]) -> None:
    """A contact without phone and e-mail is a warning in an imported letter (checks._contacts) and an error in a
    new one: the new letter's notes say what to fill in."""
    for person in contacts:
        if not person.phone and not person.email:
            notes.append(f"contactpersoon {person.name} heeft geen telefoon en geen e-mail: vul 'telefoon:' of 'email:' in "
                         "(anders bouwt deze brief niet)")


KENMERK_TO_FILL = "vul het kenmerk in (de huisstijl toont het, niet het nummer)"
_OPTIONAL_SHOWN = (
    ("zaaknummer", ("kenmerk", "nummer"), "vul het zaaknummer in (de huisstijl toont het); leeg: geen zaaknummer"),
    ("aan", ("onderwerp",), "geadresseerde; leeg: '{aan}'"),
    ("van", ("aan", "onderwerp"), "afzender; leeg: '{van}'"),
)
"""Keys a letter may give that only the house style shows (templatecheck's ``_SHOWN_FIELDS``), each written
empty by ``new`` when its house style shows it, under the first of the keys named that the letter has, with a
comment on what to fill in or, left empty, what the letter gets ({aan} and {van}: the kind's default)."""
KENMERK_NOTE = "de huisstijl toont het kenmerk van de brief, niet haar nummer: vul 'kenmerk:' in (bijvoorbeeld uit het zaaksysteem)"


def _to_fill(data, key: str, after: str, comment: str) -> None:
    """An empty ``key`` right under ``after``, with a comment on what to fill in: the griffie sees it exists."""
    data.insert(list(data).index(after) + 1, key, None, comment=_comment(comment))


def _shown_by(werkmap: Werkmap, style: str) -> Callable[..., bool]:
    """Whether the house style ``style`` shows any of the given fields, so that a new letter has only the keys
    its house style uses; every field counts as shown when the template cannot be read (``check`` says why)."""
    template = werkmap.template_file(style) if style else None
    uses = template_uses(template) if template is not None else frozenset()
    return lambda *fields: not uses or any(shows(uses, name) for name in fields)


def _schema_file(werkmap: Werkmap) -> Path:
    """``schema/brief.schema.json`` for the modeline; written when the werkmap has none yet."""
    from briefgen import schema

    path = werkmap.root / "schema" / "brief.schema.json"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, schema.text("brief").encode("utf-8"))
    return path


def _follow_up(werkmap: Werkmap, index: LetterIndex, previous: Path, subject: str | None, day: dt.date, number: str,
               notes: list[str], style: str = ""):
    """The next letter of a series: structure, tables and contacts copied, the previous one linked; what the
    user must still fill in is added to ``notes``. ``style``: the organisation's house style for its kind."""
    if not previous.is_file() or not werkmap.is_letter(previous):
        raise BriefgenError(f"vorige brief niet gevonden: {previous}")
    entry = index.get(index.ident(previous))
    if entry is None:
        raise BriefgenError(f"de vorige brief {werkmap.shown(previous)} bevat fouten; los die eerst op (briefgen check)")
    if entry.letter.date >= day:
        raise BriefgenError(f"de vorige brief is van {formatting.datum(entry.letter.date)}; de nieuwe datum moet later zijn")
    _not_followed(werkmap, entry.ident)
    data = _yaml().load(_without_header(previous.read_text(encoding="utf-8")))
    data["datum"] = day
    if "nummer" in data:
        data["nummer"] = DoubleQuotedScalarString(number)
    else:  # an imported letter has only its kenmerk: the number goes where a new letter has it
        data.insert(list(data).index("datum") + 1, "nummer", DoubleQuotedScalarString(number))
    if subject is None:
        subject = next_subject(entry.letter.subject, (entry.letter.date, day))
        if subject == entry.letter.subject:
            notes.append("het onderwerp is dat van de vorige brief: geef deze brief een eigen onderwerp")
    data["onderwerp"] = _text(subject)
    data["vorige"] = entry.ident
    for key in ("toezeggingen", "bijlagen", "kenmerk", "geimporteerd_uit"):  # the kenmerk names the previous letter, not this one
        data.pop(key, None)
    _contact_notes(entry.letter.contacts, notes)
    shown = _shown_by(werkmap, entry.letter.style or style)
    if ("ondertekening" not in data and closing_formula(entry.letter.kind, entry.letter.closing).strip() and shown("slot")
            and shown("ondertekening")):
        data["ondertekening"] = DEFAULT_SIGNING  # as a new letter: else a closing formula with nobody under it
        notes.append(f"de vorige brief heeft geen 'ondertekening:'; 'ondertekening: {DEFAULT_SIGNING}' ingevuld: "
                     "controleer wie deze brief ondertekent")
    to_fill = None
    if any(_USES_KENMERK.search(text) for text in _texts(data)):  # else check stops at once at "{{ kenmerk }} is leeg"
        to_fill = "vul hier het kenmerk van deze brief in: de tekst gebruikt {{ kenmerk }}"
        notes.append("de tekst gebruikt {{ kenmerk }}: vul 'kenmerk:' in voor deze brief")
    elif kenmerk_not_number(shown):
        to_fill = KENMERK_TO_FILL
        notes.append(KENMERK_NOTE)
    if to_fill is not None:  # an empty kenmerk right under the number, as in a fresh letter
        _to_fill(data, "kenmerk", "nummer", to_fill)
    for table in (data.get("tabellen") or {}).values():
        table.pop("totaal", None)  # the counts are to be updated; a stale declared total would mislead
    return _dump(data), data["onderwerp"]


def _without_header(text: str) -> str:
    """``text`` without the comment lines above its first key but the schema modeline: they tell about the previous
    letter ("Voorbeeld van een reeks …"), not about the new one."""
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)  # a BOM is no text of the first line
    start = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), len(lines))
    head = [line for line in lines[:start] if line.lstrip().startswith(MODELINE)]
    return "".join(head + lines[start:])


def _not_followed(werkmap: Werkmap, ident: str) -> None:
    """A series has one next letter: ``--van`` a letter that another one follows already is refused."""
    following = series.followers(werkmap)
    after = sorted(following.get(unicodedata.normalize("NFC", ident), []), key=lambda path: path.parts)
    if not after:
        return
    end = series.last(werkmap, following, after[0]) if len(after) == 1 else after[-1]
    named = ", ".join(werkmap.shown(path) for path in after)
    then = "" if end == after[0] else f" (de reeks loopt door tot {werkmap.shown(end)})"
    raise WrongUsage(f"op {ident} volgt al {named}{then}; een reeks heeft één volgende brief: "
                     f"gebruik --van {werkmap.shown(end)}")


ORDINALS = ("eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste", "negende", "tiende",
            "elfde", "twaalfde", "dertiende", "veertiende", "vijftiende", "zestiende", "zeventiende", "achttiende",
            "negentiende", "twintigste")
_ORDINAL = re.compile(r"\b(?:(?P<digits>\d{1,6})(?P<suffix>ste|de|e)|(?P<word>" + "|".join(ORDINALS[:-1]) + r"))\b"
                      r"|\((?P<count>\d{1,6})\)\s*$", re.IGNORECASE)


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
PERIODS = {"kwartaal": 4, "halfjaar": 2}
"""Parts of a year that a series counts through: after the last comes the first of the next year."""
_PERIOD = re.compile(
    r"\b(?:(?P<ordinal>(?P<word>" + "|".join(ORDINALS) + r")|(?P<digits>\d{1,2})(?P<suffix>ste|de|e))\s+(?P<unit>"
    + "|".join(PERIODS) + r")|(?P<q>Q)(?P<quarter>[1-4])|(?P<month>" + "|".join(MONTHS) + r"))"
    r"(?:\s+(?P<year>\d{4}))?\b", re.IGNORECASE)


_DAY_BEFORE = re.compile(r"\b\d{1,2}\s+$")
"""A day number right before a month: the month is part of a date."""
_YEAR_BEFORE = re.compile(r"\b(?P<year>\d{4})(?:\s+|\s*[-/]\s*)$")
"""A year written before a quarter or half year (``2024 Q4``, ``2024-Q4``)."""


def next_subject(subject: str, dates: tuple[dt.date, dt.date] | None = None) -> str:
    """The previous letter's subject with its ordinal counted up, so that a series letter does not repeat
    it: ``6e rapportage`` → ``7e rapportage``, ``tweede`` → ``derde``, ``Voortgang (6)`` → ``Voortgang (7)``;
    the first one only. A part of a year (:func:`_next_period`) counts on to the next year: ``vierde kwartaal
    2023`` → ``eerste kwartaal 2024``, ``Q4 2023`` → ``Q1 2024``, ``december 2023`` → ``januari 2024``; one
    that cannot be counted (``vijfde kwartaal``) leaves the subject as it is. A subject without one stays as
    it is (``new`` says so, ``check`` warns).

    ``dates``: the previous letter's date and the new one's. A part of a year then moves on as far as the
    dates do (``(mei 2025)`` of 20 May → ``(augustus 2025)`` on 24 August) and stays as written when both
    dates are in the same part of the year (a second letter in May keeps ``(mei 2025)``)."""
    changes = []
    if any(m.group("month") and _DAY_BEFORE.search(subject, 0, m.start()) for m in _PERIOD.finditer(subject)):
        return subject  # a date (``Raad van 12 mei 2024``), no period: what comes next is no count
    periods = [m for m in _PERIOD.finditer(subject) if not m.group("month") or m.group("year")]
    if len(periods) > 1:
        return subject  # ``Q4 2023 en Q1 2024``: which one the series counts is not clear
    period = periods[0] if periods else None
    steps = _steps(period, dates) if period is not None else 0
    if period is not None and steps > 0:
        moved = _next_period(period, steps)
        if moved is None:
            return subject
        text, years = moved
        start = period.start()
        if not period.group("month") and not period.group("year") \
                and (before := _YEAR_BEFORE.search(subject, 0, start)) is not None:
            # ``Begroting 2024 Q4`` → ``Begroting 2025 Q1``: the year before the period counts on with it
            year = str(int(before.group("year")) + years)
            text = subject[before.start():before.start("year")] + year + subject[before.end("year"):start] + text
            start = before.start()
        changes.append((start, period.end(), text))
    match = next((m for m in _ORDINAL.finditer(subject)
                  if period is None or m.end() <= period.start() or m.start() >= period.end()), None)
    if match is not None:
        changes.append((match.start(), match.end(), _next_ordinal(match)))
    for start, end, text in sorted(changes, reverse=True):
        subject = subject[:start] + text + subject[end:]
    return subject


def _cased(word: str, like: str) -> str:
    return word.upper() if like.isupper() and len(like) > 1 else word.capitalize() if like[0].isupper() else word


def _next_ordinal(match: re.Match[str]) -> str:
    if match.group("word"):
        word = match.group("word")
        return _cased(ORDINALS[ORDINALS.index(word.lower()) + 1], word)
    if match.group("count"):
        return f"({int(match.group('count')) + 1})"
    return _numbered(int(match.group("digits")) + 1, match.group("suffix"))


def _numbered(number: int, suffix: str) -> str:
    if suffix.lower() != "e":  # 2de, 8ste, 21ste
        suffix = "ste" if number % 100 in (1, 8) or number % 100 >= 20 or (number >= 100 and number % 100 == 0) else "de"
    return f"{number}{suffix}"


def _size(match: re.Match[str]) -> int:
    """How many of the matched part of a year there are in a year."""
    return 12 if match.group("month") else 4 if match.group("q") else PERIODS[match.group("unit").lower()]


def _steps(match: re.Match[str], dates: tuple[dt.date, dt.date] | None) -> int:
    """How many parts of a year (of the kind matched) lie between the two dates; 1 without dates."""
    if dates is None:
        return 1
    size = _size(match)
    since, until = ((day.year * size + (day.month - 1) * size // 12) for day in dates)
    return until - since


def _next_period(match: re.Match[str], steps: int = 1) -> tuple[str, int] | None:
    """The part of the year ``steps`` after the one matched (a quarter, half year or month, with its year if
    given), and how many years that moves on; None when it is no part of a year (``vierde halfjaar``)."""
    if match.group("month"):
        month = match.group("month")
        count, size, first = MONTHS.index(month.lower()) + 1, 12, month
    elif match.group("q"):
        count, size, first = int(match.group("quarter")), 4, match.group("q")
    else:
        word = match.group("word")
        count = ORDINALS.index(word.lower()) + 1 if word else int(match.group("digits"))
        size, first = PERIODS[match.group("unit").lower()], match.group("ordinal")
    if count > size:
        return None
    years, following = divmod(count - 1 + steps, size)
    following += 1
    year = str(int(match.group("year")) + years) if match.group("year") else None
    if match.group("month"):
        text = _cased(MONTHS[following - 1], first)
    elif match.group("q"):
        text = f"{first}{following}"
    else:
        ordinal = _cased(ORDINALS[following - 1], first) if match.group("word") else _numbered(following, match.group("suffix"))
        text = f"{ordinal} {match.group('unit')}"
    return text + (f" {year}" if year else ""), years


_USES_KENMERK = re.compile(r"\{[{%][^}]*?\bkenmerk\b")
"""A Jinja expression or tag that prints or tests the kenmerk."""


def _texts(value) -> list[str]:
    """Every text in a YAML value, also inside lists and mappings."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []

