"""Path hazards: bijlagen and huisstijlen outside the werkmap, symlinks, and letter file names that
look like options or hold spaces and Unicode — outputs always stay under build/."""

from __future__ import annotations

import os
import shutil

import pytest

from briefgen import pipeline
from briefgen.problems import BriefgenError
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap
from tests.conftest import blank_pdf
from tests.fuzz.helpers import REPO, STYLE_2021, assert_docx_ok, assert_dutch, check, new_werkmap, outputs, run_cli

SETTINGS = Settings(jobs=1)
HEAD = "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\nonderwerp: Test\nondertekening: burgemeester\n"
SHOWN = "content/x/brief.yaml"


def _attachment(path: str) -> str:
    return HEAD + f"bijlagen:\n  - titel: Bijlage\n    bestand: {path}\n"


def _errors(werkmap):
    return [p for p in check(werkmap).problems if p.is_error]


@pytest.fixture
def outside(tmp_path):
    """A real file next to (not inside) the werkmap."""
    target = tmp_path / "geheim.pdf"
    target.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return target


@pytest.mark.parametrize("kind", ["dotdot", "dotdot-via-bijlagen", "absolute", "symlink-file", "symlink-folder"])
def test_attachment_outside_the_werkmap_is_refused(tmp_path, outside, kind):
    root = tmp_path / "werkmap"
    value = {
        "dotdot": "../geheim.pdf",
        "dotdot-via-bijlagen": "bijlagen/../../geheim.pdf",
        "absolute": str(outside),
        "symlink-file": "bijlagen/link.pdf",
        "symlink-folder": "bijlagen/map/geheim.pdf",
    }[kind]
    werkmap = new_werkmap(root, {"x/brief.yaml": _attachment(value)}, templates=STYLE_2021)
    (root / "bijlagen").mkdir()
    (root / "bijlagen" / "link.pdf").symlink_to(outside)
    (root / "bijlagen" / "map").symlink_to(outside.parent, target_is_directory=True)
    [problem] = _errors(werkmap)
    assert (problem.path, problem.line, problem.col) == (SHOWN, 8, 14)
    assert problem.message == f"bijlage '{value}' ligt buiten de werkmap; gebruik een pad binnen werkmap/"
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    assert not report.ok and not outputs(werkmap, "docx")


def test_attachment_inside_the_werkmap_is_fine(tmp_path):
    root = tmp_path / "werkmap"
    werkmap = new_werkmap(root, {"x/brief.yaml": _attachment("bijlagen/notitie.pdf")}, templates=STYLE_2021)
    (root / "bijlagen").mkdir()
    (root / "bijlagen" / "notitie.pdf").write_bytes(blank_pdf())
    assert _errors(werkmap) == []


def _outside_template(tmp_path):
    shutil.copy(REPO / "templates" / "hilversum-rib-2021.docx", tmp_path / "buiten.docx")
    return tmp_path / "buiten.docx"


@pytest.mark.parametrize("style", ["../../../buiten", "ABSOLUTE"], ids=["dotdot", "absolute"])
def test_house_style_outside_the_werkmap_is_refused(tmp_path, style):
    template = _outside_template(tmp_path)
    value = str(template.with_suffix("")) if style == "ABSOLUTE" else style
    werkmap = new_werkmap(tmp_path / "werkmap" / "diep", {"x/brief.yaml": HEAD + f"huisstijl: {value}\n"}, templates=STYLE_2021)
    [problem] = _errors(werkmap)
    assert (problem.line, problem.col) == (6, 12)
    assert_dutch(problem, tolerate_known=False)


@pytest.mark.parametrize("key", ["bestand", "huisstijl"])
def test_overlong_file_name_is_a_located_problem(tmp_path, key):
    name = "a" * 300
    body = _attachment(name) if key == "bestand" else HEAD + f"huisstijl: {name}\n"
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": body}, templates=STYLE_2021)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))  # today: OSError
    [problem] = [p for p in report.problems if p.is_error]
    assert problem.line == (8 if key == "bestand" else 6)


def test_letter_symlinked_from_outside_is_refused(tmp_path):
    outside = tmp_path / "buiten.yaml"
    outside.write_text(HEAD, encoding="utf-8")
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/echt.yaml": HEAD}, templates=STYLE_2021)
    (werkmap.content / "x" / "link.yaml").symlink_to(outside)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    [problem] = report.problems
    assert (problem.path, problem.line, problem.col) == ("content/x/link.yaml", 1, 1)
    assert "symbolische koppeling naar een bestand buiten de werkmap" in problem.message
    assert sorted(outputs(werkmap, "docx")) == ["x/echt.docx"]


