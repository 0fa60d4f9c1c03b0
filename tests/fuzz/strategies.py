"""Hypothesis strategies: hostile text, generated content trees, and mutations of the example letters."""

from __future__ import annotations

import copy
import io
from typing import Any

from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from tests.fuzz.helpers import REPO, xml_allowed

# --- Text -----------------------------------------------------------------------------------------

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00a0", "\u202f", "\u2007", "\u00ad"]
BIDI = ["\u202e", "\u202b", "\u202a", "\u202c", "\u200f", "\u200e", "\u2067", "\u2069",
        "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627"]
EMOJI = ["\U0001f600", "\U0001f469\u200d\U0001f469\u200d\U0001f467", "\U0001f1f3\U0001f1f1", "\u2764\ufe0f",
         "\U0001f44d\U0001f3fd"]
DUTCH = ["é", "ë", "ï", "ö", "ü", "ĳ", "Ĳ", "€", "‘", "’", "“", "”", "–", "—", "…", "°", "½"]
MARKUP = ["&", "<", ">", '"', "'", "&amp;", "&#0;", "&#x1;", "<b>", "</w:t>", "]]>", "<![CDATA[", "\\"]
JINJA = ["{{", "}}", "{%", "%}", "{#", "#}", "{{ onderwerp }}", "{{ datum | datum }}", "{{ onbekend }}",
         "{{ 1 + }}", "{{ 1/0 }}", "{% if true %}ja{% endif %}", "{% raw %}{{ x }}{% endraw %}",
         "{{ ''.__class__ }}", "{{ tabellen.t.totaal }}", "{{ tabel(\"t\") }}", "{{ tabel(\"weg\") }}",
         "{{ 'x' | bedrag }}", "{{ contactpersonen | contacten }}"]
YAMLISH = [":", ": ", " #", "# ", "- ", "? ", "|", ">", "!", "&a", "*a", "@", "`", "%", ",", "[", "]",
           "{", "}", "---", "...", "~", "null", "yes", "no", "on", "0x1F", "1e3", ".nan", "2021-02-30"]
MARKDOWN = ["*", "**", "_", "__", "[x](https://example.org)", "[x](javascript:alert(1))", "# ", "1. ",
            "\n- ", "\n\n", "  \n", "`code`", "> ", "---", "\\*"]
SPACES = ["\t", "\n", "\r\n", " ", "  ", "\u2028", "\u2029", "\u0085", "\x7f", "\x9f", "\u3000"]
# Characters XML 1.0 forbids; in a generated tree they are written as YAML escapes ("\x0b").
FORBIDDEN = ["\x00", "\x0b", "\x0c", "\x1b", "\x08", "\ufffe", "\uffff"]

# Entities Markdown turns into a character XML forbids, and links of schemes a letter refuses.
ENTITIES = ["&#12;", "&#xC;", "&#x0c;", "&#11;", "&#xFFFE;"]
LINKS = ["[x](ms-msdt:/id PCW)", "<search-ms:query=x>", "[x](smb://server/share)", "[x](\\\\server\\share)",
         "[x](//server/share)", "[x](file:///etc/passwd)", "[x](vnd.sun.star.script:a.b?language=Basic)",
         "[x](ms-word:ofe|u|https://x.nl/a.docx)", "<vbscript:msgbox>", "[x](www.hilversum.nl)", "[x]()",
         "<mailto:griffie@hilversum.nl>", "[bel](tel:+31356292911)", "<https://www.hilversum.nl>"]
CONTENT_HAZARDS = ENTITIES + LINKS

FRAGMENTS = INVISIBLE + BIDI + EMOJI + DUTCH + MARKUP + JINJA + YAMLISH + MARKDOWN + SPACES + FORBIDDEN + CONTENT_HAZARDS

# Control characters come only from FRAGMENTS (FORBIDDEN, SPACES), not from random code points.
characters = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn", "Co"))
plain_text = st.text(characters, max_size=20)
long_word = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzéĳ"), min_size=200, max_size=3000)

_sometimes_long = st.integers(0, 9).flatmap(lambda n: long_word if n == 0 else plain_text)
hostile_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), _sometimes_long), max_size=10).map("".join)


def _valid_for_xml(text: str) -> bool:
    return all(xml_allowed(ord(ch)) for ch in text)


