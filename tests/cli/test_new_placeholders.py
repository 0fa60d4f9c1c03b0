"""A griffie's new letter goes on with its own aanhef, and cannot go out with the subject ``briefgen new`` filled in."""

from __future__ import annotations

from ruamel.yaml import YAML

from tests.cli.helpers import invoke
from tests.conftest import VALID_LETTER, write

PLACEHOLDER = "Nieuw onderwerp"  # what new writes without --onderwerp (briefgen.checks.PLACEHOLDERS)


def _new(werkmap, *subject: str):
    made = invoke(werkmap, "new", "raadsinformatiebrief", "--organisatie", "hilversum", "--datum", "2023-03-01", *subject)
    assert made.exit_code == 0, made.output
    return werkmap / made.stdout.strip()


def test_a_new_letter_takes_the_aanhef_of_the_latest_letter_of_its_kind(werkmap):
    text = (werkmap / VALID_LETTER).read_text(encoding="utf-8")
    assert "aanhef: Geachte raads- en commissieleden," in text
    write(werkmap, "content/hilversum/2022/later.yaml", text.replace("datum: 2021-11-16", "datum: 2022-05-01")
          .replace('nummer: "2021/45"', 'nummer: "2022/9"')
          .replace("aanhef: Geachte raads- en commissieleden,", "aanhef: Geachte raadsleden,"))
    data = YAML(typ="safe").load(_new(werkmap, "--onderwerp", "Volgende").read_text(encoding="utf-8"))
    assert data["aanhef"] == "Geachte raadsleden,"
    assert "slot" not in data  # the earlier letter's "Hoogachtend," is the default


def test_the_subject_new_filled_in_stops_check_at_its_line(werkmap):
    path = _new(werkmap)
    text = path.read_text(encoding="utf-8")
    assert f"onderwerp: {PLACEHOLDER}\n" in text
    filled = text.replace("tekst: |\n\n", "tekst: |\n      Een zin.\n")
    path.write_text(filled, encoding="utf-8")
    line = filled.splitlines().index(f"onderwerp: {PLACEHOLDER}") + 1
    checked = invoke(werkmap, "check")
    assert checked.exit_code != 0
    shown = path.relative_to(werkmap).as_posix()
    assert f"{shown}:{line}:12: het onderwerp is nog 'Nieuw onderwerp', dat briefgen new invulde" in checked.output
    assert "lege sectie" not in checked.output
    path.write_text(filled.replace(f"onderwerp: {PLACEHOLDER}", "onderwerp: Inkoop Wmo"), encoding="utf-8")
    checked = invoke(werkmap, "check")
    assert "Nieuw onderwerp" not in checked.output, checked.output
