"""``briefgen import``: the summary under the messages counts the letters by what they still need, each group
with the number of its errors and warnings, so that a griffie reads at once what is left to do."""

from __future__ import annotations

from docx import Document

from tests.cli.helpers import invoke
from tests.cli.wordletters import plain_letter

SIGNED = ("Met vriendelijke groet,", "Burgemeester en wethouders van Hilversum,", "de burgemeester,", "P.I. Broertjes")


def test_the_summary_counts_letters_by_what_they_need_and_their_messages(werkmap, tmp_path):
    folder = tmp_path / "oud"
    folder.mkdir()
    doc = Document()
    for line in ("Datum: 1 januari 2011", "Onderwerp: Voor de tijd van de secretaris", "Portefeuillehouder: A.B. Jansen",
                 "Geachte leden van de raad,", "Tekst.", "Hoogachtend,"):
        doc.add_paragraph(line)
    doc.save(folder / "a-fout.docx")
    plain_letter(folder / "b-bijlagen.docx", header=("Datum: 3 maart 2020", "Onderwerp: Met bijlagen", "Bijlagen: 2"),
                 closing=SIGNED)
    plain_letter(folder / "c-zonder-handtekening.docx", header=("Datum: 3 maart 2020", "Onderwerp: Zonder handtekening"))
    plain_letter(folder / "d-goed.docx", header=("Datum: 3 maart 2020", "Onderwerp: Goed"), closing=SIGNED)
    (folder / "e-kapot.docx").write_bytes(b"geen zip")
    result = invoke(werkmap, "import", str(folder), "--organisatie", "hilversum")
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()  # a: 1 error, 1 warning; b: 4 warnings; c: 1 warning; e: not read
    assert (len(lines), sum("waarschuwing:" in line for line in lines)) == (8, 6), result.stderr
    assert result.stdout.splitlines()[-1] == (
        "4 brieven geïmporteerd: 1 met fouten om te verbeteren (1 fout, 1 waarschuwing), 2 met alleen waarschuwingen "
        "(5 waarschuwingen), 1 zonder meldingen; 1 brief niet geïmporteerd (zie de fouten hierboven).")


def test_letters_without_messages_say_so(werkmap, tmp_path):
    source = plain_letter(tmp_path / "goed.docx", header=("Datum: 3 maart 2020", "Onderwerp: Goed"), closing=SIGNED)
    result = invoke(werkmap, "import", str(source), "--organisatie", "hilversum")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.splitlines()[-1] == "1 brief geïmporteerd, zonder meldingen."
