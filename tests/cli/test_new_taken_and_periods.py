"""``briefgen new``: a number held by a letter that has an error is taken all the same, and ``new --van
--datum`` moves a period in the subject as far as the dates do (a second letter in May keeps "(mei 2025)")."""

from __future__ import annotations

import pytest

from tests.cli.helpers import invoke
from tests.conftest import write

SERIES = """\
soort: raadsinformatiebrief
organisatie: hilversum
datum: 2025-05-20
nummer: "2025/10"
onderwerp: Stand van zaken inkoop (mei 2025)
aanhef: Geachte raads- en commissieleden,
secties:
  - tekst: |
      Tekst.
ondertekening: burgemeester
"""


@pytest.mark.parametrize("flaw", ["onbekend: 1\n", "onderwerp: [kapot\n"], ids=["invalid", "no-yaml"])
def test_a_number_of_a_letter_with_an_error_is_not_given_again(werkmap, flaw):
    write(werkmap, "content/hilversum/2021/kapot.yaml",
          'soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-20\nnummer: "2021/46"\n' + flaw)
    assert invoke(werkmap, "check", str(werkmap / "content/hilversum/2021/kapot.yaml")).exit_code == 1
    result = invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--datum", "2021-12-01", "--onderwerp", "Nieuw")
    assert result.exit_code == 0, result.output
    text = (werkmap / "content/hilversum/2021/nieuw.yaml").read_text(encoding="utf-8")
    assert 'nummer: "2021/47"' in text, text


@pytest.mark.parametrize(("day", "subject"), [
    ("2025-05-28", "Stand van zaken inkoop (mei 2025)"),
    ("2025-06-24", "Stand van zaken inkoop (juni 2025)"),
    ("2025-08-24", "Stand van zaken inkoop (augustus 2025)"),
    ("2026-02-03", "Stand van zaken inkoop (februari 2026)"),
])
def test_a_period_in_the_subject_moves_as_far_as_the_date(werkmap, day, subject):
    write(werkmap, "content/hilversum/2025/stand.yaml", SERIES)
    result = invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--van",
                    str(werkmap / "content/hilversum/2025/stand.yaml"), "--datum", day)
    assert result.exit_code == 0, result.output
    created = werkmap / result.stdout.strip()
    assert f"onderwerp: {subject}\n" in created.read_text(encoding="utf-8")


def test_a_subject_given_with_a_period_is_kept_as_written(werkmap):
    write(werkmap, "content/hilversum/2025/stand.yaml", SERIES)
    result = invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--van",
                    str(werkmap / "content/hilversum/2025/stand.yaml"), "--datum", "2025-08-24",
                    "--onderwerp", "Stand van zaken inkoop (juli 2025)")
    assert result.exit_code == 0, result.output
    assert "onderwerp: Stand van zaken inkoop (juli 2025)\n" in (werkmap / result.stdout.strip()).read_text(encoding="utf-8")
