"""Dutch formatting (Babel, nl_NL): dates, amounts, numbers, lists, phone numbers.

Pure functions; :mod:`briefgen.expressions` offers them as Jinja filters.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import phonenumbers
from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal

LOCALE = Locale.parse("nl_NL")  # parsed once: babel parses a locale name again at every call
# Babel reads a locale's data (0.15 s) on first use. Read now, at import: the build imports this
# module before it forks its worker processes, which then share the data instead of each reading it.
LOCALE.number_symbols  # noqa: B018
NBSP = "\u00a0"


class FormatError(ValueError):
    """A value that a filter cannot format; the message is Dutch and shown to the user."""


class TooBigError(FormatError):
    """A number with more whole digits than a letter can print or round: an error even where a default was given."""


def describe(value: Any) -> str:
    """A value that is not text or a number, named for a letter writer (never its Python form)."""
    if value is None:
        return "niets (None)"
    if isinstance(value, bool):
        return "een ja/nee-waarde"
    if isinstance(value, (list, tuple, range, set, frozenset)) or type(value).__name__ == "generator":
        return "een lijst"
    if isinstance(value, Mapping):
        return "een verzameling van namen en waarden"
    if isinstance(value, type):
        return "een Python-klasse"
    if callable(value):
        return "een functie"
    return "een Python-object"


def shown(value: Any) -> str:
    """``'value'`` for text, numbers and dates (a date in Dutch, as a letter writes it); what it is for anything else."""
    if isinstance(value, dt.date):
        return f"'{_datum(value)}'"
    if isinstance(value, (str, int, float, Decimal)) and not isinstance(value, bool):
        return f"'{value}'"
    return describe(value)


def datum(value: Any) -> str:
    """``2021-05-18`` → ``18 mei 2021``."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise FormatError(f"'{value}' is geen datum (JJJJ-MM-DD)") from None
    if not isinstance(value, dt.date):
        raise FormatError(f"{shown(value)} is geen datum")
    return _datum(value)


@functools.lru_cache(maxsize=1024)
def _datum(value: dt.date) -> str:
    """Remembered by date: Babel formats a date in ~0.1 ms, and every letter writes its own date
    a few times (a batch of letters mostly shares one)."""
    return format_date(value, "d MMMM y", locale=LOCALE)


def _number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise FormatError(f"{shown(value)} is geen getal")
    hint = number_hint(value) + _decimal_reading(value) if isinstance(value, str) else ""
    if hint:  # "1.234,50", or "1.234", which Python would read as one point two three four
        raise FormatError(f"'{value}' is geen getal zoals een berekening het leest (daarin is de punt de decimale komma){hint}")
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise FormatError(f"'{value}' is geen getal") from None
    if not number.is_finite():
        raise FormatError(f"'{value}' is geen getal")
    if number.adjusted() >= MAX_WHOLE_DIGITS:
        raise TooBigError(f"'{value}' is een te groot getal (meer dan {MAX_WHOLE_DIGITS} cijfers voor de komma)")
    return abs(number) if not number else number  # -0.0 is nothing: "0" and "€ 0", never "€ -0"


_BEFORE_POINTS = r"-?[1-9]\d{0,2}"  # the digits before a thousands point: "1.234", never "0.500"
_THOUSANDS = re.compile(rf"{_BEFORE_POINTS}(?:\.\d{{3}})+")
_ONE_POINT = re.compile(rf"{_BEFORE_POINTS}\.\d{{3}}")  # "96.400": a thousands point, or a decimal point


def one_thousands_point(written: str) -> bool:
    """Whether ``written`` is a number with one point and three digits after it (``1.234``, ``96.400``; not
    ``0.500``): a thousands point as a Dutch writer writes it, or a decimal point with three decimals."""
    return bool(_ONE_POINT.fullmatch(written))


def point_is_unclear(written: str) -> bool:
    """Whether one point in ``written`` is as likely a decimal point as a thousands point: ``12.500`` (twelve and a
    half, written with zeros, or twelve thousand five hundred), so that neither reading can be assumed."""
    return one_thousands_point(written) and written.endswith("0")


_DECIMAL_COMMA = re.compile(r"-?\d{1,3}(?:\.\d{3})*,\d+|-?\d+,\d+")


