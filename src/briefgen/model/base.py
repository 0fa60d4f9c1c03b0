"""Shared pieces of the content model: strict models with Dutch keys, ISO dates, text."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ContentModel(BaseModel):
    """Base for every content model: unknown keys are errors, keys are the Dutch aliases."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=False,
        frozen=True,
        str_strip_whitespace=True,
        field_title_generator=lambda name, info: info.alias or name,
    )


Broken = frozenset[tuple[Any, ...]]
"""The places of broken values that validate.validate_partial reported and left out (or stood in for)."""


def touches(broken: Broken, loc: tuple[Any, ...]) -> bool:
    """Whether the value at ``loc``, or one inside it, was broken (left out or stood in for): a check that
    needs the value at ``loc`` is skipped. ``("ondertekening", 1)`` is touched by a broken name of that
    signer, by that signer as a whole, and by ``ondertekening`` as a whole; not by signer 0."""
    return any(unit[:len(loc)] == loc or loc[:len(unit)] == unit for unit in broken)


class DateProblem(ValueError):
    pass


def _iso_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not isinstance(value, str) or not _ISO_DATE.match(text):
        raise DateProblem(f"ongeldige datum '{text}': schrijf JJJJ-MM-DD, bijvoorbeeld 2021-05-18")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        month = int(text[5:7])
        reason = f"maand {month} bestaat niet (1 tot en met 12)" if not 1 <= month <= 12 else "die dag bestaat niet"
        raise DateProblem(f"ongeldige datum '{text}': {reason}") from None


FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class TextProblem(ValueError):
    pass


def forbidden_character(text: str) -> str | None:
    """A Dutch message when ``text`` holds a character Word (XML 1.0) cannot contain."""
    bad = FORBIDDEN.search(text)
    if bad is None:
        return None
    return f"de tekst bevat een ongeldig stuurteken U+{ord(bad.group()):04X} (teken {bad.start() + 1}); verwijder het"


def _scalar_text(value: Any) -> Any:
    """Numbers written without quotes (zaaknummer: 1006608) are meant as text, as written:
    the loader keeps a number's source (``nummer: 2021.10`` stays "2021.10", not "2021.1").

    Characters that XML 1.0 forbids (an escaped ``"\x0b"`` in a quoted YAML string) can never
    reach Word: they are reported here with their place in the text.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)):
        return getattr(value, "source", None) or str(value)
    if isinstance(value, str):
        message = forbidden_character(value)
        if message:
            raise TextProblem(message)
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date, json_schema_input_type=dt.date)]
Text = Annotated[str, BeforeValidator(_scalar_text, json_schema_input_type=str | int | float)]