NAMES = [
    "met spaties en (haakjes).yaml",
    "-rf.yaml",
    "--help.yaml",
    "-C.yaml",
    "één—brief ☃ 😀.yaml",
    "cafe\u0301.yaml",  # NFD: e + combining acute
    "'; rm -rf ~ '.yaml",
    "$(touch gehackt).yaml",
    "map met spatie/-j 99/brief.yaml",
    "a\u202eyaml.exe.yaml",
    "x" * 200 + ".yaml",
]


def _tree(folder) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_letter_file_names_stay_under_build(tmp_path):
    root = tmp_path / "werkmap"
    werkmap = new_werkmap(root, {name: HEAD for name in NAMES}, templates=STYLE_2021)
    before = _tree(tmp_path)
    result = run_cli(["-C", str(root), "build", "--formaat", "docx"])
    assert result.exit_code == 0, result.output
    new = _tree(tmp_path) - before
    assert all(path.startswith("werkmap/build/") or path == "werkmap/build" for path in new), sorted(new)
    built = outputs(werkmap, "docx")
    assert sorted(built) == sorted(name[: -len(".yaml")] + ".docx" for name in NAMES)
    for path in built.values():
        assert_docx_ok(path)
    assert not (tmp_path / "gehackt").exists() and not (root / "gehackt").exists()


@pytest.mark.parametrize("name", ["-rf.yaml", "--help.yaml", "met spaties en (haakjes).yaml", "één—brief ☃ 😀.yaml"])
def test_letter_named_like_an_option_can_be_selected(tmp_path, name):
    root = tmp_path / "werkmap"
    werkmap = new_werkmap(root, {name: HEAD, "ander.yaml": HEAD}, templates=STYLE_2021)
    result = run_cli(["-C", str(root), "build", "--formaat", "docx", "--", str(root / "content" / name)])
    assert result.exit_code == 0, result.output
    assert sorted(outputs(werkmap, "docx")) == [name[: -len(".yaml")] + ".docx"]


def test_build_folder_symlinked_elsewhere_is_refused(tmp_path):
    """build/ may not be a symlink out of the werkmap (e.g. to a share): a build removes leftovers there
    (stop 25); nothing lands there."""
    root = tmp_path / "werkmap"
    werkmap = new_werkmap(root, {"x/brief.yaml": HEAD}, templates=STYLE_2021)
    elsewhere = tmp_path / "share"
    elsewhere.mkdir()
    os.symlink(elsewhere, root / "build")
    with pytest.raises(BriefgenError, match="buiten de werkmap"):
        pipeline.build(werkmap, SETTINGS, formats=("docx",))
    assert list(elsewhere.iterdir()) == []


# --- Stop 25: every file reference passes werkmap.file_problem / read_file --------------------------------


def _two_werkmaps(tmp_path, letter: str):
    """This werkmap with ``letter`` at content/x/brief.yaml, and another werkmap beside it with a letter."""
    other = new_werkmap(tmp_path / "ander", {"oud/brief.yaml": HEAD.replace("2021-11-16", "2020-01-01")},
                        templates=STYLE_2021)
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": letter}, templates=STYLE_2021)
    (werkmap.content / "extern").symlink_to(other.content / "oud", target_is_directory=True)
    return werkmap


@pytest.mark.parametrize("reference", ["vorige: extern/brief\n",
                                       'secties:\n  - tekst: Zie {{ brief("extern/brief") }}.\n'])
def test_a_letter_through_a_folder_linked_outside_the_werkmap_is_refused(tmp_path, reference):
    werkmap = _two_werkmaps(tmp_path, HEAD + reference)
    messages = [p.format() for p in _errors(werkmap)]
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"{SHOWN}:"), messages
    assert messages[0].endswith("'extern/brief': content/extern/brief.yaml: dit bestand ligt in een map die een "
                                "symbolische koppeling is naar een plek buiten de werkmap; kopieer het bestand naar de werkmap")


@pytest.mark.parametrize("target", ["other-template", "/etc/passwd"])
def test_a_template_linked_outside_the_werkmap_is_neither_used_nor_read(tmp_path, target):
    other = new_werkmap(tmp_path / "ander", {}, templates=STYLE_2021)
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": HEAD}, templates=STYLE_2021)
    template = werkmap.templates / "hilversum-rib-2021.docx"
    template.unlink()
    template.symlink_to(other.templates / template.name if target == "other-template" else target)
    refused = "dit is een symbolische koppeling naar een bestand buiten de werkmap"
    messages = [p.format() for p in _errors(werkmap)]
    assert any(m.startswith(f"{SHOWN}:") and refused in m for m in messages), messages
    assert all("geen Word-bestand" not in m for m in messages), messages
    result = run_cli(["-C", str(werkmap.root), "templates", "check"])
    assert result.exit_code == 1
    assert f"templates/hilversum-rib-2021.docx: kan de template niet lezen: {refused}" in result.stderr
    result = run_cli(["-C", str(werkmap.root), "build", "--formaat", "docx"])
    assert result.exit_code == 1 and refused in result.stderr
    assert not outputs(werkmap, "docx")


