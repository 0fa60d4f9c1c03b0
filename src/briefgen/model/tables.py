"""Tables whose totals briefgen computes, so text and table can never disagree."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictInt,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from briefgen import formatting
from briefgen.model.base import ContentModel, Text, forbidden_character


def _as_written(value: Any) -> Any:
    """A number with a fraction as written in the YAML (yamlio.SourceFloat), not as the float it was read
    into: ``123456789012345678901234567890.12`` keeps every digit, and ``0.125`` its three decimals."""
    source = getattr(value, "source", None)
    if isinstance(value, float) and isinstance(source, str) and math.isfinite(value):
        try:
            return Decimal(source)
        except ArithmeticError:
            return value
    return value


def _not_a_number(value: Any) -> Any:
    """``.inf`` and ``.nan`` in a cell are no number of any kind: kept as the text written, so that
    :meth:`Table.shape` says so (not that an amount "moet een geheel getal zijn")."""
    if isinstance(value, float) and not math.isfinite(value):
        source = getattr(value, "source", None)
        return source if isinstance(source, str) else str(value)
    return value


Exact = Annotated[Decimal, BeforeValidator(_as_written)]
Number = StrictInt | Exact
Cell = Annotated[StrictInt | Exact | str, BeforeValidator(_not_a_number)]
Row = list[Cell]
"""A row is ``[omschrijving, waarde, …]``; :meth:`Table.shape` checks label and numbers per cell."""
ColumnKind = Literal["tekst", "aantal", "bedrag", "procent", "getal"]
TOTALLED = ("aantal", "bedrag")  # column kinds that get a total; a percentage or an average does not add up
FRACTIONAL = ("procent", "getal")  # column kinds whose cells may have decimals, each shown with as many (Table.places)
COLUMN_PLACES = {"procent": 2, "getal": formatting.GETAL_PLACES}
"""The most decimals a column of each fractional kind shows: a number column as many as ``| getal`` (3.125 reads
"3,125" in the table and in the text alike), a percentage column two."""
Flaw = tuple[tuple[str | int, ...], str, Any]  # (location in the table, Dutch message, the value there)

SHAPE = "tabelvorm"  # marks a flaw in a table's shape (in the error's ctx); also the context key to keep them


class Table(ContentModel):
    model_config = ConfigDict(title="Tabel")
    title: Text | None = Field(None, alias="titel")
    kind: Literal["aantal", "bedrag"] = Field("aantal", alias="soort")
    columns: list[Text] | None = Field(None, alias="kolommen")
    kinds: list[ColumnKind] | None = Field(
        None, alias="soorten", description="Soort per kolom, de eerste is tekst: aantal en bedrag worden opgeteld, "
        "procent en getal (decimalen mogen) niet")
    rows: list[Row] = Field(alias="rijen", min_length=1)
    total: Number | list[Number] | None = Field(None, alias="totaal")
    total_label: Text = Field("Totaal", alias="totaalregel", min_length=1)
    compare: bool = Field(True, alias="vergelijken", description="Toon de stand uit de vorige brief ernaast")
    _flaws: list[Flaw] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def shape(self, info: ValidationInfo) -> Table:
        """Every flaw of the table's shape at once, each at its own row, cell, ``kolommen`` or ``totaal``.

        Rows of equal length, a label first, numbers after it (whole ones in an ``aantal`` table),
        one column heading per column and declared totals equal to the sums: a :attr:`sound`
        table is one every stage can compute with. With ``context={SHAPE: True}`` the flaws are
        kept on the table instead of raised (validate.py: the letter's other problems are still found).
        """
        self._flaws = self._row_flaws() or self._total_flaws()
        if self._flaws and not (info.context or {}).get(SHAPE):
            raise ValidationError.from_exception_data(
                "Tabel",
                [{"type": "value_error", "loc": loc, "input": value, "ctx": {"error": message, SHAPE: True}}
                 for loc, message, value in self._flaws],
            )
        return self

    @property
    def sound(self) -> bool:
        return not self._flaws

    def repeated_labels(self) -> list[tuple[int, int]]:
        """(row, its first row) for every row whose label (case and spacing aside) an earlier row has: a table
        compared with the previous letter matches rows by label, so there the second would silently replace
        the first (resolve.py reports it); elsewhere (grouped rows: ``Jeugd: personeel``, ``  overig``) it is fine."""
        labels: dict[str, int] = {}
        repeated = []
        for j, row in enumerate(self.rows):
            if row and isinstance(row[0], str):
                label = " ".join(row[0].split()).casefold()
                if label in labels:
                    repeated.append((j, labels[label]))
                labels.setdefault(label, j)
        return repeated

    def _row_flaws(self) -> list[Flaw]:
        flaws: list[Flaw] = []
        width = Counter(len(row) - 1 for row in self.rows).most_common(1)[0][0]  # the odd rows are the wrong ones
        for j, row in enumerate(self.rows):
            if not row or not isinstance(row[0], str):
                flaws.append((("rijen", j), "een rij begint met een omschrijving: [omschrijving, waarde]", row))
                continue
            forbidden = forbidden_character(row[0])
            if forbidden:
                flaws.append((("rijen", j, 0), forbidden, row[0]))
            if len(row) - 1 != width or width == 0:
                flaws.append((("rijen", j), f"deze rij heeft {len(row) - 1} waarde(n) na de omschrijving, andere rijen "
                                            f"{width}{_split_at_comma(row, width)}", row))
            for k, cell in enumerate(row[1:], 1):
                if isinstance(cell, str):
                    infinite = " (oneindig of NaN kan niet in een tabel)" if cell.lstrip("+-").lower() in _NOT_FINITE else ""
                    flaws.append((("rijen", j, k), _text_cell(cell) + infinite, cell))
                elif (kind := self.column_kind(k - 1)) == "aantal" and Decimal(cell) != Decimal(cell).to_integral_value():
                    hint = "" if self.kinds else "; decimalen in een kolom: geef de kolommen een soort, bijvoorbeeld " \
                                                 "soorten: [tekst, aantal, procent]"
                    flaws.append((("rijen", j, k), f"een aantal is een geheel getal, niet {cell}"
                                                   f"{formatting.number_hint(str(cell)) or hint}", cell))
                elif kind == "bedrag" and (message := _thousands_point(cell)):
                    flaws.append((("rijen", j, k), message, cell))
                elif kind == "bedrag" and _beyond_cents(cell):
                    # shown rounded to cents, the column would no longer add up to its total
                    flaws.append((("rijen", j, k), f"een bedrag heeft hoogstens twee decimalen (centen), niet {cell}"
                                                   f"{_thousands_hint(cell)}", cell))
        if self.columns is not None and not flaws and len(self.columns) != width + 1:
            flaws.append((("kolommen",), f"er zijn {len(self.columns)} kolomkoppen voor {width + 1} kolommen", self.columns))
        if self.kinds is not None and not flaws:
            flaws += self._kind_flaws(width)
        return flaws

    def _kind_flaws(self, width: int) -> list[Flaw]:
        kinds = self.kinds or []
        if "kind" in self.model_fields_set:
            return [(("soorten",), "geef 'soort:' of 'soorten:', niet allebei; 'soorten:' noemt de soort van elke kolom", kinds)]
        if len(kinds) != width + 1:
            return [(("soorten",), f"er zijn {len(kinds)} soorten voor {width + 1} kolommen (de eerste is tekst)", kinds)]
        if kinds[0] != "tekst" or "tekst" in kinds[1:]:
            return [(("soorten",), "de eerste kolom is tekst (de omschrijving), de andere kolommen zijn aantal, bedrag, "
                                   "procent of getal", kinds)]
        return []

    def _total_flaws(self) -> list[Flaw]:
        sums = [total for total, counted in zip(self.totals(), self.totalled(), strict=True) if counted]
        declared = self.declared_totals()
        if declared is None:
            return []
        if "bedrag" in self.column_kinds():
            points = [message for value in declared if (message := _thousands_point(value))]
            if points:
                return [(("totaal",), points[0], self.total)]
        if len(declared) != len(sums):
            return [(("totaal",), f"geef {len(sums)} totaal/totalen op, één per kolom", self.total)]
        columns = [k for k, counted in enumerate(self.totalled()) if counted]
        for got, want, column in zip(declared, sums, columns, strict=True):
            if Decimal(got) != Decimal(want):
                return [(("totaal",), f"het opgegeven totaal {self.shown(got, column=column)} klopt niet met de som van "
                         f"de rijen ({self.shown(want, column=column)})", self.total)]
        return []

    def shown(self, value: Cell, cents: bool | None = None, column: int = 0) -> str:
        """A number of this table in its value column ``column`` (0: the first after the label), written the
        Dutch way: an amount with €, a percentage with %."""
        kind = self.column_kind(column)
        if kind == "bedrag":
            return formatting.bedrag(value, centen=cents)
        if kind in FRACTIONAL:
            places = self.places[column] if 0 <= column < len(self.places) else COLUMN_PLACES[kind]
            return formatting.getal_vast(value, places) + ("%" if kind == "procent" else "")
        return formatting.getal(value)

    def column_kind(self, column: int) -> str:
        """The kind of value column ``column`` (0: the first after the label): from ``soorten:``, else the table's."""
        kinds = self.kinds or []
        return kinds[column + 1] if 0 <= column < len(kinds) - 1 else self.kind

    def column_kinds(self) -> list[str]:
        return [self.column_kind(i) for i in range(self.width)]

    def totalled(self) -> list[bool]:
        """Per value column whether it gets a total: counts and amounts do, percentages and other numbers not."""
        return [kind in TOTALLED for kind in self.column_kinds()]

    @functools.cached_property  # read for every cell of the table (marked): worked out once
    def cents(self) -> bool:
        """Whether this table shows cents: an amount table in which any amount has them shows them in every cell."""
        return any(self.column_kind(k) == "bedrag" and Decimal(c) != Decimal(c).to_integral_value()
                   for row in self.rows for k, c in enumerate(row[1:]) if not isinstance(c, str))

    @functools.cached_property  # read for every cell of the table (shown): worked out once
    def places(self) -> list[int]:
        """Per value column the decimals each of its numbers shows: in a percentage or other number column as many
        as its cell that needs the most (at most :data:`COLUMN_PLACES`), so that 82,5% stands above 75,0%, not 75%."""
        return [max((_places(c, COLUMN_PLACES[kind]) for row in self.rows for c in row[k + 1:k + 2] if not isinstance(c, str)),
                    default=0) if kind in FRACTIONAL else 0 for k, kind in enumerate(self.column_kinds())]

    def marked(self, value: Number, column: int = 0) -> Number:
        """A cell or total for an expression: printed bare in the text it reads as in the table (formatting.bare)."""
        kind = self.column_kind(column)
        return formatting.table_number(value, self.shown(value, self.cents or None, column),
                                       amount=kind == "bedrag", cents=self.cents, fixed=kind in FRACTIONAL)

    @property
    def width(self) -> int:
        """Number of value columns (after the label column)."""
        return max(len(row) - 1 for row in self.rows)

    def totals(self) -> list[Number]:
        """Column sums, computed; a missing cell counts as zero."""
        sums: list[Number] = [0] * self.width
        with formatting.exact():  # every digit: a sum rounded to 28 digits would not match the declared total
            for row in self.rows:
                for i, value in enumerate(row[1:]):
                    if not isinstance(value, str):  # text in a number cell is a flaw of the shape, reported by shape()
                        sums[i] += value
        return sums

    def column_totals(self) -> dict[str, Number]:
        """Each number column's total by its heading (``totaal_per_kolom['Gerealiseerd']``); none without
        ``kolommen:``, or with two number columns under one heading."""
        headings = list(self.columns or [])[1:]
        if len(headings) != self.width or len(set(headings)) != len(headings):
            return {}
        return {heading: total for heading, total, counted in zip(headings, self.totals(), self.totalled(), strict=True)
                if counted}

    def which_total(self, name: str) -> str | None:
        """Why ``tabellen.<name>.totaal`` has no one value: with two number columns or more, the total of
        the first would be taken silently; the message names the columns and how to pick one."""
        counted = sum(self.totalled())
        if counted == 0:
            return f"tabel '{name}' heeft geen kolom die wordt opgeteld (soorten: procent en getal krijgen geen totaal)"
        if counted < 2:
            return None
        headings = list(self.column_totals())
        if headings:
            picks = [f"{{{{ tabellen.{name}.totaal_per_kolom['{heading}'] }}}}" for heading in headings]
            columns = f" ({', '.join(headings)})"
        else:
            picks = [f"{{{{ tabellen.{name}.totalen[{i}] }}}}" for i, c in enumerate(self.totalled()) if c]
            columns = ""
        return (f"tabel '{name}' heeft {counted} kolommen met getallen{columns}: tabellen.{name}.totaal zegt niet "
                f"welke; kies een kolom met {' of '.join(picks)}")

    def first_total(self) -> Number | None:
        """The total of the first column that is totalled; None if no column is."""
        return next((t for t, c in zip(self.totals(), self.totalled(), strict=True) if c), None)

    def declared_totals(self) -> list[Number] | None:
        if self.total is None:
            return None
        return list(self.total) if isinstance(self.total, list) else [self.total]


def _places(cell: Number, most: int) -> int:
    """The decimals ``cell`` needs in a column that shows at most ``most`` (``4.25``: 2, ``75.0``: 0)."""
    return max(0, -int(formatting.rounded(Decimal(cell), most).as_tuple().exponent))


def counted_by(word: str, title: Any, columns: Any) -> bool:
    """Whether ``word`` (after a number in a text) is what a table counts: a word of its title or
    column headings (``42 mensen`` for "Aantal mensen"; not ``12 uur`` or ``12 procent``).

    The one heuristic for "this number is that table's total": the importer uses it to write the
    expression, typednumbers.py to report a typed total that differs.
    """
    counted = list(columns or [])[1:]  # the first heading names the rows (Wijk), not what is counted
    heads = " ".join([str(title or ""), *map(str, counted)]).lower()
    word = word.lower()
    return len(word) >= 4 and any(
        head == word or (len(head) >= 4 and (head.startswith(word) or word.startswith(head)))
        for head in re.findall(r"[^\W\d_]+", heads) if head not in _NOT_COUNTED)


NUMBERING_WORDS = frozenset({
    "artikel", "art", "lid", "hoofdstuk", "paragraaf", "bijlage", "nummer", "nr", "pagina", "blz", "bladzijde",
    "versie", "fase", "stap", "punt", "agendapunt", "motie", "amendement", "week", "jaar", "kwartaal", "ronde",
})
"""A number after these words names a thing ("artikel 15 van de wet"), it counts nothing (import and check)."""
_NOT_FINITE = frozenset({".inf", ".nan", "inf", "nan", "infinity"})
_NOT_COUNTED = frozenset({"aantal", "aantallen", "totaal", "stand", "overzicht", "tabel"})  # words of a heading, not things


_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)")
"""A number as YAML reads it when it is written without quotes."""


