"""True counts and messages that say how to fix a problem (f2): what a new griffie user ran into."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import invoke
from tests.conftest import write

BAARN = """\
naam: Gemeente Baarn
plaatsnaam: Baarn
huisstijl: hilversum-rib-2021
college:
  - naam: M. de Boer
    functie: burgemeester
    van: 2019-01-01
  - naam: P. Smit
    functie: gemeentesecretaris
    van: 2018-01-01
  - naam: K. de Wit
    functie: wethouder
    portefeuilles: [Financiën]
    van: 2019-01-01
    tot: 2024-12-31
  - naam: A. Jansen
    functie: wethouder
    portefeuilles: [Jeugd]
    van: 2022-01-01
  - naam: B. de Vries
    functie: wethouder
    portefeuilles: [Wonen]
    van: 2022-01-01
"""

LETTER = """\
soort: raadsinformatiebrief
organisatie: baarn
nummer: "{nummer}"
datum: {datum}
onderwerp: Begroting
tabellen:
  kosten:
    titel: Kosten
    soort: bedrag
    kolommen: [Post, Bedrag]
    rijen:
      - [Personeel, 500000]
      - [Materieel, 255000]
    totaal: {totaal}
secties:
  - kop: Kosten
    tekst: |
      De kosten zijn in totaal {{{{ tabellen.kosten.totaal | bedrag }}}} voor dit jaar.

      {{{{ tabel("kosten") }}}}
ondertekening: {ondertekening}
"""


def letter(nummer: str = "2023/1", datum: str = "2023-03-10", totaal: str = "755000", ondertekening: str = "college",
           extra: str = "") -> str:
    return LETTER.format(nummer=nummer, datum=datum, totaal=totaal, ondertekening=ondertekening) + extra


def baarn(tmp_path: Path, **letters: str) -> Path:
    """A werkmap with the repository's templates, the organisation Baarn and the given letters
    (name → text, under content/baarn/2023/)."""
    root = tmp_path / "baarn"
    import shutil

    from tests.conftest import REPO

    shutil.copytree(REPO / "templates", root / "templates")
    write(root, "content/organisaties/baarn.yaml", BAARN)
    for name, text in letters.items():
        write(root, f"content/baarn/2023/{name}.yaml", text)
    return root


def check(root: Path, *args: str):
    return invoke(root, "check", "--geen-spelling", *args)


def test_a_wrong_table_total_is_the_only_problem_not_every_use_of_the_table(tmp_path):
    root = baarn(tmp_path, begroting=letter(totaal="750000"))
    result = check(root)
    assert result.stderr.splitlines() == [
        "content/baarn/2023/begroting.yaml:14:13: het opgegeven totaal €\xa0750.000 klopt niet met de som van de rijen (€\xa0755.000)",
    ]
    assert result.stdout.splitlines()[-1] == "1 brief gecontroleerd: 1 fout, 0 waarschuwingen."
    assert result.exit_code == 1