def number_hint(text: str) -> str:
    """A number written the Dutch way, as the YAML of a letter cannot read it: ``; schrijf 8000 (zonder punt)``."""
    bare = text.strip().removeprefix("€").strip()  # "€ 96.400,00": the euro sign is the table's, not the cell's
    if _THOUSANDS.fullmatch(bare):
        return f"; schrijf {bare.replace('.', '')} (zonder punt)"
    if _DECIMAL_COMMA.fullmatch(bare):
        return f"; schrijf {bare.replace('.', '').replace(',', '.')} (met een punt voor de decimalen, geen komma)"
    return ""


def _decimal_reading(text: str) -> str:
    """The other reading of one point between digits that ends in zeros, which may be a decimal point as well as a
    thousands point (``12.500``: twelve and a half, or twelve thousand five hundred): `` voor 12.500, of 12.5 voor
    12,500``."""
    bare = text.strip().removeprefix("€").strip()
    if not point_is_unclear(bare):
        return ""
    return f" voor {bare}, of {format(Decimal(bare).normalize(), 'f')} voor {bare.replace('.', ',')}"


def bedrag(value: Any, centen: bool | None = None) -> str:
    """Whole euros without cents (``€ 19.050.000``), otherwise two decimals (``€ 38,13``), rounded half-up
    (``2.345`` → ``€ 2,35``, as Dutch finance rounds; never Babel's half-even).

    ``centen=True`` always shows cents, as a column of amounts in one table should. The one rule for every
    amount: a table's cells and totals, ``| bedrag`` and a computed amount printed bare (:func:`bare`).
    """
    amount = rounded(_number(value), 2)
    if centen is None:
        centen = amount != amount.to_integral_value()
    return _bedrag(str(amount), centen)


_NO_DEFAULT: Any = object()


def as_int(value: Any, default: Any = _NO_DEFAULT, base: int = 10) -> Any:
    """Jinja's ``| int`` without its silent 0: text is read as :func:`bedrag` reads it (``"12"``; ``"3.7"`` → 3, as
    Jinja), and what is no number (``"twaalf"``, a list, nothing) is an error, unless the text gives a ``default`` for
    it. A number written the Dutch way (``"1.234,50"``, ``"1.234"``) is always an error: it is a number, read wrong."""
    if isinstance(base, bool) or not isinstance(base, int) or not (base == 0 or 2 <= base <= 36):
        raise FormatError(f"{shown(base)} is geen grondtal van een talstelsel: schrijf 2 tot en met 36 (16 voor 'ff'), "
                          "of 0 voor een getal met 0x, 0o of 0b ervoor")
    if isinstance(value, str) and base != 10:
        try:
            return int(value.strip(), base)
        except ValueError:
            if default is _NO_DEFAULT:
                raise FormatError(f"'{value}' is geen getal in het {base}-tallig stelsel") from None
            return default
    number = _convertible(value, default)
    return default if number is None else int(number)


def as_float(value: Any, default: Any = _NO_DEFAULT) -> Any:
    """Jinja's ``| float`` without its silent 0.0, as :func:`as_int`."""
    number = _convertible(value, default)
    return default if number is None else float(number)


def _convertible(value: Any, default: Any) -> Decimal | None:
    """``value`` as a number for ``| int`` and ``| float``; None where it is no number and the text gave a default (a
    number too big to print is one, read right: an error still)."""
    if isinstance(value, bool):  # Jinja's: true | int is 1
        return Decimal(int(value))
    try:
        return _number(value)
    except FormatError as exc:
        if default is _NO_DEFAULT or isinstance(exc, TooBigError) or (isinstance(value, str) and number_hint(value)):
            raise
        return None


GETAL_PLACES = 3  # decimals | getal shows at most (Babel's Dutch pattern #,##0.###), rounded half-up


def getal(value: Any) -> str:
    """``1250`` → ``1.250``; decimals with a comma, at most three, rounded half-up."""
    return _getal(str(rounded(_number(value), GETAL_PLACES)))


def getal_vast(value: Any, places: int) -> str:
    """``6.5`` with 2 places → ``6,50``: rounded half-up to exactly ``places`` decimals, as a table column shows its
    numbers (model.tables.Table.places)."""
    pattern = "#,##0" + ("." + "0" * places if places else "")
    with exact():
        return format_decimal(rounded(_number(value), places), format=pattern, locale=LOCALE)


