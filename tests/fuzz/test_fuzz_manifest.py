"""Fuzz the untrusted files of a werkmap: random and mutated manifests in build/, random and mutated
settings files. Property: no traceback, and nothing outside build/ is written or deleted (canary files
outside the werkmap, and the werkmap's own inputs, stay byte for byte)."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import SMALL_LETTER
from tests.fuzz.helpers import (
    STYLE_2021,
    english_in,
    fresh_dir,
    fuzz,
    new_werkmap,
    run_cli,
    snapshot,
)
from tests.fuzz.strategies import hostile_text

LETTERS = {"klein/brief.yaml": SMALL_LETTER.format(n=1), "klein/tweede.yaml": SMALL_LETTER.format(n=2)}
CANARY = b"kanarie\n"
# Paths a hostile manifest may name: outside via .., absolute, through symlinks under build/, odd forms.
KEYS = [
    "content/klein/brief.yaml", "content/klein/tweede.yaml", "content/weg.yaml", "content/link/x.yaml",
    "content/../../buiten/x.yaml", "content/../x.yaml", "content/./klein/brief.yaml", "content//x.yaml",
    "content/klein/brief.yml", "content\\..\\..\\buiten\\x.yaml", "/buiten/x.yaml", "content/x.yaml\0",
    "", ".", "content", "../buiten/x.yaml", "templates/../content/x.yaml",
]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A werkmap built as DOCX, with a canary folder beside it and a symlink from build/ into it."""
    root = tmp_path_factory.mktemp("manifest-fuzz")
    werkmap = new_werkmap(root / "werkmap", LETTERS, templates=STYLE_2021)
    assert run_cli(["-C", str(werkmap.root), "build", "--formaat", "docx"]).exit_code == 0
    return root


def _copy(base, tmp_path):
    """A private copy of the base: (werkmap root, the folder that holds it and the canaries)."""
    folder = fresh_dir(tmp_path, "m")
    shutil.copytree(base / "werkmap", folder / "werkmap", symlinks=True)
    for name in ("x.docx", "x.pdf", "x.yaml", ".x.tmp"):
        (folder / "buiten").mkdir(exist_ok=True)
        (folder / "buiten" / name).write_bytes(CANARY)
        (folder / name).write_bytes(CANARY)
    (folder / "werkmap" / "build" / "link").symlink_to(folder / "buiten", target_is_directory=True)
    return folder / "werkmap", folder


def _outside_build(folder):
    """Everything below ``folder`` except build/ (canaries, content, templates)."""
    return {rel: data for rel, data in snapshot(folder).items() if not rel.startswith("werkmap/build/")}


def _key(folder):
    return st.one_of(st.sampled_from(KEYS), st.sampled_from(KEYS).map(lambda k: str(folder / k.lstrip("/"))),
                     hostile_text)


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile_text,
                     st.just("0" * 64))


def _json(keys):
    return st.recursive(_scalars, lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.one_of(keys, st.sampled_from(["invoer", "uitvoer", "docx", "pdf"])),
                                                         children, max_size=4)), max_leaves=12)


def _entries(keys):
    """Manifest entries in the right shape, with hostile paths and types inside."""
    entry = st.fixed_dictionaries({
        "invoer": st.dictionaries(keys, st.one_of(st.none(), st.just("0" * 64), _scalars), max_size=3),
        "uitvoer": st.dictionaries(st.sampled_from(["docx", "pdf", "pdf+bijlagen", "x"]), st.one_of(st.just("0" * 64), _scalars),
                                   max_size=3),
    })
    return st.dictionaries(keys, st.one_of(entry, _json(keys)), max_size=5)