def _text_cell(cell: str) -> str:
    """Why a text cell is no number: a number in quotes (``'148'``) is text because of the quotes."""
    hint = formatting.number_hint(cell)
    if not hint and _PLAIN_NUMBER.fullmatch(cell.strip()):
        return (f"'{cell}' is tekst, geen getal: de aanhalingstekens eromheen maken er tekst van; haal ze weg "
                f"(schrijf {cell.strip()})")
    return f"'{cell}' is geen getal{hint}"


def _thousands_point(value: Number) -> str | None:
    """Why an amount written as ``96.400`` is refused: YAML reads a float (96.4), but a Dutch writer
    meant a thousands point; neither reading can be assumed, so the writer is asked which.

    _as_written keeps the trailing zeros (Decimal("96.400")), which is how the three digits are seen.
    Only three decimals ending in 0 have two real readings; ``2.345`` is no amount in cents at all
    (hoogstens twee decimalen, with :func:`_thousands_hint`).
    """
    written = str(value)
    if not isinstance(value, Decimal) or not formatting.point_is_unclear(written):
        return None
    whole = written.replace(".", "")
    cents = Decimal(written).quantize(Decimal("0.01"))
    return (f"bedrag {written} is onduidelijk: een punt is hier een decimaalteken ({formatting.bedrag(value, centen=True)}), "
            f"geen punt voor de duizendtallen; schrijf {whole} voor {formatting.bedrag(int(whole))}, of {cents} voor "
            f"{formatting.bedrag(cents, centen=True)}")


def _thousands_hint(value: Number) -> str:
    """``; schrijf 2345 voor € 2.345`` for an amount with three decimals that may have meant a thousands point."""
    written = str(value)
    if not isinstance(value, Decimal) or not formatting.one_thousands_point(written):
        return ""
    whole = written.replace(".", "")
    return f"; schrijf {whole} voor {formatting.bedrag(int(whole))}"


def _split_at_comma(row: Row, width: int) -> str:
    """A hint when one value too many looks like an amount split at a decimal comma: YAML reads
    ``[Leefgeld, 96400,50]`` as three values."""
    if len(row) - 1 != width + 1:
        return ""
    for whole, part in zip(row[1:], row[2:], strict=False):
        if isinstance(whole, int) and isinstance(part, int) and 0 <= part < 100:
            return f"; staat er een komma in een getal? schrijf {whole}.{part}, met een punt"
    return ""


def _beyond_cents(value: Number) -> bool:
    exponent = Decimal(value).normalize().as_tuple().exponent
    return isinstance(exponent, int) and exponent < -2
