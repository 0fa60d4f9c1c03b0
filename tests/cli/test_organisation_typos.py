"""Typos in an organisation file (found by a new griffie): reported once, at their line in that file, with the
right form; the letters do not offer the typo as the right form, nor repeat the problem at their own lines."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli.helpers import invoke
from tests.conftest import REPO, VALID_LETTER, write

ORG = "content/organisaties/hilversum.yaml"
SECOND = "content/hilversum/2021/tweede.yaml"


def _errors(root: Path) -> list[str]:
    result = invoke(root, "check")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return [line for line in result.stderr.splitlines() if ": waarschuwing:" not in line and line.startswith("content/")]


def _edit(root: Path, rel: str, old: str, new: str, count: int = -1) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _second_letter(root: Path) -> None:
    write(root, SECOND, (REPO / VALID_LETTER).read_text(encoding="utf-8").replace('nummer: "2021/45"', 'nummer: "2021/46"'))


def test_a_misspelt_function_is_reported_at_its_line_with_the_right_one(werkmap):
    _second_letter(werkmap)
    _edit(werkmap, ORG, "functie: burgemeester", "functie: burgermeester", 1)
    errors = _errors(werkmap)
    assert errors == [f"{ORG}:14:14: onbekende functie 'burgermeester'; bedoelde u 'burgemeester'?"]


def test_a_misspelt_acting_function_is_reported_and_an_own_function_is_not(werkmap):
    _edit(werkmap, ORG, "functie: wethouder", "functie: waarnemend wethouer", 1)
    _edit(werkmap, ORG, "functie: loco-secretaris", "functie: directeur")
    errors = _errors(werkmap)
    assert errors == [f"{ORG}:34:14: onbekende functie 'waarnemend wethouer'; bedoelde u 'waarnemend wethouder'?"]


def test_a_misspelt_house_style_is_reported_once_at_the_organisation_with_the_right_name(werkmap):
    shutil.copy(werkmap / "templates/hilversum-rib-2021.docx", werkmap / "templates/bunnik-rib.docx")
    _second_letter(werkmap)
    _edit(werkmap, ORG, "huisstijl: hilversum-rib-2021", "huisstijl: bunnik_rib")
    errors = _errors(werkmap)
    assert errors == [f"{ORG}:4:12: huisstijl 'bunnik_rib' heeft geen template (verwacht templates/bunnik_rib.docx); "
                      "bedoelde u 'bunnik-rib'?"]


def test_a_letter_with_a_house_style_of_its_own_is_still_read(werkmap):
    _edit(werkmap, ORG, "huisstijl: hilversum-rib-2021", "huisstijl: hilversum_rib")
    _edit(werkmap, VALID_LETTER, "organisatie: hilversum\n", "organisatie: hilversum\nhuisstijl: hilversum-rib-2021\n")
    errors = _errors(werkmap)
    assert [e for e in errors if not e.startswith(ORG)] == []
    assert len(errors) == 1 and errors[0].startswith(f"{ORG}:4:12: huisstijl 'hilversum_rib' heeft geen template")


def test_a_misspelt_college_signature_asks_for_college(werkmap):
    path = werkmap / VALID_LETTER
    text = path.read_text(encoding="utf-8")
    start = text.index("ondertekening:")  # the letter's last key
    line = text[:start].count("\n") + 1
    path.write_text(text[:start] + "ondertekening: colege\n", encoding="utf-8")
    errors = _errors(werkmap)
    assert errors == [f"{VALID_LETTER}:{line}:16: onbekende ondertekening 'colege'; bedoelde u 'college'?"]


def test_a_misspelt_house_style_is_the_same_one_problem_from_the_check_cache(werkmap):
    _second_letter(werkmap)
    _edit(werkmap, ORG, "huisstijl: hilversum-rib-2021", "huisstijl: hilversum_rib_2021")
    expected = [f"{ORG}:4:12: huisstijl 'hilversum_rib_2021' heeft geen template (verwacht templates/hilversum_rib_2021.docx); "
                "bedoelde u 'hilversum-rib-2021'?"]
    assert _errors(werkmap) == expected
    assert _errors(werkmap) == expected  # warm: the letters' results come from build/.briefgen-check.json


def test_an_organisation_without_letters_and_template_does_not_stop_the_others(werkmap):
    _edit(werkmap, "content/organisaties/huizen.yaml", "huisstijl: huizen", "huisstijl: huizn")
    result = invoke(werkmap, "check")
    assert result.exit_code == 0, result.output
    assert "huizn" not in result.output


def test_functions_written_in_full_around_a_known_one_are_no_typo():
    """An acting mayor is 'burgemeester a.i.', a deputy 'loco-gemeentesecretaris': a known function inside the
    value is written right, whatever stands around it; only a misspelling of one is refused."""
    import pytest

    from briefgen.model.organisation import _function

    for title in ("burgemeester a.i.", "gemeentesecretaris a.i.", "loco-gemeentesecretaris", "plv. gemeentesecretaris",
                  "wnd. burgemeester", "loco burgemeester", "1e loco-burgemeester", "adjunct-gemeentesecretaris",
                  "Burgemeester", "waarnemend burgemeester", "griffier", "directeur"):
        assert _function(title) == title
    for typo in ("burgermeester", "wethouer", "gemeentsecretaris"):
        with pytest.raises(ValueError, match="bedoelde u"):
            _function(typo)


def test_a_house_style_missing_for_a_kind_no_letter_has_is_no_error(werkmap):
    """A werkmap may hold a kind of letter still being set up: its missing template is not the letters' problem."""
    _edit(werkmap, ORG, "huisstijl: hilversum-rib-2021",
          "huisstijl:\n  raadsinformatiebrief: hilversum-rib-2021\n  informatienota: hilversum_nota")
    checked = invoke(werkmap, "check")
    assert checked.exit_code == 0, checked.output
    built = invoke(werkmap, "build", "--formaat", "docx")
    assert built.exit_code == 0, built.output
    _edit(werkmap, VALID_LETTER, "soort: raadsinformatiebrief", "soort: informatienota")
    errors = _errors(werkmap)
    assert any("huisstijl 'hilversum_nota' heeft geen template" in line for line in errors), errors
