"""Turn parsed YAML into content models; every pydantic error becomes a located Dutch Problem."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from briefgen import invisible
from briefgen.model.base import Broken
from briefgen.model.tables import SHAPE
from briefgen.problems import Problem, Severity, closest, did_you_mean
from briefgen.yamlio import Loaded, position, value_position

M = TypeVar("M", bound=BaseModel)


def validate(loaded: Loaded, model: type[M]) -> tuple[M | None, list[Problem]]:
    """The model, or None and located problems.

    A model with a ``consistency()`` method checks what crosses its fields (for instance terms of
    office that overlap); each ``(location, message)`` it returns is an error at that location.
    A ``notices()`` method returns warnings in the same form; they leave the model usable and are for
    ``check`` only (Problem.check_only: a file still being completed, not what a build makes).

    When the only errors are flaws in the shape of tables (model/tables.py) or unknown keys, the
    model comes with its problems: what is checked later (signers, text) is then reported in the
    same run, the flawed tables (not ``sound``) and the unknown keys are left out.
    """
    result, problems, broken = validate_partial(loaded, model)
    return (None if broken else result), problems


def validate_partial(loaded: Loaded, model: type[M]) -> tuple[M | None, list[Problem], Broken]:
    """As :func:`validate`, but a model with any other error comes too, with the places of its broken values.

    Each broken value is left out at its unit (:func:`_unit`: a field of one element of a list, such as
    one signer's name; one table; else its top-level key); a required value that is broken gets the
    ``STAND_INS`` value of its model (the letter's, or the element's). Every element keeps its place in
    its list, so the problems of the others are located as written. What is checked later (resolve.py,
    the model's ``consistency()``) skips every check that needs a broken place (model.base.touches), so the
    model's other problems are still reported, and none that only follows from a broken value.
    """
    try:
        result = model.model_validate(loaded.data)
    except ValidationError as exc:
        errors = _without_union_members(loaded.data, exc.errors(include_url=False))
        errors = _without_explained_missing(model, errors)
        problems = sorted({_problem(loaded, model, err) for err in errors}, key=lambda p: (p.line, p.col, p.message))
        broken = frozenset(unit for err in errors if not (err.get("ctx") or {}).get(SHAPE)
                           for unit in [_unit(model, loaded.data, tuple(err["loc"]))]
                           if err["type"] != "extra_forbidden" or len(unit) == 3)
        broken = frozenset(_meant(model, loaded.data, unit) if len(unit) == 3 else unit for unit in broken)
        if () in broken or not isinstance(loaded.data, Mapping):  # the file itself is not a mapping
            return None, problems, broken
        known = _without(loaded.data, [tuple(err["loc"]) for err in errors if err["type"] == "extra_forbidden"])
        while True:
            try:
                result = model.model_validate(_standing_in(model, known, broken),
                                              context={SHAPE: True})  # its table flaws are in problems
                break
            except ValidationError as again:  # e.g. a misspelt required key: its "ontbreekt" was left out above
                more = {_coarser(broken, _unit(model, known, tuple(err["loc"]))) for err in again.errors(include_url=False)}
                if () in more:
                    return None, problems, broken | more
                broken |= more
    else:
        problems, broken = [], frozenset()
    consistency = getattr(result, "consistency", None)
    found = [Problem(loaded.shown, *position(loaded.located, loc), message)
             for loc, message in (consistency(broken) if consistency else [])]
    if found:
        return None, sorted(problems + found), broken
    notices = getattr(result, "notices", None)
    warnings = [Problem(loaded.shown, *value_position(loaded.located, loc), message, Severity.WARNING, check_only=True)
                for loc, message in (notices(broken) if notices else [])]
    return result, problems + sorted(warnings), broken


def _unit(model: type[BaseModel], data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The part of the data a broken value at ``loc`` takes with it.

    In a list of mappings (signers, contacts, attachments, sections, college members): the field of its
    element (``("ondertekening", 0, "naam")``), or the element when the value is the element itself or
    the element is no mapping. In a mapping of models: the entry (one table, computed as a whole).
    Anything else: its top-level key.
    """
    if len(loc) < 2 or not isinstance(data, Mapping):
        return loc[:1]
    annotation = _field_annotation(model, loc[0])
    if annotation is None or _model_in(_element(annotation)) is None:
        return loc[:1]
    container = data.get(loc[0])
    if isinstance(container, Mapping):
        return loc[:2]
    if not isinstance(container, list) or not isinstance(loc[1], int) or not 0 <= loc[1] < len(container):
        return loc[:1]
    if len(loc) > 2 and isinstance(loc[2], str) and isinstance(container[loc[1]], Mapping):
        return loc[:3]
    return loc[:2]


def _meant(model: type[BaseModel], data: Mapping[str, Any], unit: tuple[Any, ...]) -> tuple[Any, ...]:
    """The field of a list element that a misspelt key stands for (``nam`` -> ``naam``) when the element
    lacks that field: its value is not known, so the checks that need it are skipped (no "kies met 'naam'"
    beside "onbekende sleutel 'nam'"). A field the element does have keeps its own checks."""
    meant = _suggested(model, unit)
    element = data[unit[0]][unit[1]]
    if meant is None or meant[2] in element:
        return unit
    return meant


def _suggested(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """Where the misspelt key at ``loc`` was meant to go (its "bedoelde u"), if anywhere."""
    allowed = allowed_keys(model, loc[:-1])
    if loc[-1] in allowed:
        return None
    meant = closest(str(loc[-1]), allowed)
    return None if meant is None else loc[:-1] + (meant,)


def _coarser(broken: Broken, unit: tuple[Any, ...]) -> tuple[Any, ...]:
    """``unit``, or the unit around it when it is already left out and still fails (its stand-in does not
    do): a field becomes its element, an element its top-level key, a top-level key the whole file ``()``."""
    while unit and any(unit[:len(b)] == b for b in broken):  # not touches(): a field beside the broken one is new
        unit = unit[:-1]
    return unit


def _field_annotation(model: type[BaseModel], alias: Any) -> Any:
    field = next((f for f in model.model_fields.values() if f.alias == alias), None)
    return None if field is None else field.annotation


def _standing_in(model: type[BaseModel], data: Mapping[str, Any], broken: Broken) -> dict[str, Any]:
    """``data`` with each broken unit left out: a top-level key or a table removed, a field of a list element
    removed; a required one gets the ``STAND_INS`` value of its model, an element that is broken as a whole
    becomes its model's stand-ins (``{}`` for a section), so that the places of the elements after it stay the same."""
    copy = dict(data)
    for unit in sorted(broken, key=len, reverse=True):  # a whole element or key after the fields in it
        key = unit[0]
        container = copy.get(key)
        if len(unit) == 1:
            copy.pop(key, None)
            if key in getattr(model, "STAND_INS", {}):
                copy[key] = model.STAND_INS[key]  # type: ignore[attr-defined]
        elif isinstance(container, Mapping):
            copy[key] = {k: v for k, v in container.items() if k != unit[1]}
        elif isinstance(container, list) and isinstance(unit[1], int) and 0 <= unit[1] < len(container):
            stand_ins = getattr(_model_in(_element(_field_annotation(model, key))), "STAND_INS", {})
            element = container[unit[1]]
            if len(unit) == 2 or not isinstance(element, Mapping):
                element = dict(stand_ins)
            else:
                element = {k: v for k, v in element.items() if k != unit[2]}
                if unit[2] in stand_ins:
                    element[unit[2]] = stand_ins[unit[2]]
            copy[key] = [element if i == unit[1] else item for i, item in enumerate(container)]
    return copy


def _without(data: Any, locs: list[tuple[Any, ...]]) -> Any:
    """A copy of ``data`` without the keys at ``locs``; only the containers on their way are copied."""
    if not locs:
        return data
    if isinstance(data, Mapping):
        copy: Any = dict(data)
    elif isinstance(data, list):
        copy = list(data)
    else:
        return data
    for first in {loc[0] for loc in locs if loc}:
        deeper = [loc[1:] for loc in locs if loc and loc[0] == first]
        if any(not rest for rest in deeper):
            if isinstance(copy, dict):
                copy.pop(first, None)
        elif isinstance(first, int) and isinstance(copy, list) and 0 <= first < len(copy) or isinstance(copy, dict) and first in copy:
            copy[first] = _without(copy[first], deeper)
    return copy


def _problem(loaded: Loaded, model: type[BaseModel], err: dict[str, Any]) -> Problem:
    loc = _as_loaded(loaded.located, tuple(err["loc"]))
    if loc and loc[-1] == "[key]":  # pydantic writes the key as text ('None'); the mapping has the key itself
        loc = (*loc[:-2], err.get("input"), "[key]")
        if err["type"] != "literal_error" and not isinstance(err.get("input"), str):
            written = _written_key(loaded.text, *position(loaded.located, loc))
            owner = next((f" onder '{n}'" for n in reversed(loc[:-2]) if isinstance(n, str)), "")
            return Problem(loaded.shown, *position(loaded.located, loc),
                           f"de sleutel {written}{owner} moet tekst zijn; zet hem tussen aanhalingstekens: '{written}'")
    elif err["type"] == "invalid_key":  # pydantic's place is the key as text ('None', or 1 for true)
        loc = (*loc[:-1], err.get("input"))
    where = position if err["type"] in ("extra_forbidden", "missing", "invalid_key") else value_position
    line, col = where(loaded.located, loc)
    if err["type"] == "invalid_key":
        written = _written_key(loaded.text, line, col)
        return Problem(loaded.shown, line, col, f"'{written}' kan geen sleutel zijn (YAML leest het als "
                       f"{_kind_of(err.get('input'))}); zet het tussen aanhalingstekens of kies een bekende sleutel")
    return Problem(loaded.shown, line, col, message(model, err))


def _as_loaded(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """``loc`` with each mapping key as the document has it: pydantic writes a key that is no text as text
    ('None' for a table named ``null:``), so a flaw in that table's cell would be placed at the table."""
    node, parts = data, []
    for part in loc:
        if isinstance(node, Mapping) and part not in node:
            part = next((key for key in node if not isinstance(key, str) and str(key) == part), part)
        parts.append(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return (*parts,)


def _written_key(text: str, line: int, col: int) -> str:
    """A key as the user wrote it (``null``, ``~``, ``1.5``), from its place in the text."""
    lines = text.split("\n")
    row = lines[line - 1][col - 1:] if 0 < line <= len(lines) else ""
    return row.split(":", 1)[0].strip() or "~"


_MEMBER_TAG = re.compile(r"^(int|float|str|bool|decimal|date|none|constrained-\w+|[a-z_-]+\[.*\])$")


def _without_union_members(data: Any, errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """pydantic puts the union member ('int', 'list[…]') into the location; one message per place is enough."""
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    kept, members = [], set()
    # Of a number-or-text cell's member errors, the one about numbers is the one a user needs; of a
    # text-or-mapping value (one per kind of letter) given as a mapping, the mapping's own error.
    for err in sorted(errors, key=lambda e: (not e["type"].startswith("decimal"), _text_of_mapping(e))):
        loc = tuple(part for part in err["loc"] if not (isinstance(part, str) and _MEMBER_TAG.match(part) and not _is_key(data, err["loc"], part)))
        if loc != tuple(err["loc"]):
            members.add(loc)
        if loc in seen:
            if err["type"] == "dict_type" and seen[loc]["type"] == "string_type":
                seen[loc]["type"] = TEXT_OR_MAPPING  # neither: say both
            continue
        seen[loc] = {**err, "loc": loc}
        kept.append(seen[loc])
    # A list where one number or a list of numbers may stand ('totaal: [1, x]'): the list member's error
    # at its element says what is wrong, not the other member's "moet een getal zijn" at the list.
    return [err for err in kept if not (err["loc"] in members and any(
        len(other) > len(err["loc"]) and other[:len(err["loc"])] == err["loc"] for other in members))]


TEXT_OR_MAPPING = "briefgen_text_or_mapping"
"""A value that is neither text nor a mapping where either may stand (a setting per kind of letter)."""


def _text_of_mapping(err: Mapping[str, Any]) -> bool:
    return err["type"] == "string_type" and isinstance(err.get("input"), dict)


def _is_key(data: Any, loc: tuple[Any, ...], part: str) -> bool:
    node = data
    for step in loc:
        if step == part:
            return isinstance(node, dict) and part in node
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return False
    return False


def _without_explained_missing(model: type[BaseModel], errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop "sleutel ontbreekt" when a misspelt key beside it already suggests that very key."""
    suggested = {_suggested(model, tuple(err["loc"])) for err in errors if err["type"] == "extra_forbidden"}
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in suggested)]


def message(model: type[BaseModel], err: dict[str, Any]) -> str:
    """One pydantic error in Dutch, with a "bedoelde u …?" for a misspelt key."""
    loc = tuple(err["loc"])
    kind = err["type"]
    names = [part for part in loc if isinstance(part, str)]
    if loc and isinstance(loc[-1], str):
        key = loc[-1]
    elif names and names[-1] == "rijen":
        key = "een waarde in de rij"
    else:
        key = f"een element van {names[-1]}" if names else ""
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = allowed_keys(model, loc[:-1])
        hidden = invisible.PATTERN.search(str(key))
        bare = invisible.PATTERN.sub("", str(key)).strip()
        if hidden and bare in allowed:
            return f"de sleutel '{bare}' bevat een onzichtbaar teken ({invisible.describe(hidden.group())}); verwijder het"
        message = f"onbekende sleutel '{key}'"
        if hint := did_you_mean(str(key), allowed):
            return message + hint
        if allowed:
            return f"{message}; toegestaan zijn: {', '.join(sorted(allowed))}"
        return message
    if kind == "missing":
        return f"verplichte sleutel '{key}' ontbreekt"
    if loc and loc[-1] == "[key]":  # pydantic's place for the key of a mapping (a table's name)
        parent = f" onder '{names[-2]}'" if len(names) > 1 else ""
        if kind == "literal_error":  # a mapping per kind of letter (huisstijl, informatiecategorie)
            choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
            hint = did_you_mean(str(value), choices) or f"; kies uit: {', '.join(choices)}"
            owner = next((f" onder '{n}'" for n in reversed(loc[:-2]) if isinstance(n, str) and n.isidentifier()), "")
            if value is None:
                return f"een sleutel{owner} is leeg; vul de soort brief in, bijv. {choices[0]}"
            return f"onbekende soort brief '{_show(value)}'{owner}{hint}"
        return f"de sleutel {_show(value)}{parent} moet tekst zijn; zet hem tussen aanhalingstekens: '{_show(value)}'"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("' or '", "', '")
        hint = did_you_mean(str(value), re.findall(r"'([^']*)'", expected)) if isinstance(value, str) else ""
        return f"ongeldige waarde '{_show(value)}' voor '{key}'{hint or '; kies uit: ' + expected}"
    if kind in ("string_too_short", "too_short"):
        return f"'{key}' mag niet leeg zijn"
    if kind == TEXT_OR_MAPPING:
        return f"'{key}' moet tekst zijn of sleutels met waarden (per soort brief), niet {_kind_of(value)}"
    if kind in ("string_type",):
        return f"'{key}' moet tekst zijn, niet {_kind_of(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"'{key}' moet een geheel getal zijn, niet {_kind_of(value)}"
    if kind.startswith("decimal") or kind in ("float_type", "float_parsing"):
        return f"'{key}' moet een getal zijn, niet {_kind_of(value)}"
    if kind == "list_type":
        return f"'{key}' moet een lijst zijn (regels die met '- ' beginnen), niet {_kind_of(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type") and not loc:
        return f"het bestand moet sleutels met waarden bevatten (zoals 'soort:' en 'onderwerp:'), niet {_kind_of(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"'{key}' moet sleutels met waarden bevatten, niet {_kind_of(value)}"
    if "Keys should be strings" in err["msg"]:
        return "een sleutel moet een woord zijn, geen lijst of getal"
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return f"'{key}' moet {'minstens' if kind == 'greater_than_equal' else 'groter dan'} {bound} zijn, niet {value}"
    if kind in ("bool_type", "bool_parsing"):
        return f"'{key}' moet ja of nee zijn"
    return f"ongeldige waarde voor '{key}': {err['msg']}"


def _kind_of(value: Any) -> str:
    if value is None:
        return "leeg"
    if isinstance(value, bool):
        return "ja/nee"
    if isinstance(value, (int, float)):
        return f"het getal {value}"
    if isinstance(value, str):
        return f"de tekst '{_show(value)}'"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, dict):
        return "sleutels met waarden"
    return type(value).__name__


def _show(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys a mapping at ``loc`` may have: walks the model's field types along the location."""
    target: Any = model
    for part in loc:
        current = _model_in(target)
        if current is not None and isinstance(part, str):
            field = next((f for f in current.model_fields.values() if f.alias == part), None)
            if field is None:
                return []
            target = field.annotation
        else:
            target = _element(target)
    current = _model_in(target)
    if current is None:
        return []
    return [f.alias or name for name, f in current.model_fields.items()]


def _model_in(tp: Any) -> type[BaseModel] | None:
    """The model class behind ``tp``, looking through Optional, Union and Annotated only."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    if typing.get_origin(tp) in (typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(tp):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def _element(tp: Any) -> Any:
    """The element type of a list or the value type of a dict (through Optional/Annotated)."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (list, tuple) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        for arg in args:
            element = _element(arg)
            if element is not arg:
                return element
    return tp
