"""The werkmap: a folder with ``content/`` and ``templates/``; where inputs are and outputs go."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from briefgen.problems import BriefgenError, WerkmapNotFound

ORGANISATIONS = "organisaties"
MANIFEST = ".briefgen-manifest.json"
STYLE_NAME = re.compile(r"[\w][\w.-]{0,99}")


@dataclass(frozen=True)
class Werkmap:
    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root).resolve())  # once; paths below derive from it

    @classmethod
    def find(cls, start: Path) -> Werkmap:
        """The nearest folder at or above ``start`` with ``content/`` and ``templates/``, as git finds .git."""
        start = start.resolve()
        for folder in (start, *start.parents):
            if (folder / "content").is_dir() and (folder / "templates").is_dir():
                return cls(folder)
        raise WerkmapNotFound(
            f"geen werkmap gevonden in {start} of een map daarboven "
            "(een werkmap heeft de mappen content/ en templates/); maak er een met 'briefgen init MAP'"
        )

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def manifest(self) -> Path:
        return self.build / MANIFEST

    def organisation_file(self, ident: str) -> Path:
        return self.content / ORGANISATIONS / f"{ident}.yaml"

    def organisation_ids(self) -> list[str]:
        folder = self.content / ORGANISATIONS
        return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []

    def template_file(self, style: str) -> Path | None:
        """``templates/<style>.docx``; None for a name that would point elsewhere (``../``, ``/``)."""
        if not STYLE_NAME.fullmatch(style):
            return None
        return self.templates / f"{style}.docx"

    def letters(self, selection: list[Path] | None = None) -> list[Path]:
        """Letter files, sorted; ``selection`` narrows to given files or folders."""
        roots = [p if p.is_absolute() else Path.cwd() / p for p in selection] if selection else [self.content]
        found: set[Path] = set()
        for root in roots:
            root = root.resolve() if selection else root
            if root.is_file() and not self.is_letter(root):
                raise BriefgenError(f"{root} is geen brief: brieven zijn .yaml-bestanden in {self.shown(self.content)}/ (buiten organisaties/)")
            candidates = [root] if root.is_file() else root.rglob("*.yaml")
            for path in candidates:
                if path.suffix == ".yaml" and self.is_letter(path):
                    found.add(path)
        return sorted(found)

    def is_letter(self, path: Path) -> bool:
        rel = _relative(path, self.content)
        if rel is None or (path.is_symlink() and not self.contains(path)):
            return False  # a link to a file outside the werkmap is not one of its letters
        return (
            path.suffix == ".yaml"
            and rel.parts[0] != ORGANISATIONS
            and not any(part.startswith(".") for part in rel.parts)
        )

    def letter_id(self, letter: Path) -> str:
        """How letters refer to each other: the path under content/ without ``.yaml``."""
        return self._in_content(letter).with_suffix("").as_posix()

    def output(self, letter: Path, suffix: str) -> Path:
        """``content/a/b.yaml`` → ``build/a/b.<suffix>``; always under build/."""
        return self.build / self._in_content(letter).with_suffix(f".{suffix}")

    def _in_content(self, letter: Path) -> Path:
        rel = _relative(letter, self.content)
        if rel is None:  # callers pass letters found under content/
            raise ValueError(f"{letter} is not under {self.content}")
        return rel

    def shown(self, path: Path) -> str:
        rel = _relative(path, self.root)
        return rel.as_posix() if rel is not None else str(path)

    def contains(self, path: Path) -> bool:
        """True when ``path`` (symlinks followed) lies inside the werkmap."""
        try:
            path.resolve().relative_to(self.root)
        except ValueError:
            return False
        return True


def _relative(path: Path, base: Path) -> Path | None:
    """``path`` relative to ``base``: as written when it is below it (cheap), else after resolving."""
    path = path if path.is_absolute() else Path.cwd() / path
    for candidate in (path, path.resolve()):
        try:
            return candidate.relative_to(base)
        except ValueError:
            continue
    return None
