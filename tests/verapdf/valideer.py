"""``make valideer``: validate every PDF under build/ with veraPDF (PDF/A-2B and PDF/UA-1).

Writes veraPDF's machine-readable report (MRR XML) per PDF to ``build/validatie/`` (same relative
path, ``.xml``) and prints every failed rule; exit code 1 when a PDF fails or veraPDF cannot run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from briefgen.fileio import write_atomic
from briefgen.werkmap import MANIFEST
from tests.verapdf.verapdf import VeraPdfUnavailable, run

REPORTS = "validatie"


def pdfs_under(build: Path) -> list[Path]:
    """The PDFs under build/, without hidden folders (the manifest, temp files) and reports."""
    found = []
    for pdf in sorted(build.rglob("*.pdf")):
        parts = pdf.relative_to(build).parts
        if not any(part.startswith(".") for part in parts) and parts[0] != REPORTS:
            found.append(pdf)
    return found


def build_folder(given: Path) -> Path:
    """The build folder to validate: ``given``, or the ``build/`` of the werkmap ``given`` names
    (``make valideer MAP=werkmap``), so that reports never land beside a werkmap's content."""
    inner = given / "build"
    return inner if inner.is_dir() and not (given / MANIFEST).exists() else given


def main(argv: list[str]) -> int:
    build = build_folder(Path(argv[0] if argv else "build"))
    pdfs = pdfs_under(build)
    if not pdfs:
        print(f"geen PDF's in {build}/: bouw eerst met 'briefgen build'", file=sys.stderr)
        return 1
    try:
        results, build_information = run(pdfs)
    except VeraPdfUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return 1
    failed = 0
    for result in results:
        relative = result.pdf.relative_to(build)
        report = build / REPORTS / relative.with_suffix(".xml")
        write_atomic(report, result.report_xml(build_information), inside=build)
        if result.ok:
            print(f"in orde  {relative}")
            continue
        failed += 1
        print(f"FOUT     {relative}")
        for line in result.problems():
            print(f"  {line}")
    print(f"{len(results)} PDF's gevalideerd tegen PDF/A-2B en PDF/UA-1, {failed} met fouten; "
          f"rapporten in {build / REPORTS}/")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
