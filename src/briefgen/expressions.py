"""``{{ … }}`` and ``{% … %}``: the one Jinja sandbox, its limits, the filters, and Jinja's errors in Dutch.

Content text and house-style templates are evaluated only here: a SandboxedEnvironment with
StrictUndefined (a typo in a name is an error, content cannot reach Python internals), bounded in
time and memory by one mechanism every evaluation passes through:

* every call, attribute, operator and filter checks a deadline (CPU time of the render); the renders that look
  for a failure's place afterwards share :data:`SEARCH_SECONDS` (:func:`searching`);
* every ``{% for %}`` iteration is counted, nested loops together, and charged with the literal
  text of its body;
* arithmetic and calls are checked *before* they run when they can make something large
  (``'x' * n``, ``n ** m``, ``center(10**9)``, ``'%0999999d' % 1``), and every value they make is
  checked after (at most :data:`MAX_RESULT` characters or items, numbers of at most
  :data:`MAX_DIGITS` digits);
* what a text prints is counted, and in letter text only text, numbers and dates may be printed;
* a text is parsed within :data:`MAX_NESTING` brackets inside one another and a syntax tree of at most
  :data:`MAX_DEPTH` levels (Jinja's parser and compiler recurse on each).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import inspect
import math
import re
import string
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, Template, Undefined, nodes, pass_context, pass_environment, pass_eval_context
from jinja2.compiler import CodeGenerator
from jinja2.defaults import DEFAULT_NAMESPACE  # range, dict, …: Jinja's own, never what a letter meant
from jinja2.exceptions import (
    SecurityError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.filters import do_title, do_tojson, make_attrgetter, make_multi_attrgetter
from jinja2.lexer import Token, TokenStream
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace

from briefgen import formatting, jinjatags
from briefgen.problems import did_you_mean

MAX_RESULT = 100_000  # characters or items one value may have; a letter needs far fewer
MAX_OUTPUT = 1_000_000  # characters one text or template may print
MAX_STEPS = 10_000  # loop iterations in one text, all loops together
MAX_SECONDS = 1.0  # CPU time one text may take to evaluate
SEARCH_SECONDS = 0.2  # CPU time the renders that look for a failure's place or further failures may take together
TOO_SLOW = "deze expressie duurt te lang (meer dan een seconde rekentijd); maak haar eenvoudiger"
MAX_DIGITS = 100  # digits of a number in an expression: more than any number a letter may hold (see tests)
MAX_WORK = 10_000_000  # estimated characters a call may make before it runs
MAX_WIDTH = 10_000  # a field width or precision in a format string
MAX_NESTING = 30  # brackets (, [ and { inside one another in a text's expressions; Jinja's parser recurses on each
MAX_DEPTH = 100  # levels of a text's or template's syntax tree (a.b.c…, 1 + 1 + …, nested {% if %}): its walks recurse
NESTED_TOO_DEEPLY = (f"de expressie is te diep genest (meer dan {MAX_NESTING} haakjes in elkaar of een keten van "
                     f"meer dan {MAX_DEPTH} bewerkingen); schrijf haar eenvoudiger")


def _keyed(items: Iterable[Any], key: Callable[[Any], Any]) -> list[tuple[Any, Any]]:
    """Each item with its sort key, the time limit checked between items: a key of long text takes its time, and
    ``sorted(key=…)`` would make them all in one call the deadline cannot interrupt."""
    budget = _budget()
    keyed = []
    for item in items:
        budget.tick()
        keyed.append((key(item), item))
    return keyed


def _by_key(pair: tuple[Any, Any]) -> Any:
    return pair[0]


# make_attrgetter and make_multi_attrgetter: Jinja's own (3.1), as its | sort, | min and | max use them
@pass_environment
def _sort(environment: Any, value: Iterable[Any], reverse: bool = False, case_sensitive: bool = False,
          attribute: str | int | None = None) -> list[Any]:
    """Jinja's ``| sort`` in Dutch order (:func:`formatting.collation_key`), unless ``case_sensitive``."""
    key = make_multi_attrgetter(environment, attribute, postprocess=None if case_sensitive else formatting.collation_key)
    return [item for _, item in sorted(_keyed(value, key), key=_by_key, reverse=reverse)]


def _dictsort(value: Mapping[Any, Any], case_sensitive: bool = False, by: str = "key",
              reverse: bool = False) -> list[tuple[Any, Any]]:
    """Jinja's ``| dictsort`` in Dutch order, unless ``case_sensitive``."""
    if by not in ("key", "value"):
        raise formatting.FormatError(
            f"dictsort sorteert op 'key' (de sleutel) of 'value' (de waarde), niet op {formatting.shown(by)}")
    position = 0 if by == "key" else 1
    order = _same if case_sensitive else formatting.collation_key
    return [item for _, item in sorted(_keyed(value.items(), lambda item: order(item[position])), key=_by_key,
                                       reverse=reverse)]


def _extreme(function: Callable[..., Any]) -> Callable[..., Any]:
    """Jinja's ``| min`` or ``| max`` in Dutch order, unless ``case_sensitive``."""

    @pass_environment
    def extreme(environment: Any, value: Iterable[Any], case_sensitive: bool = False,
                attribute: str | int | None = None) -> Any:
        key = make_attrgetter(environment, attribute, postprocess=None if case_sensitive else formatting.collation_key)
        keyed = _keyed(value, key)
        if not keyed:
            return environment.undefined("No aggregated item, sequence was empty.")
        return function(keyed, key=_by_key)[1]

    return extreme


_min, _max = _extreme(min), _extreme(max)


@pass_eval_context
def _tojson(eval_ctx: Any, value: Any, indent: int | None = None) -> Any:
    """Jinja's ``| tojson``, with -0.0 as 0.0: a letter never writes minus nothing (nor does :func:`as_text`)."""
    return do_tojson(eval_ctx, 0.0 if isinstance(value, float) and value == 0 else value, indent)


def _capitalize(value: Any) -> str:
    """Jinja's ``| capitalize`` the Dutch way: the first letter a capital, ``ij`` as one (``IJsselmonde``), and the rest
    as it is written: Jinja's made every other letter small ("de Wmo in Hilversum" → "De wmo in hilversum")."""
    text = value if isinstance(value, str) else str(value)  # Markup stays Markup
    if text[:2] in ("ij", "Ij"):
        return "IJ" + text[2:]
    return text[:1].title() + text[1:]  # title, not upper: "ß-straat" → "Ss-straat", not "SS-straat"


