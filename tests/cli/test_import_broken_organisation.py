"""``briefgen import`` when the organisation's own file has an error: that error, in that file, not
"organisatie niet herkend"."""

from __future__ import annotations

import pytest

from tests.cli.helpers import invoke
from tests.cli.wordletters import python_docx_letter

ORG = "content/organisaties/hilversum.yaml"


def _break(werkmap) -> int:
    """An unknown key on the line after 'naam:'; returns its line number."""
    path = werkmap / ORG
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("naam:")) + 1
    lines.insert(at, "onbekend: 1")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return at + 1


@pytest.mark.parametrize("named", [True, False], ids=["with-organisatie", "recognised"])
def test_an_error_in_the_organisation_file_is_reported_there(werkmap, tmp_path, named):
    line = _break(werkmap)
    source = python_docx_letter(tmp_path / "brief.docx")
    result = invoke(werkmap, "import", str(source), *(["-o", "hilversum"] if named else []))
    assert result.exit_code == 1, result.output
    error = f"{ORG}:{line}:1: onbekende sleutel 'onbekend'"
    assert [out for out in result.stderr.splitlines() if out.startswith(error)] != [], result.stderr
    assert sum(out.startswith(ORG) for out in result.stderr.splitlines()) == 1, result.stderr  # once
    assert "niet herkend" not in result.output and "bestaat niet" not in result.output, result.output
    if not named:
        assert "de brief is van organisatie 'hilversum', maar haar organisatiebestand heeft fouten" in result.stderr
        assert "0 brieven geïmporteerd" in result.stdout
    assert not (werkmap / "content/hilversum/2020").exists()


def test_two_letters_of_a_broken_organisation_report_its_error_once(werkmap, tmp_path):
    _break(werkmap)
    (tmp_path / "map").mkdir()
    for name in ("a.docx", "b.docx"):
        python_docx_letter(tmp_path / "map" / name)
    result = invoke(werkmap, "import", str(tmp_path / "map"))
    assert result.exit_code == 1, result.output
    assert sum(out.startswith(ORG) for out in result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.count("maar haar organisatiebestand heeft fouten") == 2
