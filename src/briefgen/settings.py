"""Settings of a werkmap: ``[tool.briefgen]`` in its pyproject.toml, or a briefgen.toml.

A plain dataclass checked by hand: three settings do not need pydantic, and every command
(a build with nothing to do, too) reads them at start-up. The files are user input like content:
every problem is located (``briefgen.toml:LINE:COL``) and Dutch, tomllib's English included.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.fileio import describe
from briefgen.problems import Problem, ProblemsError, Severity, did_you_mean

MAX_JOBS = 256


@dataclass(frozen=True)
class Settings:
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    pdf_timeout: float = 120.0
    soffice: str | None = None
    source: str | None = field(default=None, compare=False)  # the file they came from, to name in messages
    warnings: tuple[Problem, ...] = field(default=(), compare=False)  # printed by the command, never fatal


def _whole(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


MIN_PDF_TIMEOUT = 1
"""Below a second no LibreOffice converts a letter: every PDF would fail on its time-out."""


def _seconds(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and MIN_PDF_TIMEOUT <= v <= 24 * 3600


# Dutch key in the file → (attribute, check, what a wrong value (and how it is shown) should have been)
KEYS = {
    "taken": ("jobs", lambda v: _whole(v) and 1 <= v <= MAX_JOBS,
              lambda v, shown: f"een geheel getal van minstens 1 zijn, niet {shown}" if not _whole(v) or v < 1
              else f"hoogstens {MAX_JOBS} zijn, niet {shown}"),
    "pdf_timeout": ("pdf_timeout", _seconds,
                    lambda v, shown: f"een aantal seconden van minstens {MIN_PDF_TIMEOUT} (en hoogstens een dag) zijn, "
                                     f"niet {shown}"),
    "soffice": ("soffice", lambda v: isinstance(v, str) and v.strip() != "" and "\0" not in v,
                lambda v, shown: f"het pad naar LibreOffice (tekst) zijn, niet {shown}"),
}

# tomllib's messages (Python 3.11-3.13) in Dutch; the first pattern that matches wins.
TOML_MESSAGES = [
    (r"Invalid statement", "ongeldige regel; verwacht wordt 'naam = waarde' of een [tabel]"),
    (r"Expected newline or end of document after a statement", "na de waarde hoort de regel te eindigen"),
    (r"Expected '=' after a key in a key/value pair", "na de naam van de instelling hoort een '='"),
    (r"Expected '\]' at the end of a table declaration", "de tabelkop mist de ']' aan het eind"),
    (r"Expected '\]\]' at the end of an array declaration", "de tabelkop mist ']]' aan het eind"),
    (r"Expected (.+)", r"hier wordt \1 verwacht"),
    (r"(?:Found invalid|Illegal) character (.+)", r"ongeldig teken \1"),
    (r"Cannot declare (.+) twice", r"de tabel \1 staat er twee keer in"),
    (r"Cannot overwrite a value", "deze instelling heeft al een waarde"),
    (r"Cannot (?:mutate immutable|redefine) namespace (.+)", r"\1 is al eerder vastgelegd"),
    (r"Invalid initial character for a key part", "een naam mag niet zo beginnen"),
    (r"Unclosed array", "de lijst mist de ']' aan het eind"),
    (r"Duplicate inline table key (.+)", r"de naam \1 staat er twee keer in"),
    (r"Unclosed inline table", "de tabel mist de '}' aan het eind"),
    (r"Unescaped '\\' in a string", "een losse '\\' in tekst; schrijf '\\\\' of zet de tekst tussen enkele aanhalingstekens"),
    (r"Invalid hex value", "ongeldige hexadecimale waarde"),
    (r"Escaped character is not a Unicode scalar value", "dit teken bestaat niet in Unicode"),
    (r"Unterminated string", "de tekst mist het aanhalingsteken aan het eind"),
    (r"Invalid date or datetime", "ongeldige datum of tijd"),
    (r"Invalid value", "ongeldige waarde"),
]
_AT = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")


def load_settings(root: Path) -> Settings:
    """Read the werkmap's settings; unknown or wrong settings are problems, as in content."""
    for name, table in (("briefgen.toml", ()), ("pyproject.toml", ("tool", "briefgen"))):
        path = root / name
        if not path.is_file():
            continue
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8").removeprefix("\ufeff")  # a BOM, as an editor on Windows writes it
            data, twice = _parsed(name, text)
        except OSError as exc:
            raise ProblemsError([Problem(name, message=f"kan het bestand niet lezen: {describe(exc)}")]) from None
        except UnicodeDecodeError as exc:
            line, col = _position(raw[: exc.start].decode("utf-8", "replace"))
            raise ProblemsError([Problem(name, line, col, "ongeldige tekst: het bestand is geen UTF-8")]) from None
        except RecursionError:
            raise ProblemsError([Problem(name, 1, 1, "ongeldige TOML: te diep genest")]) from None
        # [briefgen] in pyproject.toml, beside [tool.briefgen] or not: its settings are not used
        unused = _unused_table(name, text, data) if table else ()
        for key in table:
            data = data.get(key, {}) if isinstance(data, dict) else {}
        if table and not data and not twice:
            if unused:
                return Settings(warnings=unused)
            continue
        settings = _settings(name, text, table, data, twice)
        if unused:
            settings = dataclasses.replace(settings, warnings=(*settings.warnings, *unused))
        if not table and data and _tool_table(root / "pyproject.toml") not in (None, data):
            settings = dataclasses.replace(settings, warnings=(Problem(
                name, 1, 1, "ook pyproject.toml heeft [tool.briefgen], met andere instellingen; briefgen gebruikt "
                "alleen briefgen.toml: zet alles in één van de twee", Severity.WARNING),))
        return settings
    return Settings()


