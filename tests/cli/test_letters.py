"""What real letters need: office-holders never invented, external references, footnotes,
toezeggingen per letter, and ``new`` in the organisation's house style (issue 15)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import invoke
from tests.conftest import write

PLACEHOLDER_WARNING = (
    "content/organisaties/hilversum.yaml:24:11: waarschuwing: de gemeentesecretaris is nog niet ingevuld: "
    "vul de echte naam (en 'van'/'tot') in; tot dan ondertekent deze functie geen brief"
)


def init(tmp_path: Path) -> Path:
    root = tmp_path / "griffie"
    result = invoke(None, "init", str(root))
    assert result.exit_code == 0, result.output
    return root


def test_init_names_no_invented_signer_and_check_reports_the_placeholder(tmp_path):
    root = init(tmp_path)
    organisation = (root / "content" / "organisaties" / "hilversum.yaml").read_text(encoding="utf-8")
    assert "J. de Boer" not in organisation and '"(in te vullen)"' in organisation
    result = invoke(root, "check", "--geen-spelling")
    assert PLACEHOLDER_WARNING in result.stderr.splitlines()
    assert invoke(root, "check", "--geen-spelling", "--streng").exit_code == 1


def test_build_refuses_to_sign_with_a_placeholder(tmp_path):
    root = init(tmp_path)
    letter = root / "content" / "hilversum" / "2021" / "college.yaml"
    letter.write_text(
        "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\nonderwerp: Test\n"
        "secties:\n  - tekst: Tekst.\nondertekening: college\n",
        encoding="utf-8",
    )
    result = invoke(root, "build", "--formaat", "docx", str(letter))
    assert result.exit_code == 1
    assert (
        "content/hilversum/2021/college.yaml:7:16: geen ondertekenaar: de gemeentesecretaris op 16 november 2021 "
        "is in het organisatiebestand van Gemeente Hilversum nog niet ingevuld ('(in te vullen)'); vul de echte naam in"
    ) in result.stderr.splitlines()
    assert not (root / "build" / "hilversum" / "2021" / "college.docx").exists()


COMMITMENT = (
    "toezeggingen:\n  - nummer: T21/14\n    omschrijving: De raad krijgt een vervolg.\n    status: afgedaan\n"
)


def _body_text(docx_path: Path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)


def test_toezeggingen_are_printed_unless_the_letter_says_not_to(werkmap):
    base = (
        "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\nonderwerp: Test\n"
        "secties:\n  - tekst: Tekst.\n" + COMMITMENT
    )
    write(werkmap, "content/t/getoond.yaml", base)
    write(werkmap, "content/t/verborgen.yaml", base + "toezeggingen_tonen: false\n")
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content" / "t"))
    assert result.exit_code == 0, result.output
    assert "Toezeggingen" in _body_text(werkmap / "build" / "t" / "getoond.docx")
    hidden = _body_text(werkmap / "build" / "t" / "verborgen.docx")
    assert "Toezeggingen" not in hidden and "T21/14" not in hidden
    listing = invoke(werkmap, "list", "--toezeggingen")
    assert listing.stdout.count("T21/14") == 2