# Text that Markdown and YAML leave exactly as written: the survival property compares it 1:1.
SURVIVORS = INVISIBLE[:-1] + BIDI + EMOJI + DUTCH + ["&", "<", ">", '"', "'", "]]>", "x", "1", "Ab"]
_word = st.lists(st.sampled_from(SURVIVORS + ["a", "b", "c", "ij"]), min_size=1, max_size=6).map("".join)
surviving_text = (
    st.lists(_word, min_size=1, max_size=6)
    .map(" ".join)
    .map(lambda s: "a" + s + "z")  # no whitespace at either end: values are stripped
)

# --- Content trees --------------------------------------------------------------------------------

LETTER_KEYS = ["soort", "organisatie", "datum", "onderwerp", "nummer", "kenmerk", "zaaknummer", "huisstijl",
               "portefeuillehouder", "aan", "van", "aanhef", "tabellen", "secties", "contactpersonen", "slot",
               "ondertekening", "bijlagen"]
NESTED_KEYS = ["titel", "soort", "kolommen", "rijen", "totaal", "kop", "tekst", "naam", "domein", "functie",
               "telefoon", "email", "rol", "markering", "bestand"]
REAL_VALUES = ["raadsinformatiebrief", "informatienota", "hilversum", "huizen", "rzou", "2021-11-16",
               "college", "burgemeester", "gemeentesecretaris", "l.s.", "i.o.", "w.n.", "aantal", "bedrag",
               "hilversum-rib-2021", "0618878359", "bijlagen/x.pdf", "../buiten.pdf", "/etc/passwd"]

keys = st.one_of(st.sampled_from(LETTER_KEYS + NESTED_KEYS), hostile_text.filter(lambda s: 0 < len(s) < 200),
                 st.integers(-5, 5))
scalars = st.one_of(
    hostile_text,
    st.sampled_from(REAL_VALUES),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates().map(str),
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)),
    max_leaves=25,
)

BASE_LETTER: dict[str, Any] = {
    "soort": "raadsinformatiebrief",
    "organisatie": "hilversum",
    "datum": "2021-11-16",
    "onderwerp": "Stand van zaken",
    "nummer": "2021/45",
    "aanhef": "Geachte raads- en commissieleden,",
    "tabellen": {
        "t": {
            "titel": "Contracten",
            "soort": "aantal",
            "kolommen": ["Situatie", "Aantal kinderen"],
            "rijen": [["PGB", 6], ["Andere aanbieder", 2]],
            "totaal": 8,
        }
    },
    "secties": [
        {"tekst": "Inleiding met **vet** en een [link](https://www.hilversum.nl)."},
        {"kop": "Contracten", "tekst": "In totaal {{ tabellen.t.totaal }} kinderen.\n\n{{ tabel(\"t\") }}\n"},
    ],
    "contactpersonen": [{"naam": "E. Seijsener", "domein": "Wmo", "telefoon": "0618878359"}],
    "ondertekening": [{"rol": "gemeentesecretaris", "markering": "l.s."}, {"rol": "burgemeester"}],
}

# Places in BASE_LETTER that hold plain text; hazards are put there so the letter stays valid.
TEXT_PLACES = [("onderwerp",), ("aanhef",), ("nummer",), ("tabellen", "t", "titel"),
               ("tabellen", "t", "rijen", 0, 0), ("tabellen", "t", "kolommen", 1), ("secties", 0, "tekst"),
               ("secties", 1, "kop"), ("secties", 1, "tekst"), ("contactpersonen", 0, "naam"),
               ("contactpersonen", 0, "domein")]


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple, value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


