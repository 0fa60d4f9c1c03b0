"""Load YAML so that every value still knows its line and column.

Dates are kept as strings (the timestamp resolver is removed) so that an impossible date such as
2021-02-30 reaches validation and gets a located message instead of a loader crash.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from briefgen import invisible
from briefgen.model.base import FORBIDDEN, forbidden_character
from briefgen.problems import Problem, Severity
from briefgen.werkmap import Unreadable, read_file, shadowed_by

MAX_BYTES = 1_000_000
MAX_NODES = 100_000
STRICT_ONLY = "\t\x85\u2028\u2029"
MAX_CHARACTERS = 2_000_000  # all texts together, aliases expanded

MAX_DEPTH = 100  # lists and mappings inside each other; the C loader crashes far deeper down
MAX_DIGITS = 60  # digits of an integer; Python refuses to convert beyond 4300

_TAG = "tag:yaml.org,2002:"
_TIMESTAMP_TAG = _TAG + "timestamp"
_PLAIN_TAGS = frozenset(_TAG + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge"))


class Refused(MarkedYAMLError):
    """A value briefgen does not accept; ``problem`` is the Dutch message, ``problem_mark`` its place."""


class SourceInt(int):
    """An integer that remembers how it was written (``007``, ``0x1F``, ``1_000``)."""

    source: str


class SourceFloat(float):
    """A number with a fraction that remembers how it was written (``2021.10`` is not ``2021.1``)."""

    source: str


def _with_source(kind: type, value: Any, node: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    number = kind(value)
    number.source = str(node.value).strip()
    return number


class _PlainValues:
    """What both loaders share: only plain YAML values, numbers that keep their text, dates as text.

    A tag such as ``!!binary`` or ``!!python/object`` makes bytes or objects no letter can hold; an
    integer of thousands of digits exceeds what Python converts. Both are refused at their place.
    """

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        tag = node.tag
        tag = str(tag) if tag is not None else ""
        if tag and tag != "!" and (tag not in _PLAIN_TAGS or not _fits(tag, node)):
            shown = tag.replace(_TAG, "!!")
            if tag in _PLAIN_TAGS:
                what = "een lijst" if isinstance(node, SequenceNode) else "sleutels met waarden" if isinstance(
                    node, MappingNode) else "tekst of een getal"
                self._refuse(f"de typeaanduiding '{shown}' past niet bij {what}; laat haar weg", node)
            else:
                self._refuse(f"de typeaanduiding '{shown}' is niet toegestaan; schrijf gewone tekst "
                             "(zet een waarde die met '!' begint tussen aanhalingstekens)", node)
            if isinstance(node, ScalarNode):
                return str(node.value)
            kind = MappingNode if isinstance(node, MappingNode) else SequenceNode
            node = kind(_MAP_TAG if kind is MappingNode else _SEQ_TAG, node.value, node.start_mark, node.end_mark,
                        flow_style=node.flow_style)
        if not isinstance(node, ScalarNode):
            return super().construct_object(node, deep)  # type: ignore[misc]
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except _UNREADABLE:  # an explicit tag on a value it does not fit: '!!int abc', '!!bool misschien'
            self._refuse(f"'{node.value}' past niet bij de typeaanduiding '{tag.replace(_TAG, '!!')}'; "
                         "laat die weg of verbeter de waarde", node)
            return str(node.value)

    def _source_int(self, node: Any) -> Any:
        text = str(node.value)
        digits = len(text)  # counted only when it could be too many (a letter has a few short numbers)
        if digits > MAX_DIGITS:
            digits = sum(ch.isalnum() for ch in text) - text.lower().startswith(("0x", "0o", "0b")) * 2
        if digits > MAX_DIGITS:
            self._refuse(f"het getal is te lang ({digits} cijfers; maximaal {MAX_DIGITS}); "
                         "zet het tussen aanhalingstekens als het tekst is", node)
            return str(node.value)
        return _with_source(SourceInt, super().construct_yaml_int(node), node)  # type: ignore[misc]

    def _refuse(self, message: str, node: Any) -> None:
        """The fast loader stops (the round-trip parse then reads the file again)."""
        raise Refused(None, None, message, node.start_mark)

    def _source_float(self, node: Any) -> Any:
        value = super().construct_yaml_float(node)  # type: ignore[misc]
        if math.isfinite(value) and abs(value) >= 10.0**MAX_DIGITS:  # 1e250: no letter holds such a number
            self._refuse(f"het getal is te groot (meer dan {MAX_DIGITS} cijfers); "
                         "zet het tussen aanhalingstekens als het tekst is", node)
            return str(node.value)
        return _with_source(SourceFloat, value, node)


class _DatesAsText(_PlainValues, RoundTripConstructor):
    """Round-trip constructor that leaves dates as text for the validator to judge.

    A key that is already in its mapping is not an exception but a record in ``duplicates`` (the
    key's node and the node of its first occurrence), and so is a refused value in ``refused``:
    every one of them is reported, and the rest of the file is read on (with the first value of
    a duplicated key), so its other problems are reported too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates: list[tuple[Any, Any, Any]] = []
        self.refused: list[tuple[str, Any]] = []

    def _refuse(self, message: str, node: Any) -> None:
        """Recorded, and the value read as plain text, list or mapping: the rest of the file is still checked."""
        self.refused.append((message, node.start_mark))

    def check_mapping_key(self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any) -> bool:
        if key not in mapping:
            return True
        first = next((other for other, _ in node.value if other is not key_node and isinstance(other, ScalarNode)
                      and self.constructed_objects.get(other, _NOTHING) == key), None)
        if first is not None and type(self.constructed_objects[first]) is not type(key):
            # 'true:' and '1:' (or '1.0:') are one key to Python but two as written: neither is text
            self._refuse(f"de sleutel {key_node.value} moet tekst zijn; zet hem tussen aanhalingstekens: "
                         f"'{key_node.value}'", key_node)
            return False
        self.duplicates.append((key, key_node, first))
        return False  # ruamel then keeps the first value (and its position)


_NOTHING = object()


class _PlainDatesAsText(_PlainValues, SafeConstructor):
    """The same for the fast loader, so both loaders give the same values.

    A document of only plain mappings, lists and scalars (what a letter is) is built by
    :meth:`_plain`, a direct walk over the nodes that makes what ruamel's constructor makes with
    the same scalar constructors, at a fifth of its cost (ruamel's generic machinery was half of
    the loader's time); anything else (an alias, a merge key, a tag, a duplicate key) goes the
    whole way through ruamel's constructor, which also reports it.
    """

    def construct_document(self, node: Any) -> Any:
        try:
            return self._plain(node, set())
        except _NotPlain:
            return super().construct_document(node)

    def flatten_mapping(self, node: Any) -> Any:
        """A merge key ('<<: *x') is left to the round-trip loader: this one lets a key beside it be given twice
        (the last wins), where that one records it as a duplicate and keeps the first."""
        if any(key_node.tag == _MERGE_TAG for key_node, _ in node.value):
            raise YAMLError("merge key")
        return super().flatten_mapping(node)

    def _plain(self, node: Any, seen: set[int]) -> Any:
        if id(node) in seen:  # an alias: the same node again
            raise _NotPlain
        seen.add(id(node))
        tag = node.tag
        if isinstance(node, ScalarNode):
            if tag == _STR_TAG:
                return node.value
            if tag not in _SCALAR_TAGS:
                raise _NotPlain
            try:
                return self.yaml_constructors[tag](self, node)
            except _UNREADABLE:
                raise _NotPlain from None  # ruamel's constructor says what is wrong, at its place
        if isinstance(node, MappingNode) and tag == _MAP_TAG:
            data: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode) or key_node.tag not in _KEY_TAGS:
                    raise _NotPlain
                key = self._plain(key_node, seen)
                if key in data:
                    raise _NotPlain
                data[key] = self._plain(value_node, seen)
            return data
        if isinstance(node, SequenceNode) and tag == _SEQ_TAG:
            return [self._plain(item, seen) for item in node.value]
        raise _NotPlain


