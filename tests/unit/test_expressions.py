"""The sandboxed Jinja environment: the Dutch filters in it, what it refuses."""

from __future__ import annotations

import datetime as dt

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from briefgen import expressions as e
from briefgen import formatting as f
from tests.unit.test_formatting import CONTACTS, PHONE_1


@pytest.mark.parametrize(
    ("template", "context", "expected"),
    [
        ("{{ d | datum }}", {"d": dt.date(2021, 5, 18)}, "18 mei 2021"),
        ("{{ n | bedrag }}", {"n": 19050000}, "€ 19.050.000"),
        ("{{ n | bedrag(centen=True) }}", {"n": 38}, "€ 38,00"),
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
