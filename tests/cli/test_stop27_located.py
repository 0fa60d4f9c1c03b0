"""Stop 27 (s27b): the werkmap found from inside a linked content/, and located messages for settings,
tables, bijlagen, signers and contacts."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from tests.cli.helpers import invoke, run
from tests.conftest import HEAD, blank_pdf, require_soffice, write


def _linked_content(tmp_path: Path, werkmap: Path) -> Path:
    """Move the werkmap's content/ to a shared folder beside it and leave a link in its place; the link."""
    shared = tmp_path / "gedeeld" / "content"
    shared.parent.mkdir()
    shutil.move(werkmap / "content", shared)
    (werkmap / "content").symlink_to(shared, target_is_directory=True)
    return werkmap / "content"


def test_started_inside_a_linked_content_finds_the_werkmap(tmp_path, werkmap):
    content = _linked_content(tmp_path, werkmap)
    inside = content / "hilversum"
    env = {**os.environ, "PWD": str(inside)}  # the shell's logical folder, as after 'cd werkmap/content/hilversum'
    for args in (("check",), ("check", "."), ("check", "2021/inkoop-wmo-jeugd.yaml"), ("check", "../hilversum")):
        result = run(*args, "--geen-spelling", cwd=inside.resolve(), env=env)
        assert result.returncode == 0, (args, result.stderr)
        assert "1 brief gecontroleerd" in result.stdout + result.stderr, (args, result.stderr)


def test_a_pwd_that_is_not_the_current_folder_is_not_used(tmp_path, werkmap):
    content = _linked_content(tmp_path, werkmap)
    env = {**os.environ, "PWD": str(werkmap)}  # stale: not where briefgen runs
    result = run("check", cwd=(content / "hilversum").resolve(), env=env)
    assert result.returncode != 0
    assert "geen werkmap gevonden" in result.stderr, result.stderr


def test_a_shared_content_folder_named_directly_is_in_content(tmp_path, werkmap):
    content = _linked_content(tmp_path, werkmap)
    result = invoke(werkmap, "check", "--geen-spelling", str(content.resolve() / "hilversum"))
    assert result.exit_code == 0, result.output
    assert "1 brief gecontroleerd" in result.output


def test_unknown_dotted_settings_are_located(werkmap):
    write(werkmap, "briefgen.toml", 'taken = 2\n  "pdf" . foo = 1\n')
    result = invoke(werkmap, "check")
    assert "briefgen.toml:2:3: onbekende instelling 'pdf.foo'" in result.output, result.output
    (werkmap / "briefgen.toml").unlink()
    write(werkmap, "pyproject.toml", "[project]\nname = 'x'\n\n[tool.briefgen]\ntaken = 1\npdf.foo = 1\n")
    result = invoke(werkmap, "check")
    assert "pyproject.toml:6:1: onbekende instelling 'pdf.foo'" in result.output, result.output
    write(werkmap, "pyproject.toml", "[tool]\nbriefgen.taken = 1\nbriefgen.pdf.foo = 1\n")
    result = invoke(werkmap, "check")
    assert "pyproject.toml:3:1: onbekende instelling 'pdf.foo'" in result.output, result.output


# --- Bijlagen: each unusable one once, at its 'bestand:' line -------------------------------------------------


def _with_bijlage(werkmap: Path, name: str, data: bytes | None, letter: str = "content/test/brief.yaml") -> None:
    if data is not None:
        write(werkmap, name, data)
    write(werkmap, letter, HEAD + "secties:\n  - tekst: Tekst.\nbijlagen:\n  - titel: B\n    bestand: " + name + "\n")


