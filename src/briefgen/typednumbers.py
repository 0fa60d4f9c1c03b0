"""Numbers typed in a letter's text that state a table's total or one of its rows, and differ from the table.

The one rule for "typed numbers against tables" (checks.py only calls it). "Het aantal aanmeldingen is gestegen
tot 412" beside a table that adds up to 421; "in Noord 32 aanmeldingen" where the row Noord has 23. Each is
reported at the number with the expression to write instead, whichever section of the letter it stands in: the
letter's tables are one set, placed or not.

A false alarm costs more than a miss: a griffie who gets warnings for correct text stops reading them, and an
error keeps the letter from being built. So a number is compared only where the sentence plainly states a
current total (after words that announce one, or followed by what a table counts and near its total) or a row's
value (next to the row's label, a label of one table only), and never when it is a year, a date, a percentage
or other unit, a numbering (``artikel 12``), a phone number, hedged (``ruim``, ``ca.``), quoted, in a clause
about another time (``was``, ``vorig jaar``, ``zal``) or a sentence about another period (``in 2024``, ``in het
eerste kwartaal``; not ``sinds januari`` or the letter's own year), equal to any cell or total of the letter's
tables, or a part of the count (``_restricted``: ``waarvan``, ``van de 412 …``, ``via het loket``, ``zijn er 400
afgehandeld``, ``de wachtlijst voor aanmeldingen``, ``40 aanmeldingen voor dagbesteding``). Every candidate passes
these same rules.

Severity: an error only when the claim is certain and the sentence is that claim alone (``_only_the_claim``): a
strong total phrase (``in totaal``, ``een totaal van``, ``totaal:``, ``412 in totaal``, ``het totaal aantal … is``)
that names, as a whole word, what exactly one table of the letter counts (its title's first word or its counted
heading's last: not "zorgaanbieders" for "Cliënten zorg", nor "openbare" for "Meldingen openbare ruimte"), or
``het totaal is 412`` beside the letter's one table of its kind with no other subject in the sentence before it;
and no word in the sentence but the claim's own, the table's and a participle of the whole count ("In totaal zijn
er 412 aanmeldingen.", "De kosten bedragen in totaal € 380.000."; not "In de regio …", "… aanmeldingen compleet",
"De begrote kosten …", an unknown participle). Any total, certain or not, is compared only within a tenth of the
table's total (far off it is a part, another place or time: "er wachten in totaal 40 aanmeldingen op een besluit").
A warning for the rest (a weak phrase such as ``gestegen tot``, a count followed by the table's word, a strong
phrase that names no table or says more than the total, a row's value; none when the word after the number only
resembles the table's). Every pattern here reads a bounded
stretch around a number, so a check is linear in the text.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from briefgen import prose
from briefgen.locate import Collector
from briefgen.model import Letter
from briefgen.model.tables import NUMBERING_WORDS, Table, counted_by
from briefgen.problems import Severity

# A number as written in Dutch prose, with an optional euro sign before it and cents after it. Linear on any
# text: the number is capped (30 digits) and atomic, so a long run of digits before a '%' is not backtracked
# into (it was quadratic: 60 000 digits took 20 s); a number that goes on in digits (1-1-2021, 12.30, 06-123)
# or is a percentage is none.
_NUMBER = (r"(?P<euro>€[ \u00a0]?)?(?P<number>(?>\d{1,3}(?:\.\d{3}){1,10}|\d{1,30}))(?P<cents>,(?:\d{1,2}|-))?"
           r"(?![\w.,/-]*?\d|\s*%)")
_WORD_AFTER = r"(?:\s*\([^()\n]{0,200}\))?\**\s*(?P<word>[a-zà-ÿ]{0,40})"

# Words before a number that say it is the total now. Strong: "in totaal", "een totaal van", "totaal:",
# "opgeteld", "het totaal (aantal aanmeldingen) is" (``definite``: the total, of the only table of its kind when
# it names none); weak (a change or a state, said of totals and of anything else): "gestegen tot", "staat op",
# "komt uit op", "is nu". A weak one is compared only with a total it is close to.
_STRONG = (r"in\s+(?:het\s+)?totaal(?:\s+(?:zijn|is|staan)\s+er|\s+gaat\s+het\s+om|\s+om)?|totaal\s+(?:van|aan)|"
           r"totaal\s*:|opgeteld|alles\s+bij\s+elkaar|bij\s+elkaar\s+opgeteld|"
           r"(?P<definite>het\s+totaal(?P<what>\s+aantal(?:\s+[a-zà-ÿ]{1,40}){1,3}?)?\s+(?:is|bedraagt|komt\s+(?:uit\s+)?op)"
           r"(?:\s+(?:nu|inmiddels|momenteel))?)")
_WEAK = (r"(?:gestegen|gedaald|toegenomen|afgenomen|gegroeid|opgelopen|teruggelopen)\s+(?:van\s+(?:€\s?)?[\d.,]{1,40}(?:,-)?\s+)?(?:naar|tot)|"
         r"(?:staat|staan)\s+(?:nu\s+|inmiddels\s+|momenteel\s+)?op|(?:komt|komen)\s+(?:nu\s+|daarmee\s+)?uit\s+op|"
         r"(?:is|zijn)\s+(?:er\s+)?(?:nu|inmiddels|momenteel)")
_TOTAL_IN_TEXT = re.compile(rf"\b(?:(?P<strong>{_STRONG})|(?P<weak>{_WEAK}))\s+{_NUMBER}{_WORD_AFTER}", re.IGNORECASE)
# The number before the words: "412 in totaal", "412 aanmeldingen in totaal".
_TOTAL_AFTER = re.compile(rf"(?<![\w.,€/-]){_NUMBER}(?:\**\s+(?P<word>[a-zà-ÿ]{{1,40}}))?\s+in\s+(?:het\s+)?totaal\b",
                          re.IGNORECASE)
# Any number, for a row's label beside it; after it, what leads to a label: "32 (aanmeldingen) in (de) Noord".
_ANY_NUMBER = re.compile(rf"(?<![\w.,€/-]){_NUMBER}")
_ROW_AFTER = re.compile(r"(?:\**[ \t]+[a-zà-ÿ]{1,40})?\**[ \t\n]+(?:in|bij|voor|uit|van|via)[ \t\n]+(?:(?:de|het|een)[ \t\n]+)?",
                        re.IGNORECASE)
_WORD = re.compile(r"\**[ \t\n]+([a-zà-ÿ]{1,40})", re.IGNORECASE)

# The first look, on the text as written (most texts state no total and name no row, and need no Markdown
# parse): each run of digits, and the word before it, and only then a pattern on a short stretch.
_DIGITS = re.compile(r"\d+")
_LEAD_END = re.compile(rf"\b(?:{_STRONG}|{_WEAK})[\s*_\\\[]+(?:€[ \u00a0]?)?$", re.IGNORECASE)
_LEAD_LAST = frozenset({"totaal", "opgeteld", "elkaar", "er", "om", "van", "aan", "tot", "naar", "op", "nu", "inmiddels",
                        "momenteel", "is", "bedraagt"})  # the last word of each lead
_IN_TOTAL = re.compile(r"[\s*_\\\]]*(?:[a-zà-ÿ]{1,40}[\s*_\\\]]+)?in\s+(?:het\s+)?totaal\b", re.IGNORECASE)
_MARKUP = str.maketrans("*_[]\\€", "      ")

# Words after a number that say it is no count of things: "in totaal 12 procent", "staat op 1 juli".
_NOT_COUNTS = frozenset({
    "procent", "uur", "uren", "minuten", "dag", "dagen", "week", "weken", "maand", "maanden", "jaar", "jaren", "keer",
    "maal", "duizend", "miljoen", "miljard", "kilometer", "km", "meter", "vierkante", "kubieke", "liter", "kilo", "ton",
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november",
    "december", "jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec", "pct", "promille",
    "mln", "mld", "mrd", "dzd",
})
# Words just after a number that make it a difference or (for a count) a rate, no value of a table:
# "5 aanmeldingen meer", "32 per week"; an amount "per maand" is how a table of costs is often meant.
_CHANGES = frozenset({"meer", "minder", "extra", "erbij", "eraf", "bij", "hoger", "lager", "groter", "kleiner", "gemiddeld",
                      "verschil"})
# Words in the clause before a number that put it at another time or make it no fact: "was 380", "vorig jaar",
# "zal stijgen tot", "naar verwachting", "zou", "maximaal".
_NOT_NOW = re.compile(
    r"\b(?:was|waren|vorig\w*|eerder\w*|destijds|toen|voorheen|oorspronkelijk|zou|zouden|zal|zullen|verwacht\w*|"
    r"raming|geraamd|prognose|begroot|begroting|streef\w*|doel\w*|moet|moeten|kan|kunnen|maximaal|minimaal)\b",
    re.IGNORECASE)
# A period named in a sentence, other than now: a year, a month, a quarter, a date. Before the number anywhere in
# its sentence ("In 2024 is …", "Tussen 2020 en 2024 …"), after it only after a word of time ("… tot 400 in 2024",
# "tot 412 op 1 september"; "€ 1.205.000 voor 2017" is the period the table is about).
_PERIODS = (r"(?<![\w.,/€\u00a0-])(?<!€ )(?:1[89]\d\d|20\d\d)(?![\w.,/-]*\d)|\d{1,2}-\d{1,2}-\d{2,4}\b|"
            r"\b(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
            r"(?<!dit\s)(?<!huidige\s)kwartaal|kwartalen|halfjaar|q[1-4])\b")
_PERIOD = re.compile(_PERIODS, re.IGNORECASE)
# A period from which the count runs up to now: "sinds januari", "vanaf 1 maart 2025", "sinds begin 2025".
_SINCE = re.compile(r"\b(?:sinds|vanaf)\s+(?:(?:het|de|begin|medio|eind)\s+)?(?:\d{1,2}\s+)?(?:[a-z]{1,12}\s+)?(?:\d{1,2}\s+)?$",
                    re.IGNORECASE)
_PERIOD_AFTER = re.compile(rf"\b(?:in|op|per|tot|na|t/m)\s+(?:(?:het|de)\s+)?(?:[a-z]{{1,12}}\s+)?"
                           rf"(?:\d{{1,2}}\s+)?(?P<period>{_PERIODS})", re.IGNORECASE)
# A part of a count: "waarvan 23" (before it: after it, "412 …, waarvan 23" is the whole), "de overige 21", "de
# rest"; for a total also "Van de 421 aanmeldingen zijn er 400".
_PART_OF = re.compile(r"\b(?:waarvan|hiervan|daarvan)\b", re.IGNORECASE)
_REST = re.compile(r"\b(?:overige|overigen|rest)\b", re.IGNORECASE)
_PARTITIVE = re.compile(r"(?:^|[,;:(])\s*\**van\s+(?:de|deze|die|het)\b", re.IGNORECASE)
# A participle that ends the clause after a count names a part of it by its state: "zijn er 400 afgehandeld",
# "… verwerkt"; it needs an auxiliary in the sentence ("zijn", "is", "werden", "heeft"). Only these: others
# ("binnengekomen", "ontvangen") say how the whole count came in.
_RESTRICTING_PARTICIPLES = frozenset({
    "afgehandeld", "behandeld", "verwerkt", "goedgekeurd", "toegekend", "toegewezen", "afgewezen", "geweigerd",
    "beoordeeld", "ingetrokken", "geannuleerd", "geplaatst", "uitgevoerd", "betaald", "uitbetaald", "afgerond",
    "afgesloten", "gehonoreerd", "geaccepteerd", "doorverwezen", "opgelost",
})
# Participles that say how the whole count came in ("in totaal 412 aanmeldingen ontvangen"); any other participle
# ending the clause after a count may name a part of it ("… gekeurd"), so a total before it is no certain claim.
_WHOLE_PARTICIPLES = frozenset({
    "binnengekomen", "ingekomen", "ontvangen", "ingediend", "gedaan", "geregistreerd", "gemeld", "aangemeld",
    "ingeschreven", "geteld", "genoteerd", "aangevraagd", "opgeleverd", "gerealiseerd",
})
_PARTICIPLE = re.compile(r"(?:(?:af|aan|in|op|uit|binnen|door|toe|mee|terug|over|vast|weg|bij|na|voor|om|samen|goed)?ge"
                         r"|be|ver|ont|her)[a-zà-ÿ]{2,}(?:d|t|en)")
_AUXILIARY = re.compile(r"\b(?:zijn|is|werd|werden|wordt|worden|heeft|hebben|hebt)\b", re.IGNORECASE)
_NOT_BEFORE_PARTICIPLE = frozenset({"de", "het", "een", "in", "op", "bij", "van", "voor", "uit", "aan", "met", "over",
                                    "naar", "tot", "om", "onze", "uw", "hun", "zijn", "haar", "dit", "deze", "dat", "die"})
# Prepositions after the counted word that restrict what is counted: "aanmeldingen via het loket", "12 meldingen
# over zwerfvuil"; "voor" and "van" only between that word and the number ("aanmeldingen voor dagbesteding"), since
# after it they name a period or a comparison ("€ 1.205.000 voor 2017", "ten opzichte van").
_QUALIFIERS = frozenset({"via", "over", "bij", "met", "zonder", "door", "buiten", "vanuit", "onder", "behalve"})
_QUALIFIERS_BEFORE = _QUALIFIERS | {"voor", "van"}
# After the counted word, "voor", "van" and "uit" restrict it too ("40 aanmeldingen voor dagbesteding"), unless
# what follows is the table's own words, a row's label, the rows' kind or all of them ("uit alle wijken").
_QUALIFIERS_AFTER_WORD = _QUALIFIERS | {"voor", "van", "uit"}
_ALL = frozenset({"alle", "al", "beide", "elke", "iedere", "ieder", "heel", "hele", "gehele"})
# Nouns that are the count itself: "het aantal aanmeldingen", "de teller van de aanmeldingen"; another noun before
# "voor", "van", … and the counted word makes the count another's: "de wachtlijst voor aanmeldingen".
_COUNT_NOUNS = frozenset({"aantal", "aantallen", "teller", "totaal", "stand", "som", "hoeveelheid", "telling"})
_DETERMINERS = frozenset({"de", "het", "een", "deze", "dit", "die", "dat", "onze", "uw", "hun", "aantal"})
_CLAUSE_END = re.compile(r"[.;:!?()\n,]|\b(?:en|maar|terwijl|tegenover|dan)\b", re.IGNORECASE)
# A word right before the number that makes it an estimate or a bound: "ruim 400", "ca. € 91.000".
_HEDGES = frozenset({
    "ca", "circa", "ongeveer", "ruim", "bijna", "zo'n", "rond", "rondom", "afgerond", "maximaal", "minimaal", "hooguit",
    "hoogstens", "minstens", "tenminste", "nog", "slechts", "pakweg", "dan", "tot", "van", "vanaf", "boven", "onder",
})
_ROW_WORDS = frozenset({"in", "bij", "voor", "uit", "van", "via"})  # "32 in Noord", "in Noord 32"
_ARTICLES = frozenset({"de", "het", "een"})
# Words between a row's label and its number, in one clause: "in Noord zijn er 32", "Noord had 32"; at most
# _MOST_FILLERS of them.
_FILLERS = frozenset({"zijn", "is", "er", "staan", "gaat", "ging", "het", "om", "was", "waren", "had", "hadden", "heeft",
                      "hebben", "telt", "telde", "telden", "kwam", "kwamen", "komt", "komen", "staat", "stond", "stonden",
                      "nu", "inmiddels", "momenteel"})
_MOST_FILLERS = 3
# The words of a sentence that is a total claim and nothing else (``_only_the_claim``), besides the table's own:
# "In totaal zijn er 412 aanmeldingen.", "Het totaal aantal aanmeldingen is 412.", "Aanmeldingen, totaal: 412.",
# "De kosten bedragen in totaal € 380.000.", "Daarmee zijn er in totaal 412 aanmeldingen, waarvan 23 in Noord."
_CLAIM_WORDS = frozenset({
    "in", "het", "de", "een", "totaal", "aantal", "er", "zijn", "is", "bedraagt", "bedragen", "komt", "komen", "uit",
    "op", "van", "om", "gaat", "nu", "inmiddels", "momenteel", "thans", "daarmee", "hiermee", "dus", "wij", "we",
    "ontvingen", "kwamen", "kwam", "binnen", "opgeteld", "alles", "bij", "elkaar", "waarvan", "daarvan", "hiervan", "en",
    "alle", "hele", "gehele", "gebied", "gemeente", "gemeenten", "voor",
})
_ROW_COUNTS = ("", "", "beide", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien")  # all the rows
_PAST = re.compile(r"\b(?:was|waren|had|hadden|telde|telden|kwam|kwamen|stond|stonden)\b", re.IGNORECASE)
_NOW = re.compile(r"\b(?:nu|inmiddels|momenteel|thans)\b", re.IGNORECASE)
_SENTENCE_END = (".", "!", "?", ":", ";")
_PER = re.compile(r"\b(?:per|naar|volgens)\s+[^\W\d_]+", re.IGNORECASE)  # "per wijk", "naar gemeente"
_PUNCTUATION = ",.;:!?()\"'“”‘’"
_LONGEST_LABEL = 6  # words; a longer row label is not looked for in the text
_REACH = 160  # characters before a number read for its clause and its sentence
_LEAD_REACH = 80  # characters before a number that hold its lead ("gestegen van € 1.250.000,- tot", spaces)


@dataclass(frozen=True)
class _Row:
    table: str
    index: int
    label: str


def check(letter: Letter, out: Collector, year: int | None) -> None:
    """Report typed totals and row values that differ from the tables (an error when certain, else a warning);
    ``year``: the letter's, or None when its date is not its own (a period in that year is now: "in 2021" in a
    letter of 2021)."""
    sound = {name: table for name, table in letter.tables.items()
             if table.sound and table.width == 1 and table.totalled() == [True]}
    if not sound:
        return
    tables = _Tables(sound, {name: table for name, table in letter.tables.items() if name not in sound}, _Labels(sound))
    known: set[Decimal] | None = None
    for i, section in enumerate(letter.sections):
        if not section.text or not _worth_a_look(section.text, tables):
            continue
        known = _known_values(letter) if known is None else known
        plain = prose.masked(section.text)
        seen: set[int] = set()
        source = _Source(section.text, plain)
        for finding in _findings(plain, source, tables, known, year):
            if finding.at in seen:
                continue
            seen.add(finding.at)
            line, line_start = source.line_of(finding.at)
            out.at_word(("secties", i, "tekst"), line + 1, finding.at - line_start + 1, finding.typed, finding.message,
                        severity=Severity.ERROR if finding.certain else Severity.WARNING)


@dataclass(frozen=True)
class _Tables:
    """The letter's tables: ``sound`` the ones a typed number is compared with (one totalled column, no flaws of
    their own), ``others`` the rest (which can still make a claim ambiguous), ``labels`` the rows of ``sound``."""

    sound: dict[str, Table]
    others: dict[str, Table]
    labels: _Labels


class _Source:
    """A section's text with where its lines start and what is quoted, found once in linear time: then a
    number's line and whether it is quoted in logarithmic time."""

    def __init__(self, text: str, plain: str):
        lines = text.split("\n")
        self.starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
        self.quotation = {i for i, line in enumerate(lines) if line.lstrip().startswith(">")}  # Markdown's '>'
        self.quotes = _quotes(plain)
        self.quote_starts = [start for start, _ in self.quotes]

    def quoted(self, at: int) -> bool:
        """Whether offset ``at`` is in quotation marks on its line, or in a quotation block (``>``)."""
        if self.line_of(at)[0] in self.quotation:
            return True
        i = bisect.bisect_right(self.quote_starts, at) - 1
        return i >= 0 and at < self.quotes[i][1]

    def line_of(self, at: int) -> tuple[int, int]:
        """The line (from 0) of offset ``at``, and the offset where that line starts."""
        line = bisect.bisect_right(self.starts, at) - 1
        return line, self.starts[line]