def round_half_up(value: Any, precision: int = 0, method: str = "common") -> int | float | Decimal:
    """Jinja's ``| round`` the way ``| bedrag`` and a bare number round: ``common`` is half-up (``2.5`` → ``3``,
    ``2.675`` → ``2.68``) in decimal arithmetic, not Python's float rounding to even. ``ceil`` and ``floor``
    as Jinja's. An amount stays an amount; a whole result of a whole number stays whole."""
    if isinstance(precision, bool) or not isinstance(precision, int) or not 0 <= precision <= 10:
        raise FormatError(f"{shown(precision)} is geen aantal decimalen (0 tot en met 10)")
    modes = {"common": decimal.ROUND_HALF_UP, "ceil": decimal.ROUND_CEILING, "floor": decimal.ROUND_FLOOR}
    if method not in modes:
        raise FormatError(f"'{method}' is geen manier van afronden (common, ceil of floor)")
    result = rounded(_number(value), precision, modes[method])
    if is_amount(value):
        return Amount(result)
    if isinstance(value, float):
        return float(result)  # computes on with other floats, as Jinja's own | round
    return int(result) if isinstance(value, int) else result


def filesizeformat(value: Any, binary: bool = False) -> str:
    """Jinja's ``| filesizeformat`` in Dutch: ``12345`` → ``12,3 kB`` (not ``12.3 kB``), ``1`` → ``1 byte``, ``12`` →
    ``12 bytes``; with ``binary`` in KiB, MiB …. One decimal, rounded half-up; a no-break space before the unit."""
    size = _number(value)
    base = 1024 if binary else 1000
    if abs(size) < base:
        whole = int(size)
        return f"{whole}{NBSP}byte" + ("" if abs(whole) == 1 else "s")
    prefixes = ("KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB") if binary else (
        "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB")
    with exact():
        for power, prefix in enumerate(prefixes, 1):  # the first unit in which it is below 1.000 once rounded
            scaled = (size / base**power).quantize(Decimal("0.1"), rounding=decimal.ROUND_HALF_UP)
            if abs(scaled) < base or prefix == prefixes[-1]:
                return f"{format_decimal(scaled, '#,##0.0', locale=LOCALE)}{NBSP}{prefix}"
    raise AssertionError("unreachable")  # the last prefix always returns


def procent(value: Any, decimalen: int = 1) -> str:
    """``82.6086`` → ``82,6%``: rounded to ``decimalen`` decimals, trailing zeros dropped (``50%``)."""
    number = _number(value)
    if isinstance(decimalen, bool) or not isinstance(decimalen, int) or not 0 <= decimalen <= 10:
        raise FormatError(f"{shown(decimalen)} is geen aantal decimalen (0 tot en met 10)")
    return f"{getal(rounded(number, decimalen))}%"


def rounded(number: Decimal, places: int, rounding: str = decimal.ROUND_HALF_UP) -> Decimal:
    """``number`` to at most ``places`` decimals, half away from zero (as a reader rounds; or by ``rounding``),
    without trailing zeros and never ``-0``."""
    with exact():
        result = number.quantize(Decimal(1).scaleb(-places), rounding=rounding)
        result = result.normalize() if result != result.to_integral_value() else result.quantize(Decimal(1))
    return result if result else abs(result)


class TableNumber:
    """A cell or total of a table as it goes into an expression: it computes as the number it is, and
    printed bare in a letter's text (``{{ tabellen.t.totaal }}``) an amount or fraction reads as the table shows it
    (``€ 2.250,45``, ``82,5%``; ``shown`` is that text), a whole number by :func:`bare`'s rule for all whole
    numbers unless ``fixed``: a cell of a percentage or number column reads as the column shows all its cells
    (``75,0%`` under ``82,5%``). What is computed from it is a plain number."""

    shown: str
    fixed = False


class _TableInt(int, TableNumber):
    pass


class _TableDecimal(Decimal, TableNumber):
    pass


def table_number(value: int | Decimal, shown: str, *, amount: bool = False, cents: bool = False,
                 fixed: bool = False) -> int | Decimal:
    """``value`` carrying ``shown``, the way its table prints it; ``amount``: an :class:`Amount` in euros, with
    ``cents`` when its table shows them; ``fixed``: a whole number prints bare as ``shown`` too."""
    if amount:
        money = _TableAmount(value)
        money.shown, money.cents = shown, cents
        return money
    marked: _TableInt | _TableDecimal = _TableInt(value) if isinstance(value, int) else _TableDecimal(value)
    marked.shown, marked.fixed = shown, fixed
    return marked


