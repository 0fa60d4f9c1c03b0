"""Lint for house-style templates: what would make letters wrong before any letter is rendered.

The template is opened by templatefile.open_template (sizes, zip bombs, DTDs and entities, missing
parts). Jinja syntax and unknown names are checked by the DOCX builder (docxtpl stays there); this
module reads the package XML for the rest: dotted names a field does not have, tags split over Word
runs, missing styles, A4, language; and whether a house style names another organisation than the
one using it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from briefgen import yamlio
from briefgen.builders.docx import LANGUAGE, check_template, trial_render
from briefgen.locate import Collector
from briefgen.model import Organisation
from briefgen.model.base import touches
from briefgen.problems import Problem, Severity, did_you_mean, for_check_only
from briefgen.prose import JINJA
from briefgen.templatefields import TEMPLATE_FIELDS
from briefgen.templatefile import STORIES, TemplateFileError, W, open_template
from briefgen.templateshows import (
    DOCXTPL_PREFIX,
    kenmerk_not_number,
    output_tags,
    shown_items,
    shows,
    shows_whole,
    tag_expressions,
    template_uses,
)
from briefgen.validate import validate_partial
from briefgen.werkmap import Werkmap

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


def lint(path: Path, shown: str) -> list[Problem]:
    """The template's problems; its warnings are for ``check`` only (problems.for_check_only): the same
    house style would warn at every build and every save in ``watch``. A font that is not installed is for a build
    that makes PDFs too (Problem.about_pdf)."""
    return for_check_only(_lint(path, shown))


def _lint(path: Path, shown: str) -> list[Problem]:
    try:
        source = open_template(path)
    except TemplateFileError as exc:
        return [Problem(shown, message=str(exc))]
    parts = {name: root for name, root in source.xml.items() if STORIES.fullmatch(name)}
    problems = _unknown_names(shown, parts, check_template(source, shown))
    if not any(p.message.startswith(_JINJA_ERROR) for p in problems):
        problems.extend(_unknown_paths(shown, parts))
    styles = source.xml.get("word/styles.xml")
    if any(p.message.startswith(_JINJA_ERROR) for p in problems):
        located, others = _tags_alone(shown, parts, problems)
        problems = [located.get(_reason(p), p) for p in problems] + others
    for name, root in sorted(parts.items()):
        problems.extend(_split_tags(shown, name, root))
    document = parts.get("word/document.xml")
    if document is not None:
        problems.extend(_page_size(shown, document))
    problems.extend(_styles(shown, styles))
    problems.extend(_page_numbers(shown, parts))
    problems.extend(_missing_fonts(shown, source))
    if not any(p.is_error for p in problems):
        problems.extend(_trial(shown, source))
    return problems


def _trial(shown: str, source) -> list[Problem]:
    """The template rendered once with a full sample letter and once with a sparse one, in the build's
    sandbox with its limits: what only rendering finds (a division by zero, a macro calling itself,
    a filter on the wrong value), and whether the body has exactly one place."""
    from briefgen.templatefields import sample

    failure, places = trial_render(source, sample(full=True))
    if failure:
        return [Problem(shown, message=f"de template faalt bij het invullen van een voorbeeldbrief: {failure}")]
    if places != 1:
        return [Problem(shown, message="de template heeft geen alinea met {{p inhoud }}: de brieven zouden geen tekst "
                        "hebben; zet {{p inhoud }} in een alinea van zichzelf" if places == 0 else
                        f"de template heeft {places} alinea's met {{{{p inhoud }}}}: de tekst van de brief zou {places} keer "
                        "in de brief staan; laat er één staan")]
    failure, _ = trial_render(source, sample(full=False))
    if failure:
        return [Problem(shown, message="de template faalt bij het invullen van een brief zonder nummer, kenmerk, "
                        f"contactpersonen en bijlagen en met één ondertekenaar: {failure}", severity=Severity.WARNING)]
    return []


_PAGE_FIELD = re.compile(r"^\s*PAGE\b")


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_METRIC_CLONES = {"arial": "liberation sans", "helvetica": "liberation sans", "times new roman": "liberation serif",
                  "times": "liberation serif", "courier new": "liberation mono", "arial narrow": "liberation sans narrow",
                  "calibri": "carlito", "cambria": "caladea", "georgia": "gelasio"}
"""Fonts whose stand-in (fontconfig's alias) has the same width for every character: the lines break the same."""


def _missing_fonts(shown: str, source) -> list[Problem]:
    """A warning per font of the template that is not installed and has no stand-in of the same width:
    LibreOffice then sets the PDF in another font (fontconfig's ``fc-match`` says which), with other line breaks."""
    installed = _installed_families()
    if installed is None:
        return []  # no fontconfig: nothing to compare with
    problems = []
    for font in _fonts(source):
        if font.lower() in installed:
            continue
        stand_in = _stand_in(font)
        if stand_in and _METRIC_CLONES.get(font.lower()) == stand_in.lower():
            continue
        instead = f"'{stand_in}'" if stand_in else "een ander lettertype"
        problems.append(Problem(shown, message=f"het lettertype '{font}' van de huisstijl is niet geïnstalleerd: LibreOffice "
                                f"zet de PDF in {instead}, met andere regelafbrekingen; installeer het lettertype "
                                "(fc-list toont wat er is) of kies in de template een lettertype dat er is",
                                severity=Severity.WARNING, about_pdf=True))
    return problems


def _fonts(source) -> list[str]:
    """The font families the template's styles and text name (theme fonts by their typeface), in order."""
    theme = {}
    for name, root in source.xml.items():
        if name.startswith("word/theme/"):
            for kind in ("major", "minor"):
                latin = root.find(f".//{{{_A}}}{kind}Font/{{{_A}}}latin")
                if latin is not None and latin.get("typeface"):
                    theme[kind] = latin.get("typeface")
    found: list[str] = []
    for name in ["word/styles.xml", *sorted(n for n in source.xml if STORIES.fullmatch(n))]:
        root = source.xml.get(name)
        for fonts in root.iter(f"{{{W}}}rFonts") if root is not None else ():
            for attribute in ("ascii", "hAnsi"):
                font = fonts.get(f"{{{W}}}{attribute}")
                theme_font = fonts.get(f"{{{W}}}{attribute}Theme")
                if font is None and theme_font:
                    font = theme.get("major" if theme_font.startswith("major") else "minor")
                if font and font not in found:
                    found.append(font)
    return found


@functools.cache
def _installed_families() -> frozenset[str] | None:
    import subprocess

    try:
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return frozenset(family.strip().lower() for line in listed.splitlines() for family in line.split(","))


@functools.cache
def _stand_in(font: str) -> str:
    """fontconfig's choice for ``font``: the family LibreOffice uses in its place; empty if unknown."""
    import subprocess

    try:
        matched = subprocess.run(["fc-match", "-f", "%{family[0]}", font], capture_output=True, text=True, timeout=30,
                                 check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    return matched.strip()


def _page_numbers(shown: str, parts: dict) -> list[Problem]:
    """A letter of several pages without page numbers does not say whether a page is missing: a
    letterhead made by ``templates nieuw`` from a Word letter without them leaves them out silently."""
    for name, root in parts.items():
        if name == "word/document.xml":
            continue
        instructions = [e.get(f"{{{W}}}instr") or "" for e in root.iter(f"{{{W}}}fldSimple")]
        instructions += [e.text or "" for e in root.iter(f"{{{W}}}instrText")]
        if any(_PAGE_FIELD.match(text) for text in instructions):
            return []
    return [Problem(shown, message="de huisstijl heeft geen paginanummer in kop- of voettekst: bij een brief van meer "
                    "pagina's ziet de lezer niet of er een pagina ontbreekt; voeg in Word een veld 'Pagina X van Y' "
                    "toe aan de voettekst", severity=Severity.WARNING)]


def organisation_styles(werkmap: Werkmap) -> list[Problem]:
    """An organisation whose ``huisstijl`` has no template in templates/, at that line of its file
    (a letter reports it only at its own ``organisatie:`` line, and only when it is checked), and
    :func:`styles_naming_others` as ``check`` reports them. The file's own problems are check's to report."""
    read: dict[str, tuple[yamlio.Loaded, Organisation]] = {}
    valid: dict[str, tuple[yamlio.Loaded, Organisation]] = {}
    for ident in werkmap.organisation_ids():
        path = werkmap.organisation_file(ident)
        loaded, problems = yamlio.load(path, werkmap.shown(path), werkmap.root)
        if loaded is None:
            continue
        model, invalid, broken = validate_partial(loaded, Organisation)
        if model is not None and not touches(broken, ("huisstijl",)):
            read[ident] = (loaded, model)
            if not any(p.is_error for p in problems + invalid):
                valid[ident] = read[ident]
    found = [p for loaded, model in read.values() for p in styles_without_template(werkmap, loaded, model)]
    return found + styles_naming_others(werkmap, valid)


def styles_without_template(werkmap: Werkmap, loaded: yamlio.Loaded, model: Organisation,
                            kinds: Collection[str] | None = None) -> list[Problem]:
    """An organisation's ``huisstijl`` that has no template in templates/, at that line of its file, with the
    template it is a misspelling of (``bunnik_rib`` → ``bunnik-rib``). ``kinds``: only the house styles of
    these kinds of letter (one named for every kind counts for each); None: all."""
    out = Collector(loaded)
    for where, style in model.styles.items():
        if kinds is not None and len(where) > 1 and where[1] not in kinds:
            continue
        template = werkmap.template_file(style)
        if template is None or not template.is_file():
            expected = werkmap.shown(template) if template is not None else "templates/"
            known = sorted(p.stem for p in werkmap.templates.glob("*.docx")) if werkmap.templates.is_dir() else []
            hint = did_you_mean(style.removesuffix(".docx"), known) or ("; maak hem met 'briefgen templates nieuw' of "
                                                                         "kies een huisstijl uit templates/")
            out.at(where, f"huisstijl '{style}' heeft geen template (verwacht {expected}){hint}")
    return out.problems


def styles_naming_others(werkmap: Werkmap, organisations: dict[str, tuple[yamlio.Loaded, Organisation]]) -> list[Problem]:
    """Warnings at an organisation's ``huisstijl`` for a house style that names another organisation
    (:func:`naming_others`), for organisations read without errors: for ``check`` and ``templates check``."""
    found = []
    for ident, (loaded, model) in organisations.items():
        out = Collector(loaded)
        others = [(o.name, o.place) for other, (_, o) in organisations.items() if other != ident]
        for where, style in model.styles.items():
            template = werkmap.template_file(style)
            if template is not None and template.is_file():
                for message in naming_others(template, style, model.name, model.place, others):
                    out.at(where, message, severity=Severity.WARNING)
        found += out.problems
    return found


_JINJA_ERROR = "Jinja-fout in de template"  # check_template's message: Jinja stopped at its first error
def _unknown_paths(shown: str, parts: dict) -> list[Problem]:
    """Dotted names below a field the template may use that the field does not have
    (``organisatie.websit``): Jinja parses them, and every letter's build would fail on them. The
    allowed paths come from :func:`briefgen.templatefields.shape`, the definition of what a letter supplies."""
    from jinja2 import TemplateSyntaxError

    from briefgen import expressions
    from briefgen.templatefields import TemplateContext, shape

    known = shape(TemplateContext)
    env = expressions.sandbox(autoescape=True)
    problems: list[Problem] = []
    reported: set[str] = set()
    for part, number, source, own in tag_expressions(parts):
        try:
            tree = env.parse(source)
        except TemplateSyntaxError:
            continue  # reported by the Jinja checks
        for path, allowed in _wrong_paths(tree, known, own):
            if path in reported:
                continue
            reported.add(path)
            hint = did_you_mean(path, allowed) or f"; bekend: {', '.join(allowed) or 'geen'}"
            problems.append(Problem(shown, message=f"{part}, alinea {number}: onbekende naam '{path}'{hint}"))
    return problems


def _wrong_paths(tree, known: dict, own: frozenset[str]) -> Iterator[tuple[str, list[str]]]:
    """Each ``name.attr…`` in ``tree`` whose first step outside ``known`` is an attribute; with the
    dotted names that were possible at that step."""
    from jinja2 import nodes

    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        steps: list[object] = []
        inner = node
        while isinstance(inner, (nodes.Getattr, nodes.Getitem)):
            if isinstance(inner, nodes.Getattr):
                steps.append(inner.attr)
            elif isinstance(inner.arg, nodes.Const):
                steps.append(inner.arg.value)
            else:
                steps.append(None)  # an index computed in the template
            inner = inner.node
        if not isinstance(inner, nodes.Name) or inner.name in own or inner.name not in known:
            continue
        path, value = inner.name, known[inner.name]
        for step in reversed(steps):
            if isinstance(value, list) and (step is None or isinstance(step, int)):
                path, value = f"{path}[]", value[0]
                continue
            if not isinstance(value, dict) or not isinstance(step, str) or hasattr(dict, step):
                break  # a text, a computed key, or a method of the value: not the field definition's to know
            if step not in value:
                yield f"{path}.{step}", [f"{path}.{name}" for name in value]
                break
            path, value = f"{path}.{step}", value[step]


def _unknown_names(shown: str, parts: dict, found: list[Problem]) -> list[Problem]:
    """check_template's names no letter supplies, placed at the paragraph of their first use where the
    template has not declared them (a name only a statement uses stays unplaced)."""
    from jinja2 import TemplateSyntaxError, meta

    from briefgen import expressions

    env = expressions.sandbox(autoescape=True)
    unknown = {p.message: p for p in found if p.message.startswith(_UNKNOWN)}
    if not unknown:
        return found
    placed: dict[str, Problem] = {}
    for part, number, tag, own in output_tags(parts):
        try:
            names = meta.find_undeclared_variables(env.parse(DOCXTPL_PREFIX.sub(r"\1", tag)))
        except TemplateSyntaxError:
            continue
        for name in sorted(names - own):
            message = _unknown_message(name)
            if message in unknown and message not in placed:
                placed[message] = Problem(shown, message=f"{part}, alinea {number}: {message}")
    return [placed.get(p.message, p) for p in found]


_UNKNOWN = "de template gebruikt '"


def _unknown_message(name: str) -> str:
    from briefgen.templatefields import TEMPLATE_FIELDS

    return f"{_UNKNOWN}{name}', maar geen brief levert die waarde; bekend: {', '.join(sorted(TEMPLATE_FIELDS))}"


def _reason(problem: Problem) -> str:
    """What Jinja said, in check_template's "Jinja-fout in de template (XML-regel N): …"; empty for another problem."""
    return problem.message.split(": ", 1)[-1] if problem.message.startswith(_JINJA_ERROR) else ""


def _tags_alone(shown: str, parts: dict, found: list[Problem]) -> tuple[dict[str, Problem], list[Problem]]:
    """After a Jinja error, the template's ``{{ … }}`` checked one by one: the first that fails alone as the whole
    template failed is the place of that error (by its reason: the problem to report instead of check_template's,
    whose "XML-regel" is a line of docxtpl's internal XML); the others' own syntax errors and names no letter
    supplies, in the scope of the statements around them (:func:`output_tags`). (A ``{% … %}`` cannot be
    checked alone: its block is spread over paragraphs.)"""
    from jinja2 import TemplateSyntaxError, meta

    from briefgen import expressions
    from briefgen.templatefields import TEMPLATE_FIELDS

    env = expressions.sandbox(autoescape=True)
    reported = {_reason(p) for p in found} - {""}
    located: dict[str, Problem] = {}
    named: set[str] = set()
    problems: list[Problem] = []
    for part, number, tag, own in output_tags(parts):
        source = DOCXTPL_PREFIX.sub(r"\1", tag)
        try:
            env.from_string(source)
            names = meta.find_undeclared_variables(env.parse(source))
        except TemplateSyntaxError as exc:
            reason = expressions.syntax_message(env, exc.message or "")[0]
            problem = Problem(shown, message=f"{part}, alinea {number}: Jinja-fout in '{_short(tag)}': {reason}")
            if reason in reported and reason not in located:
                located[reason] = problem  # the error Jinja stopped at
            else:
                problems.append(problem)
            continue
        for name in sorted(set(names) - TEMPLATE_FIELDS - own - named):
            named.add(name)
            problems.append(Problem(shown, message=f"{part}, alinea {number}: {_unknown_message(name)}"))
    return located, problems


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


_ORGANISATION = re.compile(
    r"\b(?:[Gg]emeente|Regio|Provincie|Waterschap|Hoogheemraadschap)"
    r"(?:\s+(?:(?:aan|de|den|op|en|van|het)\s+)*['’A-Z][\w'’-]*)+"
)
"""'Gemeente Hilversum', 'Gemeente Bergen op Zoom': how a letterhead names an organisation."""


def _named(path: Path) -> list[tuple[str, str, str]]:
    """What a template says about whose it is, outside its fields: (where, the text, how it names an
    organisation), for fixed text, the alternative text of pictures and their file names."""
    try:
        source = open_template(path)
    except TemplateFileError:
        return []  # lint reports it
    found = []
    for part, root in sorted(source.xml.items()):
        if not STORIES.fullmatch(part):
            continue
        for paragraph in root.iter(f"{{{W}}}p"):
            fixed = _TAG.sub(" ", "".join(t.text or "" for t in paragraph.iter(f"{{{W}}}t")))
            found += [(f"de vaste tekst in {part}", fixed.strip(), m.group()) for m in _ORGANISATION.finditer(fixed)]
        for element in root.iter():
            local = _local(element)
            if local not in ("docPr", "cNvPr"):
                continue
            for attribute in ("descr", "title", "name"):
                text = element.get(attribute) or ""
                where = "de bestandsnaam van de afbeelding" if text.lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".emf", ".svg")) \
                    else "de alternatieve tekst van de afbeelding"
                found += [(where, text, text)] if text else []
    for name in sorted(source.parts):
        if name.startswith("word/media/"):
            found.append(("de bestandsnaam van de afbeelding", name.rsplit("/", 1)[-1], name.rsplit("/", 1)[-1]))
    return list(dict.fromkeys(found))


