"""Consistency checks on one letter: what is valid YAML but still wrong in a letter to the council."""

from __future__ import annotations

import datetime as dt
import re

from briefgen import formatting, kinds, prose, typednumbers
from briefgen.locate import Collector
from briefgen.model import Letter, Organisation
from briefgen.model.base import Broken, touches
from briefgen.problems import Severity

# The onderwerp cell of every house style is about 7000 twips wide (12 cm): some 60 characters a line, and the
# cell wraps. A 100-character subject fits on two lines; three lines (180) is where a subject stops being one.
MAX_SUBJECT = 180
PLACEHOLDERS = {"onderwerp": "Nieuw onderwerp"}
"""What ``briefgen new`` writes for a value the user did not give and must replace (``check`` stops at it)."""
_PLACED = re.compile(r"""tabel\(\s*["']([^"']+)["']\s*\)""")
_NUMBER_WORD = re.compile(r"(?<![\w.,])((?>\d{1,3}(?:\.\d{3}){1,10}|\d{1,30}))\s+([a-zà-ÿ]{4,})")  # capped, as typednumbers


def letter(letter: Letter, org: Organisation, out: Collector, today: dt.date | None = None,
           dated: bool = True, broken: Broken = frozenset(), previous: Letter | None = None,
           closing_shown: bool = True) -> None:
    """``dated``: the letter's date is its own (not broken); ``broken``: the places of values whose own errors
    were reported (validate.validate_partial), left out or stood in for here: what needs them is not checked;
    ``previous``: the previous letter of its series; ``closing_shown``: its house style shows a closing formula."""
    _sections(letter, out, broken)
    _contacts(letter, out, broken)
    if dated:
        _date(letter, out, today or formatting.today())
        _portfolio(letter, org, out)
    _subject(letter, out, previous)
    typednumbers.check(letter, out, _numbers_against_tables(letter, out), letter.date.year if dated else None)
    if closing_shown and not touches(broken, ("slot",)):
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


def _numbers_against_tables(letter: Letter, out: Collector) -> set[tuple[int, int]]:
    """A literal count in the text that names what a placed table counts, but differs from its total.

    Not a count that is one of the table's values, nor one in a sentence that names one of its rows ("In Noord
    32 aanmeldingen"): that is a row's value, which typednumbers compares with its row.
    Returns where each one was reported: (section, offset in its text)."""
    reported: set[tuple[int, int]] = set()
    for i, section in enumerate(letter.sections):
        for name in _PLACED.findall(section.text):
            table = letter.tables.get(name)
            if table is None or table.column_kinds() != ["aantal"]:
                continue
            words = {w.lower() for text in (*(table.columns or ()), table.title or "") for w in re.findall(r"\w{4,}", text)}
            total = table.totals()[0] if all(isinstance(c, int) for r in table.rows for c in r[1:]) else None
            if total is None:
                continue
            cells = {cell for row in table.rows for cell in row[1:]}
            labels = [re.compile(rf"(?<!\w){re.escape(str(row[0]).strip())}(?!\w)", re.IGNORECASE)
                      for row in table.rows if str(row[0]).strip()]
            plain = prose.masked(section.text)
            for match in _NUMBER_WORD.finditer(plain):
                number = int(match.group(1).replace(".", ""))
                if match.group(2) not in words or number == total or number in cells:
                    continue
                around = typednumbers.sentence(plain, match.start(), match.end())
                if not any(label.search(around) for label in labels):
                    reported.add((i, match.start()))
                    line_start = section.text.rfind("\n", 0, match.start()) + 1
                    out.at_word(
                        ("secties", i, "tekst"),
                        section.text.count("\n", 0, match.start()) + 1,
                        match.start() - line_start + 1,
                        match.group(),
                        f"'{match.group()}' in de tekst wijkt af van het totaal van tabel '{name}' ({total}); "
                        f"schrijf {{{{ tabellen.{name}.totaal }}}} zodat tekst en tabel gelijk blijven",
                    )
    return reported
