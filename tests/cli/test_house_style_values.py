"""Stop 24 (r1): odd values of an organisation's ``huisstijl`` get located Dutch messages, and
``briefgen new`` refuses a kind of letter the organisation has no house style for."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import invoke

ORG = "content/organisaties/hilversum.yaml"


def _huisstijl(root: Path, value: str) -> None:
    path = root / ORG
    text = path.read_text(encoding="utf-8")
    assert "huisstijl: hilversum-rib-2021\n" in text
    path.write_text(text.replace("huisstijl: hilversum-rib-2021\n", f"huisstijl:{value}\n", 1), encoding="utf-8")


def _errors(root: Path) -> list[str]:
    check = invoke(root, "check", "--geen-spelling")
    assert check.exit_code == 1, check.output
    return [line for line in check.stderr.splitlines() if line.startswith(f"{ORG}:")]


@pytest.mark.parametrize(("value", "expected"), [
    (" []", ":4:12: 'huisstijl' moet tekst zijn of sleutels met waarden (per soort brief), niet een lijst"),
    ("\n  null: hilversum-rib-2021",
     ":5:3: een sleutel onder 'huisstijl' is leeg; vul de soort brief in, bijv. raadsinformatiebrief"),
    ("\n  1: hilversum-rib-2021",
     ":5:3: onbekende soort brief '1' onder 'huisstijl'; kies uit: raadsinformatiebrief, informatienota"),
    (" {}", ":4:12: 'huisstijl' mag niet leeg zijn"),
])
def test_an_odd_huisstijl_value_has_one_located_dutch_message(werkmap, value, expected):
    _huisstijl(werkmap, value)
    assert _errors(werkmap) == [f"{ORG}{expected}"]


def test_new_refuses_a_kind_the_organisation_has_no_house_style_for(werkmap):
    _huisstijl(werkmap, "\n  raadsinformatiebrief: hilversum-rib-2021")
    before = sorted(p for p in (werkmap / "content").rglob("*.yaml"))
    made = invoke(werkmap, "new", "informatienota", "-o", "hilversum", "--datum", "2021-12-01")
    assert made.exit_code == 1, made.output
    assert made.stderr.strip() == (
        f"briefgen: organisatie 'hilversum' heeft geen huisstijl voor informatienota (wel voor: raadsinformatiebrief); "
        f"zet er een bij 'huisstijl:' in {ORG}")
    assert sorted(p for p in (werkmap / "content").rglob("*.yaml")) == before
    assert invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--datum", "2021-12-01").exit_code == 0
