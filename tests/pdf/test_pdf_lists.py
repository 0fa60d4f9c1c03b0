"""Lists in the tagged PDF (PDF/UA): a bullet list under a numbered item is one list, nested in its item."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from tests.cli.helpers import invoke
from tests.cli.test_markdown_text import MIXED_LIST, letter
from tests.conftest import require_soffice, write


def _lists(node: pikepdf.Object, roles: pikepdf.Object) -> list[tuple]:
    """The /L elements under ``node`` as a tree: each list a tuple of its items, each item a tuple
    of the lists nested in it (role-mapped to standard types)."""
    found = []
    for kid in _kids(node):
        kind = str(roles.get(str(kid.S), kid.S))
        if kind == "/L":
            found.append(tuple(tuple(_lists(item, roles)) for item in _kids(kid)
                               if str(roles.get(str(item.S), item.S)) == "/LI"))
        else:
            found += _lists(kid, roles)
    return found


def _kids(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    kids = node.get("/K")
    if isinstance(kids, pikepdf.Dictionary):
        kids = [kids]
    return [k for k in (kids or []) if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def test_a_bullet_list_under_a_numbered_item_is_tagged_inside_that_item(werkmap):
    require_soffice()
    write(werkmap, "content/t/lijst.yaml", letter(MIXED_LIST))
    result = invoke(werkmap, "build", str(werkmap / "content" / "t"))
    assert result.exit_code == 0, result.output
    with pikepdf.open(werkmap / "build" / "t" / "lijst.pdf") as pdf:
        tree = pdf.Root.StructTreeRoot
        lists = _lists(tree, tree.get("/RoleMap", pikepdf.Dictionary()))
    bullets = ((), ())
    assert lists == [((bullets,), (), ())], lists


# A bulleted list with a bulleted sublist under its first item and a numbered one under its second:
# the second sublist is of another kind than the level's numbering, and must still sit in its item.
OTHER_KIND = "- Eerste punt:\n  - onderdeel a;\n  - onderdeel b.\n- Tweede punt:\n  1. stap een;\n  2. stap twee.\n- Derde punt."
# And the other way round: numbered, with a numbered sublist first and a bulleted one after it.
OTHER_KIND_NUMBERED = "1. Eerste punt:\n   1. stap een.\n2. Tweede punt:\n   - onderdeel a;\n   - onderdeel b.\n3. Derde punt."


def build_other_kinds(werkmap: Path) -> dict[str, Path]:
    """The PDFs of a letter with OTHER_KIND ('anders') and one with OTHER_KIND_NUMBERED ('genummerd')."""
    require_soffice()
    texts = {"anders": OTHER_KIND, "genummerd": OTHER_KIND_NUMBERED}
    for name, text in texts.items():
        write(werkmap, f"content/t/{name}.yaml", letter(text))
    result = invoke(werkmap, "build", str(werkmap / "content" / "t"))
    assert result.exit_code == 0, result.output
    return {name: werkmap / "build" / "t" / f"{name}.pdf" for name in texts}


def test_a_nested_list_of_another_kind_is_tagged_inside_its_item(werkmap):
    pdfs = build_other_kinds(werkmap)
    for name, expected in (("anders", [((((), ()),), (((), ()),), ())]),
                           ("genummerd", [((((),),), (((), ()),), ())])):
        with pikepdf.open(pdfs[name]) as pdf:
            tree = pdf.Root.StructTreeRoot
            lists = _lists(tree, tree.get("/RoleMap", pikepdf.Dictionary()))
        assert lists == expected, (name, lists)
