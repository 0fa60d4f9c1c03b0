"""What a house style shows of a letter: the fields and dotted names its template's tags use.

Read from the package XML of the template (:func:`used_paths`), by the lint (templatecheck.py), by
``briefgen new`` (newletter.py) and by ``briefgen import`` (importer.py); it imports none of them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from briefgen.prose import JINJA
from briefgen.templatefile import STORIES, TemplateFileError, W, open_template

DOCXTPL_PREFIX = re.compile(r"^(\{\{-?)[rp](?=\s)")  # docxtpl's {{r …}} and {{p …}}


_STATEMENT = re.compile(r"\{%-?(?:p|r|tr|tc)?\s*(\w+)(.*?)-?%\}", re.DOTALL)
_SCOPED = {"for": "endfor", "with": "endwith", "macro": "endmacro"}  # Jinja's blocks with names of their own


def output_tags(parts: dict) -> Iterator[tuple[str, int, str, frozenset[str]]]:
    """Each ``{{ … }}`` of the template in document order: its part, paragraph number, text, and the
    names the template itself declares at that place, by Jinja's scoping: a loop variable (and
    ``loop``) inside its ``for``, a ``with`` or macro variable inside its block, a ``set`` from the
    statement on to the end of the block it is in. Each part (body, header, footer) is a template of its own."""
    for part in sorted(parts):
        scopes: list[set[str]] = [set()]
        for number, paragraph in enumerate(parts[part].iter(f"{{{W}}}p"), 1):
            joined = "".join(t.text or "" for t in paragraph.iter(f"{{{W}}}t"))
            if "{" not in joined:
                continue
            for tag in JINJA.findall(joined):
                if tag.startswith("{{"):
                    yield part, number, tag, frozenset().union(*scopes)
                    continue
                statement = _STATEMENT.match(tag)
                if statement is None:
                    continue
                keyword, rest = statement.groups()
                if keyword in _SCOPED.values() and len(scopes) > 1:
                    scopes.pop()
                elif keyword == "for":
                    scopes.append({"loop", *re.findall(r"\w+", rest.split(" in ", 1)[0])})
                elif keyword == "with":
                    scopes.append(set(re.findall(r"(\w+)\s*=(?!=)", rest)))
                elif keyword == "macro" and (macro := re.match(r"\s*(\w+)\s*\(([^)]*)\)", rest)):
                    scopes[-1].add(macro.group(1))
                    scopes.append({item.split("=")[0].strip() for item in macro.group(2).split(",")})
                elif keyword == "set":
                    scopes[-1].update(re.findall(r"\w+", rest.split("=", 1)[0]))


_EXPRESSION_OF = {"if": r"(.*)", "elif": r"(.*)", "for": r".*?\bin\b(.*)", "set": r"[^=]*=(?!=)(.*)"}


def tag_expressions(parts: dict) -> Iterator[tuple[str, int, str, frozenset[str]]]:
    """Like :func:`output_tags`, and also the expression of each ``{% if/elif/for/set %}`` as a
    ``{{ … }}`` of its own (a statement's block is spread over paragraphs; its expression is not)."""
    for part, number, text, own, _ in _expressions_of(parts):
        yield part, number, text, own


def _expressions_of(parts: dict) -> Iterator[tuple[str, int, str, frozenset[str], str]]:
    """:func:`tag_expressions`, each with the statement it is of (empty for a ``{{ … }}``)."""
    for part in sorted(parts):
        for _, number, tag, own in output_tags({part: parts[part]}):
            yield part, number, DOCXTPL_PREFIX.sub(r"\1", tag), own, ""
        for number, paragraph in enumerate(parts[part].iter(f"{{{W}}}p"), 1):
            joined = "".join(t.text or "" for t in paragraph.iter(f"{{{W}}}t"))
            for tag in JINJA.findall(joined) if "{%" in joined else ():
                statement = _STATEMENT.match(tag)
                if statement is None or statement.group(1) not in _EXPRESSION_OF:
                    continue
                expression = re.fullmatch(_EXPRESSION_OF[statement.group(1)], statement.group(2), re.DOTALL)
                if expression and expression.group(1).strip():
                    yield part, number, "{{ " + expression.group(1).strip() + " }}", frozenset(), statement.group(1)


@functools.lru_cache(maxsize=16)
def used_paths(path: Path, stamp: tuple[int, int]) -> frozenset[str]:
    """Every name and dotted name (``ondertekening.personen``) the template's tags use, in any part, as far as
    they go (not the names they start with): an item of a list by a fixed index with it (``contactpersonen[0].naam``),
    any other index or slice as the list itself. A name an ``{% if %}`` only tests for truth or presence is not
    counted (:func:`_only_tested`): ``{% if contactpersonen %}`` shows none of them; one it compares or passes to a
    filter is (``{% if aan != 'Gemeenteraad' %}``: its value changes the letter, so ``new`` offers the key and
    ``check`` does not call it left out). ``stamp`` (size, mtime) keeps the cache to one version of the file."""
    from jinja2 import TemplateSyntaxError, nodes

    from briefgen import expressions

    try:
        source = open_template(path)
    except TemplateFileError:
        return frozenset()
    parts = {name: root for name, root in source.xml.items() if STORIES.fullmatch(name)}
    env = expressions.sandbox(autoescape=True)
    found: set[str] = set()
    for _, _, text, _, statement in _expressions_of(parts):
        try:
            tree = env.parse(text)
        except TemplateSyntaxError:
            continue
        walked = list(tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)))
        inside = {id(node.node) for node in walked if isinstance(node, (nodes.Getattr, nodes.Getitem))}
        tested = _only_tested(tree) if statement in ("if", "elif") else set()
        for node in walked:
            if id(node) in inside or id(node) in tested:
                continue  # part of a longer path, or only tested
            steps: list[str] = []
            inner = node
            while isinstance(inner, (nodes.Getattr, nodes.Getitem)):
                if isinstance(inner, nodes.Getattr):
                    steps.append("." + inner.attr)
                elif isinstance(inner.arg, nodes.Const) and isinstance(inner.arg.value, str):
                    steps.append("." + inner.arg.value)
                elif isinstance(inner.arg, nodes.Const) and type(inner.arg.value) is int and inner.arg.value >= 0:
                    steps.append(f"[{inner.arg.value}]")
                else:
                    steps = []  # a computed index or a slice: the path is the list's own
                inner = inner.node
            if isinstance(inner, nodes.Name):
                found.add(inner.name + "".join(reversed(steps)))
    return frozenset(found)


