"""Settings of a werkmap: ``[tool.briefgen]`` in its pyproject.toml, or a briefgen.toml."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from briefgen.problems import Problem, ProblemsError
from briefgen.validate import message


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)
    # Keys in the settings file are the Dutch aliases; ``jobs`` is also accepted from code.

    jobs: int = Field(default_factory=lambda: os.cpu_count() or 1, alias="taken", ge=1)
    pdf_timeout: float = Field(120.0, alias="pdf_timeout", gt=0)
    soffice: str | None = Field(None, alias="soffice")


def load_settings(root: Path) -> Settings:
    """Read the werkmap's settings; unknown or wrong settings are problems, as in content."""
    for name, table in (("briefgen.toml", None), ("pyproject.toml", ("tool", "briefgen"))):
        path = root / name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ProblemsError([Problem(name, message=f"ongeldige TOML: {exc}")]) from None
        for key in table or ():
            data = data.get(key, {})
        if table and not data and name == "pyproject.toml":
            continue
        try:
            return Settings.model_validate(data)
        except ValidationError as exc:
            raise ProblemsError([Problem(name, message=message(Settings, e)) for e in exc.errors()]) from None
    return Settings()
