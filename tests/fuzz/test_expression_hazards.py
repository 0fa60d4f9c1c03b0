"""Expressions: time, memory and what a letter may show (docs/gevaren.md, "Expressies").

Every hazard is built through the real pipeline and must end as one located Dutch problem, with no
DOCX written; the fuzz target runs ``briefgen check`` in a subprocess on random expressions and
checks its peak memory.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from briefgen import pipeline
from briefgen.problems import Problem
from briefgen.settings import Settings
from tests.fuzz.helpers import REPO, STYLE_2021, assert_dutch, assert_located, docx_texts, fresh_dir, fuzz, new_werkmap

SETTINGS = Settings(jobs=1)
HEAD = "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-11-16\nonderwerp: Test\n"
SIGNED = "ondertekening:\n  - rol: burgemeester\n"
TABLE = "tabellen:\n  t:\n    rijen: [[a, 1], [b, 2]]\n"


def _build(tmp_path, body: str, before: str = ""):
    werkmap = new_werkmap(fresh_dir(tmp_path), {"x/brief.yaml": HEAD + before + body + SIGNED}, templates=STYLE_2021)
    return werkmap, pipeline.build(werkmap, SETTINGS, formats=("docx",))


def _one_located_error(tmp_path, text: str, before: str = "") -> Problem:
    """``text`` as a literal block on lines 7…; its one problem, located in the file, in Dutch."""
    body = "secties:\n  - tekst: |\n" + "".join(f"      {line}\n" for line in text.split("\n"))
    werkmap, report = _build(tmp_path, body, before)
    problems = [p for p in report.problems if p.is_error]
    assert len(problems) == 1, [p.format() for p in report.problems]
    [problem] = problems
    assert problem.path == "content/x/brief.yaml"
    assert_located(problem, werkmap)
    assert_dutch(problem, tolerate_known=False)
    assert "Traceback" not in problem.message and " at 0x" not in problem.message
    assert not (werkmap.build / "x" / "brief.docx").exists()
    return problem


# --- Time and memory ---------------------------------------------------------------------------------

BOUNDED = [
    pytest.param("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "lopen samen meer dan",
                 id="nested-ranges"),
    pytest.param("{% for c in 'x' * 100000 %}{% for d in 'x' * 100000 %}{{ d }}{% endfor %}{% endfor %}", "lopen samen meer dan",
                 id="nested-strings"),
    pytest.param("{{ lipsum(2000000) }}", "onbekende naam 'lipsum'", id="lipsum"),
    pytest.param('{{ "x" | center(1200000000) }}', "'center' zou met deze waarden", id="center"),
    pytest.param("{{ ('a\\n' * 40000) | indent(99999) }}", "'indent' zou met deze waarden", id="indent"),
    pytest.param("{{ ('x' * 90000) | wordwrap(100000000) }}", "'wordwrap' zou met deze waarden", id="wordwrap"),
    pytest.param("{{ ('x' * 100000) | replace('', 'yyyyyyyyyy') }}", "meer dan 100.000 tekens", id="replace"),
    pytest.param("{{ range(100000) | join('abc') }}", "meer dan 100.000 tekens", id="join"),
    pytest.param("{{ '%0999999999d' | format(1) }}", "breedte of precisie", id="format-filter"),
    pytest.param("{{ '%0999999999d' % 1 }}", "breedte of precisie", id="percent"),
    pytest.param("{{ '%*d' % (999999999, 1) }}", "breedte of precisie", id="percent-star"),
    pytest.param("{{ '{:>999999999}'.format(1) }}", "breedte of precisie", id="str-format"),
    pytest.param("{{ 'x'.ljust(1200000000) }}", "'ljust' zou met deze waarden", id="str-method"),
    pytest.param("{{ 'ab' * 5000000 }}", "meer dan 100.000 tekens", id="times"),
    pytest.param("{{ [1] * 5000000 }}", "meer dan 100.000 elementen", id="list-times"),
    pytest.param("{{ range(1000000) | list | length }}", "range() maakt hoogstens 100.000 getallen", id="range-size"),
    pytest.param("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
                 "meer dan 100.000 tekens", id="namespace-doubling"),
    pytest.param("{% set x %}{% for i in range(9000) %}{{ 'y' * 99999 }}{% endfor %}{% endset %}{{ x | length }}",
                 "langer dan 1.000.000 tekens", id="captured-output"),
    pytest.param("{% for i in range(9999) %}" + "x" * 200 + "{% endfor %}", "langer dan 1.000.000 tekens", id="literal-in-loop"),
    pytest.param("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "roept zichzelf te vaak aan", id="recursive-macro"),
    pytest.param("{% macro f(n) %}{{ f(n) ~ f(n) }}{% endmacro %}{{ f(1) }}", "te", id="exponential-macro"),
    pytest.param("{{ range(100000) | map('center', 99) | map('center', 99) | map('center', 99) | join | length }}",
                 "", id="lazy-filter-chain"),
]


@pytest.mark.parametrize(("expression", "message"), BOUNDED)
def test_expression_is_bounded_in_time_and_memory(tmp_path, expression, message):
    problem = _one_located_error(tmp_path, "Eerste regel.\n" + expression)
    assert message in problem.message
    assert problem.line == 8


# --- Big numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    ["{{ (10**100) ** 50 }}", "{{ 10 ** 110 }}", "{{ 2 ** 400 | getal }}", "{{ 9" + "9" * 5000 + " }}",
     "{{ " + "9" * 60 + " * " + "9" * 60 + " }}", "{{ 1e308 * 10 }}", "{{ 10.0 ** 400 }}"],
    ids=["power-of-power", "power", "filter-argument", "literal", "product", "float-overflow", "float-power"],
)
def test_big_number_is_a_located_dutch_error(tmp_path, expression):
    problem = _one_located_error(tmp_path, "Een.\nTwee.\n" + expression)
    assert problem.line == 9
    assert "getal" in problem.message


def test_numbers_within_the_limit_are_computed(tmp_path):
    werkmap, report = _build(tmp_path, "secties:\n  - tekst: \"{{ 10 ** 29 }} en {{ (2 ** 64) | getal }}\"\n")
    assert report.ok, [p.format() for p in report.problems]
    assert "100" + ".000" * 9 + " en 18.446.744.073.709.551.616" in docx_texts(werkmap.build / "x" / "brief.docx")


# --- Python objects never reach a letter --------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "kind"),
    [
        ("{{ cycler }}", "een Python-klasse"),
        ("{{ cycler(1, 2) }}", "een cycler"),
        ("{{ range }}", "een functie"),
        ("{{ range(3) }}", "een lijst"),
        ("{{ 'x'.upper }}", "een functie"),
        ("{{ self }}", "een verwijzing naar de tekst zelf"),
        ("{{ namespace }}", "een Python-klasse"),
        ("{{ namespace(a=1) }}", "een namespace"),
        ("{{ joiner }}", "een Python-klasse"),
        ("{{ joiner() }}", "een joiner"),
        ("{{ tabel }}", "een functie"),
        ("{{ tabellen.t }}", "een verzameling"),
        ("{{ tabellen.t.rijen }}", "een lijst"),
        ("{{ none }}", "niets"),
        ("{{ true }}", "ja/nee"),
        ("{% macro m() %}{% endmacro %}{{ m }}", "een macro"),
        ("{% for i in [1] %}{{ loop }}{% endfor %}", "de lus zelf"),
        ("{{ cycler | string }}", "Python-onderdeel"),
        ("{{ range ~ '' }}", "een functie"),
        ("{{ '%s' % self }}", "een verwijzing naar de tekst zelf"),
        ("{{ '{}'.format(joiner) }}", "een Python-klasse"),
    ],
)
def test_python_object_is_a_located_error_not_text(tmp_path, expression, kind):
    problem = _one_located_error(tmp_path, "Een.\n" + expression, before=TABLE)
    assert problem.line == 11
    assert kind in problem.message
    assert problem.message.startswith("deze expressie")


# --- Jinja's and Python's English ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    ["{{ range(0, 10, 0) | list | length }}", "{{ 'x' | wordwrap(0) }}", "{{ [] | first }}", "{% include 'x' %}",
     "{{ 3 | round(method='x') }}", "{{ 1 | batch(0) | list | length }}", "{% extends 'x' %}",
     "{{ {'a': 1} | dictsort(by='x') | length }}", "{{ [1, 'a'] | sort | join }}", "{{ 'a' | sum }}", "{{ x is blabla }}"],
)
def test_jinja_and_python_errors_are_dutch(tmp_path, expression):
    problem = _one_located_error(tmp_path, expression)
    assert problem.line == 7


# --- tabel() stands on its own line -------------------------------------------------------------------

TABLE_PLACE = "tabel() moet op een eigen regel staan"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param('Een zin met {{ tabel("t") }} erin.', 10, id="in-sentence"),
        pytest.param('Een.\n\n- punt\n- {{ tabel("t") }}', 13, id="in-list"),
        pytest.param('{{ tabel("t") }}{{ tabel("t") }}', 10, id="two-on-one-line"),
        pytest.param('Een.\n\n{{ tabel("t") | upper }}', 12, id="changed-by-filter"),
        pytest.param('Een.\n\n## Kop {{ tabel("t") }}', 12, id="in-markdown-heading"),
    ],
)
def test_table_inside_text_is_a_located_error(tmp_path, text, line):
    body = "secties:\n  - tekst: |\n" + "".join(f"      {line}\n" for line in text.split("\n"))
    werkmap, report = _build(tmp_path, body, TABLE)
    assert report.problems, "tabel() binnen tekst werd gebouwd"
    for problem in report.problems:
        assert (problem.line, TABLE_PLACE) == (line, problem.message[: len(TABLE_PLACE)]), problem.format()
        assert_located(problem, werkmap)
    assert "\ue000" not in " ".join(p.message for p in report.problems)


def test_table_in_section_heading_is_a_located_error(tmp_path):
    body = 'secties:\n  - kop: Kop {{ tabel("t") }}\n    tekst: Tekst.\n'
    werkmap, report = _build(tmp_path, body, TABLE)
    [problem] = report.problems
    assert (problem.line, problem.col) == (9, 17) and problem.message.startswith(TABLE_PLACE)


def test_table_on_its_own_line_is_still_a_table(tmp_path):
    werkmap, report = _build(tmp_path, 'secties:\n  - tekst: |\n      Een.\n\n      {{ tabel("t") }}\n\n      Twee.\n', TABLE)
    assert report.ok, [p.format() for p in report.problems]
    assert not any("\ue000" in t for t in docx_texts(werkmap.build / "x" / "brief.docx"))


# --- Fuzz: random expressions from a small grammar, in a subprocess for its peak memory ------------

NUMBER = st.sampled_from(["0", "1", "2", "3", "7", "40", "99", "100", "1000", "99999", "100000", "1000000", "10**9", "10**40", "-5", "2.5"])
TEXT = st.sampled_from(["'x'", "'ab'", "''", "'%s'", "'{}'", "'a\\nb'", "onderwerp", "ns.s", "i"])
NAME = st.sampled_from(["i", "ns", "ns.s", "tabellen.t.totaal", "tabellen.t.rijen", "datum", "cycler", "range", "self",
                        "namespace", "joiner", "lipsum", "'x'.upper", "tabel", "loop", "none", "true"])
FILTER = st.sampled_from(["center({n})", "indent({n})", "wordwrap({n})", "join", "join({t})", "format({t})", "replace('', {t})",
                          "replace('x', {t})", "list", "length", "string", "upper", "first", "sum", "batch({n})", "getal",
                          "woorden", "bedrag", "truncate({n})", "int", "round", "reverse", "unique", "sort", "map('center', {n})"])
OPERATOR = st.sampled_from(["~", "*", "**", "+", "-", "%", "//", "/"])


def _expressions() -> st.SearchStrategy[str]:
    atom = st.one_of(NUMBER, TEXT, NAME, NUMBER.map(lambda n: f"range({n})"), NUMBER.map(lambda n: f"lipsum({n})"),
                     st.builds(lambda n: f"namespace(s={n})", TEXT))

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.builds(lambda a, op, b: f"({a} {op} {b})", inner, OPERATOR, inner),
            st.builds(lambda a, f, n, t: f"({a} | {f.format(n=n, t=t)})", inner, FILTER, NUMBER, TEXT),
            st.builds(lambda a: f"[{a}, {a}]", inner),
        )

    return st.recursive(atom, extend, max_leaves=6)


EXPRESSION = _expressions()


def _statements() -> st.SearchStrategy[str]:
    leaf = st.one_of(
        EXPRESSION.map(lambda e: f"{{{{ {e} }}}}"),
        st.sampled_from(["tekst ", "\n", "{% set ns.s = ns.s ~ ns.s %}", "{{ ns.s | length }}", "{{ loop.index }}"]),
        EXPRESSION.map(lambda e: f"{{% set ns.s = {e} %}}"),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.builds(lambda e, body: f"{{% for i in {e} %}}{body}{{% endfor %}}", EXPRESSION, inner),
            st.builds(lambda n, body: f"{{% for i in range({n}) %}}{body}{{% endfor %}}", NUMBER, inner),
            st.builds(lambda a, b: a + b, inner, inner),
        )

    return st.recursive(leaf, extend, max_leaves=5).map(lambda body: "{% set ns = namespace(s='x') %}" + body)


STATEMENTS = _statements()

# Runs `briefgen check` and reports the peak memory (kB) of the process and its children.
_CHILD = """
import resource, runpy, sys
sys.argv = ["briefgen", "-C", sys.argv[1], "check", "--geen-spelling"]
try:
    runpy.run_module("briefgen", run_name="__main__")
    code = 0