def _unused_table(name: str, text: str, document: Any) -> tuple[Problem, ...]:
    """A warning at a [briefgen] table of pyproject.toml, which briefgen does not read; none where there is none."""
    if not (isinstance(document, dict) and isinstance(document.get("briefgen"), dict)):
        return ()
    line, col = _key_position(text, (), "briefgen")
    return (Problem(name, line, col, "briefgen leest zijn instellingen in pyproject.toml uit [tool.briefgen], niet uit "
                    "[briefgen]: deze worden niet gebruikt; zet ze onder [tool.briefgen]", Severity.WARNING),)


def _tool_table(path: Path) -> dict[str, Any] | None:
    """The ``[tool.briefgen]`` table of a pyproject.toml, or None (no file, no table, not readable)."""
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8").removeprefix("\ufeff"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None
    table = data.get("tool", {}).get("briefgen") if isinstance(data.get("tool"), dict) else None
    return table if isinstance(table, dict) and table else None


_TWICE = re.compile(r"Cannot (?:overwrite a value|declare .+ twice)")
_SET_ASIDE = "\0briefgen"  # a table header given twice is read under this name and its line (no file has it)


def _parsed(name: str, text: str) -> tuple[Any, list[Problem]]:
    """The TOML document, and a problem for each setting or table given twice.

    tomllib stops at the first; each such statement is then left out (a table's header read under
    a name no file has), and the file parsed again, so every one of them and the file's other
    problems are reported together. The first value is the one checked. Any other syntax error
    ends the parse: what follows it cannot be read.
    """
    twice: list[Problem] = []
    lines = text.split("\n")
    while True:
        try:
            data = tomllib.loads("\n".join(lines))
        except tomllib.TOMLDecodeError as exc:
            problem = _toml_problem(name, text, str(exc))
            again = _TWICE.match(str(exc)) and len(twice) < len(lines) and _left_out(name, lines, problem.line)
            if not again:
                raise ProblemsError(sorted([*twice, problem])) from None
            twice.append(again)
            continue
        if isinstance(data, dict):
            for key in [key for key in data if key.startswith(_SET_ASIDE)]:
                del data[key]
        return data, twice


def _left_out(name: str, lines: list[str], number: int) -> Problem | None:
    """Leave out the statement on line ``number`` that gives a setting or table again (only one
    that is on that line alone); the problem that says so, or None."""
    if not 0 < number <= len(lines):
        return None
    row = lines[number - 1]
    column = len(row) - len(row.lstrip()) + 1
    header = re.fullmatch(r"\s*\[([^\[\]]+)\]\s*(#.*)?", row)
    if header:
        lines[number - 1] = f'["\\u0000briefgen{number}"]'  # each its own: two set aside under one name would clash
        return Problem(name, number, column, f"ongeldige TOML: de tabel [{header.group(1).strip()}] staat er twee keer in; "
                       "voeg de twee samen")
    if row.lstrip().startswith("["):
        return None
    try:
        alone = tomllib.loads(row)
    except tomllib.TOMLDecodeError:
        return None  # a value over more lines
    key = []
    while isinstance(alone, dict) and len(alone) == 1:
        part, alone = next(iter(alone.items()))
        key.append(part)
    lines[number - 1] = ""
    dotted = ".".join(key)
    table = _table_of(lines, number)
    first, _ = _key_position("\n".join(lines[: number - 1]), table, dotted) if len(key) == 1 else (0, 0)
    where = f" (eerder op regel {first})" if first and not lines[first - 1].lstrip().startswith("[") else ""
    return Problem(name, number, column, f"ongeldige TOML: de instelling '{dotted}' staat er twee keer in{where}; "
                   "verwijder er één")