@dataclass(frozen=True)
class _Finding:
    at: int
    typed: str
    message: str
    certain: bool = False  # an error, not a warning: see the module's docstring


def _worth_a_look(text: str, tables: _Tables) -> bool:
    """Whether a number in ``text`` may stand after a lead, before "in totaal", beside a row's label or before
    what a table counts."""
    labels = tables.labels
    for digits in _DIGITS.finditer(text):
        start, end = digits.span()
        before = text[max(0, start - _REACH):start]
        words = ([] if start > _REACH else ["."]) + before.translate(_MARKUP).split()  # as _words_before
        last = words[-1].casefold().rsplit(":", 1)[0] if words else ""
        if (last in _LEAD_LAST or words and words[-1].endswith(":")) and _LEAD_END.search(before, len(before) - _LEAD_REACH):
            return True
        if _IN_TOTAL.match(text, end):
            return True
        if labels and (labels.at_end(words) or _label_after(text, end, labels)):
            return True
        if _counted_after(text, end, tables.sound):
            return True
    return False


def _counted_after(text: str, end: int, sound: dict[str, Table]) -> list[str]:
    """The tables that the word after the number ending at ``end`` names as what they count ("412 aanmeldingen")."""
    word = _WORD.match(text, end)
    return [name for name, table in sound.items() if _names(table, word.group(1), "")] if word else []