except SystemExit as exit:
    code = exit.code
peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(f"PEAK {peak}", file=sys.stderr)
sys.exit(code)
"""
_LOCATED = re.compile(r"^(content/[^:]+):(\d+):(\d+): (.+)$")
_BASELINE: list[int] = []


def _run_check(root) -> tuple[int, list[str], int]:
    run = subprocess.run([sys.executable, "-c", _CHILD, str(root)], capture_output=True, text=True, cwd=REPO, timeout=300)
    lines = run.stderr.strip().split("\n")
    assert lines and lines[-1].startswith("PEAK "), run.stderr[-3000:]
    return run.returncode, lines[:-1], int(lines[-1].split()[1])


def _baseline_peak(tmp_path) -> int:
    """Peak memory of the same check on a letter without expressions (imports, templates)."""
    if not _BASELINE:
        root = fresh_dir(tmp_path, "basis")
        new_werkmap(root, {"x/brief.yaml": HEAD + "secties:\n  - tekst: Tekst.\n" + SIGNED}, templates=STYLE_2021)
        _BASELINE.append(_run_check(root)[2])
    return _BASELINE[0]


@fuzz(ci=4, lang=200)
@given(texts=st.lists(STATEMENTS, min_size=8, max_size=8))
def test_random_expressions_give_output_or_located_dutch_problems_in_bounded_memory(tmp_path, texts):
    baseline = _baseline_peak(tmp_path)
    root = fresh_dir(tmp_path)
    letters = {}
    for n, text in enumerate(texts):
        body = "secties:\n  - tekst: |\n" + "".join(f"      {line}\n" for line in text.split("\n"))
        letters[f"x/brief{n}.yaml"] = HEAD + TABLE + body + SIGNED
    werkmap = new_werkmap(root, letters, templates=STYLE_2021)
    note("\n---\n".join(texts))
    code, lines, peak = _run_check(root)
    assert code in (0, 1), "\n".join(lines)
    assert "Traceback" not in "\n".join(lines)
    for line in lines:
        if not line.startswith("content/"):
            continue  # the summary
        match = _LOCATED.match(line)
        assert match, f"melding zonder plaats: {line}"
        problem = Problem(match.group(1), int(match.group(2)), int(match.group(3)), match.group(4))
        assert_located(problem, werkmap)
        assert " at 0x" not in problem.message and "\ue000" not in problem.message
    assert peak - baseline < 100 * 1024, f"piekgeheugen {peak // 1024} MB, zonder expressies {baseline // 1024} MB"