def test_a_fifo_template_is_a_dutch_message_not_a_hang(tmp_path):
    import subprocess
    import sys

    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": HEAD + "huisstijl: f\n"}, templates=STYLE_2021)
    os.mkfifo(werkmap.templates / "f.docx")
    for command in (["check"], ["templates", "check"]):
        result = subprocess.run([sys.executable, "-m", "briefgen", "-C", str(werkmap.root), *command],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 1, result.stderr
        assert "templates/f.docx: kan de template niet lezen: dit is geen gewoon bestand" in result.stderr
        assert "bestaat niet" not in result.stderr
        if command == ["check"]:
            assert f"{SHOWN}: huisstijl 'f' (templates/f.docx): dit is geen gewoon bestand" in result.stderr.replace(":6:12", "")


def test_a_folder_as_bijlage_says_it_is_a_folder(tmp_path):
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": _attachment("content/map")}, templates=STYLE_2021)
    (werkmap.content / "map").mkdir()
    messages = [p.format() for p in _errors(werkmap)]
    assert messages == [f"{SHOWN}:8:14: bijlage 'content/map': dit is een map, geen bestand"], messages


@pytest.mark.parametrize(("name", "data", "message"), [
    ("notitie.pdf", b"geen pdf\n",
     "bijlage 'content/notitie.pdf' is geen leesbare PDF (het bestand begint niet als een PDF)"),
    ("notitie.txt", b"tekst\n",
     "waarschuwing: bijlage 'content/notitie.txt' is geen PDF; 'build --bijlagen' voegt hem niet toe"),
])
def test_check_finds_a_bijlage_that_is_not_a_pdf_at_its_line(tmp_path, name, data, message):
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": _attachment(f"content/{name}")}, templates=STYLE_2021)
    (werkmap.content / name).write_bytes(data)
    report = check(werkmap)
    assert [p.format() for p in report.problems if p.path == SHOWN] == [f"{SHOWN}:8:14: {message}"]


def test_an_organisation_file_as_vorige_says_it_is_one(tmp_path):
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": HEAD + "vorige: organisaties/hilversum\n"},
                          templates=STYLE_2021)
    assert [p.format() for p in _errors(werkmap)] == [
        f"{SHOWN}:6:9: vorige brief 'organisaties/hilversum': content/organisaties/hilversum.yaml is geen brief: "
        "het is een organisatiebestand (content/organisaties/)"]


def test_check_reports_a_letter_name_too_long_for_its_outputs_with_the_limit(tmp_path):
    """A 237-character name passed check and failed build ("de bestandsnaam is te lang", stop 25)."""
    from briefgen.werkmap import MAX_LETTER_STEM, NAME_MAX

    longest, too_long = "a" * MAX_LETTER_STEM, "b" * (MAX_LETTER_STEM + 1)
    werkmap = new_werkmap(tmp_path / "werkmap", {f"x/{longest}.yaml": HEAD, f"x/{too_long}.yaml": HEAD.replace(
        "Test", "Andere test")}, templates=STYLE_2021)
    assert len(f".{longest}.diwoo.xml.12345678.tmp") == NAME_MAX  # write_atomic's longest temporary name
    assert [p.format() for p in _errors(werkmap)] == [
        f"content/x/{too_long}.yaml: de bestandsnaam is te lang voor de uitvoer: {MAX_LETTER_STEM + 1} bytes zonder "
        f".yaml, maximaal {MAX_LETTER_STEM} (de uitvoer, zoals .diwoo.xml, en de tijdelijke bestanden krijgen een "
        "langere naam; een letter met een accent telt als twee bytes); kies een kortere naam"]
    result = run_cli(["-C", str(werkmap.root), "build", "--formaat", "docx"])
    assert result.stdout.endswith("1 gebouwd, 0 actueel, 1 met fouten.\n"), result.output


