"""Tables whose totals briefgen computes, so text and table can never disagree."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import ConfigDict, Field, StrictInt

from briefgen.model.base import ContentModel, Text

Number = StrictInt | Decimal
Cell = StrictInt | Decimal | str
Row = list[Cell]
"""A row is ``[omschrijving, waarde, …]``; the checks stage verifies label and numbers per cell."""


class Table(ContentModel):
    model_config = ConfigDict(title="Tabel")
    title: Text | None = Field(None, alias="titel")
    kind: Literal["aantal", "bedrag"] = Field("aantal", alias="soort")
    columns: list[Text] | None = Field(None, alias="kolommen")
    rows: list[Row] = Field(alias="rijen", min_length=1)
    total: Number | list[Number] | None = Field(None, alias="totaal")
    total_label: Text = Field("Totaal", alias="totaalregel", min_length=1)
    compare: bool = Field(True, alias="vergelijken", description="Toon de stand uit de vorige brief ernaast")

    @property
    def width(self) -> int:
        """Number of value columns (after the label column)."""
        return max(len(row) - 1 for row in self.rows)

    def totals(self) -> list[Number]:
        """Column sums, computed; a missing cell counts as zero."""
        sums: list[Number] = [0] * self.width
        for row in self.rows:
            for i, value in enumerate(row[1:]):
                if not isinstance(value, str):  # text in a number cell is the checks stage's to report
                    sums[i] += value
        return sums

    def declared_totals(self) -> list[Number] | None:
        if self.total is None:
            return None
        return list(self.total) if isinstance(self.total, list) else [self.total]
