"""Untrusted settings and options: a broken briefgen.toml, --sinds that looks like an option, schema
--schrijf to a bad place; and the report agrees with the disk (a letter not built has no new output)."""

from __future__ import annotations

import subprocess

import pytest

from tests.cli.helpers import invoke
from tests.conftest import HEAD, write

# --- Settings files ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param("briefgen.toml", "taken = 2\nsoffice = /usr/bin/soffice\n",
                     "briefgen.toml:2:11: ongeldige TOML: ongeldige waarde", id="unquoted-path"),
        pytest.param("briefgen.toml", "taken = 2\n[instellingen\n",
                     "briefgen.toml:2:14: ongeldige TOML: de tabelkop mist de ']' aan het eind", id="table-header"),
        pytest.param("briefgen.toml", 'soffice = "C:\\Programma\'s\\soffice.exe"\n',
                     "briefgen.toml:1:16: ongeldige TOML: een losse '\\' in tekst; schrijf '\\\\' of zet de tekst "
                     "tussen enkele aanhalingstekens", id="backslash"),
        pytest.param("briefgen.toml", "taken = 2\ntaken = 3\n",
                     "briefgen.toml:2:1: ongeldige TOML: de instelling 'taken' staat er twee keer in (eerder op regel 1); "
                     "verwijder er één", id="twice"),
        pytest.param("briefgen.toml", 'soffice = "open\n',
                     "briefgen.toml:1:16: ongeldige TOML: ongeldig teken '\\n'", id="unterminated"),
        pytest.param("briefgen.toml", b"taken = 2\n# caf\xe9\n",
                     "briefgen.toml:2:6: ongeldige tekst: het bestand is geen UTF-8", id="latin-1"),
        pytest.param("pyproject.toml", '[project]\nname = "x"\n\n[tool.briefgen]\n  taken = "veel"\n',
                     "pyproject.toml:5:3: 'taken' moet een geheel getal van minstens 1 zijn, niet 'veel'",
                     id="pyproject-type"),
        pytest.param("pyproject.toml", "[tool.briefgen]\npdf_timeout = 30\nsofice = 'x'\n",
                     "pyproject.toml:3:1: onbekende instelling 'sofice'; bedoelde u 'soffice'?", id="pyproject-unknown"),
        pytest.param("pyproject.toml", "[tool]\nbriefgen = 4\n",
                     "pyproject.toml:2:1: [tool.briefgen] moet een tabel met instellingen zijn", id="pyproject-not-a-table"),
        pytest.param("briefgen.toml", "taken = 100000\n",
                     "briefgen.toml:1:1: 'taken' moet hoogstens 256 zijn, niet 100000", id="too-many-jobs"),
    ],
)
def test_broken_settings_are_located_and_dutch(werkmap, name, text, expected):
    write(werkmap, name, text)
    result = invoke(werkmap, "build", "--formaat", "docx")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", expected + "\n")
    assert not (werkmap / "build").exists()


# --- --sinds is a revision, never an option --------------------------------------------------------------


@pytest.fixture
def repository(werkmap):
    def git(*args):
        subprocess.run(["git", "-C", str(werkmap), *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "brieven")
    return werkmap


@pytest.mark.parametrize("revision", ["--output={target}", "-p", "geen-revisie", "HEAD:content", ""])
def test_since_accepts_only_a_commit(repository, tmp_path, revision):
    target = tmp_path / "door-git-geschreven"
    revision = revision.format(target=target)
    result = invoke(repository, "build", "--formaat", "docx", f"--sinds={revision}")
    assert not target.exists()
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"briefgen: --sinds: '{revision}' is geen commit in deze git-repository; geef een revisie zoals HEAD~1, "
        "een tag of een commit-id\nZie 'briefgen build --help'.\n"
    ) or result.stderr.startswith(f"briefgen: --sinds: '{revision}' is geen git-revisie")
    assert not (repository / "build" / "hilversum").exists()


def test_since_outside_a_repository_is_dutch(werkmap):
    result = invoke(werkmap, "build", "--formaat", "docx", "--sinds", "HEAD")
    assert result.exit_code == 1
    assert result.stderr.startswith("briefgen: --sinds werkt alleen in een git-repository")


# --- briefgen schema --schrijf -------------------------------------------------------------------------------


def test_schema_written_onto_a_file_is_a_usage_error(tmp_path):
    target = write(tmp_path, "bestaand.txt", "inhoud\n")
    result = invoke(None, "schema", "--schrijf", str(target))
    assert (result.exit_code, result.stderr) == (2, f"briefgen: --schrijf verwacht een map, en {target} is een bestand\n")
    assert target.read_text(encoding="utf-8") == "inhoud\n"


def test_schema_below_a_file_gives_a_dutch_message(tmp_path):
    target = write(tmp_path, "bestaand.txt", "inhoud\n") / "schema"
    result = invoke(None, "schema", "--schrijf", str(target))
    assert (result.exit_code, result.stderr) == (
        1, f"briefgen: kan {target}/brief.schema.json niet schrijven: een deel van het pad is geen map\n")


# --- The report agrees with the disk --------------------------------------------------------------------------


def test_unreadable_bijlage_leaves_no_docx_behind(werkmap):
    write(werkmap, "content/bijlagen/kapot.pdf", b"%PDF-1.7\nniet echt\n")
    write(werkmap, "content/test/brief.yaml",
          HEAD + "secties:\n  - tekst: Tekst.\nbijlagen:\n  - titel: Kapot\n    bestand: content/bijlagen/kapot.pdf\n")
    result = invoke(werkmap, "build", "--bijlagen", str(werkmap / "content/test"))
    assert result.exit_code == 1
    assert result.stdout == "0 gebouwd, 0 actueel, 1 met fouten.\n"
    assert ("content/test/brief.yaml:9:14: bijlage 'content/bijlagen/kapot.pdf' is beschadigd of onvolledig "
            "(de PDF is niet goed opgebouwd); sla hem opnieuw op als PDF\n") in result.stderr
    assert "Niet gebouwd (eerdere uitvoer, als die er is, blijft ongewijzigd):\n  content/test/brief.yaml\n" in result.stderr
    assert not (werkmap / "build/test/brief.docx").exists()
    assert not (werkmap / "build/test/brief.pdf").exists()
