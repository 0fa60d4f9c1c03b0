"""Consistency checks on one letter: what is valid YAML but still wrong in a letter to the council."""

from __future__ import annotations

import datetime as dt

from briefgen import formatting, kinds, typednumbers
from briefgen.locate import Collector
from briefgen.model import Letter, Organisation
from briefgen.model.base import Broken, touches
from briefgen.problems import Severity

# The onderwerp cell of every house style is about 7000 twips wide (12 cm): some 60 characters a line, and the
# cell wraps. A 100-character subject fits on two lines; three lines (180) is where a subject stops being one.
MAX_SUBJECT = 180
PLACEHOLDERS = {"onderwerp": "Nieuw onderwerp"}
"""What ``briefgen new`` writes for a value the user did not give and must replace (``check`` stops at it)."""


def letter(letter: Letter, org: Organisation, out: Collector, today: dt.date | None = None,
           dated: bool = True, broken: Broken = frozenset(), previous: Letter | None = None,
           signature_shown: bool = True) -> None:
    """``dated``: the letter's date is its own (not broken); ``broken``: the places of values whose own errors
    were reported (validate.validate_partial), left out or stood in for here: what needs them is not checked;
    ``previous``: the previous letter of its series; ``signature_shown``: its house style shows a closing formula
    and the signers under it (a signature typed into the template as fixed text is no letter without signers)."""
    _sections(letter, out, broken)
    _contacts(letter, out, broken)
    if dated:
        _date(letter, out, today or formatting.today())
        _portfolio(letter, org, out)
    _subject(letter, out, previous)
    typednumbers.check(letter, out, letter.date.year if dated else None)
    if signature_shown and not touches(broken, ("slot",)):
        _unsigned(letter, out)


def _sections(letter: Letter, out: Collector, broken: Broken = frozenset()) -> None:
    for i, section in enumerate(letter.sections):
        if not touches(broken, ("secties", i, "tekst")) and not section.text.strip():
            where = ("secties", i, "tekst") if "tekst" in out.loaded.data["secties"][i] else ("secties", i)
            named = f" '{section.heading}'" if section.heading else ""
            out.at(where, f"lege sectie{named}: schrijf de tekst of laat de sectie weg")


def _contacts(letter: Letter, out: Collector, broken: Broken = frozenset()) -> None:
    for i, person in enumerate(letter.contacts):
        needed = ("naam", "telefoon", "email")  # a broken one is left out: it is there, but not as written
        if person.phone or person.email or any(touches(broken, ("contactpersonen", i, key)) for key in needed):
            continue
        if letter.imported_from:  # the old letter named the contact alone: a fact of that letter, not a mistake
            out.at(("contactpersonen", i), f"contactpersoon {person.name} heeft geen telefoon en geen e-mail; de brief is "
                                           f"geïmporteerd uit {letter.imported_from}, dus dat mag als de oude brief ze ook niet "
                                           "had: vul 'telefoon:' of 'email:' in als u die weet, anders toont de brief alleen de naam", value=False, severity=Severity.WARNING)
        else:
            out.at(("contactpersonen", i), f"contactpersoon {person.name} heeft geen telefoon en geen e-mail: vul 'telefoon:' "
                                           "of 'email:' in", value=False)


def _date(letter: Letter, out: Collector, today: dt.date) -> None:
    if letter.date > today:
        out.at(("datum",), f"de datum {formatting.datum(letter.date)} ligt in de toekomst", severity=Severity.WARNING)


def _subject(letter: Letter, out: Collector, previous: Letter | None) -> None:
    if " ".join(letter.subject.split()).casefold() == PLACEHOLDERS["onderwerp"].casefold():
        out.at(("onderwerp",), f"het onderwerp is nog '{PLACEHOLDERS['onderwerp']}', dat briefgen new invulde: "
                               "vul het echte onderwerp in")
    if previous is not None and " ".join(previous.subject.split()).casefold() == " ".join(letter.subject.split()).casefold():
        out.at(("onderwerp",), f"het onderwerp is gelijk aan dat van de vorige brief ({letter.previous}): "
                               "geef deze brief een eigen onderwerp (bijvoorbeeld het volgende volgnummer)",
               severity=Severity.WARNING)
    if len(letter.subject) > MAX_SUBJECT:
        out.at(("onderwerp",), f"het onderwerp is {len(letter.subject)} tekens; meer dan {MAX_SUBJECT} (drie regels) is te lang "
                               "voor de onderwerpregel: maak het korter",
               severity=Severity.WARNING)


def _portfolio(letter: Letter, org: Organisation, out: Collector) -> None:
    if not letter.portfolio or not letter.portfolio_holder:
        return
    holders = [m for m in org.college if m.name == letter.portfolio_holder and m.in_office(letter.date)]
    if holders and not any(letter.portfolio.lower() in (p.lower() for p in m.portfolios) for m in holders):
        held = formatting.opsomming(holders[0].portfolios) or "geen"
        out.at(("portefeuille",), f"{letter.portfolio_holder} heeft de portefeuille '{letter.portfolio}' niet (wel: {held})")


def _unsigned(letter: Letter, out: Collector) -> None:
    """A closing formula with nobody under it: the letter's own (an import whose signature was lost) or its
    kind's default ("Hoogachtend,") in a letter that names no signers. Said unless ``ondertekening`` is
    given, if only as ``[]`` for a letter that is meant to go unsigned; at ``slot``, or line 1 without it."""
    if kinds.closing_formula(letter.kind, letter.closing).strip() and not letter.signers and "ondertekening" not in out.loaded.data:
        out.at(("slot",), "niemand ondertekent deze brief: hij wordt gebouwd met alleen de slotformule; vul 'ondertekening:' "
               "in (bijvoorbeeld 'ondertekening: college'), of 'ondertekening: []' als dat zo bedoeld is",
               severity=Severity.WARNING)