@st.composite
def manifests(draw, folder):
    keys = _key(folder)
    kind = draw(st.sampled_from(["entries", "json", "text"]))
    if kind == "text":
        return draw(st.one_of(hostile_text, st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
    brieven = draw(_entries(keys)) if kind == "entries" else draw(_json(keys))
    versie = draw(st.sampled_from([1, 1, 1, 2, "1", None]))
    kept = {"bestanden": draw(_kept_hashes(keys))} if draw(st.booleans()) else {}
    return json.dumps({"versie": versie, "brieven": brieven, **kept}, ensure_ascii=draw(st.booleans()))


def _kept_hashes(keys):
    """The manifest's hashes kept with what stat said: [size, mtime, ctime, inode, device, hash], or junk."""
    numbers = st.one_of(st.integers(min_value=-1, max_value=2**64), st.booleans())
    stat = st.lists(numbers, min_size=5, max_size=5).flatmap(
        lambda five: st.sampled_from(["0" * 64, "f" * 64, "x"]).map(lambda h: [*five, h]))
    return st.one_of(st.dictionaries(keys, st.one_of(stat, _json(keys)), max_size=4), _json(keys))


@fuzz(ci=12, lang=400)
@given(data=st.data())
def test_fuzzed_manifest_never_escapes_build(base, tmp_path, data):
    root, folder = _copy(base, tmp_path)
    (root / "build" / ".briefgen-manifest.json").write_text(data.draw(manifests(folder)), encoding="utf-8", errors="surrogatepass")
    if data.draw(st.booleans()):
        (root / "content" / "klein" / "tweede.yaml").unlink()  # an orphan: its outputs are removed, in build/ only
    before = _outside_build(folder)
    result = run_cli(["-C", str(root), "build", "--formaat", "docx", *data.draw(st.sampled_from([[], ["--opnieuw"]]))])
    assert result.exit_code in (0, 1), result.output
    after = _outside_build(folder)
    assert after == before, sorted(set(before) ^ set(after)) or [k for k in before if before[k] != after.get(k)]
    for line in result.stderr.splitlines():
        assert not english_in(line.split(": ", 1)[-1]), line
    again = run_cli(["-C", str(root), "build", "--formaat", "docx"])
    assert again.exit_code in (0, 1) and "waarschuwing" not in again.stderr  # the manifest is sound again


# --- Settings files -----------------------------------------------------------------------------------------

SETTINGS = ['taken = 2\n', 'pdf_timeout = 30\n', 'soffice = "/usr/bin/soffice"\n', "[tool.briefgen]\n", "[tool]\n",
            'soffice = \'C:\\x\'\n', "taken = [1, 2]\n", "taken = 1e400\n", "pdf_timeout = inf\n", "taken = 0x10\n",
            "taken = 99999999999999999999999\n", "[[tool.briefgen]]\n", "tool.briefgen.taken = 3\n", "briefgen = 4\n",
            "taken = { a = 1 }\n", "datum = 2021-02-30\n", '"taken" = 2\n', "taken=2 # uitleg\n", "= 3\n", "[\n", '"\n',
            "'''\n", '"""\n', "\\\n", "\ufeff", "\x00", "\r\n", "soffice = \"\\u0000\"\n", "taken = true\n"]


@st.composite
def settings_files(draw):
    parts = draw(st.lists(st.one_of(st.sampled_from(SETTINGS), hostile_text), max_size=8))
    return draw(st.sampled_from(["briefgen.toml", "pyproject.toml"])), "".join(parts)


LOCATED = re.compile(r"^(briefgen|pyproject)\.toml(:\d+:\d+)?: \S")


@fuzz(ci=12, lang=400)
@given(settings=settings_files(), encode_latin=st.booleans())
def test_fuzzed_settings_give_located_dutch_problems(base, tmp_path, settings, encode_latin):
    root, folder = _copy(base, tmp_path)
    name, text = settings
    data = text.encode("latin-1", "replace") if encode_latin else text.encode("utf-8", "surrogatepass")
    (root / name).write_bytes(data)
    before = _outside_build(folder)
    result = run_cli(["-C", str(root), "build", "--formaat", "docx"])
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1 and not result.stdout:  # the settings were refused
        assert result.stderr, result.output
        for line in result.stderr.splitlines():
            assert LOCATED.match(line), line
            assert not english_in(line.split(": ", 1)[1]), line
    assert _outside_build(folder) == before