@pytest.mark.parametrize("reference", ["vorige: t/één\n", 'secties:\n  - tekst: Zie {{ brief("t/één") }}.\n'])
def test_a_reference_in_nfc_finds_a_file_named_in_nfd(tmp_path, reference):
    """macOS names a file één in NFD (e + accent); the letter refers to it in NFC (é), stop 25."""
    import unicodedata

    nfd = unicodedata.normalize("NFD", "t/één.yaml")
    werkmap = new_werkmap(tmp_path / "werkmap", {
        nfd: HEAD.replace("2021-11-16", "2021-01-04").replace("burgemeester", "burgemeester\nnummer: '2021/1'"),
        "x/brief.yaml": HEAD.replace("burgemeester", "burgemeester\nnummer: '2021/2'") + reference,
    }, templates=STYLE_2021)
    assert unicodedata.normalize("NFC", reference) == reference and nfd != "t/één.yaml"
    assert _errors(werkmap) == []


# --- After the review (stop 25, f1): a werkmap's own content/ and templates/ may be links ------------------


def _linked_werkmap(tmp_path, letters: dict[str, str]):
    """A werkmap whose content/ and templates/ are links to a shared folder beside it (a shared drive)."""
    shared = new_werkmap(tmp_path / "gedeeld", letters, templates=STYLE_2021)
    root = tmp_path / "werkmap"
    root.mkdir()
    (root / "content").symlink_to(shared.content, target_is_directory=True)
    (root / "templates").symlink_to(shared.templates, target_is_directory=True)
    return Werkmap(root)


def test_a_werkmap_with_linked_content_and_templates_builds(tmp_path):
    letter = (HEAD + "vorige: oud/brief\n" + 'secties:\n  - tekst: Zie {{ brief("oud/brief") }}.\n'
              + "bijlagen:\n  - titel: Bijlage\n    bestand: content/x/bijlage.pdf\n")
    werkmap = _linked_werkmap(tmp_path, {"x/brief.yaml": letter,
                                         "oud/brief.yaml": HEAD.replace("2021-11-16", "2020-01-01")})
    (werkmap.content / "x" / "bijlage.pdf").write_bytes(blank_pdf())
    assert [p.format() for p in _errors(werkmap)] == []
    result = run_cli(["-C", str(werkmap.root), "templates", "check"])  # the other house styles are not copied
    assert "hilversum-rib-2021" not in result.output and "koppeling" not in result.output, result.output
    result = run_cli(["-C", str(werkmap.root), "build", "--formaat", "docx"])
    assert result.exit_code == 0, result.output
    assert_docx_ok(werkmap.root / "build" / "x" / "brief.docx")


def test_a_folder_linked_outside_from_a_linked_content_is_still_refused(tmp_path):
    werkmap = _linked_werkmap(tmp_path, {"x/brief.yaml": HEAD + "vorige: extern/brief\n"})
    other = new_werkmap(tmp_path / "ander", {"oud/brief.yaml": HEAD.replace("2021-11-16", "2020-01-01")},
                        templates=STYLE_2021)
    (werkmap.content / "extern").symlink_to(other.content / "oud", target_is_directory=True)
    messages = [p.format() for p in _errors(werkmap)]
    assert len(messages) == 1, messages
    assert messages[0].endswith("'extern/brief': content/extern/brief.yaml: dit bestand ligt in een map die een "
                                "symbolische koppeling is naar een plek buiten de werkmap; kopieer het bestand naar de werkmap")


def test_a_template_linked_outside_from_linked_templates_is_still_refused(tmp_path):
    werkmap = _linked_werkmap(tmp_path, {"x/brief.yaml": HEAD})
    other = new_werkmap(tmp_path / "ander", {}, templates=STYLE_2021)
    template = werkmap.templates / "hilversum-rib-2021.docx"
    template.unlink()
    template.symlink_to(other.templates / template.name)
    refused = "dit is een symbolische koppeling naar een bestand buiten de werkmap"
    messages = [p.format() for p in _errors(werkmap)]
    assert any(m.startswith(f"{SHOWN}:") and refused in m for m in messages), messages


def test_a_letter_named_through_linked_content_is_checked_and_built(tmp_path):
    werkmap = _linked_werkmap(tmp_path, {"x/brief.yaml": HEAD})
    for named in (werkmap.content / "x" / "brief.yaml", werkmap.content / "x"):
        result = run_cli(["-C", str(werkmap.root), "check", str(named)])
        assert result.exit_code == 0, result.output
        assert "1 brief gecontroleerd" in result.output, result.output
    result = run_cli(["-C", str(werkmap.root), "build", "--formaat", "docx", str(werkmap.content / "x" / "brief.yaml")])
    assert result.exit_code == 0, result.output
    assert (werkmap.root / "build" / "x" / "brief.docx").is_file()
