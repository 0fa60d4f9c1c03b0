"""Record the golden texts again after a deliberate change: ``make golden``."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from tests.golden.build import EXPECTED, build_examples, outputs
from tests.golden.extract import docx_text, pdf_text


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        werkmap, report = build_examples(Path(scratch), ("docx", "pdf"))
        if not report.ok:
            raise SystemExit("\n".join(p.format() for p in report.problems) or report.pdf_unavailable)
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for suffix, extract in (("docx", docx_text), ("pdf", pdf_text)):
            for name, path in outputs(werkmap, suffix).items():
                target = EXPECTED / f"{name}.txt"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(extract(path), encoding="utf-8")
                print(f"vastgelegd: {target.relative_to(EXPECTED.parents[2])}")


if __name__ == "__main__":
    main()
