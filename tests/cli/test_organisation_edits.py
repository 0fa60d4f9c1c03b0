"""An edit of an organisation file rebuilds its letters only when it changes what they can be made from
(its data), not when it changes a comment, a blank line or how a value is quoted."""

from __future__ import annotations

import docx

from tests.cli.helpers import invoke, unbroken
from tests.conftest import VALID_LETTER, write

ORGANISATION = "content/organisaties/hilversum.yaml"
DOCX = "build/hilversum/2021/inkoop-wmo-jeugd.docx"
REBUILT = f"docx  {VALID_LETTER}\n1 gebouwd, 0 actueel, 0 met fouten.\n"
CURRENT = "0 gebouwd, 1 actueel, 0 met fouten.\n"


def build(root):
    return invoke(root, "build", "--formaat", "docx")


def edit(root, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def docx_text(root) -> str:
    document = docx.Document(root / DOCX)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_comment_or_layout_edit_of_an_organisation_rebuilds_nothing(werkmap):
    """Before, any byte of the file counted: a comment rebuilt every letter of the organisation."""
    assert build(werkmap).stdout == REBUILT
    before = (werkmap / DOCX).stat().st_mtime_ns
    edit(werkmap, ORGANISATION, "naam: Gemeente Hilversum\n", "# opmerking van de griffie\n\nnaam: \"Gemeente Hilversum\"   # staat zo op het briefpapier\n")
    edit(werkmap, ORGANISATION, "  # Burgemeester\n", "  # Burgemeester (sinds 2013)\n\n")

    result = build(werkmap)
    assert result.stdout == CURRENT
    assert result.stderr == ""
    assert result.exit_code == 0
    assert (werkmap / DOCX).stat().st_mtime_ns == before
    assert "verouderd" not in invoke(werkmap, "list").stdout


def test_a_changed_office_holder_in_an_organisation_rebuilds_its_letters(werkmap):
    assert build(werkmap).stdout == REBUILT
    assert unbroken("P.I. Broertjes") in docx_text(werkmap)
    edit(werkmap, ORGANISATION, "# Burgemeester\n", "# Burgemeester (naam gewijzigd)\n")
    edit(werkmap, ORGANISATION, "naam: P.I. Broertjes", "naam: P.J. Broertjes")

    result = build(werkmap)
    assert result.stdout == REBUILT
    assert unbroken("P.J. Broertjes") in docx_text(werkmap)
    assert build(werkmap).stdout == CURRENT


def test_a_changed_date_or_house_style_in_an_organisation_rebuilds_its_letters(werkmap):
    assert build(werkmap).stdout == REBUILT
    made = (werkmap / DOCX).read_bytes()
    # a date the letter does not show: rendered again and compared, it stands (also without PDF, review x30b)
    edit(werkmap, ORGANISATION, "    tot: 2023-09-01", "    tot: 2023-09-02")
    assert build(werkmap).stdout == CURRENT
    assert (werkmap / DOCX).read_bytes() == made
    edit(werkmap, ORGANISATION, "    tot: 2023-09-02", "    tot: 2021-11-01\n  - naam: Y. Tussen\n    functie: burgemeester\n"
         "    van: 2021-11-02")
    assert build(werkmap).stdout == REBUILT
    assert unbroken("Y. Tussen") in docx_text(werkmap)
    edit(werkmap, ORGANISATION, "huisstijl: hilversum-rib-2021", "huisstijl: \"hilversum-rib-2021\"")
    assert build(werkmap).stdout == CURRENT
    edit(werkmap, ORGANISATION, "huisstijl: \"hilversum-rib-2021\"", "huisstijl: onbekend")
    result = build(werkmap)
    assert result.stdout == "0 gebouwd, 0 actueel, 1 met fouten.\n"
    assert result.exit_code == 1


def test_an_organisation_edit_that_only_adds_a_problem_is_still_reported(werkmap):
    """A key given twice with the same value leaves the data as it was, but is an error of the file."""
    assert build(werkmap).stdout == REBUILT
    edit(werkmap, ORGANISATION, "plaatsnaam: Hilversum\n", "plaatsnaam: Hilversum\nplaatsnaam: Hilversum\n")
    result = build(werkmap)
    assert f"{ORGANISATION}:4:1:" in result.stderr
    assert result.exit_code == 1


def test_a_comment_edit_of_the_settings_rebuilds_nothing(werkmap):
    write(werkmap, "briefgen.toml", "# instellingen\ntaken = 1\n")
    assert build(werkmap).stdout == REBUILT
    write(werkmap, "briefgen.toml", "# instellingen van de griffie\n\ntaken = 1  # één kern\n")
    assert build(werkmap).stdout == CURRENT


def test_an_organisation_read_by_the_other_yaml_parser_is_the_same_data(werkmap):
    """A tab in a comment sends the file through the strict (round-trip) parser: the same data, nothing rebuilt."""
    assert build(werkmap).stdout == REBUILT
    edit(werkmap, ORGANISATION, "  # Burgemeester\n", "  # Burgemeester\tzie ook de website\n")
    assert build(werkmap).stdout == CURRENT


def test_a_forced_build_repairs_a_manifest_whose_kept_hashes_were_tampered_with(werkmap):
    """The manifest is untrusted input: a ``gelezen`` entry pairing the file's bytes with the data hash of
    another version would keep a stale letter "actueel" for as long as the bytes stay. ``--opnieuw`` hashes
    every input afresh and records the truth, so the next ordinary build sees a later edit again."""
    import hashlib
    import json

    from briefgen.werkmap import MANIFEST

    manifest = werkmap / "build" / MANIFEST
    assert build(werkmap).stdout == REBUILT
    old = json.loads(manifest.read_text(encoding="utf-8"))["gelezen"][ORGANISATION][1]
    edit(werkmap, ORGANISATION, "naam: P.I. Broertjes", "naam: P.J. Broertjes")
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["gelezen"][ORGANISATION] = [hashlib.sha256((werkmap / ORGANISATION).read_bytes()).hexdigest(), old]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert build(werkmap).stdout == CURRENT  # what a tampered manifest can do: no more than keep a letter

    forced = invoke(werkmap, "build", "--formaat", "docx", "--opnieuw")
    assert forced.stdout == REBUILT
    assert unbroken("P.J. Broertjes") in docx_text(werkmap)
    assert json.loads(manifest.read_text(encoding="utf-8"))["gelezen"][ORGANISATION][1] != old
    edit(werkmap, ORGANISATION, "naam: P.J. Broertjes", "naam: P.I. Broertjes")
    assert build(werkmap).stdout == REBUILT
    assert unbroken("P.I. Broertjes") in docx_text(werkmap)
