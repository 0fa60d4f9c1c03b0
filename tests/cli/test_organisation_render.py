"""Task s27d: after an organisation edit only letters whose render changes get a new PDF; a letter that renders
byte for byte as before is current, without a LibreOffice run (manifest ``weergave``, renderhash.py)."""

from __future__ import annotations

import json
import stat

from tests.cli.helpers import invoke
from tests.cli.test_organisation_edits import ORGANISATION, edit
from tests.conftest import VALID_LETTER, require_soffice

PDF = "build/hilversum/2021/inkoop-wmo-jeugd.pdf"
WOO = "build/hilversum/2021/inkoop-wmo-jeugd.diwoo.xml"


def fake_soffice(root):
    """A LibreOffice that only notes that it ran (fault injection: the build must not start it)."""
    marker = root.parent / "soffice-ran"
    script = root.parent / "soffice"
    script.write_text(f"#!/bin/sh\necho \"$@\" >> '{marker}'\nexit 1\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    (root / "briefgen.toml").write_text(f"soffice = \"{script}\"\n", encoding="utf-8")
    return marker


def outputs(root) -> dict[str, int]:
    return {rel: (root / rel).stat().st_mtime_ns for rel in (PDF, WOO, "build/hilversum/2021/inkoop-wmo-jeugd.docx")}


def test_an_organisation_edit_the_letter_does_not_show_needs_no_pdf(werkmap):
    require_soffice()
    first = invoke(werkmap, "build")
    assert first.exit_code == 0, first.output
    assert first.stdout.endswith("1 gebouwd, 0 actueel, 0 met fouten.\n")
    before = outputs(werkmap)
    marker = fake_soffice(werkmap)  # from here on, any LibreOffice run is seen (and fails)

    edit(werkmap, ORGANISATION, "naam: E.G.J. van der Want", "naam: E.G.J. van der Wand")  # a wethouder of 2014
    result = invoke(werkmap, "build")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "0 gebouwd, 1 actueel, 0 met fouten.\n", "")
    assert not marker.exists()  # no LibreOffice started, not even early
    assert outputs(werkmap) == before
    # recorded with the organisation as it is now: current for the next build and for list, without rendering
    entry = json.loads((werkmap / "build/.briefgen-manifest.json").read_text())["brieven"][VALID_LETTER]
    assert set(entry["uitvoer"]) >= {"docx", "html", "pdf", "woo"} and set(entry["weergave"]) == {"docx", "html"}
    assert invoke(werkmap, "build").stdout == "0 gebouwd, 1 actueel, 0 met fouten.\n"
    assert "actueel" in invoke(werkmap, "list").stdout


def test_an_organisation_edit_the_letter_shows_makes_its_pdf_again(werkmap):
    require_soffice()
    assert invoke(werkmap, "build").exit_code == 0
    marker = fake_soffice(werkmap)

    edit(werkmap, ORGANISATION, "naam: P.I. Broertjes", "naam: P.J. Broertjes")  # who signs the letter
    result = invoke(werkmap, "build")
    assert marker.exists()  # the PDF is made again (by the fake LibreOffice, which fails: nothing is delivered)
    assert result.stdout.endswith("0 gebouwd, 0 actueel, 1 met fouten.\n")
    (werkmap / "briefgen.toml").unlink()
    assert invoke(werkmap, "build").stdout.endswith("1 gebouwd, 0 actueel, 0 met fouten.\n")


def test_an_older_manifest_without_render_hashes_builds_the_letter_again(werkmap):
    """A manifest written before 'weergave' existed is still read; the letter is then made as before."""
    require_soffice()
    assert invoke(werkmap, "build").exit_code == 0
    manifest = werkmap / "build/.briefgen-manifest.json"
    data = json.loads(manifest.read_text())
    for entry in data["brieven"].values():
        entry.pop("weergave", None)
    manifest.write_text(json.dumps(data))
    assert invoke(werkmap, "build").stdout == "0 gebouwd, 1 actueel, 0 met fouten.\n"
    edit(werkmap, ORGANISATION, "naam: E.G.J. van der Want", "naam: E.G.J. van der Wand")
    result = invoke(werkmap, "build")
    assert result.stdout.endswith("1 gebouwd, 0 actueel, 0 met fouten.\n"), result.output


def test_with_only_pdf_an_html_made_before_is_not_made_current(werkmap):
    """`--formaat pdf` renders and compares the DOCX only: the HTML made from the old organisation is not
    recorded as made from the new one (the next `--formaat html` makes it again)."""
    require_soffice()
    assert invoke(werkmap, "build").exit_code == 0
    edit(werkmap, ORGANISATION, "naam: E.G.J. van der Want", "naam: E.G.J. van der Wand")
    result = invoke(werkmap, "build", "--formaat", "pdf")
    assert (result.exit_code, result.stdout) == (0, "0 gebouwd, 1 actueel, 0 met fouten.\n"), result.output
    result = invoke(werkmap, "build", "--formaat", "html")
    assert result.exit_code == 0 and result.stdout.endswith("\n1 gebouwd, 0 actueel, 0 met fouten.\n"), result.output
    assert invoke(werkmap, "build").stdout == "0 gebouwd, 1 actueel, 0 met fouten.\n"