_IJ = re.compile(r"\bIj")


def _title(value: Any) -> str:
    """Jinja's ``| title``, with ``ij`` at the start of a word as one capital letter (``IJmuiden``, not ``Ijmuiden``)."""
    return _IJ.sub("IJ", do_title(value))


FILTERS = {
    "datum": formatting.datum,
    "bedrag": formatting.bedrag,
    "getal": formatting.getal,
    "procent": formatting.procent,
    "opsomming": formatting.opsomming,
    "telefoon": formatting.telefoon,
    "woorden": formatting.woorden,
    "round": formatting.round_half_up,  # Jinja's own rounds a float to even; one rule for rounding
    "int": formatting.as_int,  # Jinja's own make 0 of "1.234,50" and "twaalf", without a word
    "float": formatting.as_float,
    "filesizeformat": formatting.filesizeformat,  # Jinja's own writes 12.3 kB
    "contact": formatting.contact,
    "contacten": formatting.contacten,
    "sort": _sort,  # Jinja's own put Özdemir and Élst after Zeist
    "dictsort": _dictsort,
    "tojson": _tojson,  # the value checked as any text's is (_OWN_TEXT); an amount a JSON number (_json_value)
    "min": _min,
    "max": _max,
}
# Jinja's filters of text, in Dutch; what they are given is made text as by any of Jinja's (:func:`as_text`)
TEXT_FILTERS = {
    "capitalize": _capitalize,  # Jinja's own wrote "De wmo in hilversum" and "Ijsselmonde"
    "title": _title,
}

_LOOP = "__briefgen_lus__"
_SIZE = "__briefgen_omvang__"
_TEXT = "__briefgen_tekst__"


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class ExpressionError(formatting.FormatError, TemplateRuntimeError):
    """An expression went past a limit or made something a letter cannot show (message in Dutch).

    A TemplateError too, so that a house-style template that trips a limit is reported like any
    other template error.
    """

    def __init__(self, message: str, needle: str | None = None):
        super().__init__(message)
        self.needle = needle

    def __str__(self) -> str:
        return str(self.args[0])


# --- The budget of one render ------------------------------------------------------------------------


class _Budget:
    """Steps, printed characters and the deadline of one render.

    The deadline is CPU time of this thread, not wall-clock time, so that a busy machine does not
    turn a sound letter into an error. Reading the thread's CPU clock is a system call (1–20 µs),
    and a letter's texts make dozens of checks; so it is read at the first check, and then only
    when the cheap wall clock says that the CPU time left could be used up: a thread's CPU time
    never grows faster than the wall clock, so until ``wall_deadline`` the CPU deadline cannot have
    passed. Most texts print only names and never check at all.
    """

    def __init__(self) -> None:
        self.deadline: float | None = None  # CPU time of this thread
        self.wall_deadline = -math.inf  # perf_counter before which the CPU deadline cannot have passed
        self.steps = 0
        self.output = 0

    def tick(self) -> None:
        now = time.perf_counter()
        if now <= self.wall_deadline:
            return
        cpu = time.thread_time()
        if self.deadline is None:
            shared = _SEARCH_DEADLINE.get()
            self.deadline = cpu + MAX_SECONDS if shared is None else min(cpu + MAX_SECONDS, shared)
        if cpu > self.deadline:
            raise ExpressionError(TOO_SLOW)
        self.wall_deadline = now + (self.deadline - cpu)

    def step(self, printed: int) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise ExpressionError(
                f"de lussen in deze tekst lopen samen meer dan {_thousands(MAX_STEPS)} keer rond; "
                "een brief heeft zo veel herhaling niet nodig", "for")
        self.printed(printed)

    def printed(self, chars: int) -> None:
        self.output += chars
        if self.output > MAX_OUTPUT:
            raise ExpressionError(f"deze tekst wordt langer dan {_thousands(MAX_OUTPUT)} tekens")
        self.tick()


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("briefgen_budget", default=None)


_SEARCH_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("briefgen_search", default=None)


@contextlib.contextmanager
def searching(seconds: float | None = None) -> Iterator[None]:
    """The renders inside, after a failed one, that look for its place or for further failures: together at most
    ``seconds`` (:data:`SEARCH_SECONDS`) of CPU time, so that a text or template stopped at the time limit ends close to it (each render
    alone would otherwise have the whole limit again, and the one that ran out of time would use it up). Nested, it
    ends no later than the one around it."""
    deadline = time.thread_time() + (SEARCH_SECONDS if seconds is None else seconds)
    outer = _SEARCH_DEADLINE.get()
    token = _SEARCH_DEADLINE.set(deadline if outer is None else min(deadline, outer))
    try:
        yield
    finally:
        _SEARCH_DEADLINE.reset(token)


def searching_time_left() -> bool:
    """Whether the renders inside :func:`searching` have CPU time left."""
    deadline = _SEARCH_DEADLINE.get()
    return deadline is None or time.thread_time() < deadline


def _budget() -> _Budget:
    """The budget of the render in progress; a fresh one for an evaluation outside render()
    (Jinja folds constant expressions while compiling)."""
    return _BUDGET.get() or _Budget()


# --- Checks on values ------------------------------------------------------------------------------


def _too_big_number() -> ExpressionError:
    return ExpressionError(f"een getal van meer dan {MAX_DIGITS} cijfers is niet toegestaan in een expressie")


_INT_LIMIT = 10**MAX_DIGITS


