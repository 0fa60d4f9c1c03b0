"""An unknown dotted setting is named as the file writes it ('pdf.foo', not 'pdf'), each at its own line."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.problems import ProblemsError
from briefgen.settings import load_settings

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
