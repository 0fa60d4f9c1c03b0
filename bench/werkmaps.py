"""Synthetic werkmaps for the benchmark, derived from the repository's example letters.

A werkmap of N letters gets the repository's ``templates/`` and all of ``content/`` (organisations,
attachments, the example letters themselves, which later letters of a series cite), plus N minus
that many letters made from the examples in turn, under ``content/<organisatie>/bench/``. Each
made letter gets its own subject and number and 0-3 extra tables (with a section that cites each),
so letters differ in size the way real ones do. The same N always gives the same files.
"""

from __future__ import annotations

import io
import random
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

REPO = Path(__file__).resolve().parent.parent
ORGANISATIONS = "organisaties"
MAX_EXTRA_TABLES = 3


@dataclass(frozen=True)
class BenchWerkmap:
    root: Path
    letters: list[Path]  # every letter, the examples included
    made: list[Path]  # the letters made from the examples, in order of making

    @property
    def build(self) -> Path:
        return self.root / "build"

    def template(self, name: str) -> Path:
        return self.root / "templates" / f"{name}.docx"


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096  # keep long lines as they are
    return yaml


def examples(content: Path) -> list[Path]:
    """The letter files of a content folder (as briefgen finds them)."""
    return sorted(p for p in content.rglob("*.yaml")
                  if ORGANISATIONS not in p.relative_to(content).parts
                  and not any(part.startswith(".") for part in p.relative_to(content).parts))


def create(root: Path, n: int) -> BenchWerkmap:
    """Write a werkmap with ``n`` letters into ``root`` (which must not exist yet)."""
    root.mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "content", root / "content")
    yaml = _yaml()
    sources = examples(root / "content")
    bases = [(path, yaml.load(path.read_text(encoding="utf-8"))) for path in sources]
    rng = random.Random(n)
    made = []
    for i in range(max(0, n - len(sources))):
        source, base = bases[i % len(bases)]
        data = _vary(yaml.load(_dump(yaml, base)), i, len(bases), rng)  # a deep copy keeping YAML styles
        target = root / "content" / data["organisatie"] / "bench" / f"{i // 100:02d}" / f"{source.stem}-{i:04d}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_dump(yaml, data), encoding="utf-8")
        made.append(target)
    return BenchWerkmap(root, sorted(sources + made), made)


def _dump(yaml: YAML, data) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _vary(data: CommentedMap, i: int, kinds: int, rng: random.Random) -> CommentedMap:
    data["onderwerp"] = f"{data['onderwerp']} (bench {i + 1})"
    if "nummer" in data:
        data["nummer"] = DoubleQuotedScalarString(f"{str(data['datum'])[:4]}/{1000 + i}")
    if "zaaknummer" in data:
        data["zaaknummer"] = DoubleQuotedScalarString(str(2000000 + i))
    extra = (i // kinds) % (MAX_EXTRA_TABLES + 1)  # independent of which example
    if extra:
        tables = data.setdefault("tabellen", CommentedMap())
        sections = data.setdefault("secties", [])
        for k in range(extra):
            name = f"bench_{k + 1}"
            rows = [_flow([f"Categorie {chr(65 + r)}", rng.randint(1, 40)]) for r in range(rng.randint(3, 9))]
            tables[name] = CommentedMap(
                titel=f"Overzicht {k + 1}", soort="aantal", kolommen=_flow(["Categorie", "Aantal"]),
                rijen=rows, totaal=sum(r[1] for r in rows),
            )
            sections.append(CommentedMap(
                kop=f"Overzicht {k + 1}",
                tekst=LiteralScalarString(
                    f"In totaal gaat het om {{{{ tabellen.{name}.totaal }}}} inwoners:\n\n"
                    f'{{{{ tabel("{name}") }}}}\n'
                ),
            ))
    return data


def _flow(items: list) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def change_letter(path: Path) -> None:
    """Edit one letter's subject, as a griffier would."""
    yaml = _yaml()
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["onderwerp"] = f"{data['onderwerp']} (gewijzigd)"
    path.write_text(_dump(yaml, data), encoding="utf-8")


def change_template(path: Path, note: str) -> None:
    """Change a house-style template's bytes without changing what it renders: a ZIP comment."""
    with zipfile.ZipFile(path, "a") as package:
        package.comment = note.encode()