_PRESENCE = {"defined", "undefined", "none"}  # Jinja's tests of whether a name has a value at all


def _only_tested(tree: Any) -> set[int]:
    """The names (ids of their nodes) the expression of an ``{% if %}`` (parsed as ``{{ … }}``) only tests: ``x``,
    ``not x``, ``x is defined`` (``undefined``, ``none``), those joined by ``and`` and ``or``, and ``x | length``
    anywhere (``{% if contactpersonen | length > 1 %}`` counts them; it shows none)."""
    from jinja2 import nodes

    found = {id(node.node) for node in tree.find_all(nodes.Filter)
             if node.name in ("length", "count") and isinstance(node.node, nodes.Name)}
    todo = [node for output in tree.find_all(nodes.Output) for node in output.nodes]
    while todo:
        node = todo.pop()
        if isinstance(node, nodes.Name):
            found.add(id(node))
        elif isinstance(node, (nodes.And, nodes.Or)):
            todo += [node.left, node.right]
        elif isinstance(node, nodes.Not) or (isinstance(node, nodes.Test) and node.name in _PRESENCE):
            todo.append(node.node)
    return found


def template_uses(template: Path) -> frozenset[str]:
    """Every name the template at ``template`` uses (:func:`used_paths` of its current version, remembered per version
    and process); empty when it cannot be read."""
    try:
        stat = template.stat()
    except OSError:
        return frozenset()
    return used_paths(template, (stat.st_size, stat.st_mtime_ns))


def shows(uses: frozenset[str], path: str) -> bool:
    """Whether the template uses ``path`` itself or something in or below it (``contactpersonen[0].naam`` for
    ``contactpersonen``)."""
    return any(use == path or use.startswith((path + ".", path + "[")) for use in uses)


def shows_whole(uses: frozenset[str], path: str) -> bool:
    """Whether the template uses the list ``path`` as a whole (a loop, a filter, a slice), not only items of it by index."""
    return any(use == path or use.startswith(path + ".") for use in uses)


def shown_items(uses: frozenset[str], path: str) -> frozenset[int]:
    """The items of the list ``path`` the template uses by a fixed index (``contactpersonen[1].naam``: 1)."""
    return frozenset(int(match.group(1)) for use in uses if (match := re.match(rf"{re.escape(path)}\[(\d+)\]", use)))


def kenmerk_not_number(shown: Callable[[str], bool]) -> bool:
    """A house style made from letter paper with the griffie's own kenmerk (``Z/24/612345``): it shows the
    letter's kenmerk and not its number, so a letter in it needs a ``kenmerk:`` (``shown``: whether the
    template shows a field)."""
    return shown("kenmerk") and not shown("nummer")