def _broken_pdfs() -> dict[str, tuple[bytes, str]]:
    import pikepdf

    whole = blank_pdf()
    damaged = "is beschadigd of onvolledig (de PDF is niet goed opgebouwd); sla hem opnieuw op als PDF"
    return {
        "afgebroken": (whole[: len(whole) // 2], damaged),  # qpdf would repair it silently
        "kapot": (b"%PDF-1.7\nniet echt\n", damaged),
        "wachtwoord": (blank_pdf(encryption=pikepdf.Encryption(owner="o", user="u")),
                       "is met een wachtwoord beveiligd; sla hem op zonder wachtwoord"),
        "versleuteld": (blank_pdf(encryption=pikepdf.Encryption(owner="o", user="")),
                        "is een beveiligde (versleutelde) PDF; sla hem op zonder beveiliging"),
        "geen-pdf": (b"tekst\n", "is geen leesbare PDF (het bestand begint niet als een PDF)"),
    }


def test_a_broken_pdf_bijlage_is_one_located_error_in_check_and_build(werkmap):
    for kind, (data, why) in _broken_pdfs().items():
        name = f"content/bijlagen/{kind}.pdf"
        _with_bijlage(werkmap, name, data)
        expected = f"content/test/brief.yaml:9:14: bijlage '{name}' {why}\n"
        checked = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content/test"))
        assert checked.exit_code == 1 and expected in checked.stderr, (kind, checked.stderr)
        built = invoke(werkmap, "build", "--bijlagen", "--formaat", "docx", str(werkmap / "content/test"))
        assert built.exit_code == 1, (kind, built.output)
        assert [line for line in built.stderr.splitlines() if "bijlage" in line] == [expected.strip()], (kind, built.stderr)
        assert not (werkmap / "build/test/brief.docx").exists()


def test_a_bijlage_in_build_is_a_located_error(werkmap):
    _with_bijlage(werkmap, "build/test/brief.pdf", blank_pdf())  # the letter's own output
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content/test"))
    assert result.exit_code == 1
    assert ("content/test/brief.yaml:9:14: bijlage 'build/test/brief.pdf' ligt in build/, waar briefgen zijn uitvoer "
            "maakt (en opruimt) (het is de PDF van deze brief zelf); een bijlage kan geen uitvoer van briefgen zijn: "
            "zet het bestand in content/\n") in result.stderr, result.stderr
    _with_bijlage(werkmap, "build/test/brief.pdf", None)  # not made yet: still in build/, not "bestaat niet"
    (werkmap / "build/test/brief.pdf").unlink()
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content/test"))
    assert "content/test/brief.yaml:9:14: bijlage 'build/test/brief.pdf' ligt in build/" in result.stderr, result.stderr


def test_a_bijlage_that_is_no_pdf_is_warned_about_once_and_the_letter_is_built(werkmap):
    require_soffice()
    _with_bijlage(werkmap, "content/bijlagen/notitie.txt", b"tekst\n")
    result = invoke(werkmap, "build", "--bijlagen", str(werkmap / "content/test"))
    assert result.exit_code == 0, result.output
    assert [line for line in result.stderr.splitlines() if "bijlage" in line] == [
        "content/test/brief.yaml:9:14: waarschuwing: bijlage 'content/bijlagen/notitie.txt' is geen PDF; "
        "'build --bijlagen' voegt hem niet toe"], result.stderr
    assert (werkmap / "build/test/brief.pdf").is_file()


# --- Tables named with a YAML special word; keys given twice; signers twice ----------------------------------

SPECIAL_TABLES = HEAD + """\
tabellen:
  true:
    kolommen: [Situatie, Aantal]
    rijen:
      - [PGB, zes]
  null:
    kolommen: [Situatie, Aantal]
    rijen:
      - [PGB, 6, 3]
      - [Ander, 1.5e3x]
  1:
    rijen:
      - [PGB, 2]
  yes:
    rijen:
      - [PGB, 2]
ondertekening: burgemeester
"""


def _check(werkmap: Path, letter: str) -> list[str]:
    write(werkmap, "content/test/brief.yaml", letter)
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content/test"))
    return [line for line in result.stderr.splitlines() if line.startswith("content/test/brief.yaml")]


def test_tables_named_with_yaml_words_are_named_as_written_and_cells_located(werkmap):
    assert _check(werkmap, SPECIAL_TABLES) == [
        "content/test/brief.yaml:6:3: de sleutel true onder 'tabellen' moet tekst zijn; zet hem tussen aanhalingstekens: 'true'",
        "content/test/brief.yaml:9:15: 'zes' is geen getal",
        "content/test/brief.yaml:10:3: de sleutel null onder 'tabellen' moet tekst zijn; zet hem tussen aanhalingstekens: 'null'",
        "content/test/brief.yaml:14:9: deze rij heeft 1 waarde(n) na de omschrijving, andere rijen 2",
        "content/test/brief.yaml:14:17: '1.5e3x' is geen getal",
        "content/test/brief.yaml:15:3: de sleutel 1 moet tekst zijn; zet hem tussen aanhalingstekens: '1'",  # not "twice"
    ]


def test_a_key_given_twice_beside_a_merge_key_is_located(werkmap):
    letter = HEAD + ("tabellen:\n  t:\n    kolommen: [Situatie, Aantal]\n    rijen: [[a, 1]]\n"
                     "    <<: {titel: Tabel}\n    kolommen: [A, B]\nondertekening: burgemeester\n")
    assert _check(werkmap, letter) == [
        "content/test/brief.yaml:10:5: de sleutel 'kolommen' staat er twee keer in (eerder op regel 7); "
        "de tweede zou de eerste stilzwijgend vervangen"]


def test_the_same_signer_twice_is_located_at_the_second(werkmap):
    letter = HEAD + "ondertekening:\n  - burgemeester\n  - rol: burgemeester\n"
    [problem] = _check(werkmap, letter)
    assert problem.startswith("content/test/brief.yaml:7:5: "), problem
    assert problem.endswith(" ondertekent al (regel 6); iemand ondertekent een brief één keer: haal één van de twee weg")


# --- Contact rows: no empty "Informatie bij" / "Tel. nr." in the letter ------------------------------------------


def _header_text(werkmap: Path, contacts: str) -> str:
    """The text of the built DOCX (house style hilversum-rib-2016: names and phones in one fields row)."""
    import zipfile

    write(werkmap, "content/test/brief.yaml", HEAD + "huisstijl: hilversum-rib-2016\nsecties:\n  - tekst: Tekst.\n"
          + contacts + "ondertekening: burgemeester\n")
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/test"))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(werkmap / "build/test/brief.docx") as docx:
        xml = docx.read("word/document.xml").decode()
    return " ".join(re.sub(r"<[^>]+>", " ", xml).split())


def test_no_contact_row_without_contacts_and_no_phone_label_without_phones(werkmap):
    both = _header_text(werkmap, "contactpersonen:\n  - naam: A. Jansen\n    telefoon: '0612345678'\n")
    assert "Informatie bij" in both and "Tel. nr." in both and "06 12 34 56 78" in both
    email_only = _header_text(werkmap, "contactpersonen:\n  - naam: A. Jansen\n    email: a.jansen@example.nl\n")
    assert "Informatie bij" in email_only and "A. Jansen" in email_only
    assert "Tel. nr." not in email_only
    nobody = _header_text(werkmap, "")
    assert "Informatie bij" not in nobody and "Tel. nr." not in nobody