def _fits(tag: str, node: Any) -> bool:
    """Whether a plain tag is one for this kind of node (``!!str`` on text, ``!!seq`` on a list, …)."""
    if tag == _MAP_TAG:
        return isinstance(node, MappingNode)
    if tag == _SEQ_TAG:
        return isinstance(node, SequenceNode)
    return isinstance(node, ScalarNode)


_UNREADABLE = (ValueError, KeyError, TypeError, ArithmeticError)  # a scalar constructor on a value it cannot read


class _NotPlain(Exception):
    """A node :meth:`_PlainDatesAsText._plain` leaves to ruamel's constructor."""


_STR_TAG, _MAP_TAG, _SEQ_TAG, _MERGE_TAG = _TAG + "str", _TAG + "map", _TAG + "seq", _TAG + "merge"
_SCALAR_TAGS = frozenset(_TAG + name for name in ("int", "float", "bool", "null", "timestamp"))
_KEY_TAGS = _SCALAR_TAGS | {_STR_TAG}


# ruamel's round-trip constructor makes a value with an explicit '!!str' or '!!timestamp' a
# TaggedScalar, which no field accepts: both loaders make text of it, as of the value without the tag.
_DatesAsText.add_constructor(_STR_TAG, SafeConstructor.construct_yaml_str)
for _constructor in (_DatesAsText, _PlainDatesAsText):
    _constructor.add_constructor(_TIMESTAMP_TAG, SafeConstructor.construct_yaml_str)
    _constructor.add_constructor(_TAG + "int", _PlainValues._source_int)
    _constructor.add_constructor(_TAG + "float", _PlainValues._source_float)