def _check_number(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _INT_LIMIT:
        raise _too_big_number()
    if isinstance(value, float) and not math.isfinite(value):
        raise ExpressionError("de uitkomst van deze berekening is geen getal (te groot of oneindig)")
    if isinstance(value, Decimal) and value.is_finite() and value.adjusted() >= MAX_DIGITS:
        raise _too_big_number()


def _size(value: Any) -> int:
    """Characters of a text, items of a collection, 1 for anything else."""
    if isinstance(value, Undefined) or not isinstance(value, Sized):  # len() of StrictUndefined is an error
        return 1
    try:
        return len(value)
    except OverflowError:  # range(10**100)
        return MAX_RESULT + 1


def _size_error(value: Any) -> ExpressionError:
    what = "tekens" if isinstance(value, str) else "elementen"
    return ExpressionError(f"deze expressie maakt meer dan {_thousands(MAX_RESULT)} {what}")


_PYTHON_TEXT = re.compile(
    r"<(?:class |function |bound method |built-in |method-wrapper |module |generator object |"
    r"TemplateReference|Namespace|LoopContext|Macro |[\w.]+ object at 0x)"
)


def _python_text(value: str) -> None:
    """Text made from a Python object (``cycler | string``, ``range ~ ''``) never reaches a letter."""
    found = _PYTHON_TEXT.search(value)
    if found:
        raise ExpressionError(
            "deze expressie maakt tekst van een Python-onderdeel "
            f"('{found.group(0).strip()}…'); alleen tekst, getallen en datums kunnen in een brief")


def _checked(value: Any) -> Any:
    """Every value an operator, call or filter makes passes here."""
    _check_number(value)
    if isinstance(value, str):
        _python_text(value)
    if isinstance(value, (str, list, tuple, dict, set, frozenset)) and len(value) > MAX_RESULT:
        raise _size_error(value)
    return value


def _numbers_in(values: Any) -> list[int]:
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _before_call(name: str, value: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """Refuse a call that would make too much before it runs: its size estimated from its arguments.

    A call's output is at most about the size of its input times its largest argument (a width, a
    count, a replacement text): ``'x' | center(10**9)``, ``text | indent(99999)``,
    ``text | replace('', long)`` are refused here, ``text | wordwrap(79)`` is not.
    """
    _budget().tick()
    arguments = (*args, *kwargs.values())
    for number in _numbers_in((value, *arguments)):
        _check_number(number)
    factor = max([1, *(abs(n) for n in _numbers_in(arguments)), *(len(a) for a in arguments if isinstance(a, str))])
    if (_size(value) + 1) * factor > MAX_WORK:
        raise ExpressionError(
            f"'{name}' zou met deze waarden meer dan {_thousands(MAX_RESULT)} tekens of elementen maken", name)


# A key holds no bracket: so each match ends at the next one and a scan takes time in proportion to the text ('%(' *
# 50000 made [^)]* look for its ')' to the end each time); a key that does (Python's nests them) or has no ')' is
# <open>, and refused.
_PERCENT_SPEC = re.compile(
    r"%(?:\((?P<key>[^()]*)\)|(?P<open>\())?[-#0 +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?[hlL]?(?P<kind>.?)",
    re.DOTALL)
_BRACE_SPEC = re.compile(r"\{[^{}]*?:([^{}]*)(\{)?")


def _check_percent(template: str, args: tuple[Any, ...], named: Mapping[str, Any], letter_text: bool) -> frozenset[int]:
    """The checks of a ``%`` pattern (``'%s' % x``, ``| format``), on one scan of it: its widths
    (:func:`_check_widths`) and, in a letter's text, its numbers (:func:`_check_numbers_written`). Returns the
    positions of the arguments a ``*`` width or precision takes (``'%.*s' % (2, naam)``): numbers to keep, not text."""
    specs = list(_PERCENT_SPEC.finditer(template))
    if any(match["open"] for match in specs):
        raise ExpressionError("'%(' zonder ')' of met haakjes in de naam; schrijf %(naam)s, of %% voor een procentteken",
                              "%(")
    _check_widths([w for match in specs for w in match.group("width", "precision") if w], (*args, *named.values()))
    if letter_text:
        _check_numbers_written(_percent_number_spec(specs), _percent_fields(specs, args, named))
    return frozenset(position for position, star, _ in _percent_positions(specs) if star)


def _check_brace(template: str, args: tuple[Any, ...], named: Mapping[str, Any], arguments: tuple[Any, ...],
                 letter_text: bool) -> None:
    """The checks of a ``.format()`` pattern: its widths and, in a letter's text, its numbers."""
    widths: list[str] = []
    nested = False
    for match in _BRACE_SPEC.finditer(template):
        widths += re.findall(r"\d+", match.group(1))
        nested = nested or match.group(2) is not None
    _check_widths(widths, arguments, nested)
    if letter_text:
        _check_numbers_written(_brace_number_spec(template, args, named), _brace_fields(template, args, named))


def _check_widths(widths: list[str], arguments: tuple[Any, ...], nested: bool = False) -> None:
    """A field width or precision in ``'%9999999d' % x`` or ``'{:9999999}'.format(x)`` is bounded."""
    if "*" in widths or nested:  # the width is one of the arguments
        widths += [str(abs(n)) for n in _numbers_in(arguments)]
    if any(w != "*" and int(w) > MAX_WIDTH for w in widths):
        raise ExpressionError(f"een breedte of precisie groter dan {_thousands(MAX_WIDTH)} in een opmaakpatroon is niet toegestaan")


_BRACE_FIELD = re.compile(r"(?:.?([<>=^]))?([-+ ])?(z)?(#)?(0)?(?:\d+)?([,_])?(\.\d+)?([a-zA-Z%])?", re.DOTALL)


def _check_numbers_written(english: str | None, fields: Iterable[tuple[str, str | None, Any, str]]) -> None:
    """A letter's text writes numbers the Dutch way (:func:`as_text`), so an English number pattern in ``%`` or
    ``.format()`` (``%.2f``, ``%d``, ``{:,.2f}``, ``{:,}``: ``english``, the first) is refused with the filters that
    write them in Dutch; and so is a precision that cuts a number, amount or date made text short (``'%.2s' % bedrag``
    would print "€ "), of the pattern's ``fields``."""
    if english is not None:
        raise ExpressionError(
            f"'{english}' schrijft een getal op zijn Engels (1,234.50); schrijf {{{{ x | getal }}}} voor 1.234,5 of "
            "{{ x | bedrag }} voor € 1.234,50, of %s of {} voor een getal zoals de tekst het schrijft", english)
    for spec, precision, value, conversion in fields:
        if precision is not None and _made_text(value):
            raise _cut(spec, precision, value, conversion)


def _made_text(value: Any) -> bool:
    """A number or date, which :func:`as_text` writes as text for a pattern to use."""
    return isinstance(value, (int, float, Decimal, dt.date)) and not isinstance(value, bool)


def _cut(spec: str, precision: str, value: Any, conversion: str) -> ExpressionError:
    """A precision of a number, amount or date made text: refused whether or not it cuts this one short (the next
    value may be longer); the example only where it does, as the conversion (``s``, ``r``, ``a``) writes it."""
    text = str(as_text(value))
    whole = {"r": repr, "a": ascii}.get(conversion, str)(text)
    example = ""
    if precision.isdigit() and len(whole) > int(precision):
        shown, cut = (part.replace(formatting.NBSP, " ") for part in (whole, whole[:int(precision)]))
        example = f" ({shown} wordt {cut!r})" if "'" in cut else f" ({shown} wordt '{cut}')"
    if formatting.is_amount(value):
        what, instead = "een bedrag", "{{ x | bedrag }} voor € 1.234,50"
    elif isinstance(value, dt.date):
        what, instead = "een datum", "{{ x | datum }} voor 16 november 2021"
    else:
        what, instead = "een getal", "{{ x | round(1) }} of {{ x | getal }} voor minder decimalen"
    return ExpressionError(f"'{spec}' kan {what} afkorten tot de eerste tekens{example}; schrijf {instead}, of %s of {{}} "
                           "zonder precisie", spec)


def _percent_fields(specs: list[re.Match[str]], args: tuple[Any, ...], named: Mapping[str, Any]
                    ) -> Iterable[tuple[str, str | None, Any, str]]:
    """Each conversion of a ``%`` pattern (not ``%%``): its text, its precision and the value it converts (``args`` in
    turn, a ``*`` width or precision taking one; or ``named`` by ``%(key)s``)."""
    for position, star, match in _percent_positions(specs):
        if not star:
            value = named.get(match["key"]) if match["key"] is not None else _nth(args, position)
            yield match.group(0), match["precision"], value, match["kind"]


def _percent_positions(specs: list[re.Match[str]]) -> Iterable[tuple[int, bool, re.Match[str]]]:
    """What each conversion of a ``%`` pattern (not ``%%``) takes from a tuple of values: a position for each ``*``
    width or precision (True), then one for its value (False); a ``%(key)s`` takes no position but is given too."""
    position = 0
    for match in specs:
        if match["kind"] == "%":
            continue
        for part in match.group("width", "precision"):
            if part == "*":
                yield position, True, match
                position += 1
        yield position, False, match
        if match["key"] is None:
            position += 1


def _percent_number_spec(specs: list[re.Match[str]]) -> str | None:
    for match in specs:
        if match["kind"] and match["kind"] in "diouxXeEfFgGc":
            return match.group(0)
    return None


def _brace_fields(template: str, args: tuple[Any, ...], named: Mapping[str, Any]
                  ) -> Iterable[tuple[str, str | None, Any, str]]:
    """Each field of a ``.format()`` pattern with a plain pattern: its text, its precision, the value it formats and
    its conversion (``r`` of ``!r``, else ``s``)."""
    for text, parts, value, conversion in _brace_specs(template, args, named):
        precision = parts.group(7)
        yield text, precision[1:] if precision else None, value, conversion or "s"


def _brace_specs(template: str, args: tuple[Any, ...], named: Mapping[str, Any]
                 ) -> Iterable[tuple[str, re.Match[str], Any, str | None]]:
    """Each field of ``template`` with a pattern that is no nested ``{width}``: its text, the pattern's parts
    (:data:`_BRACE_FIELD`), its value and its conversion (``!r``)."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(template)
                  if name is not None]
    except ValueError:
        return  # a broken pattern: str.format itself says so
    for index, (name, spec, conversion) in enumerate(fields):
        parts = _BRACE_FIELD.fullmatch(spec or "")
        if not spec or parts is None:
            continue  # no pattern, or a nested {width}: str.format itself judges it
        key = re.split(r"[.\[]", name or "", maxsplit=1)[0]
        value = named.get(key) if key and not key.isdigit() else _nth(args, int(key) if key else index)
        yield "{" + (name or "") + (f"!{conversion}" if conversion else "") + ":" + spec + "}", parts, value, conversion


def _brace_number_spec(template: str, args: tuple[Any, ...], named: Mapping[str, Any]) -> str | None:
    """The first field of ``template`` with a pattern only a number has (``{:,}``, ``{:.2f}``, ``{:+}``), or with a
    precision (``{:.3}``) for a number: of text that is its first characters, of a number English digits."""
    for text, parts, value, conversion in _brace_specs(template, args, named):
        align, sign, z, alternate, zeros, grouping, precision, kind = parts.groups()
        number = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and not conversion
        if (align == "=" or sign or z or alternate or zeros or grouping or (kind and kind != "s")
                or (precision and not kind and number)):
            return text
    return None


def _nth(values: tuple[Any, ...], index: int) -> Any:
    return values[index] if index < len(values) else None


# --- The environment ---------------------------------------------------------------------------------


def _bounded_range(*args: Any) -> range:
    args = tuple(formatting.whole(number) for number in args)  # a whole amount counts as its number of euros
    for number in args:
        _check_number(number)
    values = range(*args)
    if _size(values) > MAX_RESULT:
        raise ExpressionError(f"range() maakt hoogstens {_thousands(MAX_RESULT)} getallen", "range")
    return values


def _integer(value: Any) -> bool:
    """Jinja's ``integer`` test, also true of a whole amount (``€ 3.000``), which computes as a decimal."""
    if isinstance(value, int):
        return not isinstance(value, bool)
    return formatting.is_amount(value) and isinstance(formatting.whole(value), int)


@pass_context
def _loop(context: Any, iterable: Any, literal: int) -> Any:
    """Wraps the sequence of every ``{% for %}``: one step per iteration, charged with the body's text."""
    budget = _budget()
    budget.tick()
    for item in iterable:
        budget.step(literal)
        yield item


@pass_context
def _size_of(context: Any, value: Any) -> Any:
    return _checked(value)


# Filters that look at a value without making text of it: an absent value is what they are for
# (``default``), or empty to them like to a loop (``length``). Every other filter passes it on.
_OBSERVERS = frozenset({"default", "d", "length", "count"})


def _absent_among(values: tuple[Any, ...]) -> Undefined | None:
    """The first absent value among ``values`` (see :func:`absent`), or None; also None beside an
    unknown name, whose own error the call then raises."""
    missing = [v for v in values if isinstance(v, Undefined)]
    return missing[0] if missing and all(isinstance(v, _AbsentValue) for v in missing) else None


# Filters that hand on (part of) their value rather than make text of it, and briefgen's own, which check what they
# are given themselves (filesizeformat takes a number: of "12.345" it would make 12 bytes); every other filter that
# makes text makes it of text, numbers (as printed bare) and dates only.
_SELECTORS = frozenset({"default", "d", "first", "last", "random", "min", "max", "attr", *FILTERS})
# Filters that write a number their own way (JSON: 3.5, never "3,5"): their value is checked as any text's is, but
# handed on as it is.
_OWN_TEXT = frozenset({"tojson"})


@functools.lru_cache(maxsize=512)  # made once per filter: reading a signature costs ~40 µs, and every sandbox has ~60
def _bounded_filter(name: str, function: Callable[..., Any], letter_text: bool = False) -> Callable[..., Any]:
    passes = 1 if hasattr(function, "jinja_pass_arg") else 0
    makes_text = letter_text and name not in _SELECTORS and name not in _OWN_TEXT
    switches = _switches(function, passes)

    def text(key: int | str, argument: Any) -> Any:
        """An argument made text, unless it is a switch or count (:func:`_switches`) set to none, true, false or a number."""
        return argument if key in switches and _option(argument) else as_text(argument)

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        value, rest = (args[passes], args[passes + 1:]) if len(args) > passes else (None, ())
        if name not in _OBSERVERS:
            missing = _absent_among((value, *rest, *kwargs.values()))
            if missing is not None:
                return missing  # what it makes lacks the value too: printed, it is that value's error
        _before_call(name, value, rest, kwargs)
        if name in FILTERS and isinstance(value, Undefined):
            str(value)  # StrictUndefined: the error names what is missing, not "een functie"
        if letter_text and name in _OWN_TEXT:
            as_text(value)  # a list or object is refused, as by any filter that makes text
        stars: frozenset[int] = frozenset()
        if name == "format" and isinstance(value, str):
            stars = _check_percent(value, rest, kwargs, makes_text)
        if makes_text and name == "join" and isinstance(value, Iterable) and not isinstance(value, Undefined):
            # the separator and each item (or each item's attribute) are made text
            args, kwargs = (*args[:passes], *_join_texts(args[0], value, *rest, **kwargs)), {}
        result = _checked(function(*args, **kwargs))
        if makes_text and isinstance(result, str) and name != "join":
            arguments: list[tuple[int | str, Any]] = [*enumerate(rest), *kwargs.items()]
            if as_text(value) is not value or any(text(key, a) is not a for key, a in arguments):
                # a list or object is refused (as_text raises); a date is made again, in Dutch
                args = (*args[:passes], as_text(value), *(a if i in stars else text(i, a) for i, a in enumerate(rest)))
                result = _checked(function(*args, **{k: text(k, v) for k, v in kwargs.items()}))
        return result

    return bounded


def _switches(function: Callable[..., Any], passes: int) -> frozenset[int | str]:
    """The switches and counts of a filter (``truncate(9, true)``, ``indent(first=none)``, ``replace('a', 'b', 2)``):
    its parameters whose default is none, true, false or a whole number, by position after the value and by name;
    a value for any other is made text."""
    try:
        parameters = list(inspect.signature(function).parameters.values())[passes + 1:]
    except (TypeError, ValueError):
        return frozenset()
    return frozenset(key for i, p in enumerate(parameters) if p.default is None or isinstance(p.default, int)
                     for key in (i, p.name))


def _option(argument: Any) -> bool:
    return argument is None or isinstance(argument, (int, float, Decimal))


def _join_texts(eval_ctx: Any, value: Iterable[Any], d: Any = "", attribute: Any = None) -> tuple[list[Any], Any]:
    """``join``'s items (each its ``attribute``, looked up as Jinja does: dotted, whole numbers as indexes) and
    separator, each made text by :func:`as_text`."""
    items = list(value)
    if attribute is not None:
        parts = attribute.split(".") if isinstance(attribute, str) else [attribute]
        for part in parts:
            key = int(part) if isinstance(part, str) and part.isdigit() else part
            items = [eval_ctx.environment.getitem(item, key) for item in items]
    return [as_text(item) for item in items], as_text(d)


class _Counting(CodeGenerator):
    """Puts the budget into the compiled template: each loop's sequence and each ``~`` pass a check, and each
    part of a ``~`` is made text (:data:`_TEXT`)."""

    def visit_Template(self, node: nodes.Template, frame: Any = None) -> None:
        for loop in node.find_all(nodes.For):
            texts = [data.data for part in loop.body for data in part.find_all(nodes.TemplateData)]
            constants = [str(const.value) for part in loop.body for const in part.find_all(nodes.Const)]
            literal = sum(map(len, texts + constants))
            loop.iter = nodes.Filter(loop.iter, _LOOP, [nodes.Const(literal)], [], None, None, lineno=loop.iter.lineno)
        for concat in list(node.find_all(nodes.Concat)):  # `a ~ b`: the joined text is checked in place
            parts = [nodes.Filter(part, _TEXT, [], [], None, None, lineno=part.lineno) for part in concat.nodes]
            joined = nodes.Concat(parts, lineno=concat.lineno)
            concat.nodes = [nodes.Filter(joined, _SIZE, [], [], None, None, lineno=concat.lineno)]
        super().visit_Template(node, frame)


class _BoundedTemplate(Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        token = _BUDGET.set(_Budget())
        try:
            result = super().render(*args, **kwargs)
        finally:
            _BUDGET.reset(token)
        if len(result) > MAX_OUTPUT:
            raise ExpressionError(f"deze tekst wordt langer dan {_thousands(MAX_OUTPUT)} tekens")
        return result


class _Nesting:
    """A token stream that stops at brackets nested deeper than :data:`MAX_NESTING`, before the parser's
    recursion on them does; it remembers the line it reached, to place a failure of the parser itself."""

    _OPEN = frozenset({"lparen", "lbracket", "lbrace"})
    _CLOSE = frozenset({"rparen", "rbracket", "rbrace"})

    def __init__(self, stream: Iterable[Token], name: str | None, filename: str | None):
        self.stream, self.name, self.filename = stream, name, filename
        self.lineno = 1

    def __iter__(self) -> Iterator[Token]:
        depth = 0
        for token in self.stream:
            self.lineno = token.lineno
            if token.type in self._OPEN:
                depth += 1
                if depth > MAX_NESTING:
                    raise TemplateSyntaxError(NESTED_TOO_DEEPLY, token.lineno, self.name, self.filename)
            elif token.type in self._CLOSE:
                depth -= 1
            yield token


def _check_depth(tree: nodes.Node, name: str | None, filename: str | None) -> None:
    """A syntax tree deeper than :data:`MAX_DEPTH` is refused: compiling and walking it recurse on each level."""
    todo = [(tree, 0)]
    while todo:
        node, depth = todo.pop()
        if depth > MAX_DEPTH:
            raise TemplateSyntaxError(NESTED_TOO_DEEPLY, node.lineno or 1, name, filename)
        todo.extend((child, depth + 1) for child in node.iter_child_nodes())


class _Bounded(ImmutableSandboxedEnvironment):
    """The sandbox with the limits above in its hooks."""

    code_generator_class = _Counting
    template_class = _BoundedTemplate
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset({"-", "+"})

    def __init__(self, *args: Any, letter_text: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.letter_text = letter_text
        self._nesting: _Nesting | None = None
        self.globals.pop("lipsum", None)  # placeholder text has no place in a letter
        self.globals["range"] = _bounded_range
        self.tests["integer"] = _integer
        # | tojson of an amount (a decimal) is a JSON number, of a date the date in Dutch; a new dict: Jinja shares its own
        self.policies["json.dumps_kwargs"] = {**self.policies["json.dumps_kwargs"], "default": _json_value}
        self.filters = {name: _bounded_filter(name, f, letter_text) for name, f in {**self.filters, **FILTERS, **TEXT_FILTERS}.items()}
        self.filters[_LOOP] = _loop
        self.filters[_SIZE] = _size_of
        self.filters[_TEXT] = as_text if letter_text else _same

    def _tokenize(self, source: str, name: str | None, filename: str | None = None, state: str | None = None
                  ) -> TokenStream:
        self._nesting = _Nesting(super()._tokenize(source, name, filename, state), name, filename)
        return TokenStream(self._nesting, name, filename)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Jinja's parse, within :data:`MAX_NESTING` and :data:`MAX_DEPTH`: a text nested deeper (or a parser that
        runs out of stack or memory on it some other way, ``not not not …``) is a syntax error, in Dutch."""
        self._nesting = None
        try:
            tree = super()._parse(source, name, filename)
        except (RecursionError, MemoryError):
            lineno = self._nesting.lineno if self._nesting is not None else 1
            raise TemplateSyntaxError(NESTED_TOO_DEEPLY, lineno, name, filename) from None
        _check_depth(tree, name, filename)
        return tree

    def _generate(self, source: nodes.Template, name: str | None, filename: str | None, defer_init: bool = False
                  ) -> str:
        try:
            return super()._generate(source, name, filename, defer_init)
        except (RecursionError, MemoryError):  # within MAX_DEPTH it does not; a last line of defence
            raise TemplateSyntaxError(NESTED_TOO_DEEPLY, 1, name, filename) from None

    def _compile(self, source: str, filename: str) -> Any:
        try:
            return super()._compile(source, filename)
        except (RecursionError, MemoryError):
            raise TemplateSyntaxError(NESTED_TOO_DEEPLY, 1, None, filename) from None

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _budget().tick()
        _check_number(left)
        _check_number(right)
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(times, int) and len(sequence) * times > MAX_RESULT:
                    raise _size_error(sequence)
            if _is_int(left) and _is_int(right) and int(left).bit_length() + int(right).bit_length() > _INT_LIMIT.bit_length() + 1:
                raise _too_big_number()
        if operator == "**" and _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
            if (int(left).bit_length() - 1) * right > _INT_LIMIT.bit_length():
                raise _too_big_number()
        if operator == "%" and isinstance(left, str):
            named = right if isinstance(right, Mapping) else {}
            stars = _check_percent(left, right if isinstance(right, tuple) else () if named is right else (right,), named,
                                   self.letter_text)
            if self.letter_text:
                right = _texts_of(right, stars)
        return _checked(super().call_binop(context, operator, left, right))

    def call_unop(self, context: Any, operator: str, arg: Any) -> Any:
        _check_number(arg)
        return super().call_unop(context, operator, arg)

    def getattr(self, obj: Any, attribute: str) -> Any:
        _budget().tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _budget().tick()
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        if isinstance(__obj, Undefined):
            return super().call(__context, __obj, *args, **kwargs)  # StrictUndefined: names what is missing
        name = _name(__obj)
        wrapped = getattr(__obj, "__wrapped__", None)  # the sandbox's str.format wrapper
        owner = getattr(wrapped, "__self__", None)
        if name in ("format", "format_map") and isinstance(owner, str):
            arguments = (*args, *kwargs.values(), *_mapping_values(args))
            named = args[0] if name == "format_map" and args and isinstance(args[0], Mapping) else kwargs
            if any(isinstance(a, dt.date) for a in arguments) and _DATE_SPEC.search(owner):
                raise _english_date(name)
            _check_brace(owner, args, named, arguments, __self.letter_text)
            if __self.letter_text:
                args = tuple(_texts_of(a) for a in args) if name == "format_map" else _texts_of(args)
                kwargs = _texts_of(kwargs)
        value = getattr(__obj, "__self__", None)
        if isinstance(value, dt.date) and name in _ENGLISH_DATE:
            raise _english_date(name)
        if isinstance(value, (str, list, tuple, dict)):  # ", ".join(contactpersonen): as a filter would
            missing = _absent_among((*args, *kwargs.values()))
            if missing is not None:
                return missing
        _before_call(name, value if isinstance(value, (str, list, tuple, dict)) else None, args, kwargs)
        return _checked(super().call(__context, __obj, *args, **kwargs))


# Methods of a date that write the names of days and months, in English whatever the letter's language.
_ENGLISH_DATE = frozenset({"strftime", "ctime"})
_DATE_SPEC = re.compile(r"\{[^{}]*:[^{}]*%")  # '{:%A %d %B}'.format(datum)


def _english_date(name: str) -> ExpressionError:
    return ExpressionError(
        f"'{name}' schrijft een datum in het Engels (Tuesday 16 November 2021); schrijf {{{{ datum | datum }}}} "
        "voor 16 november 2021", name)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _mapping_values(args: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(v for a in args if isinstance(a, Mapping) for v in a.values())


class _CompilingOnce(_Bounded):
    """Compiles each distinct source once: every letter in a house style renders the same XML parts."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._compiled: dict[str, Any] = {}

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - Jinja's signature
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            if len(self._compiled) > 512:
                self._compiled.clear()
            plain = "{" not in source and "\r" not in source and len(source) <= MAX_OUTPUT
            self._compiled[source] = _Plain(source) if plain else super().from_string(source)
        return self._compiled[source]


class _Plain:
    """A source without ``{`` or ``\r``: Jinja would render it as it is (no tags, no newlines to
    normalise, the trailing newline kept), within the output limit. docxtpl renders every core
    property of a template as a template, for every letter."""

    def __init__(self, source: str):
        self.source = source

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self.source


def _count_printed(value: Any) -> Any:
    _budget().printed(len(value) if isinstance(value, str) else 1)
    return value


def _letter_value(value: Any) -> Any:
    """What ``{{ … }}`` may print into a letter: text, a number or a date (in Dutch); nothing of Python itself."""
    if isinstance(value, str):
        _python_text(value)
        return _count_printed(value)
    if isinstance(value, Undefined):
        str(value)  # StrictUndefined: raises the error that names what is missing
    return _count_printed(as_text(value))


def _json_value(value: Any) -> Any:
    """What ``| tojson`` writes of a value JSON has no form for: an amount as the number it is, a date as the letter
    writes it; anything else is JSON's own error."""
    if isinstance(value, Decimal) and value.is_finite():
        whole = formatting.whole(value)
        return whole if isinstance(whole, int) else float(value)
    if isinstance(value, dt.date):
        return formatting.datum(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _same(value: Any) -> Any:
    return value


def as_text(value: Any) -> Any:
    """A value as letter text is made of it, by ``{{ … }}``, ``~``, ``%``, ``.format()`` and every filter that makes
    text: text as it is, a number as a bare ``{{ … }}`` prints it (:func:`formatting.bare`: ``€ 3.000,50``,
    ``0,3``, never Python's ``3000.50`` or ``0.30000000000000004``), a date in Dutch (``1 december 2026``,
    never ISO), and anything else (a list, a dict, a function, ja/nee) refused, whichever way it is turned into text."""
    if isinstance(value, (str, Undefined)):
        return value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        _check_number(value)
        if isinstance(value, Decimal) and not value.is_finite():
            raise ExpressionError("deze expressie geeft geen getal (NaN of oneindig)")
        return formatting.bare(value)
    if isinstance(value, dt.date):
        return formatting.datum(value)
    raise _not_text(value)


def _texts_of(values: Any, keep: frozenset[int] = frozenset()) -> Any:
    """The arguments of ``%`` or ``.format()`` (one value, a tuple or a mapping), each made text by :func:`as_text`,
    but for those of a tuple at the positions ``keep`` (the numbers of a ``*`` width or precision)."""
    if isinstance(values, tuple):
        return tuple(v if i in keep else as_text(v) for i, v in enumerate(values))
    if isinstance(values, Mapping):
        return {k: as_text(v) for k, v in values.items()}
    return as_text(values)


def _not_text(value: Any) -> ExpressionError:
    what = describe(value)
    hint = " (roep haar aan met () of gebruik haar als filter)" if what == "een functie" else ""
    return ExpressionError(f"deze expressie geeft geen tekst maar {what}{hint}; alleen tekst, getallen en datums kunnen in een brief")


def describe(value: Any) -> str:
    """A value of Jinja or Python, named for a letter writer."""
    if isinstance(value, Namespace):
        return "een namespace"
    if isinstance(value, Cycler):
        return "een cycler"
    if isinstance(value, Joiner):
        return "een joiner"
    kind = type(value).__name__
    if kind == "TemplateReference":
        return "een verwijzing naar de tekst zelf (self)"
    if kind == "Macro":
        return "een macro"
    if kind in ("LoopContext", "AsyncLoopContext"):
        return "de lus zelf (loop)"
    return formatting.describe(value)


_NAMES = {_bounded_range: "range", Cycler: "cycler", Joiner: "joiner", Namespace: "namespace", dict: "dict"}


def _name(function: Any) -> str:
    """What the text calls ``function``: the name a letter writer typed, not Python's."""
    try:
        if function in _NAMES:
            return _NAMES[function]
    except TypeError:  # unhashable
        pass
    return str(getattr(function, "name", None) or getattr(function, "__name__", None) or "functie")


def sandbox(*, autoescape: bool, cache: bool = False, letter_text: bool = False) -> ImmutableSandboxedEnvironment:
    """The one Jinja environment factory: sandboxed, bounded, strict about unknown names, Dutch filters.

    ``letter_text``: the environment of content text, where only text, numbers and dates may be
    printed (a template prints docxtpl's own objects, such as the body).
    """
    env = (_CompilingOnce if cache else _Bounded)(
        letter_text=letter_text,
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        finalize=_letter_value if letter_text else _count_printed,
    )
    return env


# --- Rendering content text, with Jinja's errors in Dutch --------------------------------------------


class Reported(UndefinedError):
    """A use of a value whose own problem is reported where it is defined."""


def reported(name: str) -> Undefined:
    """Stands in for a named value with a problem of its own (a table whose total is wrong): a text
    that uses it stops, and :class:`Failure` says ``reported`` instead of a second, false problem."""
    return StrictUndefined(name=name, exc=Reported)


class Absent(UndefinedError):
    """A use of a value the letter does not have, with a message of its own (``{{ vorige }}`` without ``vorige:``,
    a table that is not in ``tabellen:``)."""

    def __init__(self, message: str | None, name: str):
        super().__init__(message)
        self.name = name


class _AbsentValue(StrictUndefined):
    """Fails like StrictUndefined wherever it would print or compute, but is false in a test, so that
    ``{% if vorige %}`` and ``| default(…)`` still work for a text that allows for the value's absence.

    A filter (but ``default``, ``length`` and ``count``) or a method of a text or list given one
    returns it unchanged (:func:`_bounded_filter`): what it would have made from the value is as
    absent as the value, so printing ``| join`` of it fails here too, and testing it still works.
    """

    __slots__ = ()

    def __bool__(self) -> bool:  # type: ignore[override]  # StrictUndefined fails here
        return False


class _AbsentList(_AbsentValue):
    """An absent list (``contactpersonen``): also empty to a loop and to ``| length``, so that
    ``{% for … %}…{% else %}…{% endfor %}`` works; printing it, anything a filter makes of it or ``[0]`` still fails."""

    __slots__ = ()

    def __iter__(self) -> Any:  # StrictUndefined fails here
        return iter(())

    def __len__(self) -> int:  # type: ignore[override]  # StrictUndefined fails here
        return 0


def absent(name: str, message: str, *, is_list: bool = False) -> Undefined:
    """Stands in for an optional value the letter lacks: a text that prints it fails with ``message``
    (Dutch: which key to add) at ``name``, instead of printing nothing. ``is_list``: a list, empty to a loop."""
    kind = _AbsentList if is_list else _AbsentValue
    return kind(hint=message, name=name, exc=functools.partial(Absent, name=name))  # type: ignore[arg-type]


def unknown(name: str, message: str) -> Undefined:
    """Stands in for a key a mapping of the letter lacks (``tabellen.x``): any use fails with ``message``
    (Dutch: what there is instead) at ``name``, ``is defined`` is false."""
    return StrictUndefined(hint=message, name=name, exc=functools.partial(Absent, name=name))  # type: ignore[arg-type]


@dataclass
class Failure(Exception):
    """An expression in a text failed: the Dutch message, the line inside the text, and the word
    to look for on that line to find the column. ``reported``: it failed on a value whose own
    problem is reported elsewhere; there is nothing more to say."""

    message: str
    line: int
    needle: str | None = None
    reported: bool = False
    cause: str = ""  # the file whose own errors this follows from (problems.Problem.cause)
    syntax: bool = False  # Jinja refused the text: it stops at the first such failure
    col: int | None = None  # the column on ``line`` where ``needle`` stands, when the tag itself is known


def render(env: ImmutableSandboxedEnvironment, text: str, context: dict[str, Any]) -> str:
    """``text`` with its expressions evaluated; any failure is a :class:`Failure`, never a traceback."""
    try:
        return env.from_string(text).render(context)
    except TemplateSyntaxError as exc:
        flaw = jinjatags.misplaced(text) if _misplaceable(exc.message or "") else None
        if flaw is not None:
            line, col = flaw.line_col(text)
            raise Failure(flaw.message, line, flaw.needle, syntax=True, col=col) from None
        message, needle = syntax_message(env, exc.message or "")
        raise Failure(f"fout in expressie: {message}", exc.lineno or 1, needle, syntax=True) from None
    except Reported as exc:
        raise Failure("", _template_line(exc), reported=True) from None
    except Exception as exc:  # noqa: BLE001 - every failure of content is the content's, in Dutch
        message, needle = expression_message(exc)
        if isinstance(exc, UndefinedError) and not isinstance(exc, Absent) and needle:
            message += did_you_mean(needle, _names(context, {k: v for k, v in env.globals.items() if k not in DEFAULT_NAMESPACE}))
        line = _template_line(exc)
        if isinstance(exc, ValueError) and "digits" in str(exc) and line == 1:  # a literal with thousands of digits
            line = _line_of(text, re.compile(rf"\d{{{MAX_DIGITS + 1},}}"))
        raise Failure(message, line, needle, cause=getattr(exc, "cause", "")) from None


def _misplaceable(message: str) -> bool:
    """Whether Jinja's syntax error can come from how the tags are written (not an unknown filter or test)."""
    return message != NESTED_TOO_DEEPLY and not message.startswith(("No filter named", "No test named"))


def _names(*scopes: Mapping[str, Any]) -> set[str]:
    """The names a text can reach: those of its context and, below them, the keys of mappings (tabellen.kosten.totaal)."""
    found: set[str] = set()
    todo = [(scope, 0) for scope in scopes]
    while todo:
        mapping, depth = todo.pop()
        for key, value in mapping.items():
            if isinstance(key, str) and not key.startswith("_"):
                found.add(key)
                if isinstance(value, Mapping) and depth < 3:
                    todo.append((value, depth + 1))
    return found


def _line_of(text: str, pattern: re.Pattern[str]) -> int:
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def syntax_message(env: Any, message: str) -> tuple[str, str | None]:
    """Jinja's syntax errors in Dutch, with the offending name when there is one."""
    if message == NESTED_TOO_DEEPLY:
        return message, None
    unknown_filter = re.search(r"No filter named '([^']+)'", message)
    if unknown_filter:
        name = unknown_filter.group(1)
        return f"onbekend filter '{name}'" + did_you_mean(name, [f for f in env.filters if not f.startswith("__")]), name
    unknown_test = re.search(r"No test named '([^']+)'", message)
    if unknown_test:
        return f"onbekende test '{unknown_test.group(1)}' na 'is'", unknown_test.group(1)
    if message.startswith("unexpected") or "expected token" in message:
        return "de expressie is onvolledig of bevat een onverwacht teken", None
    if "Encountered unknown tag" in message:
        return "onbekende opdracht in {% … %}", None
    if "Missing end of comment tag" in message:
        return "een commentaar {# … #} is niet gesloten", None
    if message.startswith("Missing end of") or "end of template" in message:
        return "een {{ … }} of {% … %} is niet gesloten", None
    return "de expressie {{ … }} of opdracht {% … %} is onvolledig of onjuist geschreven", None


_UNDEFINED = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


def expression_message(exc: BaseException) -> tuple[str, str | None]:
    """The Dutch message, and the name to look for in the source to locate it exactly."""
    text = str(exc)
    if isinstance(exc, ExpressionError):
        return text, exc.needle
    if isinstance(exc, SecurityError):
        attribute = re.search(r"attribute '([^']+)'", text)
        return "expressie niet toegestaan (alleen waarden en filters; geen toegang tot Python-onderdelen)", (
            attribute.group(1) if attribute else None
        )
    if isinstance(exc, Absent):
        return text, exc.name
    if isinstance(exc, UndefinedError):
        match = _UNDEFINED.search(text)
        if match:
            name = match.group(1) or match.group(2)
            return f"onbekende naam '{name}' in expressie", name
        return "expressie mislukt: een waarde ontbreekt (bijvoorbeeld de eerste waarde van een lege lijst)", None
    if isinstance(exc, formatting.FormatError):
        return text, None
    if isinstance(exc, ZeroDivisionError):
        return "expressie mislukt: delen door nul", None
    if isinstance(exc, RecursionError):
        return "expressie mislukt: een macro of lus roept zichzelf te vaak aan", None
    if isinstance(exc, MemoryError):
        return "expressie mislukt: ze gebruikt te veel geheugen", None
    if isinstance(exc, OverflowError) or (isinstance(exc, ValueError) and "digits" in text):
        return f"expressie mislukt: een getal is te groot (meer dan {MAX_DIGITS} cijfers)", None
    if "include" in text or "loader" in text or "extends" in text or "import" in text:
        return "expressie mislukt: {% include %}, {% import %} en {% extends %} kunnen niet in een brief", None
    if isinstance(exc, TypeError) and "argument" in text:
        return "expressie mislukt: een functie krijgt te veel of te weinig waarden, bijvoorbeeld tabel(\"naam\")", None
    if isinstance(exc, TypeError):
        return "expressie mislukt: deze waarden passen niet bij elkaar (bijvoorbeeld tekst en een getal optellen)", None
    return "expressie mislukt: een filter of functie kan niets met deze waarde (controleer de waarden en filters)", None


def _template_line(exc: BaseException) -> int:
    """The line inside the text where rendering failed, from the traceback Jinja rewrites."""
    line = 1
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
