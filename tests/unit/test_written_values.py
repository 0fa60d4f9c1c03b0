"""crossing.written_values: a letter's top-level numbers and ``geimporteerd_uit`` read from its text as YAML reads
them, without the YAML parser for plain text (a build of current letters does not load it)."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from briefgen.crossing import written_values

_YAML = YAML(typ="safe", pure=True)


def as_yaml_reads(text: str) -> str:
    try:
        value = _YAML.load(text)
    except Exception:  # noqa: BLE001 -- any error: written_values keeps the text, as for a value it cannot read
        return text.strip()
    return "" if value is None else str(value).strip()


_CHARS = st.sampled_from(list("aZé_ \t.,;'\"!&*|>%@`?-[]{}\\/()=<~+09xynN#:") + ["\u00a0", "\u2028", "\x85"])


@settings(max_examples=1000, deadline=None)
@given(st.sampled_from(["a", "Z", "é", "y", "n", "T", "F"]), st.text(_CHARS, max_size=14))
def test_a_written_value_from_a_letter_on_is_what_yaml_reads(first, rest):
    """Such a value is read without the parser when it is plain text; what YAML reads otherwise (a comment,
    ``true``, a mapping) is left to it."""
    value = (first + rest).strip(" \t")
    found = written_values(f"geimporteerd_uit: {value}\n").get("geimporteerd_uit")
    assert found is None or found == as_yaml_reads(value)


def test_import_file_names_and_kenmerken_with_spaces_are_read_without_the_yaml_parser():
    code = ("import sys; from briefgen.crossing import written_values; "
            "found = written_values('kenmerk: Z 2022 123\\ngeimporteerd_uit: RIB nr. 14 Oud (def).docx\\n'); "
            "assert found == {'kenmerk': 'Z 2022 123', 'geimporteerd_uit': 'RIB nr. 14 Oud (def).docx'}, found; "
            "assert 'ruamel' not in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