def _yaml() -> YAML:
    """The round-trip loader: slow, but every node knows its line and column."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.Constructor = _DatesAsText
    return yaml


@contextmanager
def _anchor_warning_silenced() -> Iterator[None]:
    """ruamel warns in English on stderr about an anchor defined twice; _reused_anchors says it in Dutch.

    Only around briefgen's own round-trip parses: the warning filter of the process is the caller's.
    (catch_warnings is not thread-safe; briefgen parses YAML on one thread per process.)
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReusedAnchorWarning)
        yield


class _Yaml12Resolver(VersionedResolver):
    """The resolver of the C loader, which reads every file as YAML 1.2 (it ignores a ``%YAML 1.1``
    line): ruamel's own looks the version up again for every scalar, through two failed attribute
    look-ups, a fifth of the loader's time."""

    processing_version = (1, 2)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """Remembered per scalar text: a letter repeats its keys and short values, and the answer
        depends only on the text (the version is fixed, there are no path resolvers)."""
        if kind is not ScalarNode or len(value) > 64 or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        found = _RESOLVED.get(key)
        if found is None:
            if len(_RESOLVED) >= 4096:
                _RESOLVED.clear()
            found = _RESOLVED[key] = super().resolve(kind, value, implicit)
        return found


_RESOLVED: dict[tuple[str, Any], Any] = {}


_FAST: list[YAML] = []  # the process's fast loader (ruamel looks for plug-ins on disk for every new YAML())


def _fast() -> YAML:
    """The C-based loader (ruamel.yaml.clib when installed): plain values, no positions.

    One per process: each ``load`` makes its own parser and constructor, and only adds a small
    record to ``doc_infos``; the loader is replaced after a thousand files, so that stays small.
    """
    if not _FAST or len(_FAST[0].doc_infos) > 1000:
        yaml = YAML(typ="safe", pure=False)
        yaml.allow_duplicate_keys = False
        yaml.Constructor = _PlainDatesAsText
        yaml.Resolver = _Yaml12Resolver
        _FAST[:] = [yaml]
    return _FAST[0]


@dataclass
class Loaded:
    """A parsed YAML document plus where it came from.

    ``data`` comes from the fast loader. Positions are needed only when something is wrong, so
    the round-trip parse that knows them (``located``) is done then, and once.
    """

    path: Path
    shown: str
    data: Any
    text: str = ""
    _located: Any = field(default=None, repr=False, compare=False)

    @property
    def located(self) -> Any:
        """The document with positions; if the round-trip parser cannot read it, no positions (1:1)."""
        if self._located is None:
            try:
                with _anchor_warning_silenced():
                    self._located = _yaml().load(self.text)
            except (YAMLError, RecursionError):
                self._located = self.data
        return self._located


def position(data: Any, loc: tuple[Any, ...]) -> tuple[int, int]:
    """Line and column (1-based) of the value at ``loc`` inside ``data``.

    Walks as deep as the location exists; a missing key points at its parent mapping.
    For a mapping key it points at the key, which is what a user looks for.
    """
    line, col = 1, 1
    node = data
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            try:
                kline, kcol = node.lc.key(part)
                line, col = kline + 1, kcol + 1
            except (KeyError, TypeError):
                pass
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            try:
                iline, icol = node.lc.item(part)
                line, col = iline + 1, icol + 1
            except (KeyError, TypeError):
                pass
            node = node[part]
        else:
            break
    return line, col


def value_position(data: Any, loc: tuple[Any, ...]) -> tuple[int, int]:
    """Like :func:`position`, but for a mapping entry the value's position (for text offsets)."""
    if not loc:
        return 1, 1
    *parent_loc, last = loc
    node = data
    for part in parent_loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return position(data, loc)
    if isinstance(node, CommentedMap) and last in node:
        try:
            vline, vcol = node.lc.value(last)
            return vline + 1, vcol + 1
        except (KeyError, TypeError):
            pass
    return position(data, loc)


