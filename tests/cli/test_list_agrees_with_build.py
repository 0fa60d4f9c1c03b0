"""Task s30f: ``list`` decides whether a letter's outputs are current as ``build`` does (currency.py): after an
organisation edit that no letter shows, both say "actueel"; after one that changes a letter's signer, both
say that letter must be made again."""

from __future__ import annotations

from tests.cli.helpers import invoke
from tests.cli.test_organisation_edits import ORGANISATION, edit
from tests.conftest import REPO, VALID_LETTER, require_soffice, write

OLDER = "content/hilversum/2016/inkoop-sociaal-domein-2017.yaml"


def statuses(root) -> dict[str, str]:
    """Each letter's ``uitvoer`` column of ``briefgen list --csv``."""
    result = invoke(root, "list", "--csv")
    assert result.exit_code == 0, result.output
    rows = [line.split(";") for line in result.stdout.lstrip("\ufeff").splitlines()[1:]]
    return {row[0]: row[-1] for row in rows}


def test_list_says_current_when_build_finds_the_letters_current(werkmap):
    require_soffice()
    write(werkmap, OLDER, (REPO / OLDER).read_bytes())
    assert invoke(werkmap, "build").stdout.endswith("2 gebouwd, 0 actueel, 0 met fouten.\n")

    # a burgemeester from long after both letters: neither shows it
    edit(werkmap, ORGANISATION, "college:\n", "college:\n  - naam: Z. Later\n    functie: burgemeester\n    van: 2030-01-01\n")
    assert statuses(werkmap) == {VALID_LETTER: "actueel", OLDER: "actueel"}
    assert invoke(werkmap, "build").stdout == "0 gebouwd, 2 actueel, 0 met fouten.\n"
    assert statuses(werkmap) == {VALID_LETTER: "actueel", OLDER: "actueel"}

    # the 2021 letter gets another signer; the 2016 one does not
    edit(werkmap, ORGANISATION, "    tot: 2023-09-01\n",
         "    tot: 2021-09-01\n  - naam: Y. Tussen\n    functie: burgemeester\n    van: 2021-09-02\n    tot: 2029-12-31\n")
    assert statuses(werkmap) == {VALID_LETTER: "verouderd (docx, html, pdf)", OLDER: "actueel"}
    result = invoke(werkmap, "build")
    assert result.stdout.endswith("1 gebouwd, 1 actueel, 0 met fouten.\n"), result.output
    assert statuses(werkmap) == {VALID_LETTER: "actueel", OLDER: "actueel"}
