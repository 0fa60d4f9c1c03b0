"""House styles and their checks (stop 24): a typo in a template field's dotted name is found by
``templates check``, ``check`` and ``build`` alike, at its place and with a suggestion."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

from tests.cli.helpers import invoke
from tests.cli.test_templates import TEMPLATE, part, rezip
from tests.conftest import HEAD, REPO, VALID_LETTER, write

SECOND = "content/hilversum/2021/tweede.yaml"


def _typo(root: Path, old: bytes, new: bytes, name: str = "word/header2.xml") -> None:
    path = root / TEMPLATE
    data = path.read_bytes()
    assert old in _part(data, name)
    path.write_bytes(rezip(data, part(name, lambda b: b.replace(old, new))))


def _part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return source.read(name)


def _with_website(root: Path) -> None:
    org = root / "content/organisaties/hilversum.yaml"
    org.write_text(org.read_text(encoding="utf-8") + "website: www.hilversum.nl\n", encoding="utf-8")


def test_a_typo_in_a_fields_attribute_is_reported_with_its_place_and_suggestion(werkmap):
    _with_website(werkmap)
    write(werkmap, SECOND, (REPO / VALID_LETTER).read_text(encoding="utf-8").replace('nummer: "2021/45"', 'nummer: "2021/46"'))
    _typo(werkmap, b"{{ organisatie.website }}", b"{{ organisatie.websit }}")
    expected = (f"{TEMPLATE}: word/header2.xml, alinea 13: onbekende naam 'organisatie.websit'; "
                "bedoelde u 'organisatie.website'?")

    templates = invoke(werkmap, "templates", "check")
    assert templates.exit_code == 1, templates.output
    assert expected in templates.stderr.splitlines(), templates.stderr
    assert "5 templates gecontroleerd, 1 fout." in templates.stdout

    check = invoke(werkmap, "check")
    assert check.exit_code == 1, check.output
    assert check.stderr.splitlines().count(expected) == 1, check.stderr  # once for the template, not per letter
    assert f"{VALID_LETTER}:3:14: de huisstijl 'hilversum-rib-2021'" in check.stderr

    build = invoke(werkmap, "build", "--formaat", "docx")
    assert build.exit_code == 1, build.output
    assert expected in build.stderr.splitlines(), build.stderr
    assert "in expressie" not in build.stderr
    assert not (werkmap / "build/hilversum/2021/inkoop-wmo-jeugd.docx").exists()


def test_a_typo_in_a_condition_and_in_a_nested_field_is_reported_too(werkmap):
    _typo(werkmap, b"if organisatie.adres.straat", b"if organisatie.adres.straaat")
    _typo(werkmap, b"{{ organisatie.adres.plaats }}", b"{{ organisatie.adress.plaats }}")
    templates = invoke(werkmap, "templates", "check")
    assert templates.exit_code == 1, templates.output
    lines = templates.stderr.splitlines()
    assert any(line.startswith(f"{TEMPLATE}: word/header2.xml, alinea ")
               and line.endswith(": onbekende naam 'organisatie.adres.straaat'; bedoelde u 'organisatie.adres.straat'?")
               for line in lines), templates.stderr
    assert any(line.endswith(": onbekende naam 'organisatie.adress'; bedoelde u 'organisatie.adres'?") for line in lines), lines


def test_the_standard_house_styles_use_only_known_names(tmp_path):
    check = invoke(REPO, "templates", "check")
    assert "onbekende naam" not in check.output, check.output


# --- 1. the standard house styles follow the organisation --------------------------------------------

ORG = "content/organisaties/hilversum.yaml"


def _rename(root: Path, org: str, old: str, new: str) -> None:
    path = root / f"content/organisaties/{org}.yaml"
    text = path.read_text(encoding="utf-8")
    assert f"naam: {old}\n" in text
    path.write_text(text.replace(f"naam: {old}\n", f"naam: {new}\n", 1), encoding="utf-8")


def _texts(docx: Path, name: str) -> str:
    """The text of part ``name`` of a built DOCX, its w:t texts joined by '|'."""
    from lxml import etree

    root = etree.fromstring(_part(docx.read_bytes(), name))
    return "|".join(t.text or "" for t in root.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))


def test_a_standard_style_prints_the_name_of_the_organisation_that_uses_it_and_warns_about_its_logo(werkmap):
    _rename(werkmap, "hilversum", "Gemeente Hilversum", "Gemeente Stichtse Vecht")
    build = invoke(werkmap, "build", "--formaat", "docx")
    assert build.exit_code == 0, build.output
    letterhead = _texts(werkmap / "build/hilversum/2021/inkoop-wmo-jeugd.docx", "word/header2.xml")
    assert letterhead.startswith("Gemeente Stichtse Vecht|"), letterhead
    assert "Hilversum|" not in letterhead.replace("1217 JE  Hilversum", "")

    warning = (f"{ORG}:4:12: waarschuwing: de huisstijl 'hilversum-rib-2021' noemt Gemeente Hilversum in de "
               "alternatieve tekst van de afbeelding ('Logo Gemeente Hilversum'), maar de organisatie is Gemeente "
               "Stichtse Vecht: pas de template aan of maak een eigen huisstijl met 'briefgen templates nieuw'")
    assert build.stderr.splitlines().count(warning) == 1, build.stderr
    templates = invoke(werkmap, "templates", "check")
    assert templates.exit_code == 0, templates.output
    assert templates.stderr.splitlines().count(warning) == 1, templates.stderr
    check = invoke(werkmap, "check")
    assert check.exit_code == 0, check.output
    assert check.stderr.splitlines().count(warning) == 1, check.stderr
    assert invoke(werkmap, "check", "--streng").exit_code == 1


def test_the_running_header_of_a_standard_style_names_the_organisation(werkmap):
    shutil.copytree(REPO / "content/huizen", werkmap / "content/huizen")
    _rename(werkmap, "huizen", "Gemeente Huizen", "Gemeente Blaricum")
    build = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/huizen"))
    assert build.exit_code == 0, build.output
    docx = werkmap / "build/huizen/2021/transitieregelingen-dagbesteding.docx"
    assert "Gemeente Blaricum|-vervolgblad-" in _texts(docx, "word/header1.xml")
    assert _texts(docx, "word/header2.xml").startswith("Gemeente Blaricum|")
    assert "noemt Gemeente Huizen in de alternatieve tekst" in build.stderr


def test_fixed_text_naming_another_organisation_warns_and_an_own_name_does_not(werkmap):
    _typo(werkmap, b"{{ organisatie.naam }}", b"Gemeente Huizen")
    templates = invoke(werkmap, "templates", "check")
    assert templates.exit_code == 0, templates.output
    assert (f"{ORG}:4:12: waarschuwing: de huisstijl 'hilversum-rib-2021' noemt Gemeente Huizen in de vaste tekst "
            "in word/header2.xml ('Gemeente Huizen')") in templates.stderr, templates.stderr
    _typo(werkmap, b">Gemeente Huizen<", b">Gemeente Hilversum<")
    own = invoke(werkmap, "templates", "check")
    assert (own.exit_code, own.stdout, own.stderr) == (0, "5 templates gecontroleerd, 0 fouten.\n", "")


def test_a_letter_choosing_another_organisations_style_is_warned_at_its_huisstijl_line(werkmap):
    write(werkmap, "content/huizen/2021/y.yaml", HEAD.replace("organisatie: hilversum", "organisatie: huizen")
          + "huisstijl: hilversum-rib-2021\nsecties:\n  - tekst: Een zin.\n")
    check = invoke(werkmap, "check", str(werkmap / "content/huizen"))
    assert ("content/huizen/2021/y.yaml:5:12: waarschuwing: de huisstijl 'hilversum-rib-2021' noemt Gemeente Hilversum "
            "in de alternatieve tekst van de afbeelding") in check.stderr, check.stderr


# --- 3. a house style per letter type ------------------------------------------------------------

PER_KIND = ("huisstijl:\n  raadsinformatiebrief: hilversum-rib-2021.docx\n  informatienota: rzou-informatienota.docx\n")
NOTA = "content/hilversum/2021/nota.yaml"


def _styles(root: Path, mapping: str) -> None:
    path = root / ORG
    text = path.read_text(encoding="utf-8")
    assert "huisstijl: hilversum-rib-2021\n" in text
    path.write_text(text.replace("huisstijl: hilversum-rib-2021\n", mapping, 1), encoding="utf-8")


def test_an_organisation_can_name_a_house_style_per_letter_type(werkmap):
    _styles(werkmap, PER_KIND)
    write(werkmap, NOTA, HEAD.replace("soort: raadsinformatiebrief", "soort: informatienota")
          + "nummer: \"2021/50\"\nsecties:\n  - tekst: Een zin.\n")
    build = invoke(werkmap, "build", "--formaat", "docx")
    assert build.exit_code == 0, build.output
    nota = werkmap / "build/hilversum/2021/nota.docx"
    rib = werkmap / "build/hilversum/2021/inkoop-wmo-jeugd.docx"
    assert "Informatienota" in _texts(nota, "word/header1.xml")  # the running header of rzou-informatienota
    with zipfile.ZipFile(nota) as built:
        assert not [n for n in built.namelist() if n.startswith("word/media/")]  # rzou has no logo
    assert _texts(rib, "word/header2.xml").startswith("Gemeente Hilversum|")  # hilversum-rib-2021's letterhead
    listing = invoke(werkmap, "list")
    assert "rzou-informatienota" in listing.stdout and "hilversum-rib-2021" in listing.stdout, listing.output
    assert invoke(werkmap, "templates", "check").exit_code == 0


def test_new_uses_the_style_and_outline_of_the_letter_type(werkmap):
    made = invoke(werkmap, "new", "informatienota", "-o", "hilversum", "--datum", "2021-12-01")
    assert made.exit_code == 0, made.output
    single = (werkmap / made.stdout.strip()).read_text(encoding="utf-8")
    assert "aanhef: Geachte leden van de raad,\n" in single  # not the RIB's 'raads- en commissieleden'
    assert "kop: Inleiding" in single and "Tot slot" not in single
    (werkmap / made.stdout.strip()).unlink()
    _styles(werkmap, PER_KIND)
    made = invoke(werkmap, "new", "informatienota", "-o", "hilversum", "--datum", "2021-12-01")
    text = (werkmap / made.stdout.strip()).read_text(encoding="utf-8")
    assert "aanhef: Geachte leden van de raad,\n" in text
    assert "  - kop: Inleiding\n" in text and "  - kop: Communicatie\n" in text  # rzou-informatienota's sections


def test_a_house_style_per_type_is_validated_with_located_dutch_messages(werkmap):
    _styles(werkmap, "huisstijl:\n  raadsinformatiebrief: hilversum-rib-2021\n  informatienta: rzou-informatienota\n"
                     "  informatienota: bestaat-niet\n")
    check = invoke(werkmap, "check")
    assert check.exit_code == 1, check.output
    assert (f"{ORG}:6:3: onbekende soort brief 'informatienta' onder 'huisstijl'; bedoelde u 'informatienota'?"
            in check.stderr.splitlines()), check.stderr
    _styles_only(werkmap, "huisstijl:\n  raadsinformatiebrief: hilversum-rib-2021\n  informatienota: bestaat-niet\n")
    templates = invoke(werkmap, "templates", "check")
    assert templates.exit_code == 1, templates.output
    assert (f"{ORG}:6:19: huisstijl 'bestaat-niet' heeft geen template (verwacht templates/bestaat-niet.docx)"
            in templates.stderr), templates.stderr
    write(werkmap, NOTA, HEAD.replace("soort: raadsinformatiebrief", "soort: informatienota") + "secties:\n  - tekst: Een zin.\n")
    check = invoke(werkmap, "check", str(werkmap / NOTA))
    # once, at the organisation's line: the letter's own message follows from it and is not repeated
    assert (f"{ORG}:6:19: huisstijl 'bestaat-niet' heeft geen template (verwacht templates/bestaat-niet.docx); maak "
            "hem met 'briefgen templates nieuw' of kies een huisstijl uit templates/") in check.stderr.splitlines(), check.stderr
    assert NOTA not in check.stderr, check.stderr
    _styles_only(werkmap, "huisstijl:\n  informatienota: rzou-informatienota\n")
    check = invoke(werkmap, "check", str(werkmap / VALID_LETTER))
    assert check.exit_code == 1
    assert (f"{VALID_LETTER}:3:14: organisatie 'hilversum' heeft geen huisstijl voor raadsinformatiebrief: zet die bij "
            f"'huisstijl:' in {ORG} of kies er een met 'huisstijl:' in deze brief") in check.stderr.splitlines(), check.stderr


def _styles_only(root: Path, mapping: str) -> None:
    """Replace the organisation's whole ``huisstijl:`` block (after :func:`_styles`)."""
    path = root / ORG
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"huisstijl:\n(  .*\n)+", lambda _: mapping, text, count=1), encoding="utf-8")