def load(path: Path, shown: str, inside: Path | None = None) -> tuple[Loaded | None, list[Problem]]:
    """Read and parse one YAML file; every failure becomes a located Problem, never an exception.

    ``inside``: the werkmap, which a symlink may not lead out of.
    """
    twin = shadowed_by(path)
    if twin is not None:
        return None, [Problem(shown, 1, 1, f"naast dit bestand staat ook '{twin.name}'; beide zouden dezelfde uitvoer "
                              "krijgen, dus alleen dat bestand wordt gebouwd: verwijder of hernoem er één")]
    try:
        raw = read_file(path, inside)
    except Unreadable as exc:
        return None, [Problem(shown, 1, 1, f"kan het bestand niet lezen: {exc}")]
    problems = _check_bytes(raw, shown)
    if problems:
        return None, problems
    text = raw.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    conflict = _conflict_marker(text, shown)
    if conflict:
        return None, [conflict]
    if not text.strip():
        return None, [Problem(shown, 1, 1, "het bestand is leeg")]
    deep, fast = _too_deep(text, shown)
    if deep:
        return None, [deep]
    try:
        data = _fast().load(text) if fast else None
    except (YAMLError, RecursionError, TypeError):
        data = None  # the round-trip parse below says where and why
    else:
        # The C parser accepts a tab inside plain text and reads NEL/U+2028/U+2029 as line breaks
        # where the round-trip parser does not; such files take the strict path, so both agree.
        if data is not None and not any(ch in text for ch in STRICT_ONLY):
            return _checked(Loaded(path, shown, data, text), [])  # the C parser refuses a reused anchor
    yaml = _yaml()
    try:
        with _anchor_warning_silenced():
            data = yaml.load(text)
    except DuplicateKeyError as exc:  # a merge key '<<' twice; other keys are recorded, see _DatesAsText
        return None, [_marked(exc, shown, text, _duplicate_message(exc, text))]
    except MarkedYAMLError as exc:
        return None, (_invisible_problems(text, shown, exc) or _unclosed_quote(text, shown, exc)
                      or [_marked(exc, shown, text, _yaml_message(exc, text))])
    except YAMLError as exc:
        return None, _invisible_problems(text, shown, exc) or [Problem(shown, 1, 1, f"ongeldige YAML: {_YAML_FALLBACK}")]
    except RecursionError:
        return None, [Problem(shown, 1, 1, "de YAML is te diep genest")]
    except TypeError:  # a key that is itself a list or mapping of lists (unhashable)
        line, col = _complex_key(text)
        return None, [Problem(shown, line, col, "een sleutel is een lijst of tabel; sleutels moeten woorden zijn")]
    if data is None:
        return None, [Problem(shown, 1, 1, "het bestand bevat geen gegevens")]
    constructor = yaml.constructor
    found = [_duplicate(shown, text, *duplicate) for duplicate in constructor.duplicates]
    found += [Problem(shown, *_line_col(text, mark.index), message) for message, mark in constructor.refused]
    return _checked(Loaded(path, shown, data, text, data), sorted(found + _reused_anchors(text, shown)))


def canonical(path: Path, shown: str, inside: Path | None = None) -> tuple[str, str] | None:
    """The text of the YAML file at ``path`` and its data as canonical JSON: what the file says, not how
    (comments, blank lines, quotes); mapping order and how a number is written (``007``) are kept.
    None when the file has any problem of its own (even a key given twice, which leaves the data)."""
    loaded, problems = load(path, shown, inside)
    if loaded is None or problems:
        return None
    try:
        return loaded.text, json.dumps(_canonical(loaded.data), ensure_ascii=False, separators=(",", ":"))
    except (ValueError, RecursionError):
        return None


def _canonical(value: Any) -> Any:
    """Parsed YAML as JSON that tells every kind of value apart (both YAML loaders give the same)."""
    if isinstance(value, dict):
        return ["map", [[_canonical(k), _canonical(v)] for k, v in value.items()]]
    if isinstance(value, list):
        return ["seq", [_canonical(item) for item in value]]
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return ["float" if isinstance(value, float) else "int", getattr(value, "source", repr(value))]
    if isinstance(value, str):
        return str(value)
    return [type(value).__name__, repr(value)]


def _checked(loaded: Loaded, warned: list[Problem]) -> tuple[Loaded | None, list[Problem]]:
    if _count_nodes(loaded.data) > MAX_NODES:
        return None, [Problem(loaded.shown, 1, 1, "het bestand is te groot of gebruikt te veel verwijzingen (anchors/aliassen)")]
    bad_keys = _forbidden_keys(loaded)
    if bad_keys:
        return None, sorted([*warned, *bad_keys])
    return loaded, warned


