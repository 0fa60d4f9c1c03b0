"""The code hash of the manifest covers the package's Jinja templates: a changed HTML template rebuilds."""

from __future__ import annotations

import shutil
from pathlib import Path

import briefgen
from briefgen.manifest import code_hash, source_files, source_hash

PACKAGE = Path(briefgen.__file__).parent


def test_the_html_template_is_part_of_the_code_hash():
    assert PACKAGE / "builders" / "templates" / "brief.html.j2" in source_files(PACKAGE)
    assert code_hash() == source_hash(PACKAGE)


def test_changing_a_package_template_changes_the_code_hash(tmp_path):
    copy = tmp_path / "briefgen"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = source_hash(copy)
    template = copy / "builders" / "templates" / "brief.html.j2"
    template.write_text(template.read_text(encoding="utf-8") + "<!-- anders -->\n", encoding="utf-8")
    assert source_hash(copy) != before