def _label_after(text: str, end: int, labels: _Labels) -> _Row | None:
    """The row whose label follows the number that ends at ``end``: "32 (aanmeldingen) in (de) Noord"."""
    after = _ROW_AFTER.match(text, end)
    return labels.at_start(text[after.end():after.end() + _REACH].split()[:_LONGEST_LABEL]) if after else None


def _findings(plain: str, source: _Source, tables: _Tables, known: set[Decimal], year: int | None) -> Iterator[_Finding]:
    sound, labels = tables.sound, tables.labels
    stated: set[int] = set()  # the numbers of a total phrase: judged there, whatever the verdict
    for pattern in (_TOTAL_IN_TEXT, _TOTAL_AFTER):
        for match in pattern.finditer(plain):
            stated.add(match.start("number"))
            found = _typed_total(match, plain, source, tables, known, year, weak=bool(match.groupdict().get("weak")))
            if found:
                yield found
    for match in _ANY_NUMBER.finditer(plain):
        found = _typed_row(match, plain, source, sound, labels, known, year) if labels else None
        if found is None and match.start("number") not in stated:
            found = _typed_count(match, plain, source, sound, labels, known, year)
        if found:
            yield found


def _typed_total(match: re.Match[str], plain: str, source: _Source, tables: _Tables,
                 known: set[Decimal], year: int | None, weak: bool) -> _Finding | None:
    """A number after a lead or before "in totaal", near a total: the total of the one table its words name, or
    of the only table of its kind; a row's value when its clause names the row; nothing when the word after it
    only resembles a table's (a prefix, an adjective of the title). Certain after a strong lead whose words name
    one table of the letter, and no other, in a sentence that says nothing else (see the module's docstring)."""
    sound, labels = tables.sound, tables.labels
    number = _Typed.of(match)
    word = (match.group("word") or "").lower()
    definite = match.re is _TOTAL_IN_TEXT and match.group("definite") is not None
    lead_start = match.start() if match.re is _TOTAL_IN_TEXT and not definite else number.start  # "het totaal aantal X is"
    weak = weak or _open_participle(_clause_after(plain, number.end))
    clause = _clause(plain, lead_start)
    named_by_word = any(_names(table, word, "") for table in sound.values())
    if word in _NOT_COUNTS or _difference(plain, number) or not number.plausible(plain, source, known, named_by_word) \
            or _NOT_NOW.search(clause):
        return None
    if (match.re is _TOTAL_AFTER and _hedged(plain, number.start)) or _label_after(plain, number.end, labels):
        return None  # "ruim 400 in totaal"; "in totaal 10 in Noord" is a row's value, for _typed_row
    in_clause = labels.within(clause)
    if in_clause:  # "het aantal aanmeldingen in Noord is gestegen tot 32": a row's value, not the total
        row = in_clause[0]
        if len(in_clause) > 1 or not _names(sound[row.table], word, clause):
            return None
        return None if _restricted(plain, number, sound[row.table], labels, None, row, year) else _row_finding(number, row, sound)
    candidates = [name for name, table in sound.items() if table.column_kinds() == [number.kind]]
    subject = _subject(plain, lead_start)
    loose = [name for name in candidates if _names(sound[name], word, "")]
    by_word = [name for name in loose if _counted_noun(sound[name], [word])]
    if loose and not by_word:
        return None  # "in totaal 230 openbare laadpalen" beside "Meldingen openbare ruimte": another thing
    named = by_word or [name for name in candidates if _names(sound[name], "", subject)]
    if len(named) == 1:
        meant = named[0]
        if not _close(number.value, sound[meant], 10):
            return None  # "er wachten in totaal 40 aanmeldingen op een besluit": a part, another place or time
        certain = not weak and _counted_noun(sound[meant], [word] if by_word else _letters(subject)) and not any(
            # another table of the letter that counts it: which one is meant?
            number.kind in other.column_kinds() and (_names(other, word, "") if by_word else _names(other, "", subject))
            for other in tables.others.values())
    elif len(candidates) == 1 and not named and not weak and _close(number.value, sound[candidates[0]], 10) \
            and not _names(sound[candidates[0]], "", _sentence_after(plain, number.end)) \
            and not (definite and match.group("what")):
        meant = candidates[0]  # "wij ontvingen 412 in totaal"; not "in totaal is er € 380.000 beschikbaar voor de kosten"
        certain = definite and not any(number.kind in other.column_kinds() for other in tables.others.values()) \
            and _no_other_subject(plain, number.start, sound[meant])
        # the words name no table: the only one of its kind is a guess, unless the sentence says "het totaal is"
    else:
        return None
    table = sound[meant]
    if _restricted(plain, number, table, labels, Decimal(table.totals()[0]), None, year):
        return None
    return _total_finding(number, meant, table, certain and _only_the_claim(plain, number, meant, table, labels))


