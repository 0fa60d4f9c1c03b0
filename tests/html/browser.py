"""Headless Chromium with axe-core, for the accessibility and screenshot tests of the HTML edition.

Chromium is Debian's ``chromium``; axe-core is installed by ``make test`` from tests/a11y/package-lock.json
into .cache/axe. Missing either: the test skips locally and fails under BRIEFGEN_REQUIRE_PDF=1 (CI).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

AXE = REPO / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FLAGS = ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run",
         "--disable-extensions", "--hide-scrollbars"]
_RESULT = re.compile(r'<pre id="axe-result">(.*?)</pre>', re.S)


def _missing(message: str) -> None:
    if os.environ.get("BRIEFGEN_REQUIRE_PDF") == "1":
        pytest.fail(f"{message}; BRIEFGEN_REQUIRE_PDF=1 eist het")
    pytest.skip(message)


def require_chromium() -> str:
    program = shutil.which("chromium") or shutil.which("chromium-browser")
    if program is None:
        _missing("chromium ontbreekt: apt-get install chromium (make test doet dat)")
    return program


def require_axe() -> Path:
    if not AXE.is_file():
        _missing(f"axe-core ontbreekt in {AXE.parent}: make test installeert het (npm ci)")
    return AXE


def chromium(*args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    program = require_chromium()
    with tempfile.TemporaryDirectory(prefix="briefgen-chromium-") as profile:
        return subprocess.run([program, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout)


def axe(page: Path, workdir: Path) -> dict:
    """Run axe-core (WCAG 2.1 A and AA rules) on ``page``; returns {"violations": [...], "passes": n}."""
    result = evaluate(page, workdir, require_axe().read_text(encoding="utf-8"), (
        f"axe.run(document,{{runOnly:{{type:'tag',values:{json.dumps(WCAG_TAGS)}}}}}).then(function(r){{"
        "briefgenOut({violations:r.violations.map(function(v){return {id:v.id,impact:v.impact,help:v.help,"
        "nodes:v.nodes.map(function(n){return n.html.slice(0,200)})}}),passes:r.passes.length});"
        "},function(e){briefgenOut({error:String(e)});});"))
    assert "error" not in result, result
    return result


def evaluate(page: Path, workdir: Path, *scripts: str) -> Any:
    """Run ``scripts`` in ``page`` in Chromium; the last calls ``briefgenOut(value)``, and that value is returned.

    The page is copied with the scripts inlined and a function that writes the value into the DOM, which
    ``--dump-dom`` prints once the page's virtual time has run out.
    """
    runner = ("<script>function briefgenOut(value){var pre=document.createElement('pre');pre.id='axe-result';"
              "pre.textContent=JSON.stringify(value);document.body.appendChild(pre);}</script>")
    runner += "".join("<script>" + script.replace("</script", "<\\/script") + "</script>" for script in scripts)
    text = page.read_text(encoding="utf-8")
    assert text.count("</body>") == 1
    test_page = workdir / f"axe-{page.name}"
    test_page.write_text(text.replace("</body>", runner + "</body>"), encoding="utf-8")
    done = chromium("--virtual-time-budget=60000", "--dump-dom", test_page.as_uri())
    found = _RESULT.search(done.stdout)
    assert found, f"de browser gaf geen uitkomst (chromium {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1)))


def screenshot(page: Path, target: Path, width: int = 900, height: int = 1270) -> None:
    done = chromium(f"--screenshot={target}", f"--window-size={width},{height}", page.as_uri())
    assert target.is_file(), f"geen schermafdruk (chromium {done.returncode}): {done.stderr[-2000:]}"