def _forbidden_keys(loaded: Loaded) -> list[Problem]:
    """Keys with a character XML 1.0 forbids (an escape such as ``"\\ud800"``): no field can be named so.

    Values are checked by the model, at their field; a key never reaches a field, so here.
    """
    if not _any_forbidden_key(loaded.data):
        return []
    found = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(loaded.data, ())]
    seen: set[int] = set()
    while stack:
        node, loc = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            for key, value in node.items():
                message = forbidden_character(key) if isinstance(key, str) else None
                if message:
                    found.append(Problem(loaded.shown, *position(loaded.located, loc + (key,)), f"ongeldige sleutel: {message}"))
                stack.append((value, loc + (key,)))
        elif isinstance(node, list):
            stack.extend((item, loc + (i,)) for i, item in enumerate(node))
    return sorted(found, key=lambda p: (p.line, p.col))


def _any_forbidden_key(data: Any) -> bool:
    """The quick look before :func:`_forbidden_keys` locates them (nearly every file has none)."""
    stack, seen = [data], set()
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if id(node) in seen:
                continue
            seen.add(id(node))
            if any(isinstance(key, str) and FORBIDDEN.search(key) for key in node):
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.extend(node)
    return False


_BRACKETS = re.compile(r"[\[\]{}]")
_BLOCK_PREFIX = re.compile(r"^[ ?-]*", re.MULTILINE)
_TOO_DEEP = (f"de YAML is te diep genest (meer dan {MAX_DEPTH} lijsten of tabellen in elkaar); "
             "maak de opbouw platter of zet de tekst tussen aanhalingstekens")


def _too_deep(text: str, shown: str) -> tuple[Problem | None, bool]:
    """Lists and mappings nested more than MAX_DEPTH deep, found before the C loader sees them.

    The C loader builds nested values by recursion in C: tens of thousands of ``[`` crash the
    whole process. A cheap bound from the text (indentation, ``- ``/``? `` and open brackets)
    rules out nearly every file; only above it are the parser's events counted, which costs no
    recursion. Returns the problem, and whether the C loader may read the file.
    """
    block = max(map(len, _BLOCK_PREFIX.findall(text)), default=0) + 2
    if text.count("[") + text.count("{") + block <= MAX_DEPTH:  # no deeper than all the open brackets
        return None, True
    depth = flow = 0
    cut = len(text)
    for found in _BRACKETS.finditer(text):
        depth = depth + 1 if found.group() in "[{" else max(depth - 1, 0)
        flow = max(flow, depth)
        if depth > MAX_DEPTH and cut == len(text):
            cut = found.end()
    if flow + block <= MAX_DEPTH:
        return None, True
    # Deep brackets: the text up to the first one too deep is enough, and cheap (the scanner's
    # look-ahead for keys in brackets grows with the square of their depth).
    if cut < len(text):
        problem, _ = _deepest(text[:cut], shown)
        if problem:
            return problem, False
    return _deepest(text, shown)


def _deepest(text: str, shown: str) -> tuple[Problem | None, bool]:
    depth = 0
    try:
        for event in _yaml().parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return Problem(shown, *_line_col(text, event.start_mark.index), _TOO_DEEP), False
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except (YAMLError, RecursionError):
        return None, False  # a syntax error before the limit: the round-trip parse in load() reports it
    return None, True


_ANCHOR = re.compile(r"&[^\s\[\]{},]")


def _reused_anchors(text: str, shown: str) -> list[Problem]:
    """A warning for each anchor (``&naam``) defined again: an alias means only the last one."""
    if not _ANCHOR.search(text):
        return []
    first: dict[str, int] = {}
    found = []
    try:
        events = list(_yaml().parse(text))
    except (YAMLError, RecursionError):
        return []
    for event in events:
        anchor = getattr(event, "anchor", None)
        if not anchor or isinstance(event, AliasEvent):
            continue
        line, col = _line_col(text, event.start_mark.index)
        if anchor in first:
            found.append(Problem(shown, line, col, f"het anker '&{anchor}' staat er twee keer in (eerder op regel "
                                 f"{first[anchor]}); een verwijzing '*{anchor}' gebruikt alleen het laatste",
                                 Severity.WARNING))
        else:
            first[anchor] = line
    return found


