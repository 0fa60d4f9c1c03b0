"""Resolve a validated letter into a document: signers in office, totals, text with its expressions.

Everything a builder needs ends up in :class:`Document` as plain data; builders never look at YAML.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from briefgen import checks, expressions, formatting, jinjatags, richtext
from briefgen.document import Document, SectionView, TableView
from briefgen.index import Entry, LetterIndex
from briefgen.index import reference as index_reference
from briefgen.kinds import DEFAULTS, closing_formula
from briefgen.locate import Collector
from briefgen.misplaced import found_elsewhere, written
from briefgen.model import Commitment, Letter, Member, Organisation, Signer, Table
from briefgen.model.base import FORBIDDEN, Broken, forbidden_character, touches
from briefgen.model.organisation import PLACEHOLDER
from briefgen.model.tables import Number
from briefgen.problems import Problem, Severity, closest, did_you_mean
from briefgen.templatefields import Ondertekenaar, Ondertekening, OrganisatieVelden, TemplateFields
from briefgen.templateshows import shows, template_uses
from briefgen.werkmap import LETTER_SUFFIXES, MISSING, Werkmap, file_problem
from briefgen.yamlio import Loaded, value_position

MARKING_FUNCTION = {"l.s.": "loco-secretaris", "w.n.": "waarnemend {rol}"}
COLLEGE_ROLES = {"burgemeester", "gemeentesecretaris", "secretaris"}


def resolve(
    werkmap: Werkmap,
    loaded: Loaded,
    letter: Letter,
    organisations: dict[str, Organisation | None],
    index: LetterIndex,
    broken: frozenset[tuple[Any, ...]] = frozenset(),
) -> tuple[Document | None, list[Problem]]:
    """``broken``: the places of values that validate.validate_partial reported and left out (or stood in for);
    every check that needs one of them is skipped, the others run."""
    out = Collector(loaded)
    dated = ("datum",) not in broken
    organisation = _organisation(werkmap, letter, organisations, out) if ("organisatie",) not in broken else None
    previous = _previous(letter, index, out, organisation, dated)
    earlier = previous.letter.tables if previous else {}
    tables = {
        name: _table(name, table, earlier.get(name) if table.compare else None) if table.sound else None
        for name, table in letter.tables.items()
    }
    for name, view in tables.items():
        if view is not None and _repeated_in_comparison(name, letter.tables[name], earlier.get(name), out):
            tables[name] = None  # its own problem is reported at the row
    tables.update({str(unit[1]): None for unit in broken if unit[0] == "tabellen" and len(unit) == 2})
    _contacts(letter, out)
    if organisation is None:  # its own problem is reported (or broken): the text is still checked, without it
        _sections(letter, None, tables, _References(letter, index, previous, None, dated), out, broken)
        return None, out.problems
    style = letter.style or organisation.style_for(letter.kind)
    template = werkmap.template_file(style) if style else None
    unusable = file_problem(template, werkmap.root) if template is not None else None
    uses = template_uses(template) if template is not None and unusable is None else frozenset()  # empty: its own problem
    checks.letter(letter, organisation, out, dated=dated, broken=broken, previous=previous.letter if previous else None,
                  signature_shown=not uses or (shows(uses, "slot") and shows(uses, "ondertekening")))
    signers = _signers(letter, organisation, out, dated, broken)
    holder = _portfolio_holder(letter, organisation, out) if dated else ""
    where = ("huisstijl",) if letter.style else ("organisatie",)
    organisation_file = werkmap.shown(werkmap.organisation_file(letter.organisation))
    if style is not None and not letter.style and (template is None or unusable == MISSING):
        # the organisation's file has the located problem, with the name it is a misspelling of (session.py)
        out.at(where, f"de huisstijl van organisatie '{letter.organisation}' ('{style}') is onbruikbaar: er is geen "
                      f"template met die naam (zie {organisation_file})", cause=organisation_file)
    elif style is None:
        out.at(where, f"organisatie '{letter.organisation}' heeft geen huisstijl voor {letter.kind}: zet die bij "
                      f"'huisstijl:' in {werkmap.shown(werkmap.organisation_file(letter.organisation))} of kies er een "
                      "met 'huisstijl:' in deze brief")
    elif template is None:
        out.at(where, f"huisstijl '{style}' is geen naam van een template in templates/ (alleen letters, cijfers, - _ .)")
    elif unusable == MISSING:
        out.at(where, f"huisstijl '{style}' bestaat niet (verwacht {werkmap.shown(template)})")
    elif unusable:
        out.at(where, f"huisstijl '{style}' ({werkmap.shown(template)}): {unusable}")
    attachment_files = _attachments(werkmap, letter, out)
    references = _References(letter, index, previous, organisation, dated)
    sections = _sections(letter, organisation, tables, references, out, broken)
    if out.has_errors or template is None:
        return None, out.problems
    defaults = DEFAULTS[letter.kind]
    first_contact = letter.contacts[0] if letter.contacts else None
    fields: TemplateFields = {
        "soort": letter.kind,
        "soort_titel": defaults["titel"],
        "onderwerp": letter.subject,
        "datum": formatting.datum(letter.date),
        "nummer": letter.number or "",
        "kenmerk": letter.reference or "",
        "zaaknummer": letter.case_number or "",
        "bijlagen": str(len(letter.attachments)) if letter.attachments else "",
        "aan": letter.to if letter.to is not None else defaults["aan"],
        "van": letter.sender if letter.sender is not None else defaults["van"],
        "aanhef": letter.salutation if letter.salutation is not None else defaults["aanhef"],
        "slot": closing_formula(letter.kind, letter.closing),
        "portefeuillehouder": holder,
        "informatie_bij": first_contact.name if first_contact else "",
        "informatie_telefoon": formatting.telefoon(first_contact.phone) if first_contact and first_contact.phone else "",
        "contactpersonen": [{"naam": c.name, "telefoon": formatting.telefoon(c.phone) if c.phone else "", "email": c.email or ""}
                            for c in letter.contacts],
        "organisatie": _organisation_fields(organisation),
        "ondertekening": signers,
    }
    document = Document(
        source=loaded.path,
        shown=loaded.shown,
        template=template,
        fields=fields,
        sections=sections,
        tables={name: view for name, view in tables.items() if view is not None},
        attachments=tuple(a.title for a in letter.attachments),
        attachment_files=tuple(attachment_files),
        commitments=tuple(_commitment(c) for c in letter.commitments) if letter.show_commitments else (),
        title=letter.subject,
        author=organisation.name,
        date=letter.date,
        organisation=letter.organisation,
        style=style,
        extra_inputs=(
            werkmap.organisation_file(letter.organisation),
            template,
            *references.files(),
            *(path for _, path in attachment_files),
        ),
    )
    return document, out.problems


def _previous(letter: Letter, index: LetterIndex, out: Collector, org: Organisation | None, dated: bool = True) -> Entry | None:
    """The previous letter of the series: it must exist and be older (when the letter's date is not ``dated``
    (broken), only that it exists).

    One under ``extern:`` (not in content/) is only cited; it has no tables to compare.
    """
    if not letter.previous:
        return None
    entry = index.get(_on_disk(index, letter.previous))
    external = org.external.get(letter.previous) if org is not None and entry is None else None
    if external is not None:
        if dated and external.date >= letter.date:
            out.at(("vorige",), f"de vorige brief is van {formatting.datum(external.date)}, niet ouder dan deze brief ({formatting.datum(letter.date)})")
    elif entry is None and (unusable := _unusable(index, letter.previous)):
        out.at(("vorige",), f"vorige brief '{letter.previous}': {unusable}")
    elif entry is None and (broken := _with_errors(index, letter.previous)):
        out.at(("vorige",), f"vorige brief '{letter.previous}' bevat fouten (zie {broken})", cause=broken)
    elif entry is None:
        out.at(("vorige",), f"vorige brief '{letter.previous}' bestaat niet; verwacht content/{letter.previous}.yaml"
                            f"{_moved(index, letter.previous)}")
    elif dated and entry.letter.date >= letter.date:
        out.at(("vorige",), f"de vorige brief is van {formatting.datum(entry.letter.date)}, niet ouder dan deze brief ({formatting.datum(letter.date)})")
        return None
    return entry


def _on_disk(index: LetterIndex, ident: str) -> str:
    """``ident`` as the letter's file is named on disk when that name differs only in its Unicode form (NFC
    or NFD: macOS writes é as e plus an accent, a letter typed in an editor has é): each part of the path is
    matched after NFC normalisation; ``ident`` itself when its file is there or no file matches."""
    if os.path.lexists(index.path(ident)) or ident.isascii():
        return ident
    folder, found = index.werkmap.content, []
    parts = ident.split("/")
    for at, part in enumerate(parts):
        wanted = {unicodedata.normalize("NFC", name) for name in ((part,) if at < len(parts) - 1 else
                                                                    tuple(part + suffix for suffix in LETTER_SUFFIXES))}
        try:
            names = [name for name in os.listdir(folder) if unicodedata.normalize("NFC", name) in wanted]
        except OSError:
            return ident
        if len(names) != 1:
            return ident
        found.append(names[0] if at < len(parts) - 1 else Path(names[0]).stem)
        folder = folder / names[0]
    return "/".join(found)


def _moved(index: LetterIndex, ident: str) -> str:
    """``; bedoelde u 'a/opvang/opvang-3'?`` for a letter that is not at ``ident`` while exactly one letter of
    that file name is elsewhere in content/ (moved to another folder); else nothing."""
    name = Path(str(ident)).name
    found = {index.ident(p) for p in index.werkmap.letters() if p.stem == name} - {str(ident)}
    return f"; bedoelde u '{found.pop()}'?" if len(found) == 1 else ""


def _unusable(index: LetterIndex, ident: str) -> str | None:
    """Why the file of letter ``ident`` cannot be read as one of the werkmap (``werkmap.file_problem``, with
    its shown path), when it is there; else None."""
    path = index.path(ident)
    if ".." in Path(ident).parts:
        return None
    why = file_problem(path, index.werkmap.root)
    if not index.werkmap.is_letter(path):
        return f"{index.werkmap.shown(path)} is geen brief: {index.werkmap.why_not_a_letter(path)}" if why is None else None
    return f"{index.werkmap.shown(path)}: {why}" if why and why != MISSING else None


def _with_errors(index: LetterIndex, ident: str) -> str | None:
    """The shown path of letter ``ident`` when its file is there but the index has no entry for it (its errors
    are reported with it), so that a reference can say which: it does not exist, or it has errors."""
    path = index.path(ident)
    if ".." in Path(ident).parts or not index.werkmap.is_letter(path) or not _is_file(path):
        return None
    return index.werkmap.shown(path)


class _LetterWithErrors(formatting.FormatError):
    """A cited letter whose own errors are reported with it: ``cause`` is its shown path."""

    def __init__(self, message: str, cause: str):
        super().__init__(message)
        self.cause = cause


class _References:
    """``{{ brief("id") }}`` and ``{{ vorige }}`` in text: the cited letter's number and date.

    A letter in content/ is cited by its id; one that is not (an earlier college's) by its key
    under ``extern:`` in the organisation file, and with its ``url`` the citation is a link.
    """

    def __init__(self, letter: Letter, index: LetterIndex, previous: Entry | None, org: Organisation | None, dated: bool = True):
        self.letter = letter
        self.dated = dated
        self.index = index
        self.organised = org is not None  # without its organisation, its external letters are unknown
        self.external = org.external if org is not None else {}
        self.cited: dict[str, Entry] = {previous.ident: previous} if previous else {}
        self.previous = self.previous_plain = previous.reference() if previous else ""
        key = letter.previous or ""
        external = self.external.get(key) if previous is None else None
        if external is not None and (external.date < letter.date or not dated):
            self.previous = self._cite_external(key, link=True)
            self.previous_plain = self._cite_external(key, link=False)

    def cite(self, ident: str, link: bool = True) -> str:
        ident = str(ident)
        entry = self.index.get(_on_disk(self.index, ident))
        if entry is None and ident in self.external:
            return self._cite_external(ident, link)
        if entry is None and (unusable := _unusable(self.index, ident)):
            raise formatting.FormatError(f"brief '{ident}': {unusable}")
        broken = _with_errors(self.index, ident) if entry is None else None
        if broken:
            raise _LetterWithErrors(f"brief '{ident}' bevat fouten (zie {broken})", broken)
        if entry is None and not self.organised:
            raise expressions.Reported(f"brief '{ident}'")
        if entry is None and (moved := _moved(self.index, ident)):
            raise formatting.FormatError(f"brief '{ident}' bestaat niet; verwacht content/{ident}.yaml{moved}")
        if entry is None:
            raise formatting.FormatError(f"brief '{ident}' bestaat niet; verwacht content/{ident}.yaml "
                                         f"of, voor een brief die niet in content/ staat, '{ident}' onder 'extern:' "
                                         "in het organisatiebestand")
        if self.dated and entry.letter.date >= self.letter.date:
            raise formatting.FormatError(f"brief '{ident}' is van {formatting.datum(entry.letter.date)}, niet ouder dan deze brief")
        self.cited[entry.ident] = entry
        return entry.reference()

    def cite_plain(self, ident: str) -> str:
        """For headings, where a link cannot be written."""
        return self.cite(ident, link=False)

    def _cite_external(self, ident: str, link: bool) -> str:
        external = self.external[ident]
        if self.dated and external.date >= self.letter.date:
            raise formatting.FormatError(f"brief '{ident}' (extern) is van {formatting.datum(external.date)}, niet ouder dan deze brief")
        text = index_reference(external.kind, external.number or ident, external.date)
        return f"[{text}](<{external.url}>)" if link and external.url else text

    def files(self) -> list[Path]:
        return [entry.path for entry in self.cited.values()]


def _commitment(commitment: Commitment) -> str:
    state = " (afgedaan)" if commitment.status == "afgedaan" else ""
    return f"{commitment.number}: {commitment.description}{state}"


def _organisation(werkmap: Werkmap, letter: Letter, organisations: dict[str, Organisation | None], out: Collector):
    ident = letter.organisation
    if ident not in organisations:
        known = ", ".join(sorted(organisations)) or "geen"
        out.at(("organisatie",), f"organisatie '{ident}' bestaat niet (geen {werkmap.shown(werkmap.organisation_file(ident))}); bekend: {known}")
        return None
    organisation = organisations[ident]
    if organisation is None:
        shown = werkmap.shown(werkmap.organisation_file(ident))
        out.at(("organisatie",), f"organisatie '{ident}' bevat fouten (zie {shown})", cause=shown)
    return organisation


def _organisation_fields(org: Organisation) -> OrganisatieVelden:
    address = org.address
    return {
        "naam": org.name,
        "plaatsnaam": org.place,
        "adres": {
            "straat": (address.street if address else None) or "",
            "postcode": (address.postcode if address else None) or "",
            "plaats": (address.city if address else None) or "",
        },
        "telefoon": formatting.telefoon(org.phone) if org.phone else "",  # as a contact's (checked when read)
        "website": org.website or "",
    }


def signing_candidates(org: Organisation, signer: Signer, day: dt.date) -> tuple[str, list[Member]]:
    """The function ``signer`` signs as (``wethouder`` or with its marking) and who holds it on ``day``."""
    pattern = MARKING_FUNCTION.get(signer.marking or "")
    function = pattern.format(rol=signer.role) if pattern else signer.role  # a role is text, never a pattern
    if signer.marking == "i.o.":
        return function, [m for m in org.college if m.in_office(day) and (signer.name is None or m.name == signer.name)]
    return function, org.holders(function, day, signer.name)


def _signers(letter: Letter, org: Organisation, out: Collector, dated: bool = True, broken: Broken = frozenset()) -> Ondertekening:
    """The signature block: who signs, by role, as in office on the letter's date (none without a date).

    A signer with a broken value (``broken``) is not looked up: without its name or marking it is someone else.
    A role that more than one person holds that day (a wethouder) without a ``naam`` is signed by the
    letter's portefeuillehouder when they are one of them: the letter already names them. Only for one such
    signer, and only when no other signer is that person by name: else one person would sign twice."""
    people: list[Ondertekenaar] = []
    signed: dict[str, tuple[Any, ...]] = {}  # who signs already, and where
    day = letter.date
    shown_day = formatting.datum(day)
    looked_up = [
        (i, signer, *signing_candidates(org, signer, day))
        for i, signer in enumerate(letter.signers if dated else ())
        if not touches(broken, ("ondertekening", i))
    ]
    holder = letter.portfolio_holder
    may_sign = [
        i for i, signer, _, candidates in looked_up
        if signer.name is None and signer.marking != "i.o." and len(candidates) > 1 and any(m.name == holder for m in candidates)
    ]
    holder_signs = len(may_sign) == 1 and not any(s.name == holder for s in letter.signers)
    for i, signer, function, candidates in looked_up:
        given = out.loaded.data.get("ondertekening")
        loc = ("ondertekening", i) if isinstance(given, list) else ("ondertekening",)
        if not candidates:
            if signer.name:
                named = isinstance(given, list) and isinstance(given[i], dict) and "naam" in given[i]
                out.at((*loc, "naam") if named else loc, f"geen ondertekenaar: {signer.name} is op {shown_day} geen {function} "
                       f"van {org.name}{_terms(org, signer.name, function, day)}{_serving(org, (function,), day)}")
            elif isinstance(given, str) and _misspelt_keyword(org, signer.role):
                out.at(loc, f"onbekende ondertekening '{signer.role}'; bedoelde u 'college'?")
            else:
                serving = ["college", *{m.function.lower() for m in org.college if m.in_office(day)}]  # not a role nobody holds then
                out.at(loc, f"geen ondertekenaar: er is geen {function} in functie op {shown_day} bij {org.name}"
                            f"{_from_when(org, function, day)}{did_you_mean(function.lower(), serving)}")
            continue
        if holder_signs and i in may_sign:
            candidates = [m for m in candidates if m.name == holder]
        if len(candidates) > 1:
            names = ", ".join(m.name for m in candidates)
            out.at(loc, f"meer dan één {function} in functie op {shown_day} ({names}); kies met 'naam'")
            continue
        member = candidates[0]
        if member.is_placeholder:
            out.at(loc, f"geen ondertekenaar: de {member.function} op {shown_day} is in het organisatiebestand van "
                        f"{org.name} nog niet ingevuld ('{PLACEHOLDER}'); vul de echte naam in")
            continue
        if member.name in signed:
            out.at(loc, f"{member.name} ondertekent al (regel {value_position(out.loaded.located, signed[member.name])[0]}); iemand ondertekent "
                        "een brief één keer: haal één van de twee weg")
            continue
        signed[member.name] = loc
        role_member = member if not signer.marking else None
        title = (role_member.title if role_member and role_member.title else signer.role)
        name = member.name + (f", {signer.marking}" if signer.marking else "")
        people.append({"titel": f"de {title},", "naam": name})
    on_behalf = ""
    if any(s.role.lower() in COLLEGE_ROLES for s in letter.signers):
        on_behalf = f"Burgemeester en wethouders van {org.place},"
    empty: Ondertekenaar = {"titel": "", "naam": ""}
    return {
        "namens": on_behalf if people else "",
        "links": people[0] if people else empty,
        "rechts": people[1] if len(people) > 1 else empty,
        "personen": people,
    }


def _misspelt_keyword(org: Organisation, role: str) -> bool:
    """``ondertekening: colege``: a misspelling of the keyword ``college``, not of (or equal to) a function or name
    in the organisation."""
    functions = {m.function.lower() for m in org.college} | {m.name.lower() for m in org.college}
    word = role.lower()
    return word not in functions and closest(word, ["college", *functions]) == "college"


PORTFOLIO_HOLDERS = ("wethouder", "burgemeester")


def _terms(org: Organisation, name: str, function: str | None, day: dt.date) -> str:
    """Why ``name`` is not in office (as ``function``) on ``day``: `` (wethouder tot 31 december 2024)``."""
    own = [m for m in org.college if m.name == name]
    if not own:
        return f" ({name} staat niet in het organisatiebestand{did_you_mean(name, [m.name for m in org.college])})"
    same = [m for m in own if function is None or m.function.lower() == function.lower()]
    terms = []
    for member in same or own:
        if member.in_office(day):
            terms.append(f"wel {member.function}")
        elif member.end is not None and member.end < day:
            terms.append(f"{member.function} tot {formatting.datum(member.end)}")
        elif member.start is not None:
            terms.append(f"{member.function} vanaf {formatting.datum(member.start)}")
    return f" ({'; '.join(terms)})" if terms else ""


def _from_when(org: Organisation, function: str, day: dt.date) -> str:
    """Who takes up ``function`` first after ``day``: `` (M.A. de Kruijf is gemeentesecretaris vanaf 1 maart 2022)``."""
    later = sorted((m.start, m.name) for m in org.college
                   if m.function.lower() == function.lower() and m.start is not None and m.start > day)
    return f" ({later[0][1]} is {function} vanaf {formatting.datum(later[0][0])})" if later else ""


def _serving(org: Organisation, functions: tuple[str, ...], day: dt.date) -> str:
    """Who can be chosen instead: ``; in functie: A. Jansen, B. de Vries``."""
    names = [m.name for f in functions for m in org.holders(f, day) if not m.is_placeholder]
    return f"; in functie: {', '.join(names)}" if names else ""


def _portfolio_holder(letter: Letter, org: Organisation, out: Collector) -> str:
    name = letter.portfolio_holder
    if not name:
        return ""
    holders = [m for m in org.college if m.name == name and m.in_office(letter.date)]
    holders = [m for m in holders if m.function.lower() in PORTFOLIO_HOLDERS] or holders
    if not holders:
        out.at(("portefeuillehouder",), f"portefeuillehouder '{name}' is niet in functie op {formatting.datum(letter.date)} bij {org.name}"
                                        f"{_terms(org, name, None, letter.date)}{_serving(org, PORTFOLIO_HOLDERS, letter.date)}")
        return ""
    member = holders[0]
    return f"{member.function[:1].upper()}{member.function[1:]} {member.name}"


def _contacts(letter: Letter, out: Collector) -> None:
    for i, person in enumerate(letter.contacts):
        if person.phone:
            try:
                formatting.telefoon(person.phone)
            except formatting.FormatError as exc:
                out.at(("contactpersonen", i, "telefoon"), str(exc))


def _attachments(werkmap: Werkmap, letter: Letter, out: Collector) -> list[tuple[str, Path]]:
    """The bijlagen's files; each that cannot be used is a problem at its ``bestand:``: a file outside the
    werkmap, in build/ or missing, or a PDF that ``build --bijlagen`` cannot append, is an error; a file
    that is no PDF a warning (it is not appended)."""
    files = []
    for i, item in enumerate(letter.attachments):
        if PLACEHOLDER in item.title:  # left by 'briefgen import' for a count without titles
            out.at(("bijlagen", i, "titel"), f"de titel van bijlage {i + 1} is nog niet ingevuld ('{PLACEHOLDER}'); "
                   "vul de echte titel in (of haal de bijlage weg)", severity=Severity.WARNING, unpublishable=True)
        if not item.file:
            continue
        path = Path(item.file)
        target = path if path.is_absolute() else werkmap.root / path
        loc = ("bijlagen", i, "bestand")
        if path.is_absolute() and not werkmap.in_build(path) and (inside := _from_werkmap(werkmap, path)) is not None:
            found = found_elsewhere(werkmap, out.loaded.path, inside)  # only a usable file, never a folder or letter
            said = (f"bedoelde u 'bestand: {werkmap.shown(found)}'?" if found is not None
                    else f"maar '{inside}' is geen bruikbare bijlage: zet daar de PDF")
            out.at(loc, f"bijlage '{item.file}' is een pad vanaf de schijf; het pad bij 'bestand:' gaat uit van de werkmap; {said}")
        elif werkmap.in_build(target):
            own = " (het is de PDF van deze brief zelf)" if _is_own_pdf(werkmap, out.loaded.path, target) else ""
            out.at(loc, f"bijlage '{item.file}' ligt in {werkmap.shown(werkmap.build)}/, waar briefgen zijn uitvoer maakt "
                        f"(en opruimt){own}; een bijlage kan geen uitvoer van briefgen zijn: zet het bestand in content/")
        elif path.is_absolute() or not werkmap.contains(target):
            out.at(loc, f"bijlage '{item.file}' ligt buiten de werkmap; gebruik een pad binnen {werkmap.root.name}/")
        elif (unusable := file_problem(target, werkmap.root)) == MISSING:
            out.at(loc, _missing_attachment(werkmap, out.loaded.path, item.file))
        elif unusable:
            out.at(loc, f"bijlage '{item.file}': {unusable}")
        elif target.suffix.lower() != ".pdf":
            out.at(loc, f"bijlage '{item.file}' is geen PDF; 'build --bijlagen' voegt hem niet toe", severity=Severity.WARNING)
            files.append((item.title, target))
        elif (broken := _unusable_pdf(target)) is not None:
            out.at(loc, f"bijlage '{item.file}' {broken}")
        else:
            files.append((item.title, target))
    return files


def _from_werkmap(werkmap: Werkmap, path: Path) -> str | None:
    """An absolute ``path`` inside the werkmap as the path from the werkmap a letter gives (``content/…``); None for one
    outside it."""
    for root, inside in ((os.path.normpath(werkmap.root), os.path.normpath(path)),
                         (os.path.realpath(werkmap.root), os.path.realpath(path))):
        if Path(inside).is_relative_to(root) and inside != root:
            return Path(inside).relative_to(root).as_posix()
    return None


def _missing_attachment(werkmap: Werkmap, letter: Path, given: str) -> str:
    """Where paths start is said when it may be the mistake: a path not from content/, or a file found elsewhere."""
    meant = found_elsewhere(werkmap, letter, given)
    said = f"bijlage '{given}' bestaat niet"
    as_written = Path(os.path.normpath(written(given)))
    if (meant is not None and meant.parent != Path(os.path.normpath(werkmap.root / as_written.parent))
            or as_written.parts[:1] != ("content",)):
        said += " (het pad bij 'bestand:' gaat uit van de werkmap, niet van de map van de brief)"
    if meant is not None:
        return f"{said}; bedoelde u 'bestand: {werkmap.shown(meant)}'?"
    return f"{said}; zet het bestand daar, of haal 'bestand:' weg"


def _is_own_pdf(werkmap: Werkmap, letter: Path, target: Path) -> bool:
    try:
        own = werkmap.output(letter, "pdf")
    except ValueError:  # a letter outside content/ has no outputs
        return False
    return os.path.abspath(target) == os.path.abspath(own)


def _unusable_pdf(path: Path) -> str | None:
    from briefgen.builders.attachments import unusable  # pikepdf only for a letter with a PDF bijlage

    return unusable(path)


def _is_file(path: Path) -> bool:
    """Like Path.is_file, but a name the system refuses (too long) is simply not a file."""
    try:
        return path.is_file()
    except OSError:
        return False


def _table(name: str, table: Table, earlier: Table | None = None) -> TableView:
    """The table ready to print; its shape and totals were checked by the model (model/tables.py)."""
    cents = table.cents
    header = tuple(table.columns) if table.columns else ("", "Bedrag" if table.kind == "bedrag" else "Aantal")
    if earlier is not None and _comparable(table, earlier):
        return _comparison(name, table, earlier, header)
    return TableView(
        name=name,
        title=table.title,
        header=header,
        rows=tuple((str(row[0]), *(table.shown(c, cents or None, k) for k, c in enumerate(row[1:]))) for row in table.rows),
        total=(table.total_label, *(table.shown(s, cents or None, k) if counted else ""
                                    for k, (s, counted) in enumerate(zip(table.totals(), table.totalled(), strict=True)))),
    )


def _repeated_in_comparison(name: str, table: Table, earlier: Table | None, out: Collector) -> bool:
    """A table compared with the previous letter matches its rows by label: a repeated label would silently
    replace the row before it. Reported at the repeated row; a table that is not compared may repeat labels."""
    if not table.compare or earlier is None or not _comparable(table, earlier):
        return False
    repeated = table.repeated_labels()
    for j, first in repeated:
        out.at(("tabellen", name, "rijen", j, 0),
               f"de omschrijving '{table.rows[j][0]}' staat al in rij {first + 1} van deze tabel, en de tabel wordt "
               "vergeleken met de vorige brief (per omschrijving); geef elke rij een eigen omschrijving, tel de rijen "
               "op tot één, of zet 'vergelijken: false'")
    previous = earlier.repeated_labels()
    for j, first in previous[:1]:  # the previous letter is not compared itself: its table may repeat a label
        out.at(("tabellen", name),
               f"de tabel '{name}' van de vorige brief heeft de omschrijving '{earlier.rows[j][0]}' in rij {first + 1} "
               f"en rij {j + 1}: de vergelijking per omschrijving zou een van beide weglaten; zet 'vergelijken: false', "
               "of geef in de vorige brief elke rij een eigen omschrijving", value=False)
    return bool(repeated or previous)


def _comparable(table: Table, earlier: Table) -> bool:
    """Only one-column tables of one kind (counts or amounts) are compared, and only when every earlier row is [label, number]."""
    rows_ok = all(len(r) == 2 and isinstance(r[0], str) and not isinstance(r[1], str) for r in earlier.rows)
    return table.column_kinds() == earlier.column_kinds() and table.totalled() == [True] and rows_ok


def _comparison(name: str, table: Table, earlier: Table, header: tuple[str, ...]) -> TableView:
    """Series letters: the previous count (or amount), the new one and the change, row by row."""
    before, now = _counts(earlier), _counts(table)
    labels = list(now) + [label for label in before if label not in now]
    cents = (table.cents or earlier.cents) or None

    def line(label: str, old: Number | None, new: Number | None) -> tuple[str, ...]:
        show = lambda v: "–" if v is None else table.shown(v, cents)  # noqa: E731
        return (label, show(old), show(new), _change((new or 0) - (old or 0), lambda v: table.shown(v, cents)))

    rows = tuple(line(label, before.get(label), now.get(label)) for label in labels)
    total = line(table.total_label, earlier.totals()[0], table.totals()[0])
    return TableView(name, table.title, (header[0], "Vorige brief", header[1], "Verschil"), rows, total)


def _counts(table: Table) -> dict[str, Number]:
    """Label → count of a one-column table; _table and _comparable checked that every row is [text, number]."""
    return {row[0]: row[1] for row in table.rows if isinstance(row[0], str) and not isinstance(row[1], str)}


def _change(delta: Number, show: Callable[[Number], str] = formatting.getal) -> str:
    """``+3``, ``−2``; an amount's sign after the euro sign, as formatting.bedrag writes it (``€ +200,50``); no change
    is a zero of the column's kind (``0``, ``€ 0``)."""
    if not delta:
        return show(0)
    currency, space, digits = show(delta if delta > 0 else -delta).rpartition(formatting.NBSP)
    return f"{currency}{space}{'+' if delta > 0 else '−'}{digits}"


def expression_context(
    letter: Letter, org: Organisation | None, tables: dict[str, TableView | None], references: _References,
    broken: frozenset[tuple[Any, ...]] = frozenset(),
) -> dict[str, Any]:
    """What ``{{ … }}`` in content text can use; a broken value (validate.validate_partial) stands in as reported."""
    values = _Tables()
    for name in tables:
        table = letter.tables.get(name)
        if table is None or tables.get(name) is None:
            values[name] = expressions.reported(name)  # its own problem is reported at the table
            continue
        sums = [table.marked(s, k) if counted else expressions.absent(f"totalen[{k}]", f"kolom {k + 1} na de omschrijving "
                                                                         "wordt niet opgeteld (soort procent of getal)")
                for k, (s, counted) in enumerate(zip(table.totals(), table.totalled(), strict=True))]
        first = table.first_total()
        ambiguous = table.which_total(name)
        values[name] = {"totaal": table.marked(first, table.totalled().index(True)) if ambiguous is None and first is not None
                        else expressions.absent("totaal", ambiguous or ""), "totalen": sums,
                        "totaal_per_kolom": {k: table.marked(v, list(table.columns or [])[1:].index(k))
                                             for k, v in table.column_totals().items()},
                        "titel": table.title or "",
                        "rijen": [[c if isinstance(c, str) else table.marked(c, k - 1) for k, c in enumerate(r)] for r in table.rows]}

    def tabel(name: str) -> str:
        if name not in tables:  # a declared table with errors of its own is reported there
            raise formatting.FormatError(_unknown_table(name, values))
        return richtext.table_marker(name)

    context = {
        "tabellen": values,
        "tabel": tabel,
        "datum": letter.date,
        "onderwerp": letter.subject,
        "nummer": letter.number or _absent("nummer", ' (bijvoorbeeld nummer: "2021/45")'),
        "kenmerk": letter.reference or _absent("kenmerk", ""),
        "zaaknummer": letter.case_number or _absent("zaaknummer", ""),
        "organisatie": {"naam": org.name, "plaatsnaam": org.place} if org is not None else expressions.reported("organisatie"),
        "contactpersonen": _contact_values(letter, broken) or _absent("contactpersonen", " (naam met telefoon of e-mail)", is_list=True),
        "brief": references.cite,
        "vorige": _previous_value(letter, references.previous),
    }
    context.update({unit[0]: expressions.reported(unit[0]) for unit in broken if len(unit) == 1 and unit[0] in context})
    if ("tabellen",) in broken:
        context["tabel"] = expressions.reported("tabel")
    return context


class _Tables(dict[str, Any]):
    """``tabellen`` in an expression: a table the letter does not have fails as ``tabel("x")`` does."""

    def __missing__(self, name: str) -> Any:
        return expressions.unknown(name, _unknown_table(name, self))


def _unknown_table(name: str, known: Iterable[str]) -> str:
    return f"tabel '{name}' bestaat niet; bekend: {', '.join(sorted(known)) or 'geen'}" + did_you_mean(name, known)


def _absent(key: str, how: str, *, is_list: bool = False) -> Any:
    """An optional value the letter lacks: printing it is an error saying which key to add, never empty text;
    a list (``is_list``) is empty to a loop and to ``| length``."""
    return expressions.absent(key, f"{{{{ {key} }}}} is leeg: deze brief heeft geen '{key}:'; voeg '{key}:' toe{how}, "
                                   f"of haal {{{{ {key} }}}} weg", is_list=is_list)


def _previous_value(letter: Letter, cited: str) -> Any:
    """``{{ vorige }}``: the citation; a ``vorige:`` that cannot be cited has its own problem (_previous)."""
    if not letter.previous:
        return _absent("vorige", " met de vorige brief van de reeks (pad onder content/ zonder .yaml, "
                                  "bijvoorbeeld hilversum/2021/inkoop-wmo-jeugd)")
    return cited or expressions.reported("vorige")


def _contact_values(letter: Letter, broken: Broken = frozenset()) -> list[dict[str, Any]]:
    """The contacts for ``{{ … }}``; a phone number with a problem of its own (reported at the contact,
    _contacts) and a broken value (``broken``, left out or stood in for) stand in as reported, so that a text
    using it gives no second problem; a key the contact lacks is absent (an error where a text prints it,
    not the text "None")."""
    values = []
    for i, person in enumerate(letter.contacts):
        value = {key: expressions.reported(key) if touches(broken, ("contactpersonen", i, key)) else
                 expressions.absent(key, f"contactpersoon {person.name} heeft geen '{key}:'; voeg '{key}:' toe bij "
                                         "die contactpersoon, of haal de expressie weg") if item is None else item
                 for key, item in person.model_dump(by_alias=True).items()}
        if person.phone:
            try:
                formatting.telefoon(person.phone)
            except formatting.FormatError:
                value["telefoon"] = expressions.reported("telefoon")
        values.append(value)
    return values


def _sections(letter: Letter, org: Organisation | None, tables: dict[str, TableView | None], references: _References, out: Collector,
              broken: frozenset[tuple[Any, ...]] = frozenset()):
    env = _section_environment()
    context = expression_context(letter, org, tables, references, broken)
    heading_context = dict(context, brief=references.cite_plain,
                           vorige=context["vorige"] if ("vorige",) in broken else _previous_value(letter, references.previous_plain))
    sections = []
    for i, section in enumerate(letter.sections):
        if ("secties", i) in broken:
            continue
        text = _expand(env, section.text, context, ("secties", i, "tekst"), out)
        heading = _expand(env, section.heading, heading_context, ("secties", i, "kop"), out) if section.heading else None
        if heading is not None and richtext.stray_marker(heading):
            out.at_text(("secties", i, "kop"), 1, TABLE_PLACE, "tabel")
            heading = None
        for flaw in richtext.heading_flaws(heading or ""):
            out.at_word(("secties", i, "kop"), flaw.line, flaw.col, flaw.needle, flaw.message, Severity.WARNING)
        if text is None:
            for flaw in richtext.unexpanded_flaws(section.text):  # reported with the expression's problem
                out.at_word(("secties", i, "tekst"), flaw.line, flaw.col, flaw.needle, flaw.message, _severity(flaw))
            continue
        flaws: list[richtext.Flaw] = []
        blocks = tuple(richtext.parse(text, flaws))
        for flaw in flaws:
            out.at_word(("secties", i, "tekst"), flaw.line, flaw.col, flaw.needle, flaw.message, _severity(flaw))
        for name in richtext.misplaced_tables(blocks):
            out.at_text(("secties", i, "tekst"), _line_of_table(section.text, name), TABLE_PLACE, "tabel")
        for block in blocks:
            if isinstance(block, richtext.TableRef) and block.name not in tables:
                out.at(("secties", i, "tekst"), f"tabel '{block.name}' bestaat niet")
        sections.append(SectionView(heading, blocks))
    return tuple(sections)


def _severity(flaw: richtext.Flaw) -> Severity:
    return Severity.WARNING if flaw.warning else Severity.ERROR


def _all_failures(env, text: str, context: dict[str, Any], loc: tuple[Any, ...], out: Collector,
                  failure: expressions.Failure) -> None:
    """Every failing expression of the text, ``failure`` (the first) among them, each at its own ``{{ … }}``.

    Without a ``{% … %}`` statement or ``{# … #}`` comment each ``{{ … }}`` stands alone, so each
    is rendered alone, and every one that fails is reported at its line and column (a failure without a
    name to look for, such as a division by zero, at its ``{{``), also two with the same message on one line.
    Together these renders get MAX_RENDERS_AFTER_FAILURE renders and expressions.SEARCH_SECONDS at most
    (expressions.searching), so a text with many failing expressions cannot multiply the time limit, and one stopped
    at the limit ends close to it. A render stopped by that shared time ends the search: it says nothing of its own
    expression, unless it is the failure already found (the expression that ran out of time, at its own tag).
    """
    with expressions.searching():
        if "{%" in text or "{#" in text:
            _failures_in_turn(env, text, context, loc, out, failure)
            return
        lines = set()
        for tag in _within_budget(_PRINT_TAG.finditer(text)):
            try:
                expressions.render(env, tag.group(), context)
            except expressions.Failure as alone:
                line = text.count("\n", 0, tag.start()) + alone.line
                out_of_time = alone.message == expressions.TOO_SLOW
                if out_of_time and (line, alone.message) != (failure.line, failure.message):
                    break
                lines.add(line)
                _report(out, loc, alone, line, tag, text)
                if out_of_time:
                    break
    if failure.line not in lines:  # it fails only in the whole text (its output limit)
        _report(out, loc, failure, failure.line, _failed_tag(text, failure), text)


def _report(out: Collector, loc: tuple[Any, ...], failure: expressions.Failure, line: int,
            tag: re.Match[str] | None, text: str) -> None:
    """``failure`` (unless reported already) at line ``line`` of the text, at its ``tag`` in ``text`` when what
    it is looked for by is in that tag (a failure in a statement is at the first place of its name)."""
    if not failure.reported:
        needle = _needle(failure, tag)
        placed = tag is not None and needle is not None and needle in tag.group()
        out.at_text(loc, line, failure.message, needle, cause=failure.cause, before=text[:tag.start()] if placed and tag else "")


def _needle(failure: expressions.Failure, tag: re.Match[str] | None) -> str | None:
    """What to look for in the source to place ``failure``: its name, else the first line of its ``{{ … }}``."""
    return failure.needle or (tag.group().split("\n")[0] if tag else None)


_PRINT_TAG = re.compile(r"\{\{.*?\}\}", re.DOTALL)
T = TypeVar("T")
MAX_RENDERS_AFTER_FAILURE = 50  # renders of one text to find its other failing expressions


def _within_budget(items: Iterable[T]) -> Iterator[T]:
    """``items`` while the renders that look for a text's other failures stay within their shared budget:
    MAX_RENDERS_AFTER_FAILURE of them, and the CPU time of expressions.searching together."""
    for n, item in enumerate(items):
        if n >= MAX_RENDERS_AFTER_FAILURE or not expressions.searching_time_left():
            return
        yield item


def _failures_in_turn(env, text: str, context: dict[str, Any], loc: tuple[Any, ...], out: Collector,
                      failure: expressions.Failure) -> None:
    """With statements, an expression can depend on a loop or a ``{% set %}``, so it cannot be rendered alone:
    the whole text is rendered again with the ``{{ … }}`` that failed blanked out (its lines kept), for as
    long as a failure is in a ``{{ … }}``; each new one is reported at its line."""
    original = text  # blanked tags keep their length: a place in text is the same place in original
    tag = _failed_tag(text, failure)
    _report(out, loc, failure, failure.line, tag, original)
    seen = {(failure.line, failure.message)}
    for _ in _within_budget(range(text.count("{{"))):
        if tag is None:
            return
        text = text[:tag.start()] + re.sub(r"[^\n]", " ", tag.group()) + text[tag.end():]
        try:
            expressions.render(env, text, context)
            return
        except expressions.Failure as again:
            if again.message == expressions.TOO_SLOW:  # the shared time of the search is up (see _all_failures)
                return
            failure = again
        tag = _failed_tag(text, failure)
        if (tag is None or failure.syntax) and (failure.line, failure.message) in seen:  # the same failure, not in that tag
            return
        seen.add((failure.line, failure.message))
        _report(out, loc, failure, failure.line, tag, original)


def _failed_tag(text: str, failure: expressions.Failure) -> re.Match[str] | None:
    """The ``{{ … }}`` on the failure's line, the one with the failure's name in it if there are several."""
    on_line = [tag for tag in _PRINT_TAG.finditer(text)
               if text.count("\n", 0, tag.start()) + 1 <= failure.line <= text.count("\n", 0, tag.end()) + 1]
    named = [tag for tag in on_line if failure.needle and failure.needle in tag.group()]
    return next(iter(named or on_line), None)


TABLE_PLACE = "tabel() moet op een eigen regel staan, met een lege regel ervoor en erna (niet in een zin, kop of lijst)"


def _line_of_table(text: str, name: str) -> int:
    """The line of the text where ``tabel(…)`` for ``name`` is written (the first ``tabel(`` otherwise)."""
    lines = text.split("\n")
    calls = [n for n, line in enumerate(lines, 1) if "tabel(" in line]
    return next((n for n in calls if name in lines[n - 1]), calls[0] if calls else 1)


@functools.cache
def _section_environment():
    """One per process, so that a text many letters share is compiled once.

    Without autoescaping: its output goes into Word runs, which escape XML themselves.
    """
    return expressions.sandbox(autoescape=False, cache=True, letter_text=True)


def _expand(env, text: str, context: dict[str, Any], loc: tuple[Any, ...], out: Collector) -> str | None:
    for flaw in jinjatags.stray(text, context):
        out.at_word(loc, *flaw.line_col(text), flaw.needle, flaw.message, Severity.WARNING if flaw.warning else Severity.ERROR)
    if "{{" not in text and "{%" not in text:
        return text
    try:
        result = expressions.render(env, text, context)
    except expressions.Failure as failure:
        if failure.col is not None:  # a tag written wrong, placed by jinjatags: Jinja says nothing after it
            out.at_word(loc, failure.line, failure.col, failure.needle or "", failure.message)
        else:
            _all_failures(env, text, context, loc, out, failure)
        return None
    forbidden = forbidden_character(result)
    bad = FORBIDDEN.search(result)
    if forbidden and bad:
        out.at_text(loc, result.count("\n", 0, bad.start()) + 1, f"een expressie maakt een teken dat niet in een brief kan: {forbidden}", "{{")
        return None
    return result