def test_a_render_failure_the_check_cannot_know_ahead_has_its_place_and_suggestion(werkmap):
    loop = (b"<w:body><w:p><w:r><w:t>{% for p in ondertekening.personen %}{{ p.nam }}{% endfor %}</w:t></w:r></w:p>")
    path = werkmap / TEMPLATE
    path.write_bytes(rezip(path.read_bytes(), part("word/document.xml", lambda b: b.replace(b"<w:body>", loop, 1))))
    expected = (f"{TEMPLATE}: de template faalt bij het invullen van een voorbeeldbrief: word/document.xml, alinea 1: "
                "onbekende naam 'nam' in expressie; bedoelde u 'naam'?")
    for command in (("templates", "check"), ("build", "--formaat", "docx")):  # found by the trial render (stop 25)
        result = invoke(werkmap, *command)
        assert result.exit_code == 1, result.output
        assert expected in result.stderr.splitlines(), result.stderr


def test_a_render_failure_on_a_name_many_tags_use_has_no_guessed_place_nor_a_suggestion_for_a_known_field(werkmap):
    after = b"{{ ondertekening.rechts.titel }}"
    loop = after + b"{% for p in ondertekening.personen %}{{ p.titel.naam }}{% endfor %}"
    path = werkmap / TEMPLATE
    assert after in _part(path.read_bytes(), "word/document.xml")
    path.write_bytes(rezip(path.read_bytes(), part("word/document.xml", lambda b: b.replace(after, loop, 1))))
    templates = invoke(werkmap, "templates", "check")  # the paragraph that fails alone, not a guess by the name (stop 25)
    assert templates.exit_code == 1, templates.output
    assert (f"{TEMPLATE}: de template faalt bij het invullen van een voorbeeldbrief: word/document.xml, alinea 33: "
            "onbekende naam 'naam' in expressie") in templates.stderr.splitlines(), templates.stderr
