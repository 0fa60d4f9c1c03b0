"""An unknown dotted setting is named as the file writes it ('pdf.foo', not 'pdf'), each at its own line."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.problems import ProblemsError
from briefgen.settings import Settings, load_settings

ALLOWED = "toegestaan zijn: taken, pdf_timeout, soffice"


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("briefgen.toml", "pdf.foo = 1\n", [f"briefgen.toml:1:1: onbekende instelling 'pdf.foo'; {ALLOWED}"]),
    ("briefgen.toml", "taken = 1\npdf.foo = 1\n  pdf . timeout = 3\n", [
        f"briefgen.toml:2:1: onbekende instelling 'pdf.foo'; {ALLOWED}",
        "briefgen.toml:3:3: onbekende instelling 'pdf.timeout'; bedoelde u 'pdf_timeout'?"]),
    ("briefgen.toml", "a.b.c = 1\na.b.d = {x = 1}\n", [
        f"briefgen.toml:1:1: onbekende instelling 'a.b.c'; {ALLOWED}",
        f"briefgen.toml:2:1: onbekende instelling 'a.b.d'; {ALLOWED}"]),
    ("briefgen.toml", "tool.briefgen.taken = 2\n", [
        "briefgen.toml:1:1: onbekende instelling 'tool.briefgen.taken'; in briefgen.toml staan de instellingen "
        "zonder 'tool.briefgen.' ervoor: schrijf 'taken'"]),
    # review: the prefix of a setting that is no setting without it either, and a [tool.briefgen] written without its
    # header, are each named as written, with what to write instead
    ("briefgen.toml", "taken = 2\ntool.briefgen.foo = 1\ntool.briefgen.pdf.timeout = 3\n", [
        "briefgen.toml:2:1: onbekende instelling 'tool.briefgen.foo'; in briefgen.toml staan de instellingen zonder "
        f"'tool.briefgen.' ervoor, en ook 'foo' is geen instelling; {ALLOWED}",
        "briefgen.toml:3:1: onbekende instelling 'tool.briefgen.pdf.timeout'; in briefgen.toml staan de instellingen "
        "zonder 'tool.briefgen.' ervoor, en ook 'pdf.timeout' is geen instelling; bedoelde u 'pdf_timeout'?"]),
    ("briefgen.toml", "# x\ntool = {briefgen = {taken = 3, soffice = 'lo'}}\n", [
        "briefgen.toml:2:1: onbekende instelling 'tool'; in briefgen.toml staan de instellingen zonder 'tool' en "
        "'briefgen' eromheen: schrijf 'taken = 3' en \"soffice = 'lo'\", elk op een eigen regel"]),
    ("briefgen.toml", "[tool]\nbriefgen.pdf_timeout = 30\n", [
        "briefgen.toml:1:1: onbekende instelling 'tool'; in briefgen.toml staan de instellingen zonder 'tool' en "
        "'briefgen' eromheen: schrijf 'pdf_timeout = 30' op een eigen regel"]),
    ("briefgen.toml", "[ tool.briefgen ]  # oud\ntaken = 2\n", [
        "briefgen.toml:1:1: onbekende instelling 'tool'; in briefgen.toml staan de instellingen zonder tabelkop: "
        "verwijder de regel [tool.briefgen]"]),
    ("briefgen.toml", "pdf_timeout = 30\nbriefgen.taken = 3\n", [
        "briefgen.toml:2:1: onbekende instelling 'briefgen.taken'; in briefgen.toml staan de instellingen zonder "
        "'briefgen.' ervoor: schrijf 'taken'"]),
    ("briefgen.toml", "[briefgen]\ntaken = 3\n", [
        "briefgen.toml:1:1: onbekende instelling 'briefgen'; in briefgen.toml staan de instellingen zonder tabelkop: "
        "verwijder de regel [briefgen]"]),
    # review: a name in such a table that is no setting was given as a line to write ("schrijf 'foo = 3'")
    ("briefgen.toml", "[tool]\nbriefgen.foo = 3\n", [
        "briefgen.toml:1:1: onbekende instelling 'tool'; in briefgen.toml staan de instellingen zonder 'tool' en "
        f"'briefgen' eromheen, en ook 'foo' is geen instelling; {ALLOWED}"]),
    ("briefgen.toml", "[briefgen.pdf]\ntimeout = 3\n", [
        "briefgen.toml:1:1: onbekende instelling 'briefgen'; in briefgen.toml staan de instellingen zonder 'briefgen' "
        "eromheen, en ook 'pdf.timeout' is geen instelling; bedoelde u 'pdf_timeout'?"]),
    ("briefgen.toml", "[briefgen]\ntaken = 3\nfoo = 1\n", [
        "briefgen.toml:1:1: onbekende instelling 'briefgen'; in briefgen.toml staan de instellingen zonder tabelkop: "
        f"verwijder de regel [briefgen], en ook 'foo' is geen instelling; {ALLOWED}"]),
    ("briefgen.toml", "briefgen = {taken = 3}\n", [
        "briefgen.toml:1:1: onbekende instelling 'briefgen'; in briefgen.toml staan de instellingen zonder 'briefgen' "
        "eromheen: schrijf 'taken = 3' op een eigen regel"]),
    ("pyproject.toml", "[tool.briefgen]\ntool.briefgen.taken = 2\nbriefgen.x = 1\n", [
        "pyproject.toml:2:1: onbekende instelling 'tool.briefgen.taken'; onder [tool.briefgen] staan de instellingen "
        "zonder 'tool.briefgen.' ervoor: schrijf 'taken'",
        "pyproject.toml:3:1: onbekende instelling 'briefgen.x'; onder [tool.briefgen] staan de instellingen zonder "
        f"'briefgen.' ervoor, en ook 'x' is geen instelling; {ALLOWED}"]),
    ("pyproject.toml", "[tool.briefgen]\ntaken = 2\npdf.foo = 1\n",
     [f"pyproject.toml:3:1: onbekende instelling 'pdf.foo'; {ALLOWED}"]),
    # a table is named by itself, as it is written
    ("briefgen.toml", "pdf = {foo = 1}\n", [f"briefgen.toml:1:1: onbekende instelling 'pdf'; {ALLOWED}"]),
    ("briefgen.toml", "[pdf]\nfoo = 1\n", [f"briefgen.toml:1:1: onbekende instelling 'pdf'; {ALLOWED}"]),
])
def test_unknown_dotted_setting_is_named_in_full(tmp_path: Path, name: str, content: str, expected: list[str]) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_settings(tmp_path)
    assert [problem.format() for problem in caught.value.problems] == expected


def test_a_briefgen_table_in_pyproject_is_not_read_silently(tmp_path: Path) -> None:
    """[briefgen] in pyproject.toml was passed over without a word: the settings in it did nothing."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "griffie"\n\n[briefgen]\ntaken = 7\n', encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.jobs == Settings().jobs != 7  # the default: taken = 7 is not used
    assert [problem.format() for problem in settings.warnings] == [UNUSED.format(line=4)]


UNUSED = ("pyproject.toml:{line}:1: waarschuwing: briefgen leest zijn instellingen in pyproject.toml uit [tool.briefgen], "
          "niet uit [briefgen]: deze worden niet gebruikt; zet ze onder [tool.briefgen]")


def test_a_briefgen_table_beside_tool_briefgen_in_pyproject_is_not_read_silently(tmp_path: Path) -> None:
    """review: with settings in [tool.briefgen], those under [briefgen] were still passed over without a word."""
    (tmp_path / "pyproject.toml").write_text("[tool.briefgen]\ntaken = 3\n\n[briefgen]\ntaken = 7\n", encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.jobs == 3
    assert [problem.format() for problem in settings.warnings] == [UNUSED.format(line=4)]
