"""Session.prepare: the organisations' house styles checked before the render processes are forked, a head start
only: a template whose check fails unexpectedly is left to the letters in that style."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefgen.session import Session
from briefgen.settings import load_settings
from briefgen.templatecheck import lint
from briefgen.werkmap import Werkmap
from tests.conftest import REPO, copy_organisations
from tests.unit.test_render_cache import _replace_in_member


def _session(root: Path) -> Session:
    shutil.copytree(REPO / "templates", root / "templates")
    copy_organisations(root)
    return Session(Werkmap(root), load_settings(root))


def test_the_house_styles_are_those_the_organisations_name_and_prepare_checks_them(tmp_path: Path) -> None:
    session = _session(tmp_path)
    styles = ["hilversum-rib-2021.docx", "huizen.docx", "rzou-informatienota.docx"]
    assert sorted(path.name for path in session.house_styles()) == styles
    session.prepare()
    assert sorted(path.name for path in session._template_problems) == styles  # the 2016 style, chosen by letters: not
    template = tmp_path / "templates" / "huizen.docx"
    assert session.template_problems(template) == lint(template, "templates/huizen.docx")


def test_a_house_style_with_a_tag_nested_too_deeply_is_remembered_with_that_problem(tmp_path: Path) -> None:
    """Once a RecursionError of the template check; now a problem the check reports, located at the paragraph."""
    session = _session(tmp_path)
    deep = "(" * 3000 + "1" + ")" * 3000
    _replace_in_member(tmp_path / "templates" / "huizen.docx", "word/footer1.xml", ">-<", ">{{ " + deep + " }}<")
    session.prepare()
    problems = session._template_problems[tmp_path / "templates" / "huizen.docx"]
    assert any(p.message.startswith("word/footer1.xml, alinea 1: Jinja-fout in '{{ ((") and "te diep genest" in p.message
               for p in problems), [p.message for p in problems]


def test_a_house_style_whose_check_fails_unexpectedly_is_left_to_its_letters(tmp_path: Path, monkeypatch) -> None:
    """A template check that raises: preparing goes on with the other house styles and remembers nothing for this
    one, whose letters then meet the failure."""
    from briefgen import session as session_module

    def failing(path: Path, shown: str) -> list:
        if path.name == "huizen.docx":
            raise RuntimeError("unexpected")
        return lint(path, shown)

    monkeypatch.setattr(session_module, "lint", failing)
    session = _session(tmp_path)
    session.prepare()
    assert sorted(path.name for path in session._template_problems) == ["hilversum-rib-2021.docx", "rzou-informatienota.docx"]


def test_a_missing_house_style_is_looked_up_once_per_session(tmp_path: Path) -> None:
    """style_problems is asked for each letter of a build: a session answers from what it found the first time (a
    template added meanwhile counts from the next run on, as the session's other findings do)."""
    session = _session(tmp_path)
    template = tmp_path / "templates" / "huizen.docx"
    hidden = template.rename(tmp_path / "huizen.docx")
    shown, kinds = "content/organisaties/huizen.yaml", frozenset({"raadsinformatiebrief"})
    missing = session.style_problems(shown, kinds)
    assert [p.message.split(" (")[0] for p in missing] == ["huisstijl 'huizen' heeft geen template"]
    hidden.rename(template)
    assert session.style_problems(shown, kinds) == missing
    assert Session(session.werkmap, session.settings).style_problems(shown, kinds) == []
