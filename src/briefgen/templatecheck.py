"""Lint for house-style templates: what would make letters wrong before any letter is rendered.

The template is opened by templatefile.open_template (sizes, zip bombs, DTDs and entities, missing
parts). Jinja syntax and unknown names are checked by the DOCX builder (docxtpl stays there); this
module reads the package XML for the rest: tags split over Word runs, missing styles, A4, language.
"""

from __future__ import annotations

import re
from pathlib import Path

from briefgen import yamlio
from briefgen.builders.docx import LANGUAGE, check_template
from briefgen.problems import Problem, Severity
from briefgen.prose import JINJA
from briefgen.templatefile import TemplateFileError, open_template
from briefgen.werkmap import Werkmap

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
A4_TWIPS = (11906, 16838)
TOLERANCE = 20
REQUIRED_STYLES = {
    "Heading 1": "sectiekoppen",
    "Heading 2": "tussenkoppen",
    "Heading 3": "tussenkoppen",
    "List Paragraph": "lijsten",
    "Caption": "tabelbijschriften",
    "Briefgen Tabel": "tabellen",
}
_TAG = JINJA
_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")


def lint(path: Path, shown: str) -> list[Problem]:
    try:
        source = open_template(path)
    except TemplateFileError as exc:
        return [Problem(shown, message=str(exc))]
    problems = check_template(source, shown)
    parts = {name: root for name, root in source.xml.items() if _PARTS.fullmatch(name)}
    styles = source.xml.get("word/styles.xml")
    if any(p.message.startswith(_JINJA_ERROR) for p in problems):
        problems.extend(_tags_alone(shown, parts, problems))
    for name, root in sorted(parts.items()):
        problems.extend(_split_tags(shown, name, root))
    document = parts.get("word/document.xml")
    if document is not None:
        problems.extend(_page_size(shown, document))
    problems.extend(_styles(shown, styles))
    return problems


def organisation_styles(werkmap: Werkmap) -> list[Problem]:
    """An organisation whose ``huisstijl`` has no template in templates/, at that line of its file
    (a letter reports it only at its own ``organisatie:`` line, and only when it is checked)."""
    found = []
    for ident in werkmap.organisation_ids():
        path = werkmap.organisation_file(ident)
        shown = werkmap.shown(path)
        loaded, _ = yamlio.load(path, shown, werkmap.root)  # its own problems are check's to report
        style = loaded.data.get("huisstijl") if loaded is not None and isinstance(loaded.data, dict) else None
        if not isinstance(style, str) or not style:
            continue
        template = werkmap.template_file(style)
        if template is None or not template.is_file():
            expected = werkmap.shown(template) if template is not None else "templates/"
            found.append(Problem(shown, *yamlio.value_position(loaded.located, ("huisstijl",)),
                                 f"huisstijl '{style}' heeft geen template (verwacht {expected}); maak hem met "
                                 f"'briefgen templates nieuw' of kies een huisstijl uit templates/"))
    return found


_JINJA_ERROR = "Jinja-fout in de template"  # check_template's message: Jinja stopped at its first error
_DOCXTPL_PREFIX = re.compile(r"^(\{\{-?)[rp](?=\s)")  # docxtpl's {{r …}} and {{p …}}


# What a template names itself: loop, set, with and macro variables (and Jinja's own 'loop' in a for).
_DECLARED = re.compile(r"\{%-?(?:p|r|tr|tc)?\s*(?:for\s+(.+?)\s+in\b|set\s+([\w\s,]+?)\s*=|with\s+(\w+)"
                       r"|macro\s+\w+\s*\(([^)]*)\))")