def _typed_count(match: re.Match[str], plain: str, source: _Source, sound: dict[str, Table], labels: _Labels,
                 known: set[Decimal], year: int | None) -> _Finding | None:
    """A number followed by what one table counts, without a lead: "Er zijn 412 aanmeldingen binnengekomen".
    Nothing says it is the whole count, so, as after a weak lead, it is compared only near the total (far from
    it, it is a part: "40 aanmeldingen voor dagbesteding") and never beside a row's label (then it is the row's)."""
    number = _Typed.of(match)
    named = [name for name in _counted_after(plain, match.end(), sound) if sound[name].column_kinds() == [number.kind]]
    if len(named) != 1 or not _close(number.value, sound[named[0]], 10):
        return None
    table = sound[named[0]]
    if _difference(plain, number) or _hedged(plain, number.start) or not number.plausible(plain, source, known, named=True) \
            or _NOT_NOW.search(_clause(plain, number.start)) or labels.within(sentence(plain, number.start, number.end)) \
            or _restricted(plain, number, table, labels, Decimal(table.totals()[0]), None, year):
        return None
    return _total_finding(number, named[0], table, certain=False)


def _total_finding(number: _Typed, name: str, table: Table, certain: bool) -> _Finding | None:
    if "," not in number.typed and _rounded(number.value, Decimal(table.totals()[0])):
        return None  # "in totaal € 2.200.000" for € 2.199.750: rounded as written, not stale
    expression = f"tabellen.{name}.totaal" + number.filter
    other = "; telt het getal iets anders dan de tabel, zeg dan in de zin wat het telt" if certain else ""
    return _Finding(number.start, number.typed,
                    f"'{number.typed}' in de tekst wijkt af van het totaal van tabel '{name}' ({table.shown(table.totals()[0])}); "
                    f"schrijf {{{{ {expression} }}}} zodat tekst en tabel gelijk blijven{other}", certain)