class Amount(Decimal):
    """An amount in euros as it goes into an expression: a table's cell or total of ``soort: bedrag``, and what
    is computed from it (``+``, ``-``, ``sum``, times or divided by a number), so that a computed amount prints
    bare as the table prints one (``€ 3.000,50``, whole euros ``€ 3.000``; :func:`bedrag`). An amount divided by
    an amount is a ratio, a plain number. ``cents``: it comes from a table that shows cents in every cell, and
    then shows them too (``€ 3.001,00`` as that table's total, not ``€ 3.001``)."""

    cents = False  # a class default: an amount computed in a text shows cents only when it has them

    def _kept(self, result: Any, other: Any = None) -> Any:
        if not isinstance(result, Decimal):
            return result
        kept = Amount(result)
        kept.cents = self.cents or bool(getattr(other, "cents", False))
        return kept

    def __add__(self, other: Any) -> Any:
        return self._kept(Decimal.__add__(self, _exact(other)), other)

    def __radd__(self, other: Any) -> Any:
        return self._kept(Decimal.__radd__(self, _exact(other)), other)

    def __sub__(self, other: Any) -> Any:
        return self._kept(Decimal.__sub__(self, _exact(other)), other)

    def __rsub__(self, other: Any) -> Any:
        return self._kept(Decimal.__rsub__(self, _exact(other)), other)

    def __mul__(self, other: Any) -> Any:
        result = Decimal.__mul__(self, _exact(other))
        return result if is_amount(other) else self._kept(result, other)

    def __rmul__(self, other: Any) -> Any:
        return self._kept(Decimal.__rmul__(self, _exact(other)), other)

    def __truediv__(self, other: Any) -> Any:
        result = Decimal.__truediv__(self, _exact(other))
        return result if is_amount(other) else self._kept(result, other)

    def __neg__(self) -> Any:
        return self._kept(Decimal.__neg__(self))

    def __pos__(self) -> Any:
        return self._kept(Decimal.__pos__(self))

    def __abs__(self) -> Any:
        return self._kept(Decimal.__abs__(self))


def _exact(other: Any) -> Any:
    """A float typed in a text (``0.50``) as the decimal it was written as, so that it computes with an amount."""
    return Decimal(repr(other)) if isinstance(other, float) and math.isfinite(other) else other


class _TableAmount(Amount, TableNumber):
    pass


def is_amount(value: Any) -> bool:
    """An amount in euros: a table's cell or total of ``soort: bedrag``, or computed from one."""
    return isinstance(value, Amount)


def whole(value: Any) -> Any:
    """A whole amount as the whole number it is (``range(x // 500)``, ``x is integer``); anything else as it is."""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    return value


def bare(value: int | float | Decimal) -> str:
    """A number printed without a filter in a letter's text, by one rule for typed, computed and table numbers alike,
    so that the same number never reads two ways in one letter: a whole number below ten thousand as it is (a year,
    ``2021``; ``1299``), from ten thousand with thousands points (``12.500``, the Taalunie's advice); an amount from
    a table as the table prints it (``€ 2.250,45``); a fraction the Dutch way with at most two decimals (``750,15``),
    never Python's ``82.6086956521739``. For another precision: ``| getal``, ``| bedrag`` or ``| procent``."""
    if isinstance(value, TableNumber) and (is_amount(value) or value.fixed or not isinstance(value, int)):
        return value.shown
    if isinstance(value, Amount):
        return bedrag(value, centen=value.cents or None)
    if isinstance(value, int):
        return str(int(value)) if abs(value) < GROUPED_FROM else getal(int(value))
    number = _number(value)
    if number == number.to_integral_value():
        return bare(int(number))
    return getal(rounded(number, 2))


GROUPED_FROM = 10_000  # whole numbers in running text get thousands points from five digits on


# Babel takes 30-40 µs a number and a letter's tables write the same few again and again. Keyed by
# the Decimal's text, not the Decimal: Decimal("1.0") == Decimal("1"), but they print differently.
@functools.lru_cache(maxsize=4096)
def _bedrag(amount: str, centen: bool) -> str:
    digits = "#,##0.00" if centen else "#,##0"
    pattern = f"¤{NBSP}{digits};¤{NBSP}-{digits}"  # Dutch: "€ -5", not "-€ 5"; never broken after "€"
    with exact():
        return format_currency(Decimal(amount), "EUR", format=pattern, locale=LOCALE, currency_digits=False)


