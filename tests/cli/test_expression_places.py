"""Task s27d: a failing expression is reported at its own line and column, each one on its own."""

from __future__ import annotations

from tests.cli.helpers import invoke
from tests.cli.test_all_problems import _errors
from tests.conftest import HEAD, write

TEXTS = """\
secties:
  - kop: Letterlijk
    tekst: |
      Eerste regel.

      Hier {{ 1 / 0 }} en {{ datum.foo }} en
      daar {{ 2 // 0 }} ook.
  - kop: Gevouwen
    tekst: >
      Eerste regel
      met meer.

      Hier {{ 1 / 0 }} en {{ datum.foo }} en
      daar {{ 2 // 0 }} ook.
  - kop: Tussen aanhalingstekens
    tekst: "Hier {{ 1 / 0 }} en {{ datum.foo }} en daar {{ 2 // 0 }} ook."
  - kop: Met een opdracht
    tekst: |
      {% if true %}Hier {{ 1 / 0 }} en {{ datum.foo }}{% endif %}
      daar {{ 2 // 0 }} ook.
  - kop: Twee dezelfde op een regel
    tekst: |
      A {{ 1 / 0 }} en {{ 1 / 0 }}
  - kop: Twee dezelfde, gevouwen
    tekst: >
      A {{ 1 / 0 }} en {{ 1 / 0 }}
  - kop: Twee dezelfde, met een opdracht
    tekst: "{% if true %}A {{ 1 / 0 }} en {{ 1 / 0 }}{% endif %}"
"""


def test_each_runtime_failure_is_at_its_own_expression(werkmap):
    write(werkmap, "content/x/brief.yaml", HEAD + TEXTS)
    check = invoke(werkmap, "check", "--geen-spelling")
    assert check.exit_code == 1
    zero, foo = "expressie mislukt: delen door nul", "onbekende naam 'foo' in expressie"
    assert _errors(check) == [
        f"content/x/brief.yaml:{place}: {message}" for place, message in [
            ("10:12", zero), ("10:36", foo), ("11:12", zero),  # not at the start of the line
            ("17:12", zero), ("17:36", foo), ("18:12", zero),  # folded: two on one line of text are two problems
            ("20:18", zero), ("20:42", foo), ("20:57", zero),
            ("23:25", zero), ("23:49", foo), ("24:12", zero),
            ("27:9", zero), ("27:24", zero), ("30:9", zero), ("30:24", zero),  # the same twice: each at its own
            ("32:28", zero), ("32:43", zero),
        ]]
