"""validate_partial: the unit a broken value takes with it is one field of one list element; the others stay."""

from __future__ import annotations

from pydantic import Field

from briefgen import yamlio
from briefgen.model import Letter
from briefgen.model.base import ContentModel, touches
from briefgen.validate import validate_partial
from tests.conftest import HEAD


def _partial(tmp_path, text: str, model=Letter):
    path = tmp_path / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, found = yamlio.load(path, "brief.yaml")
    assert found == [], found
    result, problems, broken = validate_partial(loaded, model)
    return result, [p.format() for p in problems], broken


def test_a_broken_field_of_a_signer_leaves_out_that_field_and_keeps_the_other_signers_in_place(tmp_path):
    letter, problems, broken = _partial(tmp_path, HEAD + "ondertekening:\n  - rol: burgemeester\n    naam: [x]\n  - rol: griffier\n")
    assert problems == ["brief.yaml:7:11: 'naam' moet tekst zijn, niet een lijst"]
    assert broken == {("ondertekening", 0, "naam")}
    assert [(s.role, s.name) for s in letter.signers] == [("burgemeester", None), ("griffier", None)]


def test_an_element_that_is_no_mapping_gets_the_stand_ins_of_its_model(tmp_path):
    letter, _, broken = _partial(tmp_path, HEAD + "bijlagen:\n  - 5\n  - titel: Kaart\nsecties:\n  - [x]\n  - tekst: Tekst\n")
    assert broken == {("bijlagen", 0), ("secties", 0)}
    assert [a.title for a in letter.attachments] == ["-", "Kaart"]
    assert [s.text for s in letter.sections] == ["", "Tekst"]


def test_a_missing_required_field_of_an_element_stands_in(tmp_path):
    letter, problems, broken = _partial(tmp_path, HEAD + "contactpersonen:\n  - telefoon: '035 629 2000'\n")
    assert problems == ["brief.yaml:6:5: verplichte sleutel 'naam' ontbreekt"]
    assert broken == {("contactpersonen", 0, "naam")}
    assert letter.contacts[0].phone == "035 629 2000"


class _Item(ContentModel):
    name: str = Field(alias="naam", min_length=1)


class _Holder(ContentModel):
    items: list[_Item] = Field(default_factory=list, alias="items")
    other: int = Field(0, alias="ander")


def test_a_unit_whose_stand_in_fails_too_becomes_the_unit_around_it(tmp_path):
    """An element model without stand-ins: the field, then the element, then the list is left out; the
    other key's problem is still the model's own, and nothing more is reported."""
    holder, problems, broken = _partial(tmp_path, "items:\n  - naam: ''\nander: x\n", _Holder)
    assert problems == ["brief.yaml:2:11: 'naam' mag niet leeg zijn",
                        "brief.yaml:3:8: 'ander' moet een geheel getal zijn, niet de tekst 'x'"]
    assert holder is not None and holder.items == []
    assert ("items",) in broken and ("ander",) in broken


def test_touches_is_the_broken_place_and_what_contains_it_or_lies_in_it():
    broken = frozenset({("ondertekening", 1, "naam"), ("datum",)})
    assert touches(broken, ("ondertekening", 1))
    assert touches(broken, ("ondertekening",))
    assert touches(broken, ("ondertekening", 1, "naam"))
    assert not touches(broken, ("ondertekening", 1, "rol"))
    assert not touches(broken, ("ondertekening", 0))
    assert touches(broken, ("datum",)) and touches(broken, ("datum", "x"))