def _rounded(value: Decimal, total: Decimal) -> bool:
    """Whether ``value`` is ``total`` rounded to its own trailing zeros, at least thousands, and within 0.5 % of it:
    a round figure. Not when the rounding step is coarse against the total: "2.000.000" for 2.100.000 (a row added and
    the text not updated) is a stale total, and so is "12.000" for 12.412."""
    if value != value.to_integral_value() or value == 0:
        return False
    whole, zeros = int(value), 0
    while whole % 10 == 0 and zeros < 30:
        whole, zeros = whole // 10, zeros + 1
    step = Decimal(10) ** zeros
    return zeros >= 3 and (total / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step == value \
        and abs(value - total) * 200 <= abs(total)


def _typed_row(match: re.Match[str], plain: str, source: _Source, sound: dict[str, Table], labels: _Labels,
               known: set[Decimal], year: int | None) -> _Finding | None:
    """A number beside a row's label: "32 (aanmeldingen) in Noord", "in Noord (zijn er) 32 (aanmeldingen)"."""
    start, end = match.span()
    before = _words_before(plain, start)
    row = _label_after(plain, end, labels)
    if row and before and before[-1][:1].isupper():
        return None  # "Kerkstraat 12 in Noord", "Groep 8 in Noord": a name's number
    row = row or labels.at_end(before)
    if row is None:
        return None
    number = _Typed.of(match)
    if _difference(plain, number):
        return None
    word = _WORD.match(plain, number.end)
    table = sound[row.table]
    bare = word.group(1).lower() if word else ""
    if bare in _NOT_COUNTS:
        return None
    if bare in _ROW_WORDS:
        bare = ""
    around = sentence(plain, number.start, number.end)
    if bare and not _names(table, bare, ""):
        return None  # "in Noord 3 scholen" beside a table of aanmeldingen: another count
    if not bare and not _names(table, "", around):
        return None  # "waarvan 2 in Noord": only a sentence that names what the table counts is about it
    if not number.plausible(plain, source, known, named=bool(bare)) or _another_time(plain, number) \
            or _hedged(plain, number.start) or _restricted(plain, number, table, labels, None, row, year):
        return None
    return _row_finding(number, row, sound)


def _words_before(text: str, start: int) -> list[str]:
    """The words in reach before ``start``; "." first when that is the start of the text (a sentence starts)."""
    words = text[max(0, start - _REACH):start].split()
    return words if start > _REACH else [".", *words]


def _another_time(plain: str, number: _Typed) -> bool:
    """Whether a row's value is said of another time. Its clause before it says so (``vorig jaar``, ``zal``) or,
    in the past tense, the rest of its sentence ("In Noord waren er 120 aanmeldingen, nu 131"); the past tense
    alone does not: a letter reports the period its table is about ("In Noord waren er 120 aanmeldingen")."""
    clause = _clause(plain, number.start)
    if any(m.group().lower() not in ("was", "waren") for m in _NOT_NOW.finditer(clause)):
        return True
    after = _sentence_after(plain, number.end)
    return _PAST.search(clause) is not None and (_NOW.search(after) is not None or _NOT_NOW.search(after) is not None)


def _row_finding(number: _Typed, row: _Row, sound: dict[str, Table]) -> _Finding | None:
    table = sound[row.table]
    value = table.rows[row.index][1]
    if table.column_kinds() != [number.kind] or isinstance(value, str) or number.value == Decimal(value):
        return None
    expression = f"tabellen.{row.table}.rijen[{row.index}][1]" + number.filter
    return _Finding(number.start, number.typed,
                    f"'{number.typed}' in de tekst wijkt af van de rij '{row.label}' van tabel '{row.table}' "
                    f"({table.shown(value)}); schrijf {{{{ {expression} }}}} zodat tekst en tabel gelijk blijven")


@dataclass(frozen=True)
class _Typed:
    """A number as it stands in the text: where, as written, its value and whether it is an amount."""

    start: int
    end: int
    typed: str
    value: Decimal
    amount: bool
    digits: str  # the number without euro sign and cents, as written

    @classmethod
    def of(cls, match: re.Match[str]) -> _Typed:
        start = match.start("euro") if match.group("euro") else match.start("number")
        end = match.end("cents") if match.group("cents") else match.end("number")
        cents = (match.group("cents") or "").strip(",-")
        word = (match.groupdict().get("word") or "").lower()
        value = Decimal(match.group("number").replace(".", "") + (f".{cents}" if cents else ""))
        return cls(start, end, match.string[start:end], value, bool(match.group("euro")) or word == "euro",
                   match.group("number"))

    @property
    def kind(self) -> str:
        return "bedrag" if self.amount else "aantal"

    @property
    def filter(self) -> str:
        return " | bedrag" if self.amount else " | getal" if "." in self.digits else ""

    @property
    def year(self) -> bool:
        return not self.amount and "." not in self.digits and 1900 <= self.value <= 2100

    def plausible(self, plain: str, source: _Source, known: set[Decimal], named: bool) -> bool:
        """Whether this number may be a table's value at all: not one of the letter's values, a year (unless the
        word after it names what a table counts), a phone number, a numbering, or quoted."""
        if self.value in known or (self.amount and "," not in self.typed.rstrip(",-")
                                   and any(abs(self.value - k) < 1 for k in known)):
            return False  # rounded to whole euros: "€ 43.500" for € 43.499,75 is the same amount
        if (self.year and not named) or (len(self.digits) > 1 and self.digits.startswith("0")):
            return False
        before = plain[max(0, self.start - 40):self.start].split()
        if before and before[-1].lower().strip(".:") in NUMBERING_WORDS:
            return False
        return not source.quoted(self.start)


def _known_values(letter: Letter) -> set[Decimal]:
    """Every cell and total of the letter's tables, and the sum of the totals of each kind (45 children for
    tables of 15 and 30): a number equal to one of these is never warned about."""
    known: set[Decimal] = set()
    sums: dict[str, Decimal] = {}
    for table in letter.tables.values():
        for row in table.rows:
            known.update(Decimal(cell) for cell in row[1:] if not isinstance(cell, str))
        if not table.sound:
            continue
        for column, (total, counted) in enumerate(zip(table.totals(), table.totalled(), strict=True)):
            if counted:
                known.add(Decimal(total))
                kind = table.column_kind(column)
                sums[kind] = sums.get(kind, Decimal(0)) + Decimal(total)
    return known | set(sums.values())


class _Labels:
    """Row labels (folded, spaces normalised) that belong to one row of one table only, without digits, and
    short enough to be written in a sentence; found in a text by whole words."""

    def __init__(self, sound: dict[str, Table]):
        seen: dict[str, list[_Row]] = {}
        for name, table in sound.items():
            for j, row in enumerate(table.rows):
                text = row[0] if isinstance(row[0], str) else ""
                words = text.split()
                if 0 < len(words) <= _LONGEST_LABEL and not any(c.isdigit() for c in text):
                    seen.setdefault(" ".join(words).casefold(), []).append(_Row(name, j, " ".join(words)))
        self.rows = {label: found[0] for label, found in seen.items() if len(found) == 1}
        self.kinds = {name: str((table.columns or [""])[0]).casefold() for name, table in sound.items()}  # "wijk"
        self.firsts = {label.split()[0] for label in self.rows}  # a cheap first look at each word
        self.lasts = {label.split()[-1] for label in self.rows}

    def __bool__(self) -> bool:
        return bool(self.rows)

    def at_start(self, words: list[str]) -> _Row | None:
        """The row whose label the words start with (the longest)."""
        if not words or words[0].casefold().rstrip(_PUNCTUATION) not in self.firsts:
            return None
        for k in range(min(len(words), _LONGEST_LABEL), 0, -1):
            row = self.rows.get(" ".join(words[:k - 1] + [words[k - 1].rstrip(_PUNCTUATION)]).casefold())
            if row:
                return row
        return None

    def at_end(self, words: list[str]) -> _Row | None:
        """The row whose label ends the words before a number, after "in", "bij", … (and "de", and the rows'
        kind: "in de wijk Noord") or at the start of a sentence ("Noord had 32"; a caller marks the start of
        its text with "."), with a few verbs between: "in Noord 32", "bij Noord: 32", "in Noord zijn er 32"."""
        fillers = 0
        while words and words[-1].lower() in _FILLERS and fillers < _MOST_FILLERS:
            words, fillers = words[:-1], fillers + 1
        if not words or words[-1].casefold().rstrip(":") not in self.lasts:
            return None
        for k in range(min(len(words) - 1, _LONGEST_LABEL), 0, -1):
            label = words[-k:]
            row = self.rows.get(" ".join(label[:-1] + [label[-1].rstrip(":")]).casefold())
            if row is None:
                continue
            at = len(words) - k - 1  # the word before the label
            if fillers and words[at].endswith(_SENTENCE_END) and label[0][:1].isupper():
                return row
            if words[at].lower() == self.kinds[row.table] and at > 0:
                at -= 1  # "in de wijk Noord"
            if words[at].lower() in _ARTICLES and at > 0:
                at -= 1
            if words[at].lower() in _ROW_WORDS:
                return row
        return None

    def within(self, text: str) -> list[_Row]:
        words = text.split()
        found = []
        for i in range(len(words)):
            row = self.at_start(words[i:i + _LONGEST_LABEL])
            if row and row not in found:
                found.append(row)
        return found


def _names(table: Table, word: str, text: str) -> bool:
    """Whether ``word``, or a word of ``text``, names what the table counts (model/tables.py: counted_by)."""
    heads = (table.title or "", tuple(table.columns or ()))
    return any(_counted_by(w.lower(), *heads) for w in [word, *re.findall(r"[^\W\d_]{4,}", text)] if w)


@functools.lru_cache(maxsize=4096)  # the same few words and headings, letter after letter
def _counted_by(word: str, title: str, columns: tuple[str, ...]) -> bool:
    """counted_by, without the rows' kind in the title: "Aanmeldingen per wijk" counts aanmeldingen, not wijken."""
    return counted_by(word, _PER.sub("", title), columns)


def _counted_noun(table: Table, words: list[str]) -> bool:
    """Whether one of ``words`` is, as a whole word, what the table counts: its title's first word ("Aanmeldingen
    per wijk") or the last word of its counted column's heading ("Geschatte contractwaarde"). Not a word a
    heading only starts or ends with ("zorgaanbieders" for "Cliënten zorg"), nor an adjective ("openbare")."""
    nouns = {heading.split()[-1].casefold() for heading in map(str, (table.columns or [])[1:]) if heading.split()}
    nouns.update(word.casefold() for word in (table.title or "").split()[:1])
    return any(word.casefold() in nouns for word in words)


def _letters(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.translate(_MARKUP))


def _only_the_claim(plain: str, number: _Typed, name: str, table: Table, labels: _Labels) -> bool:
    """Whether the sentence of a certain total is that claim and nothing else: every word of it one of the claim's
    own (``_CLAIM_WORDS``), the table's (title, headings, rows, their kind) or a participle of the whole count.
    Any other word may make it another count ("In de regio …", "… aanmeldingen compleet", "Na controle …",
    "De begrote kosten …"): then a warning. A sentence longer than the reach on either side is never only that."""
    before, after = _sentence_before(plain, number.start), _sentence_after(plain, number.end)
    if len(before) == _REACH < number.start or len(after) == _REACH < len(plain) - number.end:
        return False  # the sentence goes on beyond the reach
    text = before + " " + after
    own = {word.casefold() for word in _letters(" ".join([_PER.sub("", table.title or ""), *map(str, table.columns or [])]))}
    own.add(_ROW_COUNTS[len(table.rows)] if len(table.rows) < len(_ROW_COUNTS) else "")  # "uit de vier wijken"
    if _DIGITS.search(text):  # the rows with their own values beside the total: "In Zuid 180, in totaal 412."
        own.update(word for label, row in labels.rows.items() if row.table == name for word in label.split())
    kind = str((table.columns or [""])[0]).casefold()
    return all(word in _CLAIM_WORDS or word in _WHOLE_PARTICIPLES or word in own
               or (len(kind) >= 4 and word.startswith(kind)) for word in map(str.casefold, _letters(text)))


def _no_other_subject(plain: str, start: int, table: Table) -> bool:
    """Whether "het totaal is 412" can only be the table's: no sentence before it in its paragraph, or that one
    names what the table counts ("Wij telden de wachtenden. Het totaal is 425." is the total of the wachtenden)."""
    before = plain[max(0, start - _REACH):start]
    paragraph = before[before.rfind("\n\n") + 1:]
    sentence_start = max(paragraph.rfind(". "), paragraph.rfind(".\n"), paragraph.rfind("! "), paragraph.rfind("? "))
    if sentence_start < 0:
        return start <= _REACH or "\n\n" in before
    return _names(table, "", paragraph[:sentence_start])


def _close(value: Decimal, table: Table, percent: int) -> bool:
    """Whether a typed number still looks like the table's total gone stale: within ``percent`` % of it."""
    total = Decimal(table.totals()[0])
    return abs(value - total) <= abs(total) * percent / 100


def _clause(plain: str, start: int) -> str:
    """The part of the clause before ``start`` (back to a punctuation mark or "en", "maar", …)."""
    return _clauses(plain, start)[-1]


def _subject(plain: str, start: int) -> str:
    """Where to look for what a number counts: its clause, or with no word of its own ("… was 380 en is nu 412")
    also the clause before it in the sentence."""
    clauses = _clauses(plain, start)
    return "".join(clauses) if len(clauses) == 2 and not re.search(r"[^\W\d_]{4,}", clauses[1]) else clauses[-1]


def _clauses(plain: str, start: int) -> list[str]:
    """The clause before ``start``, after the one before it if only a word ("en", "maar", a comma) parts them."""
    window = plain[max(0, start - _REACH):start]
    ends = list(_CLAUSE_END.finditer(window))
    if not ends:
        return [window]
    last = window[ends[-1].end():]
    if ends[-1].group() in ".;:!?()\n":
        return [last]
    return [window[ends[-2].end() if len(ends) > 1 else 0:ends[-1].start()], last]


def sentence(plain: str, start: int, end: int) -> str:
    """The sentence around ``plain[start:end]`` (within a reach of its own on each side)."""
    return _sentence_before(plain, start) + plain[start:end] + _sentence_after(plain, end)


def _sentence_before(plain: str, start: int) -> str:
    before = plain[max(0, start - _REACH):start]
    return before[max(before.rfind(". "), before.rfind(".\n"), before.rfind("\n\n"), before.rfind("! "), before.rfind("? ")) + 1:]


def _sentence_after(plain: str, end: int) -> str:
    after = plain[end:end + _REACH]
    return after[:min((i for i in (after.find(". "), after.find(".\n"), after.find("\n\n")) if i >= 0), default=len(after))]


def _clause_after(plain: str, end: int) -> str:
    after = _sentence_after(plain, end)
    stop = _CLAUSE_END.search(after)
    return after[:stop.start()] if stop else after


def _restricted(plain: str, number: _Typed, table: Table, labels: _Labels, total: Decimal | None,
                row: _Row | None, year: int | None) -> bool:
    """Whether the sentence says the number is not the table's count itself, now: another period ("in 2024",
    "in het eerste kwartaal", "op 1 september"); the value a warning would suggest already in it ("tot 412 op 1
    september en tot 421 op 1 oktober"); a part of the count, by a participle ("zijn er 400 afgehandeld"), a
    qualifier ("aanmeldingen via het loket", "12 meldingen over zwerfvuil"), another noun the count belongs to
    ("de wachtlijst voor aanmeldingen"), or for a total a partition ("van de 421 … zijn er 400", "waarvan",
    "de overige"). ``total``: the table's total for a typed total, None for a row's value."""
    before, after = _sentence_before(plain, number.start), _sentence_after(plain, number.end)
    clause_after = _clause_after(plain, number.end)
    if _other_period(before, clause_after, row.label if row else "", year):
        return True
    value = table.rows[row.index][1] if row else total
    suggested = None if value is None or isinstance(value, str) else Decimal(value)
    if suggested is not None and any(_Typed.of(m).value == suggested for text in (before, after) for m in _ANY_NUMBER.finditer(text)):
        return True
    if _participle_closes(before, clause_after) or _qualified(before, clause_after, table, labels):
        return True
    return row is None and bool(_PART_OF.search(before) or _REST.search(before + " " + after) or _PARTITIVE.search(before))


def _other_period(before: str, clause_after: str, label: str, year: int | None) -> bool:
    """Whether the sentence before a number, or a word of time after it, names a period other than now: not the
    row's own label ("In februari 12 meldingen" beside a table per month), not one the count runs from ("sinds
    januari"), not the letter's own year (``year``, None when the letter's date is not its own)."""
    now = {label.casefold(), str(year)}
    return any(m.group().casefold() not in now and not _SINCE.search(before, 0, m.start())
               for m in _PERIOD.finditer(before)) or any(
        m.group("period").casefold() not in now for m in _PERIOD_AFTER.finditer(clause_after))


def _participle_closes(before: str, clause_after: str) -> bool:
    words = clause_after.translate(_MARKUP).split()
    if len(words) < 2 or not _AUXILIARY.search(before + " " + clause_after):
        return False
    last, previous = words[-1], words[-2].lower()
    return last.lower() in _RESTRICTING_PARTICIPLES and previous not in _NOT_BEFORE_PARTICIPLE


def _open_participle(clause_after: str) -> bool:
    """Whether the clause after a count ends in a participle that may name a part of it ("412 aanmeldingen
    gekeurd"), one not known to say how the whole came in."""
    words = [w.lower() for w in clause_after.translate(_MARKUP).split()]
    if not words or len(words) > 1 and (words[-2] in _NOT_BEFORE_PARTICIPLE or words[-2] in _ALL):
        return False
    return words[-1] not in _WHOLE_PARTICIPLES and _PARTICIPLE.fullmatch(words[-1]) is not None


def _qualified(before: str, clause_after: str, table: Table, labels: _Labels) -> bool:
    """Whether a preposition restricts the counted word (and does not lead to a row's label, nor to the table's
    own words or all of its rows), or the counted word belongs to another noun."""
    after = [w.strip(_PUNCTUATION) for w in clause_after.translate(_MARKUP).split()[:6]]
    qualifiers = _QUALIFIERS
    if after and _names(table, after[0], ""):
        after, qualifiers = after[1:], _QUALIFIERS_AFTER_WORD  # "12 meldingen over …": after the count's own word
    if after and after[0].lower() in qualifiers and not _leads_to_label(clause_after, after[0], labels) \
            and not _whole_of(table, _without_article(after[1:])):
        return True
    words = [w.strip(_PUNCTUATION) for w in before.translate(_MARKUP).split()]
    for i, word in enumerate(words):
        if not _names(table, word, ""):
            continue
        following = words[i + 1].lower() if i + 1 < len(words) else ""
        if following in _QUALIFIERS_BEFORE and not labels.at_start(_without_article(words[i + 2:i + 3 + _LONGEST_LABEL])) \
                and not _rows_kind(table, words[i + 2:i + 5]):
            return True
        j = i - 2 if i > 1 and words[i - 1].lower() in _ARTICLES else i - 1  # the preposition before it
        if j >= 2 and words[j].lower() in _QUALIFIERS_BEFORE and words[j - 1].lower() not in _COUNT_NOUNS \
                and words[j - 2].lower() in _DETERMINERS:
            return True
    return False


def _whole_of(table: Table, words: list[str]) -> bool:
    """Whether the words after a preposition name the table's own thing ("voor dagbesteding" beside a table
    titled "Aanmeldingen voor dagbesteding") or all of it ("alle gemeenten", "de vier wijken")."""
    return bool(words) and (words[0].lower() in _ALL or _names(table, words[0], "") or _rows_kind(table, words[:3]))


def _leads_to_label(text: str, preposition: str, labels: _Labels) -> bool:
    words = text.split()
    at = next((i for i, w in enumerate(words) if w == preposition), len(words))
    return labels.at_start(_without_article(words[at + 1:at + 2 + _LONGEST_LABEL])) is not None


def _rows_kind(table: Table, words: list[str]) -> bool:
    """Whether the words name what the rows are ("van alle wijken" beside a column Wijk): all of the count."""
    head = str((table.columns or [""])[0]).lower()
    return len(head) >= 4 and any(word.lower().startswith(head) for word in words)


def _without_article(words: list[str]) -> list[str]:
    return words[1:] if words and words[0].lower() in _ARTICLES else words


def _difference(plain: str, number: _Typed) -> bool:
    """Whether the words after the number make it a difference or a rate."""
    words = [word.strip(_PUNCTUATION).lower() for word in plain[number.end:number.end + 60].split()[:3]]
    return any(word in _CHANGES or word == "per" and not number.amount for word in words)


def _hedged(plain: str, start: int) -> bool:
    before = plain[max(0, start - 20):start].split()
    return bool(before) and (before[-1].lower().rstrip(".") in _HEDGES or
                             " ".join(before[-2:]).lower() in ("meer dan", "minder dan", "ten minste"))


_QUOTE_MARKS = re.compile(r'["“”„‘’«»\n]')
_CLOSING = {"“": "”", "„": "”", "‘": "’", "«": "»"}


def _quotes(plain: str) -> list[tuple[int, int]]:
    """The stretches of ``plain`` in quotation marks on a line ("…", “…”, „…”, ‘…’, «…»), as disjoint (start, end)
    in order. One pass over the marks: an opening mark without its closing one on the line quotes nothing."""
    spans: list[tuple[int, int]] = []
    open_at: dict[str, int] = {}
    for mark in _QUOTE_MARKS.finditer(plain):
        char, at = mark.group(), mark.start()
        if char == "\n":
            open_at.clear()
        elif char == '"' and '"' in open_at:
            spans.append((open_at.pop('"'), at))
        elif char == '"' or (char in _CLOSING and char not in open_at):
            open_at[char] = at
        else:
            opener = next((o for o, c in _CLOSING.items() if c == char and o in open_at), None)
            if opener is not None:
                spans.append((open_at.pop(opener), at))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):  # a quotation within a quotation: one stretch
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
