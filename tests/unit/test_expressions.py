"""The sandboxed Jinja environment: the Dutch filters in it, what it refuses."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError

from briefgen import expressions as e
from briefgen import formatting as f
from tests.unit.test_formatting import CONTACTS, PHONE_1


@pytest.mark.parametrize(
    ("template", "context", "expected"),
    [
        ("{{ d | datum }}", {"d": dt.date(2021, 5, 18)}, "18 mei 2021"),
        ("{{ n | bedrag }}", {"n": 19050000}, "€\u00a019.050.000"),
        ("{{ n | bedrag(centen=True) }}", {"n": 38}, "€\u00a038,00"),
        ("{{ n | getal }} ({{ n | woorden }})", {"n": 15}, "15 (vijftien)"),
        ("{{ l | opsomming }}", {"l": ["Wmo", "Jeugd", "Participatie"]}, "Wmo, Jeugd en Participatie"),
        ("{{ c | contacten }}", {"c": CONTACTS[:1]}, f"E. Seijsener voor Wmo ({PHONE_1})"),
    ],
)
def test_filters_are_available_in_the_sandbox(template, context, expected):
    assert e.sandbox(autoescape=False).from_string(template).render(context) == expected


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ d.__class__.__mro__[1].__subclasses__() }}",
        "{{ l.append(1) }}",  # immutable sandbox: content cannot change the context
        "{{ f.__globals__ }}",
    ],
)
def test_sandbox_refuses_python_internals(template):
    context = {"d": dt.date(2021, 5, 18), "l": [1], "f": f.datum}
    with pytest.raises(SecurityError):
        e.sandbox(autoescape=False).from_string(template).render(context)
    assert context["l"] == [1]


@pytest.mark.parametrize("template", ["{{ onbekend }}", "{{ tabellen.x }}", "{{ onbekend | bedrag }}"])
def test_unknown_names_are_errors_not_empty_text(template):
    with pytest.raises(UndefinedError):
        e.sandbox(autoescape=False).from_string(template).render(tabellen={})


@pytest.mark.parametrize(("autoescape", "expected"), [(True, "A &amp; B &lt;c&gt;"), (False, "A & B <c>")])
def test_autoescape_is_chosen_by_the_caller(autoescape, expected):
    assert e.sandbox(autoescape=autoescape).from_string("{{ t }}").render(t="A & B <c>") == expected


def test_house_style_templates_are_bounded_too_and_reported_as_template_errors():
    from jinja2 import TemplateError

    template = e.sandbox(autoescape=True).from_string("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    with pytest.raises(TemplateError) as caught:
        template.render()
    assert "lopen samen meer dan 10.000 keer rond" in str(caught.value)


def test_each_render_has_its_own_budget():
    """Ten renders of 9.000 loop steps each: the limit is per text, not per environment."""
    env = e.sandbox(autoescape=False, cache=True, letter_text=True)
    for _ in range(10):
        assert e.render(env, "{% for i in range(9000) %}{% endfor %}klaar", {}) == "klaar"


def test_templates_may_print_their_own_objects():
    """A template prints docxtpl's objects (the body); only letter text is limited to text, numbers, dates."""
    assert e.sandbox(autoescape=False).from_string("{{ x }}").render(x=[1]) == "[1]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{% for a, b in [[1, 2], [3, 4]] if a > 1 %}{{ a }}{{ b }}{{ loop.length }}{% endfor %}", "341"),
        ("{% for x in [] %}x{% else %}leeg{% endfor %}", "leeg"),
        ("{% for x in [[1, [2]], [3]] recursive %}[{% if x is iterable %}{{ loop(x) }}{% else %}{{ x }}{% endif %}]{% endfor %}",
         "[[1][[2]]][[3]]"),
        ("{% for x in range(3) %}{{ loop.revindex }}{{ loop.cycle('a', 'b') }}{% endfor %}", "3a2b1a"),
        ("{{ '%s en %s' % ('a', 1000000) }} {{ '{} kinderen'.format(12) }} {{ 'x' | center(5) }}", "a en 1.000.000 12 kinderen   x  "),
        ("{{ 10 ** 29 }}", "100" + ".000" * 9),
        ("{{ x | default('y') }} {{ (x | default([1, 2])) | length }}", "y 2"),
    ],
)
def test_ordinary_jinja_still_works_within_the_limits(text, expected):
    assert e.render(e.sandbox(autoescape=False, letter_text=True), text, {}) == expected


@pytest.mark.parametrize("autoescape", [True, False])
def test_text_without_tags_renders_as_jinja_renders_it(autoescape):
    """The caching environment hands back text without ``{`` as it is, uncompiled; Jinja itself
    gives the same for each of these (and turns \\r\\n into \\n, so such text is still compiled)."""
    sources = ["", "a", "a\n", "a\n\n", "<w:t>R&amp;D</w:t>", "a}b%#", "50% \u2028x\u0085", "x\r\ny", "x\ry", "{{ 1 }}", "{# c #}"]
    cached = e.sandbox(autoescape=autoescape, cache=True)
    plain = e.sandbox(autoescape=autoescape)
    for source in sources:
        assert cached.from_string(source).render({}) == plain.from_string(source).render({}), source