def decode(raw: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    """The text of a content file (UTF-8, a BOM dropped), or None and where it is not: the checks every
    file of the werkmap passes (size, UTF-16, Windows-1252, control characters)."""
    problems = _check_bytes(raw, shown)
    return (None if problems else raw.decode("utf-8").removeprefix("\ufeff")), problems


def _check_bytes(raw: bytes, shown: str) -> list[Problem]:
    if len(raw) > MAX_BYTES:
        return [Problem(shown, 1, 1, f"het bestand is te groot ({len(raw):,} bytes; maximaal {MAX_BYTES:,})".replace(",", "."))]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(raw):
        return [Problem(shown, 1, 1, "het bestand is in UTF-16 opgeslagen; sla het op als UTF-8")]
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return [Problem(shown, line, col, "het bestand is geen geldige UTF-8 (waarschijnlijk Latin-1/Windows-1252); sla het op als UTF-8")]
    if not _SUSPECT.search(text):
        return []
    for lineno, row in enumerate(text.split("\n"), 1):  # not splitlines(): it splits at \x0b and \x0c too
        for colno, ch in enumerate(row.rstrip("\r"), 1):
            if ch != "\t" and (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F and ch != "\x85" or ch in "\ufffe\uffff"):
                return [Problem(shown, lineno, colno, f"ongeldig stuurteken U+{ord(ch):04X} (vaak geplakt uit Word); verwijder het")]
    return []


# Any character the loop in _check_bytes might reject (a superset: a \r before \n is fine there).
_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _looks_like_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte order mark: every other byte of plain text is a NUL."""
    sample = raw[:200]
    return len(sample) >= 4 and (sample[0::2].count(0) > len(sample) // 4 or sample[1::2].count(0) > len(sample) // 4)


def _conflict_marker(text: str, shown: str) -> Problem | None:
    for lineno, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if line.startswith(("<<<<<<< ", ">>>>>>> ")) or line in ("<<<<<<<", ">>>>>>>", "======="):
            return Problem(shown, lineno, 1, "er staat nog een git-samenvoegconflict in het bestand (<<<<<<< / ======= / >>>>>>>); los het conflict eerst op")
    return None


def _marked(exc: MarkedYAMLError, shown: str, text: str, message: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return Problem(shown, 1, 1, message)
    index = getattr(mark, "index", None)
    if isinstance(index, int) and 0 <= index <= len(text):
        return Problem(shown, *_line_col(text, index), message)
    return Problem(shown, mark.line + 1, mark.column + 1, message)


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character, lines counted at \\n only, as an editor shows them.

    The YAML parser also breaks lines at NEL, U+2028 and U+2029, so its own line numbers can be
    off; its character offset is not.
    """
    start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - start + 1


_MAX_SUSPECTS = 20  # invisible characters tried one by one; the rest is not searched
_PARSE_BUDGET = 1_000_000  # characters re-parsed at most to find them (a few seconds at worst)


def _invisible_problems(text: str, shown: str, error: YAMLError) -> list[Problem]:
    """Invisible characters that make the file unreadable, each located at the character.

    Word's soft line break (U+2028 and friends) breaks a line no editor shows; a zero-width space
    in front of a ``#`` turns a comment into text. They are the cause when the file reads with
    them all replaced. Then each of those nearest before the parser's error is tried alone, as
    far as the time budget allows; without the time, the nearest one is named.
    """
    everywhere = [found.start() for found in invisible.PATTERN.finditer(text)]
    parses = _PARSE_BUDGET // max(len(text), 1)
    if not everywhere or not parses or not _reads(_replaced(text, everywhere)):
        return []
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    index = getattr(mark, "index", None)
    at = index if isinstance(index, int) else len(text)
    suspects = sorted(everywhere, key=lambda index: (index > at, abs(at - index)))[:_MAX_SUSPECTS]
    if parses <= len(suspects):
        return [_invisible_problem(text, shown, suspects[0])]
    harmful = [index for index in sorted(suspects)
               if not _reads(_replaced(text, [other for other in everywhere if other != index]))]
    return [_invisible_problem(text, shown, index) for index in harmful or suspects[:1]]


def _invisible_problem(text: str, shown: str, index: int) -> Problem:
    ch = text[index]
    if ch in invisible.LINE_BREAKS:
        message = (f"ongeldige YAML: een onzichtbaar regeleinde ({invisible.describe(ch)}, vaak een 'zachte return' "
                   "uit Word) breekt hier de regel; vervang het door een spatie of een gewone nieuwe regel")
    else:
        fix = "vervang het door een gewone spatie" if invisible.stand_in(ch) else "verwijder het"
        message = f"ongeldige YAML: hier staat een onzichtbaar teken ({invisible.describe(ch)}); {fix}"
    return Problem(shown, *_line_col(text, index), message)


def _replaced(text: str, indices: list[int]) -> str:
    chars = list(text)
    for index in indices:
        chars[index] = invisible.stand_in(text[index])
    return "".join(chars)


def _reads(text: str) -> bool:
    try:
        with _anchor_warning_silenced():
            _yaml().compose(text)
    except (YAMLError, RecursionError):
        return False
    return True


def _complex_key(text: str) -> tuple[int, int]:
    """Where the first key that is a list or mapping with a list or mapping inside starts (else 1:1)."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    try:
        with _anchor_warning_silenced():
            root = _yaml().compose(text)
    except (YAMLError, RecursionError):
        return 1, 1
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen or isinstance(node, ScalarNode):
            continue
        seen.add(id(node))
        pairs = node.value if isinstance(node, MappingNode) else [(None, item) for item in node.value]
        for key, _value in pairs:
            if key is not None and not isinstance(key, ScalarNode):
                inner = key.value if not isinstance(key, MappingNode) else [part for pair in key.value for part in pair]
                if any(not isinstance(part, ScalarNode) for part in inner):
                    return _line_col(text, key.start_mark.index)
        stack.extend(part for key, value in reversed(pairs) for part in (value, key))
    return 1, 1


_QUOTE = "zet de tekst tussen aanhalingstekens"
_YAML_MESSAGES = {  # ruamel's message (problem or context) -> Dutch; the first that matches wins
    "found character '\\t' that cannot start any token": "een tab mag niet voor inspringen gebruikt worden; gebruik spaties",
    "mapping values are not allowed here": f"hier mag geen ':' staan; {_QUOTE} of begin een nieuwe regel",
    "could not find expected ':'": "verwacht een ':' na de sleutel",
    "found undefined alias": "onbekende verwijzing (alias)",
    "expected <block end>, but found": "de inspringing klopt niet",
    "found unexpected end of stream": "het bestand houdt onverwacht op (een aanhalingsteken niet gesloten?)",
    "while scanning a quoted scalar": "een aanhalingsteken is niet gesloten",
    "did not find expected key": "de inspringing klopt niet (verwacht een sleutel)",
    "did not find expected '-' indicator": "de inspringing van de lijst klopt niet",
    "expected the node content": "hier ontbreekt een waarde (houdt het bestand te vroeg op, of is een [ of { niet gesloten?)",
    "expected ',' or ']'": "een lijst [ … ] is niet goed gesloten (ontbreekt een ']' of een komma?)",
    "expected ',' or '}'": "een { … } is niet goed gesloten (ontbreekt een '}' of een komma?)",
    "expected '<document start>'": "hier begint onverwacht een nieuw stuk; staat erboven een regel zonder 'sleutel:'?",
    "while scanning a block scalar": "na '|' of '>' mag op die regel alleen '-', '+', een cijfer of commentaar staan "
                                     "(met een spatie voor de '#')",
    "more indented follow up line than first": "een vervolgregel van dit tekstblok springt verder in dan de eerste regel",
    "found unknown escape character": "onbekende escape met '\\' in tekst tussen dubbele aanhalingstekens; "
                                      "gebruik enkele aanhalingstekens of schrijf '\\\\'",
    "expected escape sequence": "onvolledige escape met '\\' in tekst tussen dubbele aanhalingstekens; "
                                "gebruik enkele aanhalingstekens",
    "while scanning an anchor": f"na '&' moet een naam staan (een anker); {_QUOTE}",
    "while scanning an alias": f"na '*' moet een naam staan (een verwijzing); {_QUOTE}",
    **dict.fromkeys(("while scanning a tag", "while parsing a tag", "tag handle", "expected URI"),
                    f"een '!' aan het begin van een waarde is in YAML een typeaanduiding; {_QUOTE}"),
    "directive": f"een regel die met '%' begint is een YAML-opdracht; {_QUOTE}",
    "incompatible YAML document": f"een regel die met '%' begint is een YAML-opdracht; {_QUOTE}",
    "sequence entries are not allowed here": "hier mag geen lijstregel ('- ') staan; klopt de inspringing?",
    "mapping keys are not allowed here": f"hier mag geen '? ' staan; {_QUOTE}",
    **dict.fromkeys(("document separator", "another document", "document end marker"),
                    "het bestand bevat meer dan één document ('---' of '...'); zet één brief in één bestand"),
    "invalid intendation or unclosed": "de inspringing klopt niet, of een [ of { is niet gesloten",
    "that cannot start any token": f"met dit teken mag een waarde niet beginnen; {_QUOTE}",
}
_YAML_FALLBACK = ("de opbouw van het bestand klopt hier niet; controleer inspringing, aanhalingstekens en "
                  "tekens als ':', '-', '#', '|' en '>'")


def _duplicate_message(exc: DuplicateKeyError, text: str) -> str:
    key = re.search(r'found duplicate key "([^"]*)"', exc.problem or "")
    if not key or exc.problem_mark is None:
        return "een sleutel staat er twee keer in; de tweede zou de eerste stilzwijgend vervangen"
    mark = exc.problem_mark
    start = exc.context_mark.line if exc.context_mark else 0
    pattern = re.compile(rf"^\s{{{mark.column}}}(- )?{re.escape(key.group(1))}\s*:")
    lines = text.split("\n")
    first = next((n + 1 for n in range(start, mark.line) if pattern.match(lines[n])), None)
    where = f" (eerder op regel {first})" if first else ""
    return f"de sleutel '{key.group(1)}' staat er twee keer in{where}; de tweede zou de eerste stilzwijgend vervangen"


def _duplicate(shown: str, text: str, key: Any, node: Any, first: Any) -> Problem:
    """A key given again in its mapping: an error (the file is not used), but read on with the first value."""
    where = f" (eerder op regel {_line_col(text, first.start_mark.index)[0]})" if first is not None else ""
    return Problem(shown, *_line_col(text, node.start_mark.index),
                   f"de sleutel '{key if isinstance(key, str) else node.value}' staat er twee keer in{where}; "
                   "de tweede zou de eerste stilzwijgend vervangen")


def _unclosed_quote(text: str, shown: str, exc: MarkedYAMLError) -> list[Problem]:
    """A quote left open makes YAML read on to the next quote, lines further, and pair every quote
    after it wrongly: its error then stands far from the cause. The cause is a quoted text never
    closed, or one that runs over several lines before the error (rare on purpose in a letter):
    reported at its opening quote."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return []
    opened = exc.context_mark
    if ("quoted scalar" in (exc.context or "") and "end of stream" in (exc.problem or "") and opened is not None
            and 0 <= opened.index < len(text)):
        return [Problem(shown, *_line_col(text, opened.index), _quote_message(text, opened.index, "nergens"))]
    try:
        for token in YAML().scan(text):
            if token.start_mark.line >= mark.line:
                break
            if (type(token).__name__ == "ScalarToken" and token.style in ("'", '"')
                    and _swallows_keys(text, token.start_mark.index, token.end_mark.index)):
                where = f"pas op regel {token.end_mark.line + 1}"
                return [Problem(shown, *_line_col(text, token.start_mark.index),
                                f"{_quote_message(text, token.start_mark.index, where)} (de fout op regel "
                                f"{mark.line + 1} volgt hieruit)")]
    except YAMLError:
        pass
    return []


_KEY_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?[\w-]+:(?:[ \t]|$)", re.MULTILINE)


def _swallows_keys(text: str, start: int, end: int) -> bool:
    """Whether a quoted text runs over lines that read as YAML keys (``aanhef: …``): a quote left open,
    not a long value written over several lines on purpose."""
    first = text.find("\n", start, end)
    return first >= 0 and _KEY_LINE.search(text, first + 1, end) is not None


def _quote_message(text: str, index: int, where: str) -> str:
    quote = text[index]
    if text[index:index + 3].lower() == "'s-":  # a place name like 's-Graveland, which YAML reads as a quote
        end = text.find("\n", index)
        value = text[index:end if end >= 0 else len(text)].rstrip()
        return (f"ongeldige YAML: een waarde die met ' begint, leest YAML als tekst tussen aanhalingstekens, die hier "
                f"{where} wordt gesloten; zet een naam als 's-Graveland tussen dubbele aanhalingstekens: \"{value}\"")
    return (f"ongeldige YAML: dit aanhalingsteken ({quote}) wordt {where} gesloten; zet het sluitende {quote} aan het "
            "eind van de waarde")


def _yaml_message(exc: MarkedYAMLError, text: str) -> str:
    problem = (exc.problem or "") + " " + (exc.context or "")
    mark = exc.problem_mark
    if "'\\t'" in problem and mark is not None:
        line = text.split("\n")[mark.line] if mark.line < len(text.split("\n")) else ""
        if line[: mark.column].strip():  # text before the tab: it is inside the text, not indentation
            return "ongeldige YAML: een tab midden in de tekst (vaak geplakt uit Excel of Word); vervang hem door een spatie of zet de tekst tussen aanhalingstekens"
    for needle, dutch in _YAML_MESSAGES.items():
        if needle in problem:
            return f"ongeldige YAML: {dutch}"
    return f"ongeldige YAML: {_YAML_FALLBACK}"


def _count_nodes(data: Any, limit: int = MAX_NODES + 1) -> int:
    """Count nodes, following aliases (that is what a 'billion laughs' expands to), up to ``limit``.

    Characters are counted as well, so one long text used through many aliases is caught too.
    """
    count = characters = 0
    stack = [data]
    while stack and count < limit:
        node = stack.pop()
        count += 1
        if isinstance(node, str):
            characters += len(node)
            if characters > MAX_CHARACTERS:
                return limit
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return count
