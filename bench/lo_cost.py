#!/usr/bin/env python3
"""What LibreOffice spends per letter, and what each change to the templates or the profile saves.

    .venv/bin/python bench/lo_cost.py [--letters 50] [--rounds 3] [--baseline REV] [--out bench/RESULTS.md]

Renders ``--letters`` copies of the Hilversum 2021 example letter to DOCX twice: with the templates of
``--baseline`` (default: where this branch left main) and with the templates of the work tree. Each
variant is then converted the way the PDF builder does it: one ``soffice --convert-to pdf.PDF_FILTER``
call for all letters, started past the shell script (launch.direct), with a profile prepared by
builders/profile.py and kept between calls (one warm-up call first). Variants take turns for
``--rounds`` rounds, so a change in the machine's load hits all of them alike; the figure is the
median user+sys CPU of the call divided by the number of letters, and the saving is the median of the
per-round differences with the baseline. Profile candidates are measured with the work tree's
templates, each with one group of settings added to the profile.

Writes its own section of bench/RESULTS.md (between the markers; bench/run.py keeps it).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prose  # noqa: E402  (re-runs this script under the project's .venv, as every bench script does)
from prose import BENCH, REPO  # noqa: E402

from briefgen.builders import launch, pdf  # noqa: E402
from briefgen.builders import profile as lo_profile  # noqa: E402

BEGIN = "<!-- bench/lo_cost.py: begin -->"
END = "<!-- bench/lo_cost.py: end -->"
LETTER = "content/hilversum/2021/inkoop-wmo-jeugd.yaml"
BRIEFGEN = REPO / ".venv" / "bin" / "briefgen"


def _item(path: str, name: str, value: str) -> str:
    return f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>\n'


# Profile settings tried (registrymodifications.xcu, schema names from LibreOffice's main.xcd).
CANDIDATES = {
    "no printer settings from the document (Save/Document LoadPrinter)":
        _item("/org.openoffice.Office.Common/Save/Document", "LoadPrinter", "false"),
    "no lock files (Misc UseDocumentOOoLockFile, UseDocumentSystemFileLocking, UseLocking)":
        _item("/org.openoffice.Office.Common/Misc", "UseDocumentOOoLockFile", "false")
        + _item("/org.openoffice.Office.Common/Misc", "UseDocumentSystemFileLocking", "false")
        + _item("/org.openoffice.Office.Common/Misc", "UseLocking", "false"),
    "no automatic spell checking (Linguistic/SpellChecking IsSpellAuto)":
        _item("/org.openoffice.Office.Linguistic/SpellChecking", "IsSpellAuto", "false"),
    "no autosave or recovery information (Recovery AutoSave, RecoveryInfo)":
        _item("/org.openoffice.Office.Recovery/AutoSave", "Enabled", "false")
        + _item("/org.openoffice.Office.Recovery/RecoveryInfo", "Enabled", "false"),
    "no recent-documents list or thumbnails (History PickListSize 0, RecentDocsThumbnail)":
        _item("/org.openoffice.Office.Common/History", "PickListSize", "0")
        + _item("/org.openoffice.Office.Common/History", "RecentDocsThumbnail", "false"),
}


@dataclass
class Variant:
    label: str
    docs: list[Path]
    profile: Path
    per_letter_ms: list[float] = field(default_factory=list)


def render(root: Path, templates: dict[str, bytes], letters: int) -> list[Path]:
    """``letters`` copies of LETTER (each its own number) rendered to DOCX with ``templates``."""
    (root / "content").mkdir(parents=True)
    shutil.copytree(REPO / "content" / "organisaties", root / "content" / "organisaties")
    (root / "templates").mkdir()
    for name, data in templates.items():
        (root / "templates" / name).write_bytes(data)
    text = (REPO / LETTER).read_text(encoding="utf-8")
    target = root / LETTER
    target.parent.mkdir(parents=True, exist_ok=True)
    for i in range(letters):
        copy = text.replace('nummer: "2021/45"', f'nummer: "2021/{1000 + i}"')
        (target.parent / f"kopie-{i:03d}.yaml").write_text(copy, encoding="utf-8")
    subprocess.run([str(BRIEFGEN), "-C", str(root), "build", "--formaat", "docx"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    docs = sorted((root / "build").rglob("kopie-*.docx"))
    assert len(docs) == letters, len(docs)
    return docs


def templates_at(revision: str | None) -> dict[str, bytes]:
    """The templates/*.docx of a git revision (None: the work tree)."""
    if revision is None:
        return {p.name: p.read_bytes() for p in (REPO / "templates").glob("*.docx")}
    names = subprocess.run(["git", "-C", str(REPO), "ls-tree", "--name-only", revision, "templates/"],
                           check=True, capture_output=True, text=True).stdout.split()
    return {Path(n).name: subprocess.run(["git", "-C", str(REPO), "show", f"{revision}:{n}"], check=True,
                                         capture_output=True).stdout for n in names if n.endswith(".docx")}


def prepared_profile(folder: Path, version: str, extra: str = "") -> Path:
    lo_profile.prepare(folder, version)
    if extra:
        settings = folder / lo_profile.SETTINGS
        text = settings.read_text(encoding="utf-8")
        at = text.rindex("</oor:items>")
        settings.write_text(text[:at] + extra + text[at:], encoding="utf-8")
    return folder


def convert_cpu(soffice: str, docs: list[Path], profile: Path, scratch: Path) -> float:
    """CPU seconds (user + sys, the whole process tree) of one soffice call converting ``docs``."""
    splash = launch.direct(soffice)
    outdir = Path(tempfile.mkdtemp(dir=scratch))
    command = [splash or soffice, "--headless", "--norestore", "--nolockcheck",
               f"-env:UserInstallation={profile.as_uri()}", "--convert-to", pdf.PDF_FILTER,
               "--outdir", str(outdir), *map(str, docs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=launch.environment(splash) if splash else None, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    made = len(list(outdir.glob("*.pdf")))
    shutil.rmtree(outdir)
    if made != len(docs):
        raise SystemExit(f"LibreOffice made {made} of {len(docs)} PDFs")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _base_revision() -> str:
    return subprocess.run(["git", "-C", str(REPO), "merge-base", "HEAD", "main"], check=True,
                          capture_output=True, text=True).stdout.strip()


def section(variants: list[Variant], args: argparse.Namespace, baseline: str, load: str) -> str:
    base = variants[0]
    soffice = subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout.strip()
    rows = ["| change | ms CPU per letter | saved per letter (median, range) | kept |", "| --- | --- | --- | --- |"]
    for variant in variants:
        median = statistics.median(variant.per_letter_ms)
        if variant is base:
            rows.append(f"| {variant.label} | {median:.0f} | — | — |")
            continue
        reference = variants[1] if variant.label.startswith("profile:") else base
        saved = [r - v for r, v in zip(reference.per_letter_ms, variant.per_letter_ms, strict=True)]
        kept = "yes" if not variant.label.startswith("profile:") else "no"
        rows.append(f"| {variant.label} | {median:.0f} | {statistics.median(saved):+.1f} "
                    f"({min(saved):+.1f} … {max(saved):+.1f}) | {kept} |")
    return "\n".join([
        BEGIN,
        "## LibreOffice per letter (bench/lo_cost.py)",
        "",
        f"Generated by `bench/lo_cost.py` on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; "
        f"{os.cpu_count()} CPUs, {soffice}, Python {platform.python_version()}, load average before: {load}. "
        f"{args.letters} copies of `{LETTER}` (2 pages), one `soffice --convert-to` call each, "
        f"{args.rounds} rounds in turn; baseline: the templates of {baseline[:10]}.",
        "",
        *rows,
        "",
        "- CPU is user + sys of the soffice call (start-up included, spread over the letters); \"saved\" is "
        "the median of the per-round differences (positive: less CPU), profile rows against the current templates.",
        "- Kept (tools/make_templates.py): the logo drawn at 300 dpi of its printed size (192 × 224 px instead of "
        "240 × 280): LibreOffice's PDF export scaled it down to 300 dpi (MaxImageResolution) in every letter; now "
        "it goes in unscaled (tests/pdf/test_lo_cost.py), about 8 ms per letter on its own. And no theme part, "
        "webSettings part or latent styles, which nothing in the templates refers to but LibreOffice imports "
        "in every letter: about 7 ms more (one-off measurement, 3 rounds: 1.8 to 13.3 ms). Pages are the same "
        "(pdftotext identical; at 60 dpi only anti-aliasing pixels of the logo differ; HTML identical).",
        "- Profile rows: settings tried in the prepared profile; builders/profile.py writes none of them, as "
        "none saved more than the round-to-round spread when they were tried (2026-11-30, 3-4 rounds, also "
        "all together: not less). Spell checking and hyphenation do not run in a headless conversion (no "
        "hunspell or libhyphen in a `perf record` of it), and `--convert-to` keeps no recent-documents list.",
        END,
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", help="git revision with the templates to compare with (default: merge-base with main)")
    parser.add_argument("--no-profile", action="store_true", help="skip the profile candidates")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args()
    soffice = pdf.locate_soffice()
    version = lo_profile.version(soffice)
    if version is None:
        raise SystemExit("soffice --version gaf geen versie")
    baseline = args.baseline or _base_revision()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="briefgen-lo-cost-") as folder:
        scratch = Path(folder)
        before = render(scratch / "before", templates_at(baseline), args.letters)
        after = render(scratch / "after", templates_at(None), args.letters)
        variants = [
            Variant("baseline templates", before, prepared_profile(scratch / "p-before", version)),
            Variant("work-tree templates (logo at 300 dpi; no theme, webSettings, latent styles)", after, prepared_profile(scratch / "p-after", version)),
        ]
        if not args.no_profile:
            variants += [Variant(f"profile: {label}", after, prepared_profile(scratch / f"p-{i}", version, extra))
                         for i, (label, extra) in enumerate(CANDIDATES.items())]
        for variant in variants:  # warm-up: the profile's first call fills it
            convert_cpu(soffice, variant.docs, variant.profile, scratch)
        for round_ in range(args.rounds):
            for variant in variants:
                cpu = convert_cpu(soffice, variant.docs, variant.profile, scratch)
                variant.per_letter_ms.append(cpu / len(variant.docs) * 1000)
            print(f"round {round_ + 1}: " + ", ".join(f"{v.label[:30]} {v.per_letter_ms[-1]:.0f}" for v in variants),
                  flush=True)
    text = section(variants, args, baseline, load)
    prose.write(args.out, text, BEGIN, END)
    print(text)


if __name__ == "__main__":
    main()