def test_the_cpu_clock_is_read_once_per_render_not_per_check(monkeypatch):
    """Each check of the deadline read the thread's CPU clock (a system call); now the wall clock
    decides when the CPU clock could have passed the deadline. The limit itself stays: the
    lazy-filter-chain case of tests/fuzz/test_expression_hazards.py runs into it."""
    reads = []
    cpu_clock = time.thread_time
    monkeypatch.setattr(e.time, "thread_time", lambda: reads.append(1) or cpu_clock())
    env = e.sandbox(autoescape=False, cache=True, letter_text=True)
    assert e.render(env, "{% for i in range(2000) %}{{ i.real }}{% endfor %}", {}).startswith("0123")
    assert len(reads) == 1


def test_the_cpu_deadline_still_stops_a_render_when_the_wall_clock_says_it_may_have_passed(monkeypatch):
    """Fake clocks: the CPU clock is read again each time the wall clock reaches the point where the
    CPU time left could be used up, and a render past its CPU second stops."""
    clocks = {"wall": 100.0, "cpu": 5.0}
    monkeypatch.setattr(e.time, "perf_counter", lambda: clocks["wall"])
    monkeypatch.setattr(e.time, "thread_time", lambda: clocks["cpu"])
    budget = e._Budget()
    budget.tick()  # the first check sets the CPU deadline at 6.0
    clocks["wall"], clocks["cpu"] = 100.9, 5.3  # a busy machine: CPU time lags the wall clock
    budget.tick()
    clocks["wall"], clocks["cpu"] = 101.2, 5.6  # the wall clock passed 101.0: the CPU clock is read, 0.4 s left
    budget.tick()
    clocks["wall"], clocks["cpu"] = 101.7, 6.1
    with pytest.raises(e.ExpressionError, match="duurt te lang"):
        budget.tick()


def test_sandboxes_of_one_kind_share_their_filter_wrappers_and_the_two_kinds_do_not():
    """Each bounded filter is made once per process (a sandbox has ~60, each reading its signature): sandboxes of
    one kind share them. Content text's filters make text of what they are given, a template's do not: the two
    kinds must never share one, or the first sandbox made would decide for both."""
    letters = [e.sandbox(autoescape=False, letter_text=True) for _ in range(2)]
    templates = [e.sandbox(autoescape=True), e.sandbox(autoescape=False)]
    for name in ("upper", "join", "format", "default"):
        assert letters[0].filters[name] is letters[1].filters[name], name
        assert templates[0].filters[name] is templates[1].filters[name], name
        assert letters[0].filters[name] is not templates[0].filters[name], name


# --- Nesting: a text nested too deeply for Jinja's recursive parser, compiler and tree walks ------------------

_DEEP = {
    "haakjes": lambda n: "{{ " + "(" * n + "1" + ")" * n + " }}",
    "lijsten": lambda n: "{{ " + "[" * n + "1" + "]" * n + " | length }}",
    "optellingen": lambda n: "{{ " + " + ".join(["1"] * n) + " }}",
    "not": lambda n: "{{ " + "not " * n + "1 }}",
    "attributen": lambda n: "{{ a" + ".b" * n + " }}",
    "filters": lambda n: "{{ a" + " | upper" * n + " }}",
    "blokken": lambda n: "{% if a %}" * n + "x" + "{% endif %}" * n,
}


@pytest.mark.parametrize("kind", sorted(_DEEP))
@pytest.mark.parametrize("n", [3000, 20_000])
def test_a_text_nested_too_deeply_is_a_dutch_syntax_error_never_a_recursion_error(kind, n):
    text = "Regel een.\n" + _DEEP[kind](n)
    with pytest.raises(e.Failure) as failure:
        e.render(e.sandbox(autoescape=False, letter_text=True), text, {"a": "x"})
    assert failure.value.message == f"fout in expressie: {e.NESTED_TOO_DEEPLY}"
    assert failure.value.line == 2
    with pytest.raises(TemplateSyntaxError, match="te diep genest"):
        e.sandbox(autoescape=True).parse(text)  # the template check's walks parse too
    with pytest.raises(TemplateSyntaxError, match="te diep genest"):
        e.sandbox(autoescape=True, cache=True).from_string(text)  # the docx builder's render


def test_nesting_up_to_the_limits_still_renders():
    env = e.sandbox(autoescape=False)
    brackets = e.MAX_NESTING  # {{ counts as none: Jinja's own delimiters
    assert env.from_string("{{ " + "(" * brackets + "1" + ")" * brackets + " }}").render() == "1"
    assert env.from_string("{{ " + " + ".join(["1"] * (e.MAX_DEPTH - 5)) + " }}").render() == str(e.MAX_DEPTH - 5)
    with pytest.raises(TemplateSyntaxError, match="te diep genest"):
        env.from_string("{{ " + "(" * (e.MAX_NESTING + 1) + "1" + ")" * (e.MAX_NESTING + 1) + " }}")


def test_the_shipped_house_styles_parse_within_half_the_nesting_limits(monkeypatch):
    """A whole DOCX is parsed as one Jinja tree ({%p if %} and {%tr for %} blocks nest in it): the shipped house
    styles stay well inside the limits, so a griffie's own style made from them has room to grow."""
    from briefgen.builders.docx import _Template
    from briefgen.templatefile import open_template
    from tests.conftest import REPO

    monkeypatch.setattr(e, "MAX_DEPTH", e.MAX_DEPTH // 2)
    monkeypatch.setattr(e, "MAX_NESTING", e.MAX_NESTING // 2)
    templates = sorted((REPO / "templates").glob("*.docx"))
    assert len(templates) >= 4
    for path in templates:
        names = _Template(open_template(path)).get_undeclared_template_variables(jinja_env=e.sandbox(autoescape=True))
        assert "onderwerp" in names, path