def _table_of(lines: list[str], number: int) -> tuple[str, ...]:
    """The table the line ``number`` is in: its last header above it."""
    for line in reversed(lines[: number - 1]):
        header = re.match(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$", line)
        if header:
            return tuple(part.strip().strip("\"'") for part in header.group(1).split("."))
    return ()


def _position(before: str) -> tuple[int, int]:
    """Line and column (from 1) of the character after ``before``."""
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


_KEY_TUPLE = re.compile(r"\((?:'[^']*'|\"[^\"]*\")(?:, (?:'[^']*'|\"[^\"]*\"))*,?\)")  # tomllib's ('a[b',)


def _dotted(match: re.Match[str]) -> str:
    """A key as tomllib writes it in a message (a Python tuple) as TOML writes it: ``[a.b]``."""
    try:
        parts = ast.literal_eval(match.group())
    except (ValueError, SyntaxError):
        return match.group()
    return "[" + ".".join(part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part, ensure_ascii=False)
                          for part in parts) + "]"


def _toml_problem(name: str, text: str, message: str) -> Problem:
    where = _AT.search(message)
    if where and where.group(1):
        line, col = int(where.group(1)), int(where.group(2))
    else:
        line, col = _position(text.rstrip("\n") + ("\n" if text.endswith("\n") else ""))
    message = _KEY_TUPLE.sub(_dotted, _AT.sub("", message))
    for pattern, dutch in TOML_MESSAGES:
        match = re.fullmatch(pattern, message, flags=re.DOTALL)
        if match:
            return Problem(name, line, col, f"ongeldige TOML: {match.expand(dutch) if match.re.groups else dutch}")
    return Problem(name, line, col, "ongeldige TOML")


def _key_position(text: str, table: tuple[str, ...], key: str) -> tuple[int, int]:
    """Where ``key`` is set in ``table`` (line, column of the key): as ``key =`` (or ``key.sub =``) under the table's header, as a
    dotted key under a table around it (``tool.briefgen.taken =``), or as a table's header of its own
    (``[tool.briefgen.extra]``); else where the table starts; (0, 0) if unknown."""
    current: tuple[str, ...] = ()
    header_at = (0, 0)
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$", line)
        if header:
            current = tuple(part.strip().strip("\"'") for part in header.group(1).split("."))
            if current == table:
                header_at = (number, line.index("[") + 1)
            if current[:len(table) + 1] == (*table, key):
                return number, line.index("[") + 1
            continue
        if current == table[:len(current)]:
            dotted = r"\s*\.\s*".join(rf"([\"']?){re.escape(part)}\{i + 2}" for i, part in enumerate((*table[len(current):], key)))
            match = re.match(rf"(\s*){dotted}\s*[=.]", line)  # ``key =`` or the first part of ``key.sub =``
            if match:
                return number, len(match.group(1)) + 1
    return header_at if table else (0, 0)


def _settings(name: str, text: str, table: tuple[str, ...], data: Any, twice: list[Problem]) -> Settings:
    if not isinstance(data, dict):
        line, col = _key_position(text, table[:-1], table[-1]) if table else (0, 0)
        raise ProblemsError(sorted([*twice, Problem(name, line, col, f"[{'.'.join(table)}] moet een tabel met instellingen zijn")]))
    problems: list[Problem] = list(twice)
    values: dict[str, Any] = {}
    for key, value in data.items():
        line, col = _key_position(text, table, key)
        if key not in KEYS:
            for dotted, at_line, at_col in _written(text, table, (key,), value, (line, col)):
                hint = _prefix_hint(dotted, table) or _unknown_hint(dotted)
                if not table and key == "tool" and dotted == key and isinstance(value, dict) and "briefgen" in value:
                    hint = _table_hint(text.splitlines(), at_line, "tool.briefgen", value["briefgen"])
                elif not table and key == "briefgen" and dotted == key and isinstance(value, dict):
                    hint = _table_hint(text.splitlines(), at_line, "briefgen", value)
                problems.append(Problem(name, at_line, at_col, f"onbekende instelling '{dotted}'{hint}"))
            continue
        attribute, valid, expected = KEYS[key]
        if valid(value):
            values[attribute] = float(value) if attribute == "pdf_timeout" else value
        else:
            problems.append(Problem(name, line, col, f"'{key}' moet {expected(value, _shown(value))}"))
    if problems:
        raise ProblemsError(sorted(problems))
    return Settings(**values, source=name)


