"""House styles and their checks (stop 24): a typo in a template field's dotted name is found by
``templates check``, ``check`` and ``build`` alike, at its place and with a suggestion."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.cli.helpers import invoke
from tests.cli.test_templates import TEMPLATE, part, rezip
from tests.conftest import REPO, VALID_LETTER, write

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
    assert "4 templates gecontroleerd, 1 fout." in templates.stdout

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
