"""Settings of a werkmap: ``[tool.briefgen]`` in its pyproject.toml, or a briefgen.toml.

A plain dataclass checked by hand: three settings do not need pydantic, and every command
(a build with nothing to do, too) reads them at start-up.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.problems import Problem, ProblemsError


@dataclass(frozen=True)
class Settings:
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    pdf_timeout: float = 120.0
    soffice: str | None = None


# Dutch key in the file → (attribute, check, what a wrong value should have been)
KEYS = {
    "taken": ("jobs", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1, "een geheel getal van minstens 1"),
    "pdf_timeout": ("pdf_timeout", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0,
                    "een aantal seconden groter dan 0"),
    "soffice": ("soffice", lambda v: isinstance(v, str) and v.strip() != "", "het pad naar LibreOffice (tekst)"),
}


def load_settings(root: Path) -> Settings:
    """Read the werkmap's settings; unknown or wrong settings are problems, as in content."""
    for name, table in (("briefgen.toml", ()), ("pyproject.toml", ("tool", "briefgen"))):
        path = root / name
        if not path.is_file():
            continue
        try:
            data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ProblemsError([Problem(name, message=f"ongeldige TOML: {exc}")]) from None
        for key in table:
            data = data.get(key, {}) if isinstance(data, dict) else {}
        if table and not data:
            continue
        return _settings(name, data)
    return Settings()


def _settings(name: str, data: dict[str, Any]) -> Settings:
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in KEYS:
            close = difflib.get_close_matches(key, list(KEYS), n=1)
            hint = f"; bedoelde u '{close[0]}'?" if close else f"; toegestaan zijn: {', '.join(KEYS)}"
            problems.append(Problem(name, message=f"onbekende instelling '{key}'{hint}"))
            continue
        attribute, valid, expected = KEYS[key]
        if valid(value):
            values[attribute] = float(value) if attribute == "pdf_timeout" else value
        else:
            problems.append(Problem(name, message=f"'{key}' moet {expected} zijn, niet {value!r}"))
    if problems:
        raise ProblemsError(problems)
    return Settings(**values)