def _local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def naming_others(path: Path, style: str, name: str, place: str, others: list[tuple[str, str]]) -> list[str]:
    """Warnings for a house style whose fixed text, picture text or picture file name names another
    organisation than the one (``name``, ``place``) using it: 'Gemeente X' where it is 'Gemeente Y',
    or the name or place of another organisation of the werkmap (``others``). A name in fixed text is
    right in an organisation's own style, so this is a warning: the letter is still built."""
    own = name.lower()

    def is_own(named: str) -> bool:  # 'Gemeente Hilversum' is the own name of 'Hilversum' and of 'Gemeente Hilversum'
        lower = named.lower()
        return bool(own) and (own in lower or lower in own or lower.split(None, 1)[-1] in own)

    messages = []
    for where, text, naming in _named(path):
        if where == "de alternatieve tekst van de afbeelding" or where.startswith("de vaste tekst"):
            names = [m.group() for m in _ORGANISATION.finditer(naming)]
            names += [o for o, _ in others if o and o.lower() in naming.lower() and o not in names]
            names = [n for n in names if not is_own(n)]
        else:  # a file name: a place as part of it ("logo-hilversum.png")
            names = [o for o, p in others if p and p.lower() in naming.lower() and p.lower() not in (own, place.lower())]
        if names:
            messages.append(f"de huisstijl '{style}' noemt {names[0]} in {where} ('{_short(text)}'), maar de "
                            f"organisatie is {name}: pas de template aan of maak een eigen huisstijl met "
                            "'briefgen templates nieuw'")
    return list(dict.fromkeys(messages))


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"



