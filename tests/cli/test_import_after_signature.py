"""``briefgen import``: a list of bijlagen after the signature, a caption under its table, and a bijlage
title left "(in te vullen)" by import, which ``check`` warns about and ``build`` refuses to publish."""

from __future__ import annotations

import pytest
from docx import Document

from briefgen.yamlio import load
from tests.cli.helpers import invoke
from tests.cli.wordletters import python_docx_letter


def _data(werkmap, rel: str):
    loaded, problems = load(werkmap / rel, rel)
    assert not problems, problems
    return loaded.data


def _letter(path, *, after: tuple[tuple[str, str], ...] = (), caption_below: str | None = None,
            before: tuple[tuple[str, str], ...] = ()):
    """A letter with ``(style, text)`` paragraphs ``before`` the closing formula and ``after`` the signature."""
    doc = Document()
    for line in ("Datum: 3 maart 2020", "Onderwerp: Bijlagen na de handtekening", "Geachte leden van de raad,", "Tekst."):
        doc.add_paragraph(line)
    if caption_below is not None:
        table = doc.add_table(rows=0, cols=2)
        for row in (("Post", "Bedrag"), ("Huur", "€ 1.000"), ("Licht", "€ 500")):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = row
        doc.add_paragraph(caption_below, style="Caption" if not caption_below.startswith("Tabel") else None)
        doc.add_paragraph("Meer tekst.")
    for style, text in before:
        doc.add_paragraph(text, style=style)
    for line in ("Met vriendelijke groet,", "de burgemeester,", "P.I. Broertjes", ""):
        doc.add_paragraph(line)
    for style, text in after:
        doc.add_paragraph(text, style=style)
    doc.save(path)
    return path


TARGET = "content/hilversum/2020/bijlagen-na-de-handtekening.yaml"


@pytest.mark.parametrize("after", [
    (("Normal", "Bijlagen:"), ("List Bullet", "Overzicht routes"), ("List Bullet", "Kaart Kortenhoef")),
    (("Heading 1", "Bijlagen"), ("List Number", "Overzicht routes"), ("List Number", "Kaart Kortenhoef")),
    (("Normal", "Bijlage(n):"), ("Normal", "1. Overzicht routes"), ("Normal", "2. Kaart Kortenhoef")),
], ids=["bullets", "heading-numbered", "typed-numbers"])
def test_a_list_of_bijlagen_after_the_signature_is_kept(werkmap, tmp_path, after):
    source = _letter(tmp_path / "brief.docx", after=after)
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    data = _data(werkmap, TARGET)
    assert data["bijlagen"] == [{"titel": "Overzicht routes"}, {"titel": "Kaart Kortenhoef"}]
    assert data["ondertekening"] == [{"rol": "burgemeester"}], data["ondertekening"]
    assert "na de slotformule niet overgenomen" not in result.stderr, result.stderr
    assert "niet herkend" not in result.stderr, result.stderr


@pytest.mark.parametrize("caption", ["Kosten per post", "Tabel 1: Kosten per post"], ids=["caption-style", "typed"])
def test_a_caption_under_its_table_is_the_tables_title(werkmap, tmp_path, caption):
    source = _letter(tmp_path / "brief.docx", caption_below=caption)
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    data = _data(werkmap, TARGET)
    [(name, table)] = data["tabellen"].items()
    assert table["titel"] == caption
    assert data["secties"][0]["tekst"] == f'Tekst.\n\n{{{{ tabel("{name}") }}}}\n\nMeer tekst.\n'


@pytest.mark.parametrize("caption", ["Tabel 1: Gehuisveste statushouders per wijk", "Tabel 1. Gehuisveste statushouders per wijk",
                                     "Tabel 2b - Gehuisveste statushouders per wijk"], ids=["colon", "full-stop", "dash"])
def test_a_tables_name_is_made_without_its_number(werkmap, tmp_path, caption):
    source = _letter(tmp_path / "brief.docx", caption_below=caption)
    result = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert result.exit_code == 0, result.output
    [(name, table)] = _data(werkmap, TARGET)["tabellen"].items()
    assert name == "gehuisveste_statushouders"
    assert table["titel"] == caption  # the house styles print the title as written: "Tabel 1:" stays


def test_a_bijlage_still_to_fill_in_is_a_warning_in_check_and_an_error_in_build(werkmap, tmp_path):
    source = python_docx_letter(tmp_path / "brief.docx")  # 'Bijlage(n): 2' without titles
    imported = invoke(werkmap, "import", str(source), "-o", "hilversum")
    assert "Bijlage N (in te vullen)" in imported.stderr, imported.output
    rel = "content/hilversum/2020/oude-brief-over-kosten.yaml"
    text = (werkmap / rel).read_text(encoding="utf-8").replace("ondertekening: college", "ondertekening: burgemeester")
    (werkmap / rel).write_text(text, encoding="utf-8")
    line = 1 + text.splitlines().index("  - titel: Bijlage 1 (in te vullen)")
    checked = invoke(werkmap, "check", str(werkmap / rel))
    warning = f"{rel}:{line}:12: waarschuwing: de titel van bijlage 1 is nog niet ingevuld ('(in te vullen)')"
    assert any(out.startswith(warning) for out in checked.stdout.splitlines() + checked.stderr.splitlines()), checked.output
    assert checked.exit_code == 0, checked.output
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / rel))
    assert built.exit_code == 1, built.output
    error = f"{rel}:{line}:12: de titel van bijlage 1 is nog niet ingevuld"
    assert any(out.startswith(error) and out.endswith("de brief wordt daarom niet gebouwd")
               for out in built.stdout.splitlines() + built.stderr.splitlines()), built.output
    assert "0 gebouwd, 0 actueel, 1 met fouten." in built.output
    assert not (werkmap / "build/hilversum/2020/oude-brief-over-kosten.docx").exists()
    (werkmap / rel).write_text(text.replace("Bijlage 1 (in te vullen)", "Overzicht").replace("Bijlage 2 (in te vullen)", "Kaart"),
                               encoding="utf-8")
    again = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / rel))
    assert again.exit_code == 0, again.output
    assert (werkmap / "build/hilversum/2020/oude-brief-over-kosten.docx").is_file()