_PREFIXES = ("tool.briefgen.", "briefgen.")


def _unknown_hint(key: str) -> str:
    return did_you_mean(key, KEYS) or f"; toegestaan zijn: {', '.join(KEYS)}"


def _prefix_hint(dotted: str, table: tuple[str, ...]) -> str:
    """A setting written with the name of its table before it (``tool.briefgen.taken`` or ``briefgen.taken``, in
    briefgen.toml or under [tool.briefgen]): what to write instead; empty for any other name."""
    prefix = next((p for p in _PREFIXES if dotted.startswith(p)), None)
    if prefix is None:
        return ""
    where = f"onder [{'.'.join(table)}]" if table else "in briefgen.toml"
    rest = dotted[len(prefix):]
    return f"; {where} staan de instellingen zonder '{prefix}' ervoor" + (
        f": schrijf '{rest}'" if rest in KEYS else f", en ook '{rest}' is geen instelling{_unknown_hint(rest)}")


def _table_hint(lines: list[str], number: int, table: str, settings: Any) -> str:
    """What to do about a [tool.briefgen] or [briefgen] table in briefgen.toml, as the line ``number`` writes it: its
    header, or ``tool = {briefgen = …}`` and ``[tool]`` with ``briefgen.taken = …``; a name in it that is no setting
    is said to be none, rather than given as a line to write."""
    given = settings if isinstance(settings, dict) else {}
    unknown = next((_first_leaf(key, value) for key, value in given.items() if key not in KEYS), None)
    also = f", en ook '{unknown}' is geen instelling{_unknown_hint(unknown)}" if unknown is not None else ""
    header = r"\s*\.\s*".join(table.split("."))
    if re.fullmatch(rf"\s*\[\s*{header}\s*\]\s*(#.*)?", lines[number - 1] if 0 < number <= len(lines) else ""):
        return f"; in briefgen.toml staan de instellingen zonder tabelkop: verwijder de regel [{table}]{also}"
    written = [f"{key} = {_shown(value)}" for key, value in given.items()]
    quoted = [f'"{w}"' if "'" in w else f"'{w}'" for w in written]
    example = f": schrijf {' en '.join(quoted)}{', elk' if len(quoted) > 1 else ''} op een eigen regel" if written else ""
    around = " en ".join(f"'{part}'" for part in table.split("."))
    return f"; in briefgen.toml staan de instellingen zonder {around} eromheen{also or example}"


def _first_leaf(key: str, value: Any) -> str:
    """A key and the first key in each table under it, as a dotted key writes them: ``pdf = {timeout = 3}`` is
    ``pdf.timeout``."""
    while isinstance(value, dict) and value:
        inner, value = next(iter(value.items()))
        key += f".{inner}"
    return key


def _written(text: str, table: tuple[str, ...], path: tuple[str, ...], value: Any,
             at: tuple[int, int]) -> list[tuple[str, int, int]]:
    """An unknown setting as the file writes it: ``pdf.foo = 1`` is 'pdf.foo' at its own line, each
    such dotted key of it on its own; a table (``[pdf]``, ``pdf = {foo = 1}``) is named by itself."""
    lines = text.splitlines()
    if isinstance(value, dict) and value and not _header(lines, at[0]):
        places = {sub: _key_position(text, (*table, *path), sub) for sub in value}
        if all(place != (0, 0) and not _header(lines, place[0]) for place in places.values()):
            return [found for sub, place in places.items() for found in _written(text, table, (*path, sub), value[sub], place)]
    return [(".".join(path), *at)]


def _header(lines: list[str], number: int) -> bool:
    """Whether line ``number`` (from 1) is a table's header."""
    return 0 < number <= len(lines) and lines[number - 1].lstrip().startswith("[")


def _shown(value: Any) -> str:
    """A value as the message shows it: as TOML writes it (not Python's repr), long ones cut short."""
    text = _toml(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'" if "'" not in value and value.isprintable() else json.dumps(value, ensure_ascii=False)
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}" if value else "{}"
    return str(value)