@functools.lru_cache(maxsize=4096)
def _getal(number: str) -> str:
    with exact():
        return format_decimal(Decimal(number), locale=LOCALE)


def exact() -> AbstractContextManager[decimal.Context]:
    """A decimal context for any number a letter may hold (up to yamlio.MAX_DIGITS digits): with the
    default 28 digits of precision, Babel's ``quantize`` fails on a longer number, and a sum is rounded."""
    return decimal.localcontext(prec=PRECISION)


PRECISION = 200
MAX_WHOLE_DIGITS = PRECISION // 2  # a number to print or round: with its decimals, well within PRECISION


def _accent_free_table() -> dict[int, str | None]:
    """Latin letters with an accent or stroke to their plain letters (``é`` → ``e``, ``ø`` → ``o``, ``æ`` → ``ae``),
    combining accents to nothing: for :func:`collation_key`, which translates with it rather than decompose each
    letter in a Python loop."""
    table: dict[int, str | None] = {c: None for c in range(0x300, 0x370)}  # combining accents of decomposed text
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        plain = "".join(c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c))
        if plain and plain != chr(code) and plain.isascii():
            table[code] = plain
    # letters that Unicode does not decompose: Işık, Yıldız, Øster, Æbel, Łódź, Đorđević, Œuvre
    for letter, plain in {"ı": "i", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
                          "œ": "oe", "Œ": "OE", "ß": "ss", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D"}.items():
        table[ord(letter)] = plain
    return table


_ACCENT_FREE = _accent_free_table()
COLLATION_PREFIX = 200  # characters of a text whose accents are dropped for its place in the order


def collation_key(value: Any) -> Any:
    """Text in the order of a Dutch index or dictionary, for ``| sort``, ``| dictsort``, ``| min`` and ``| max``:
    letters with an accent beside their letter (``Çelik``, ``Élst``, ``Özdemir`` among the C, E and O, not after the
    Z, as Python's code-point order puts them) and capitals beside small letters; anything else as it is.

    Its cost is that of C code over the text (a sandboxed sort of long texts checks its time between items, not
    within one): the accents are dropped from the first :data:`COLLATION_PREFIX` characters only, beyond which the
    text as written decides."""
    if not isinstance(value, str):
        return value
    folded = value.casefold()
    if folded.isascii():
        return folded[:COLLATION_PREFIX], folded
    return unicodedata.normalize("NFC", folded[:COLLATION_PREFIX]).translate(_ACCENT_FREE).casefold(), folded


def opsomming(items: Iterable[Any]) -> str:
    """``[Wmo, Jeugd, Participatie]`` → ``Wmo, Jeugd en Participatie``."""
    if isinstance(items, str):
        return items
    words = [str(item) for item in items]
    return format_list(words, locale=LOCALE) if words else ""


def telefoon(value: Any) -> str:
    """Dutch notation as NEN 1775 groups it: the net number, then the rest in pairs with a group of three first when
    it is odd (``0306594233`` → ``030 659 42 33``, ``0346254411`` → ``0346 25 44 11``, ``0618878359`` →
    ``06 18 87 83 59``, ``08001234567`` → ``0800 123 45 67``); a municipality's short number as 14 and its area code
    (``140318`` → ``14 0318``); an extension after it (``030 659 42 33 toestel 12``). A number whose rest is written
    in groups of its own, the net number first (``035-629 2798``, as a published letter printed it), keeps them, with
    spaces; a number abroad is written internationally. Formatting a formatted number gives it back unchanged."""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise FormatError(f"{shown(value)} is geen telefoonnummer")
    return _telefoon(str(value))


@functools.lru_cache(maxsize=256)
def _telefoon(text: str) -> str:
    """Cached: the same few numbers (an organisation's) recur in every letter, and parsing one costs 0.2 ms."""
    number = _phone_number(text)
    bare = phonenumbers.PhoneNumber()
    bare.merge_from(number)
    bare.extension = None
    # Non-breaking spaces: a phone number is never split over two lines.
    if number.country_code != 31:
        main = phonenumbers.format_number(bare, phonenumbers.PhoneNumberFormat.INTERNATIONAL).replace(" ", NBSP)
    else:
        net, _, rest = phonenumbers.format_number(bare, phonenumbers.PhoneNumberFormat.NATIONAL).partition(" ")
        main = NBSP.join(_national_groups(net, rest.replace(" ", ""), _without_extension(text, number.extension)))
    return f"{main}{NBSP}toestel{NBSP}{number.extension}" if number.extension else main


def _national_groups(net: str, digits: str, written_text: str | None) -> list[str]:
    """A Dutch number's groups after its net number ``net``: the writer's own when the rest is written in two or
    more groups (``035-629 2798``; not ``030-6594233``, a net number and the rest in one), else pairs."""
    if net == "14" or not digits:
        return [net, digits] if digits else [net]  # 14 and the area code of the municipality: one group (14 0318)
    written = re.findall(r"\d+", written_text or "")
    if written_text is not None and _OWN_GROUPING.fullmatch(written_text.strip()) and len(written) > 2 \
            and written[0] == net and "".join(written[1:]) == digits:
        return written
    return [net, *_in_pairs(digits)]


def _without_extension(text: str, extension: str | None) -> str | None:
    """``text`` without the extension written after the number (``030 659 4233 x12`` → ``030 659 4233``); None when
    it cannot be told apart."""
    if not extension:
        return text
    found = re.fullmatch(rf"(.*\d)\D+{re.escape(extension)}\D*", text)
    return found.group(1) if found else None


_OWN_GROUPING = re.compile(r"0\d+(?:[\s-]+\d+)+")
"""A national number written in groups (``035-629 2798``, ``020 624 1111``), the net number first."""


def _in_pairs(digits: str) -> list[str]:
    """``6594233`` → ``659 42 33``, ``254411`` → ``25 44 11``: pairs, with a group of three first when the count is odd."""
    first = 3 if len(digits) % 2 and len(digits) > 1 else len(digits) % 2 or 2
    return [digits[:first], *(digits[i:i + 2] for i in range(first, len(digits), 2))]


_TOESTEL = re.compile(r"\s*\b(?:toestel|tst\.?)\s*(?=\d+\s*$)", re.IGNORECASE)
"""An extension written in Dutch (``toestel 12``, ``tst. 12``), as :func:`telefoon` writes it."""


_PHONE_EXAMPLE = " (bijvoorbeeld 035 629 26 26 of 06 12 34 56 78)"


def _phone_number(text: str) -> phonenumbers.PhoneNumber:
    """A Dutch or international phone number, parsed and valid; FormatError when it is no such number."""
    try:
        number = phonenumbers.parse(_TOESTEL.sub(" ext. ", text), "NL")
    except phonenumbers.NumberParseException:
        raise FormatError(f"'{text}' is geen telefoonnummer{_PHONE_EXAMPLE}") from None
    if not phonenumbers.is_valid_number(number):
        raise FormatError(f"'{text}' is geen geldig telefoonnummer{_PHONE_EXAMPLE}")
    return number


def telefoon_link(text: str) -> str:
    """The ``tel:`` link of a phone number as a letter shows it (E.164: ``tel:+31618878359``, an extension as
    ``;ext=12``); empty when ``text`` is not a phone number."""
    try:
        number = _phone_number(text)
    except FormatError:
        return ""
    extension = f";ext={number.extension}" if number.extension else ""
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) + extension


def woorden(value: Any) -> str:
    """``15`` → ``vijftien``. num2words is imported here: it costs a worker 0.1 s to import, and few
    letters write a number in words."""
    from num2words import num2words  # type: ignore[import-untyped]  # num2words ships no type information

    number = _number(value)
    if number != number.to_integral_value():
        raise FormatError(f"'{value}' is geen geheel getal")
    return num2words(int(number), lang="nl")


def contact(person: Any) -> str:
    """One contact as a phrase: ``E. Seijsener voor Wmo (06 18878359)``."""
    text = str(person["naam"])
    if person.get("domein"):
        text += f" voor {person['domein']}"
    reach = [telefoon(person["telefoon"])] if person.get("telefoon") else []
    if person.get("email"):
        reach.append(str(person["email"]))
    if reach:
        text += f" ({', '.join(reach)})"
    return text


def contacten(people: Iterable[Any]) -> str:
    return opsomming(contact(p) for p in people)


def today() -> dt.date:
    """Today's date in the Netherlands, whatever the machine's time zone (a CI runner on UTC is an hour or two
    behind Dutch midnight); the machine's own date where the time-zone database is missing."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    except ZoneInfoNotFoundError:
        return dt.date.today()
