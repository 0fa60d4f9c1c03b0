"""``briefgen new`` reads the nummer of a letter with an error from its text as YAML does: a comment starts
only after a space, so ``2021/46#2`` is that whole value (not ``2021/46``) and ``"2021/46"  # oud`` is ``2021/46``."""

from __future__ import annotations

import pytest

from tests.cli.helpers import invoke
from tests.conftest import write


@pytest.mark.parametrize(("written", "given"), [
    ("2021/46#2", "2021/46"),  # not a number in the format: 2021/46 is still free
    ('"2021/46"  # oud', "2021/47"),
    ("2021/46 # oud", "2021/47"),
], ids=["hash-in-value", "quoted-with-comment", "plain-with-comment"])
def test_the_number_of_a_letter_with_an_error_is_read_as_yaml_reads_it(werkmap, written, given):
    write(werkmap, "content/hilversum/2021/kapot.yaml",
          f"soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-20\nnummer: {written}\nonbekend: 1\n")
    assert invoke(werkmap, "check", str(werkmap / "content/hilversum/2021/kapot.yaml")).exit_code == 1
    result = invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--datum", "2021-12-01", "--onderwerp", "Nieuw")
    assert result.exit_code == 0, result.output
    text = (werkmap / "content/hilversum/2021/nieuw.yaml").read_text(encoding="utf-8")
    assert f'nummer: "{given}"' in text, text
