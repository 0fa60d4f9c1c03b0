"""A build in render processes (prepared before the fork, workers.ordered) reports what one process reports:
a broken organisation file, a house style whose check finds errors, the letters that still build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from briefgen.workers import POOL_THRESHOLD
from tests.cli.helpers import run
from tests.conftest import REPO, VALID_LETTER, copy_organisations, write
from tests.unit.test_render_cache import _replace_in_member


def _werkmap(root: Path) -> Path:
    """The example letters and four more letters like one of them (enough for a pool); rzou's file broken, and
    two house styles: huizen's own (checked before the render processes are forked) and one a letter chooses."""
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "content", root / "content", ignore=shutil.ignore_patterns("organisaties"))
    copy_organisations(root)
    letter = (REPO / VALID_LETTER).read_text(encoding="utf-8")
    for number in range(50, 54):
        write(root, f"content/hilversum/2021/brief-{number}.yaml", letter.replace('nummer: "2021/45"', f'nummer: "2021/{number}"'))
    organisation = root / "content" / "organisaties" / "rzou.yaml"
    organisation.write_text(organisation.read_text(encoding="utf-8") + "onbekend_veld: ja\n", encoding="utf-8")
    _replace_in_member(root / "templates" / "hilversum-rib-2016.docx", "word/footer1.xml", ">Pagina <", ">{{ kenmerk <")
    _replace_in_member(root / "templates" / "huizen.docx", "word/footer1.xml", ">-<", ">{{ kenmerk <")  # checked before the fork
    return root


def _built(root: Path) -> dict[str, bytes]:
    """Every file under build/; of the manifest, all but its stat cache (``bestanden``), which by design keeps only
    files that had settled when the build began: which did depends on the time between writing and building."""
    built = {str(path.relative_to(root)): path.read_bytes() for path in sorted((root / "build").rglob("*")) if path.is_file()}
    manifest = json.loads(built.pop("build/.briefgen-manifest.json"))
    manifest.pop("bestanden", None)
    return {**built, "manifest": json.dumps(manifest, sort_keys=True).encode()}


def test_a_build_in_render_processes_reports_what_one_process_reports(tmp_path: Path) -> None:
    alone, pooled = _werkmap(tmp_path / "alleen"), _werkmap(tmp_path / "samen")
    assert len(list(pooled.glob("content/*/*/*.yaml"))) >= POOL_THRESHOLD
    one = run("-C", str(alone), "build", "--formaat", "docx", "--formaat", "html", "--jobs", "1")
    two = run("-C", str(pooled), "build", "--formaat", "docx", "--formaat", "html", "--jobs", "2")
    assert "Traceback" not in one.stderr + two.stderr
    for broken in ("rzou.yaml:", "templates/huizen.docx:", "templates/hilversum-rib-2016.docx:"):
        assert broken in one.stderr, one.stderr
    assert one.returncode == 1 and one.stdout.endswith("6 gebouwd, 0 actueel, 3 met fouten.\n"), one.stdout
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)
    assert _built(alone) and _built(pooled) == _built(alone)