# --- what a house style shows of a letter ---------------------------------------------------------------

_SHOWN_FIELDS = (("to", "aan"), ("sender", "van"), ("reference", "kenmerk"), ("case_number", "zaaknummer"),
                 ("portfolio_holder", "portefeuillehouder"), ("salutation", "aanhef"), ("closing", "slot"))
"""A letter's key that only the house style shows (attribute, key and field): set in a letter whose
style does not use the field, it is silently left out. (``bijlagen`` and the body are shown by briefgen itself.)"""


def unshown(loaded: yamlio.Loaded, letter: Any, document: Any) -> list[Problem]:
    """Warnings at what a letter gives but its house style cannot show: a key whose field the
    template does not use (``aan`` in a style with a fixed addressee), a signer or a contact beyond the
    ones it has a place for. A contact the letter's own text names is shown there."""
    uses = template_uses(document.template)
    style = document.style
    out = Collector(loaded)
    for attribute, key in _SHOWN_FIELDS:
        if getattr(letter, attribute, None) and not shows(uses, key):
            out.at((key,), f"de huisstijl '{style}' toont '{key}' niet: de template gebruikt het veld "
                           f"{{{{ {key} }}}} nergens, dus deze waarde staat niet in de brief; voeg het veld toe aan "
                           "de template of haal de sleutel weg", severity=Severity.WARNING)
    if kenmerk_not_number(lambda name: shows(uses, name)) and not letter.reference:
        keys = loaded.data if isinstance(loaded.data, dict) else {}
        at = next((key for key in ("kenmerk", "nummer", "onderwerp") if key in keys), "kenmerk")  # not file:1:1
        out.at((at,), f"de huisstijl '{style}' toont het kenmerk van de brief (niet haar nummer), en deze brief heeft "
                             "geen kenmerk: naast het label blijft het leeg; vul 'kenmerk:' in", severity=Severity.WARNING)
    signers = document.fields["ondertekening"]["personen"]
    room = len(signers) if shows(uses, "ondertekening.personen") else \
        2 if shows(uses, "ondertekening.rechts") else 1 if shows(uses, "ondertekening.links") else 0
    listed = isinstance(loaded.data.get("ondertekening") if isinstance(loaded.data, dict) else None, list)
    for i, signer in enumerate(signers[room:], room):
        out.at(("ondertekening", i) if listed else ("ondertekening",),
               f"de huisstijl '{style}' toont {room} ondertekenaar{'s' if room != 1 else ''}: {signer['naam']} "
               f"({signer['titel'].rstrip(',')}) staat niet in de DOCX en de PDF; gebruik in de template "
               "ondertekening.personen (alle ondertekenaars) of een huisstijl die ze allemaal toont", severity=Severity.WARNING)
    contacts = document.fields["contactpersonen"]
    every = shows_whole(uses, "contactpersonen")  # a loop, | contacten: all of them; by index: those only
    shown = set(range(len(contacts))) if every else \
        shown_items(uses, "contactpersonen") | ({0} if shows(uses, "informatie_bij") else set())
    in_text = any(re.search(r"\{\{[^}]*\bcontactpersonen\b", section.text or "") for section in letter.sections)
    left_out = [person for i, person in enumerate(contacts) if i not in shown]
    if left_out and not in_text:
        room = len(contacts) - len(left_out)
        names = ", ".join(c["naam"] for c in left_out)
        out.at(("contactpersonen",), f"de huisstijl '{style}' toont {'geen' if room == 0 else room} "
                                     f"contactperso{'o' if room == 1 else 'ne'}n: {names} "
                                     f"{'staat' if len(left_out) == 1 else 'staan'} niet in de brief; gebruik in de template contactpersonen (of informatie_bij), of noem "
                                     "ze in de tekst met {{ contactpersonen | contacten }}", value=False, severity=Severity.WARNING)
    # A contact's phone: the first one's as informatie_telefoon, any one's as .telefoon of a loop over contactpersonen
    # (a template with informatie_bij shows the first contact by it; its loop is for the others), or in contactpersonen
    # shown whole, through a filter (| contacten: no loop variable's .naam); one shown by index, as its own .telefoon.
    # Its e-mail address alike, but the first one's has no field of its own (contactpersonen[0].email).
    looped = [use for use in uses if re.split(r"[.\[]", use)[0] not in TEMPLATE_FIELDS]  # contact.telefoon, not informatie_bij
    for key, field_of_first, what, advice in _REACH:
        in_loop = any(use.endswith(f".{key}") for use in looped) or \
            (every and not any(use.endswith(".naam") for use in looped))
        first = shows(uses, field_of_first) or (in_loop and not shows(uses, "informatie_bij"))
        for i, person in enumerate(contacts):
            reached = (first if i == 0 else in_loop) or shows(uses, f"contactpersonen[{i}].{key}")
            if i in shown and person[key] and not in_text and not reached:
                out.at(("contactpersonen", i, key) if key in _contact_keys(loaded, i) else ("contactpersonen", i),
                       f"de huisstijl '{style}' toont het {what} van contactpersoon {person['naam']} niet: "
                       f"{person[key]} staat niet in de DOCX en de PDF; zet in de template naast de naam {advice}",
                       severity=Severity.WARNING)
    return out.problems


_REACH = (
    ("telefoon", "informatie_telefoon", "telefoonnummer",
     "'{% if informatie_telefoon %}, telefoon {{ informatie_telefoon }}{% endif %}' of een label Telefoon met "
     "{{ informatie_telefoon }}, of noem het nummer in de tekst"),
    ("email", "contactpersonen[0].email", "e-mailadres",
     "'{% if contact.email %}, {{ contact.email }}{% endif %}' (in de lus over contactpersonen) of "
     "{{ contactpersonen[0].email }} (de eerste), of noem het adres in de tekst"),
)
"""How a contact is reached (its key, the field that shows the first contact's, the word for it, how a template
shows it), for :func:`unshown`."""


def _contact_keys(loaded: yamlio.Loaded, i: int) -> Any:
    """The keys the letter file gives contact ``i`` (none when it is not written as a mapping there)."""
    contacts = loaded.data.get("contactpersonen") if isinstance(loaded.data, dict) else None
    person = contacts[i] if isinstance(contacts, list) and i < len(contacts) else None
    return person if isinstance(person, dict) else {}