def _tags_alone(shown: str, parts: dict, found: list[Problem]) -> list[Problem]:
    """After a Jinja error, the template's other ``{{ … }}`` checked one by one: their own syntax
    errors (not the one already reported) and names no letter supplies. (A ``{% … %}`` cannot be
    checked alone: its block is spread over paragraphs.)"""
    from jinja2 import TemplateSyntaxError, meta

    from briefgen import expressions
    from briefgen.templatefields import TEMPLATE_FIELDS

    env = expressions.sandbox(autoescape=True)
    reported = {p.message.split(": ", 1)[-1] for p in found if p.message.startswith(_JINJA_ERROR)}
    known = {p.message for p in found}
    problems: list[Problem] = []
    texts = {part: ["".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in root.iter(f"{{{W}}}p")]
             for part, root in parts.items()}
    own = {name for lines in texts.values() for line in lines for target in _DECLARED.findall(line)
           for name in re.findall(r"\w+", " ".join(target) + (" loop" if target[0] else ""))}
    for part in sorted(texts):
        for number, joined in enumerate(texts[part], 1):
            for tag in _TAG.findall(joined) if "{{" in joined else ():
                if not tag.startswith("{{"):
                    continue
                source = _DOCXTPL_PREFIX.sub(r"\1", tag)
                try:
                    env.from_string(source)
                    names = meta.find_undeclared_variables(env.parse(source))
                except TemplateSyntaxError as exc:
                    reason = expressions.syntax_message(env, exc.message or "")[0]
                    if reason in reported:
                        reported.discard(reason)  # that is the error Jinja stopped at
                    else:
                        problems.append(Problem(shown, message=f"{part}, alinea {number}: Jinja-fout in '{tag}': {reason}"))
                    continue
                for name in sorted(set(names) - TEMPLATE_FIELDS - own):
                    message = (f"de template gebruikt '{name}', maar geen brief levert die waarde; "
                               f"bekend: {', '.join(sorted(TEMPLATE_FIELDS))}")
                    if message not in known:
                        known.add(message)
                        problems.append(Problem(shown, message=message))
    return problems


def _split_tags(shown: str, part: str, root) -> list[Problem]:
    """A tag is split when its characters come from more than one w:t (Word does this after edits)."""
    problems = []
    for number, paragraph in enumerate(root.iter(f"{{{W}}}p"), 1):
        texts = [t.text or "" for t in paragraph.iter(f"{{{W}}}t")]
        joined = "".join(texts)
        if "{" not in joined:
            continue
        bounds, offset = [], 0
        for text in texts:
            bounds.append((offset, offset + len(text)))
            offset += len(text)
        for match in _TAG.finditer(joined):
            if not any(start <= match.start() and match.end() <= end for start, end in bounds):
                problems.append(
                    Problem(shown, message=f"{part}, alinea {number}: de tag '{match.group()}' is over meerdere "
                            "tekstdelen (runs) verdeeld; typ hem opnieuw in één keer, zonder opmaak ertussen")
                )
    return problems


def _page_size(shown: str, document) -> list[Problem]:
    problems = []
    for size in document.iter(f"{{{W}}}pgSz"):
        width, height = (int(size.get(f"{{{W}}}{k}", "0")) for k in ("w", "h"))
        if abs(width - A4_TWIPS[0]) > TOLERANCE or abs(height - A4_TWIPS[1]) > TOLERANCE:
            mm = lambda twips: round(twips / 56.7)  # noqa: E731
            problems.append(Problem(shown, message=f"het paginaformaat is {mm(width)} × {mm(height)} mm, niet A4 (210 × 297 mm)"))
    return problems


def _styles(shown: str, styles) -> list[Problem]:
    if styles is None:
        return [Problem(shown, message="de template heeft geen stijlen (word/styles.xml ontbreekt)")]
    names = {(n.get(f"{{{W}}}val") or "").lower() for n in styles.iterfind("w:style/w:name", NS)}
    problems = [
        Problem(shown, message=f"de stijl '{name}' ontbreekt (nodig voor {use})")
        for name, use in REQUIRED_STYLES.items()
        if name.lower() not in names  # Word stores built-in names in lower case ("heading 1")
    ]
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    value = lang.get(f"{{{W}}}val") if lang is not None else None
    if value != LANGUAGE:
        problems.append(Problem(shown, message=f"de documenttaal is {value or 'niet ingesteld'}, niet {LANGUAGE}; "
                                "briefgen zet nl-NL bij het bouwen, maar Word controleert de spelling van de template anders",
                                severity=Severity.WARNING))
    return problems