def _places(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path in a tree of dicts and lists."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _places(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _places(value, prefix + (i,))
    return found


@st.composite
def text_hazard_letters(draw, text=hostile_text) -> dict:
    """The valid base letter with hostile text at one to four text places (mostly still valid)."""
    letter = copy.deepcopy(BASE_LETTER)
    for place in draw(st.lists(st.sampled_from(TEXT_PLACES), min_size=1, max_size=4, unique=True)):
        old = str(_get(letter, place))
        mode = draw(st.sampled_from(["replace", "append", "middle"]))
        new = draw(text)
        value = new if mode == "replace" else old + new if mode == "append" else old[:1] + new + old[1:]
        _set(letter, place, value)
    return letter


@st.composite
def tree_letters(draw) -> dict:
    """Generated content trees: random mappings, or the base letter with keys dropped, added or retyped."""
    if draw(st.booleans()):
        return draw(st.dictionaries(keys, trees, max_size=8))
    letter = copy.deepcopy(BASE_LETTER)
    for _ in range(draw(st.integers(1, 4))):
        places = _places(letter)
        action = draw(st.sampled_from(["drop", "retype", "add", "text"]))
        if action == "drop" and places:
            place = draw(st.sampled_from(places))
            parent = _get(letter, place[:-1])
            if isinstance(parent, dict) or len(parent) > 0:
                del parent[place[-1]]
        elif action == "retype" and places:
            _set(letter, draw(st.sampled_from(places)), draw(trees))
        elif action == "add":
            dicts = [()] + [p for p in places if isinstance(_get(letter, p), dict)]
            target = _get(letter, draw(st.sampled_from(dicts)))
            target[draw(keys)] = draw(trees)
        else:
            strings = [p for p in places if isinstance(_get(letter, p), str)]
            if strings:
                _set(letter, draw(st.sampled_from(strings)), draw(hostile_text))
    return letter


def dump_yaml(data: Any, literal_blocks: bool = True) -> str:
    """YAML text as a person would write it: multi-line text as literal blocks where possible."""

    def styled(node: Any) -> Any:
        if isinstance(node, dict):
            return {styled_key(k): styled(v) for k, v in node.items()}
        if isinstance(node, list):
            return [styled(v) for v in node]
        if isinstance(node, str) and literal_blocks and "\n" in node and _block_safe(node):
            return LiteralScalarString(node)
        if isinstance(node, str) and not _valid_for_xml(node):
            return DoubleQuotedScalarString(node)
        return node

    def styled_key(key: Any) -> Any:
        return key

    yaml = YAML(typ="rt")
    yaml.allow_unicode = True
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(styled(data), out)
    return out.getvalue()


def _block_safe(text: str) -> bool:
    """A literal block keeps this text exactly (no trailing spaces, tabs, odd line breaks)."""
    lines = text.split("\n")
    return (
        text.endswith("\n")
        and not text.startswith((" ", "\n"))
        and all(line == line.rstrip() and "\t" not in line and "\r" not in line for line in lines)
        and not any(ch in text for ch in "\u2028\u2029\u0085\ufeff")
    )


# --- Mutations of the example letters -------------------------------------------------------------

EXAMPLE_FILES = [rel for rel in ("hilversum/2016/inkoop-sociaal-domein-2017.yaml",
                                 "hilversum/2021/inkoop-wmo-jeugd.yaml",
                                 "huizen/2021/transitieregelingen-dagbesteding.yaml",
                                 "rzou/2021/inkoop-jeugdhulp-wmo-begeleiding.yaml")
                 if (REPO / "content" / rel).is_file()]

CONTROL = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f", "\x80", "\x9b", "\ufffe", "\uffff"]
OTHER_BREAKS = ["\r", "\u0085", "\u2028", "\u2029"]


def alias_bomb(levels: int, key: str = "bom") -> str:
    names = [f"{key}{i}" for i in range(levels + 1)]
    lines = [f"{names[0]}: &{names[0]} [" + ", ".join(['"lol"'] * 9) + "]"]
    for prev, name in zip(names, names[1:], strict=False):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _key_lines(text: str) -> list[int]:
    lines = text.split("\n")
    return [i for i, line in enumerate(lines) if line.strip() and ":" in line and not line.lstrip().startswith("#")]


def _block_end(lines: list[str], start: int) -> int:
    indent = len(lines[start]) - len(lines[start].lstrip(" -"))
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip(" -")) > indent):
        end += 1
    return end


