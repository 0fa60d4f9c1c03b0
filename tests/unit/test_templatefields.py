"""The template fields have one definition: what resolve fills in, what templates may use, what the docs list."""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import Any

from briefgen.session import Session
from briefgen.settings import Settings
from briefgen.templatefields import BEGIN, END, TEMPLATE_FIELDS, TemplateFields, described, shape
from briefgen.werkmap import Werkmap
from tests.conftest import REPO, VALID_LETTER, write

DOC = REPO / "docs" / "huisstijl.md"


def _shape_of(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _shape_of(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape_of(value[0])] if value else []
    return None


def test_docs_list_every_field_as_the_code_defines_it(tmp_path):
    """Fails when docs/huisstijl.md and templatefields.py drift apart: run `make docs`."""
    copy = tmp_path / "huisstijl.md"
    shutil.copy(DOC, copy)
    subprocess.run([sys.executable, "-m", "briefgen.templatefields", "--schrijf", str(copy)], check=True)
    assert copy.read_text(encoding="utf-8") == DOC.read_text(encoding="utf-8"), "docs/huisstijl.md is verouderd: make docs"


def test_the_generated_list_names_every_field_once_with_a_meaning():
    listed = DOC.read_text(encoding="utf-8").split(BEGIN)[1].split(END)[0]
    names = [name for name, _ in described()]
    assert len(names) == len(set(names))
    for name, meaning in described():
        assert meaning.strip() and f"| `{name}` |" in listed
    assert {"soort_titel", "ondertekening.links.naam", "organisatie.adres.plaats", "inhoud"} <= set(names)


def test_templates_may_use_the_top_level_fields_and_the_body():
    assert TEMPLATE_FIELDS == set(TemplateFields.__annotations__) | {"inhoud"}


def test_a_resolved_letter_supplies_exactly_the_defined_fields(werkmap):
    result = Session(Werkmap(werkmap), Settings()).read(werkmap / VALID_LETTER)
    assert result.document is not None
    assert _shape_of(result.document.fields) == shape()


def test_a_letter_without_optional_values_still_supplies_every_field(werkmap):
    rel = "content/hilversum/2021/kaal.yaml"
    write(werkmap, rel, "soort: informatienota\norganisatie: hilversum\ndatum: 2021-11-16\nonderwerp: Kaal\n"
          "secties:\n  - tekst: Tekst.\n")
    result = Session(Werkmap(werkmap), Settings()).read(werkmap / rel)
    assert result.document is not None, [p.format() for p in result.problems]
    fields = result.document.fields
    lists = ("ondertekening", "contactpersonen")  # empty lists here: no shape of their items
    assert {k: v for k, v in _shape_of(fields).items() if k not in lists} == {
        k: v for k, v in shape().items() if k not in lists
    }
    assert fields["contactpersonen"] == []
    assert fields["nummer"] == fields["kenmerk"] == fields["informatie_bij"] == ""


def test_templates_nieuw_places_only_defined_fields():
    from briefgen.housestyle import LABELS

    assert {field for field in LABELS.values() if field} <= {name for name, _ in described()}
