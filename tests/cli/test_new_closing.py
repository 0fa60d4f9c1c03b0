"""briefgen new goes on with the organisation's own closing formula (an imported "Met vriendelijke groet,")."""

from __future__ import annotations

from ruamel.yaml import YAML

from tests.cli.helpers import invoke
from tests.conftest import VALID_LETTER, write


def _new(werkmap, day="2023-03-01"):
    made = invoke(werkmap, "new", "raadsinformatiebrief", "--organisatie", "hilversum", "--onderwerp", "Volgende",
                  "--datum", day)
    assert made.exit_code == 0, made.output
    return YAML(typ="safe").load((werkmap / made.stdout.strip()).read_text(encoding="utf-8"))


def test_a_new_letter_takes_the_closing_of_the_latest_letter_of_its_kind(werkmap):
    text = (werkmap / VALID_LETTER).read_text(encoding="utf-8")
    write(werkmap, "content/hilversum/2022/later.yaml", text.replace("datum: 2021-11-16", "datum: 2022-05-01")
          .replace('nummer: "2021/45"', 'nummer: "2022/9"').replace("slot: Hoogachtend,", "slot: Met vriendelijke groet,"))
    assert "Met vriendelijke groet," in (werkmap / "content/hilversum/2022/later.yaml").read_text(encoding="utf-8")
    data = _new(werkmap)
    assert data["slot"] == "Met vriendelijke groet,"
    assert list(data).index("slot") == list(data).index("ondertekening") - 1
    assert "slot" not in _new(werkmap, "2022-01-10")  # a letter dated before it goes on from the letters before it


def test_without_a_closing_of_its_own_a_new_letter_has_no_slot(werkmap):
    assert "slot" not in _new(werkmap)