@st.composite
def text_mutation(draw, text: str, kinds: list[str] | None = None) -> tuple[str, str]:
    """One mutation of YAML text (of ``kinds``, default all); returns (name, new text)."""
    kind = draw(st.sampled_from(kinds or ["drop_key", "duplicate_key", "change_type", "control", "tab", "truncate",
                                          "conflict", "bomb", "crlf", "long_line", "hazard", "other_break",
                                          *VALUE_HAZARDS]))
    lines = text.split("\n")
    pos = draw(st.integers(0, len(text)))
    if kind in VALUE_HAZARDS:
        candidates = [i for i in _key_lines(text) if ": " in lines[i]]
        if not candidates:
            return kind, text
        at = draw(st.sampled_from(candidates))
        key, _, value = lines[at].partition(": ")
        new = draw(VALUE_HAZARDS[kind])
        lines[at] = f"{key}: {new}" if kind != "tag" else f"{key}: {new}{value}"
        return kind, "\n".join(lines)
    if kind in ("drop_key", "duplicate_key"):
        candidates = _key_lines(text)
        if not candidates:
            return kind, text
        start = draw(st.sampled_from(candidates))
        end = _block_end(lines, start)
        if kind == "drop_key":
            return kind, "\n".join(lines[:start] + lines[end:])
        return kind, "\n".join(lines[:end] + lines[start:end] + lines[end:])
    if kind == "change_type":
        if "&" in text:  # after a "bomb": walking the expanded aliases would take all memory (24 GB seen)
            return kind, text
        yaml = YAML(typ="rt")
        try:
            data = yaml.load(text)
        except Exception:  # noqa: BLE001 — an earlier mutation broke the YAML: nothing to retype
            return kind, text
        places = _places(data) if isinstance(data, (dict, list)) else []
        if not places:
            return kind, text
        _set(data, draw(st.sampled_from(places)), draw(st.one_of(scalars, st.lists(scalars, max_size=3),
                                                                 st.dictionaries(keys, scalars, max_size=3))))
        return kind, dump_yaml(data, literal_blocks=False)
    if kind == "control":
        return kind, text[:pos] + draw(st.sampled_from(CONTROL)) + text[pos:]
    if kind == "tab":
        return kind, text[:pos] + "\t" + text[pos:]
    if kind == "truncate":
        return kind, text[:pos]
    if kind == "conflict":
        start = draw(st.integers(0, max(0, len(lines) - 1)))
        end = draw(st.integers(start, len(lines)))
        block = lines[start:end]
        return kind, "\n".join(lines[:start] + ["<<<<<<< HEAD"] + block + ["======="] + block
                               + [">>>>>>> andere-tak"] + lines[end:])
    if kind == "bomb":
        levels = draw(st.integers(1, 10))
        return kind, text + ("" if text.endswith("\n") else "\n") + alias_bomb(levels)
    if kind == "crlf":
        return kind, text.replace("\r\n", "\n").replace("\n", "\r\n")
    if kind == "long_line":
        return kind, text[:pos] + draw(long_word) * draw(st.integers(1, 5)) + text[pos:]
    if kind == "other_break":
        return kind, text[:pos] + draw(st.sampled_from(OTHER_BREAKS)) + text[pos:]
    return kind, text[:pos] + draw(hostile_text) + text[pos:]


def _nested(opening: str, closing: str) -> st.SearchStrategy[str]:
    return st.sampled_from([50, 150, 5_000, 30_000]).map(lambda n: opening * n + "x" + closing * n)


# Hazards that replace (or, for tags, precede) the value of one key: nesting far deeper than the C
# loader survives, integers beyond Python's conversion limit, YAML tags, numbers meant as text.
VALUE_HAZARDS: dict[str, st.SearchStrategy[str]] = {
    "deep": st.one_of(_nested("[", "]"), _nested("{a: ", "}"), _nested("- ", ""), _nested("? [", "]")),
    "big_int": st.sampled_from(["1" * 5000, "0x" + "f" * 5000, "0o" + "7" * 4400, "1_" * 3000 + "1", "-" + "9" * 61,
                                "9" * 60]),
    "tag": st.sampled_from(["!!binary ", "!!python/object:os.system ", "!!python/name:os.system ", "!x ", "!!str ",
                            "!!set ", "!!timestamp ", "!<tag:yaml.org,2002:binary> "]),
    "number_text": st.sampled_from(["2021.10", "007", "0x1F", "1_000", "1e3", ".inf", "-.nan", "0o17", "+12"]),
}


ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-bom", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252"]


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if encoding == "utf-8":
        return text.encode("utf-8", "surrogatepass")
    return text.encode(encoding, "replace")


@st.composite
def mutated_examples(draw, kinds: list[str] | None = None) -> tuple[str, list[str], bytes]:
    """(example path, applied mutations, bytes): 1–3 text mutations (of ``kinds``), then an encoding
    (UTF-8 when ``kinds`` is given)."""
    rel = draw(st.sampled_from(EXAMPLE_FILES))
    text = (REPO / "content" / rel).read_text(encoding="utf-8")
    applied = []
    for _ in range(draw(st.integers(1, 3))):
        name, text = draw(text_mutation(text, kinds))
        applied.append(name)
    encoding = "utf-8" if kinds else draw(st.sampled_from(ENCODINGS))
    applied.append(encoding)
    return rel, applied, encode(text, encoding)
