"""Generated and mutated letters: a valid build or located Dutch problems — never a traceback.

Every case gets its own werkmap (templates/ and content/organisaties/ from the repository) and runs
``pipeline.check`` and ``pipeline.build(formats=("docx",))`` in-process, or — for about one case in
six — ``briefgen check`` and ``briefgen build --formaat docx`` through Typer's CliRunner.
"""

from __future__ import annotations

from hypothesis import given, note
from hypothesis import strategies as st

from briefgen import pipeline
from briefgen.settings import Settings
from tests.fuzz.helpers import (
    assert_docx_ok,
    assert_located,
    assert_outcome,
    assert_pdf_ok,
    check,
    fresh_dir,
    fuzz,
    new_werkmap,
    outputs,
    parse_problem_lines,
    run_cli,
)
from tests.fuzz.strategies import (
    CONTENT_HAZARDS,
    FORBIDDEN,
    FRAGMENTS,
    JINJA,
    VALUE_HAZARDS,
    dump_yaml,
    mutated_examples,
    plain_text,
    text_hazard_letters,
    tree_letters,
)

SETTINGS = Settings(jobs=1)


def _run(tmp_path, rel: str, raw: bytes, via_cli: bool) -> None:
    root = fresh_dir(tmp_path)
    werkmap = new_werkmap(root / "werkmap", {rel: raw})
    checked = check(werkmap, SETTINGS)
    if via_cli:
        checking = run_cli(["-C", str(werkmap.root), "check", "--geen-spelling"])
        build = run_cli(["-C", str(werkmap.root), "build", "--formaat", "docx"])
        expected = 1 if any(p.is_error for p in checked.problems) else 0
        assert (checking.exit_code, build.exit_code) == (expected, expected), (checking.output, build.output)
        for problem in checked.problems:
            assert_located(problem, werkmap)
            first = problem.format().split("\n")[0]
            assert first in checking.stderr
        assert len(parse_problem_lines(build.stderr)) >= len(_errors(checked)) > 0 or expected == 0
        docs = outputs(werkmap, "docx")
        assert bool(docs) == (expected == 0)
        for path in docs.values():
            assert_docx_ok(path)
        return
    report = pipeline.build(werkmap, SETTINGS, formats=("docx",))
    assert_outcome(werkmap, report)
    for problem in checked.problems:
        assert_located(problem, werkmap)
    # check and build agree on what is wrong with the letter (check adds spelling warnings)
    assert _errors(checked) == _errors(report)


def _errors(report) -> list:
    return sorted(p for p in report.problems if p.is_error)


@fuzz(ci=12, lang=1500)
@given(letter=st.one_of(text_hazard_letters(), tree_letters()), cli=st.integers(0, 5))
def test_generated_content_builds_or_gives_located_problems(tmp_path, letter, cli):
    text = dump_yaml(letter)
    note(text)
    _run(tmp_path, "fuzz/brief.yaml", text.encode("utf-8"), via_cli=cli == 0)


@fuzz(ci=14, lang=1500)
@given(case=mutated_examples(), cli=st.integers(0, 5))
def test_mutated_examples_build_or_give_located_problems(tmp_path, case, cli):
    rel, applied, raw = case
    note(f"{rel}: {applied}")
    _run(tmp_path, rel, raw, via_cli=cli == 0)


@fuzz(ci=8, lang=600)
@given(case=mutated_examples(kinds=list(VALUE_HAZARDS) + ["hazard"]), cli=st.integers(0, 5))
def test_content_hazards_in_examples_build_or_give_located_problems(tmp_path, case, cli):
    """Deep nesting, huge integers, YAML tags, numbers as text, entities and link schemes (issue 13)."""
    rel, applied, raw = case
    note(f"{rel}: {applied}")
    _run(tmp_path, rel, raw, via_cli=cli == 0)


# --- A few cases all the way to PDF -------------------------------------------------------------

# Text that keeps a letter valid: no expressions and no forbidden characters (they are errors).
_pdf_text = st.lists(st.one_of(st.sampled_from([f for f in FRAGMENTS if f not in JINJA + FORBIDDEN + CONTENT_HAZARDS]),
                               plain_text),
                     min_size=1, max_size=8).map("".join).filter(lambda s: "{" not in s and s.strip())


@fuzz(ci=1, lang=10)
@given(letters=st.lists(text_hazard_letters(text=_pdf_text), min_size=3, max_size=3))
def test_sample_of_generated_letters_converts_to_pdf(tmp_path, warm, letters):
    """Three generated letters (one LibreOffice call in the CI profile) become DOCX and PDF/A."""
    root = fresh_dir(tmp_path)
    # each its own nummer: one nummer for several letters is an error build refuses (crossing.py)
    letters = [{**letter, "nummer": f"2021/{45 + i}"} if letter.get("nummer") == "2021/45" else letter
               for i, letter in enumerate(letters)]
    werkmap = new_werkmap(root / "werkmap", {f"pdf/brief{i}.yaml": dump_yaml(letter) for i, letter in enumerate(letters)})
    warm(werkmap, 1)
    report = pipeline.build(werkmap, SETTINGS, formats=("docx", "pdf"))
    assert report.pdf_unavailable is None
    for problem in report.problems:
        assert_located(problem, werkmap)
    pdfs = outputs(werkmap, "pdf")
    for result in report.letters:
        stem = werkmap.output(result.path, "pdf").relative_to(werkmap.build).as_posix()
        if result.failed:
            assert stem not in pdfs
        else:
            assert sorted(result.built) == ["docx", "pdf", "woo"]  # the Woo metadata goes with the PDF
            assert_docx_ok(werkmap.output(result.path, "docx"))
            assert_pdf_ok(pdfs[stem])
    assert pdfs, "geen enkele brief uit de steekproef werd een PDF"
