"""Shared pieces of the fuzz and hazard tests (docs/gevaren.md).

* ``fuzz(ci=…, lang=…)``: Hypothesis settings with a fixed seed. The default (CI) profile runs few
  examples so that all of tests/fuzz stays under a minute; ``BRIEFGEN_FUZZ=lang`` runs the long
  profile for local bug hunting.
* ``new_werkmap``: a werkmap in a temp folder with the repository's templates and organisations.
* ``assert_outcome``: the one property every input must satisfy: a valid build, or located Dutch
  problems (and exit code 1) — never an exception — and every DOCX written opens and is XML 1.0.
"""

from __future__ import annotations

import inspect
import itertools
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pikepdf
from hypothesis import HealthCheck, Phase, settings
from lxml import etree

from briefgen import pipeline
from briefgen.problems import Problem
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap
from tests.conftest import copy_organisations

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.relative_to(REPO / "content").as_posix() for p in (REPO / "content").rglob("*.yaml")
                  if p.relative_to(REPO / "content").parts[0] != "organisaties")
EXAMPLE_2021 = "hilversum/2021/inkoop-wmo-jeugd.yaml"
STYLE_2021 = ("hilversum-rib-2021",)  # the house style of EXAMPLE_2021 and of the small test letters

# --- Hypothesis profiles -------------------------------------------------------------------------

LONG = os.environ.get("BRIEFGEN_FUZZ", "").strip().lower() == "lang"

settings.register_profile(
    "briefgen-ci",
    derandomize=True,  # fixed seed: the same examples on every run and every machine
    database=None,
    deadline=None,  # building a DOCX takes 0.1–0.7 s; time limits are asserted where they matter
    print_blob=True,
    max_examples=10,
    # CI: no shrinking and no "explain" phase — with a DOCX build per run they take minutes; a
    # failure is reported as generated (with @reproduce_failure). The long profile does shrink.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    # each example makes its own werkmap below tmp_path, so the function-scoped fixture is fine
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile("briefgen-lang", parent=settings.get_profile("briefgen-ci"), max_examples=300,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink])
PROFILE = "briefgen-lang" if LONG else "briefgen-ci"


def fuzz(ci: int, lang: int) -> settings:
    """Settings for one fuzz test: ``ci`` examples by default, ``lang`` under BRIEFGEN_FUZZ=lang,
    or exactly BRIEFGEN_FUZZ_VOORBEELDEN (either profile)."""
    count = int(os.environ.get("BRIEFGEN_FUZZ_VOORBEELDEN") or 0) or (lang if LONG else ci)
    return settings(settings.get_profile(PROFILE), derandomize=True, max_examples=count)


# --- Werkmaps -------------------------------------------------------------------------------------

_counter = itertools.count()


def fresh_dir(parent: Path, name: str = "w") -> Path:
    """A new empty folder below ``parent`` (one per Hypothesis example)."""
    folder = parent / f"{name}{next(_counter)}"
    folder.mkdir(parents=True)
    return folder


def new_werkmap(root: Path, letters: dict[str, bytes | str] | None = None, templates: tuple[str, ...] | None = None) -> Werkmap:
    """``root`` with templates/ and content/organisaties/ from the repository (and the other files of
    content/ that are no letters: bijlagen, woordenlijst), plus ``letters`` (paths relative to
    content/; str is written as UTF-8). ``templates`` limits the copied house styles (names without
    .docx): ``check`` lints every template in the folder, a few tenths of a second each."""
    if templates is None:
        shutil.copytree(REPO / "templates", root / "templates")
    else:
        for name in templates:
            write(root / "templates" / f"{name}.docx", (REPO / "templates" / f"{name}.docx").read_bytes())
    copy_organisations(root)
    for path in (REPO / "content").rglob("*"):
        if path.is_file() and path.suffix != ".yaml" and "organisaties" not in path.relative_to(REPO).parts:
            write(root / path.relative_to(REPO), path.read_bytes())
    for rel, data in (letters or {}).items():
        write(root / "content" / rel, data)
    return Werkmap(root)


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def example(rel: str = EXAMPLE_2021) -> str:
    return (REPO / "content" / rel).read_text(encoding="utf-8")


def check(werkmap: Werkmap, settings: Settings | None = None, selection: list[Path] | None = None,
          proofread: bool = False):
    """``briefgen check`` in-process (``pipeline.check``, or ``briefgen.checking.check`` where it moved).

    Spelling (hunspell; seconds per call, warnings only) is off unless asked for: the fuzz tests
    run check hundreds of times. test_text_hazards runs it on hostile text separately.
    """
    try:
        from briefgen.pipeline import check as run
    except ImportError:
        from briefgen.checking import check as run
    options = {"proofread": proofread} if "proofread" in inspect.signature(run).parameters else {}
    return run(werkmap, settings or Settings(jobs=1), selection, **options)


def outputs(werkmap: Werkmap, suffix: str) -> dict[str, Path]:
    """Visible outputs under build/ (not the hidden work folders), by path relative to build/."""
    if not werkmap.build.is_dir():
        return {}
    found = {}
    for path in werkmap.build.rglob(f"*.{suffix}"):
        rel = path.relative_to(werkmap.build)
        if not any(part.startswith(".") for part in rel.parts):
            found[rel.as_posix()] = path
    return dict(sorted(found.items()))


def snapshot(folder: Path, skip: tuple[str, ...] = (".briefgen-lo", ".briefgen.lock")) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes (for byte-identical comparisons)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and not rel.startswith(skip):
            files[rel] = path.read_bytes()
    return files


def leftovers(build: Path) -> list[str]:
    """Half-written or scratch files a build must not leave behind."""
    found = []
    for dirpath, dirnames, filenames in os.walk(build):
        rel = Path(dirpath).relative_to(build)
        for name in filenames:
            if name.endswith(".tmp"):
                found.append((rel / name).as_posix())
        for name in dirnames:
            if name == ".briefgen-tmp" or (rel.as_posix() == ".briefgen-lo" and name.startswith("batch-")):
                found.append((rel / name).as_posix() + "/")
    return sorted(found)


# --- Checking outputs -----------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CHAR_REF = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);")


def xml_allowed(code: int) -> bool:
    """XML 1.0 Char production."""
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)


_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml|docProps/(core|app|custom)\.xml")


def assert_docx_ok(path: Path) -> None:
    """Opens with python-docx; no part with letter text (word/document.xml, headers, footers, the
    document properties) holds a character XML 1.0 forbids, raw or as &#…;, and each is well-formed."""
    document = docx.Document(str(path))
    assert document.paragraphs is not None
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        assert "word/document.xml" in names
        for name in names:
            if not _TEXT_PARTS.fullmatch(name):
                continue
            text = package.read(name).decode("utf-8")
            bad = _XML_FORBIDDEN.search(text)
            assert bad is None, f"{path.name}:{name} bevat U+{ord(bad.group()):04X}"
            for ref in _CHAR_REF.findall(text):
                code = int(ref[1:], 16) if ref.startswith("x") else int(ref)
                assert xml_allowed(code), f"{path.name}:{name} bevat &#{ref};"
            etree.fromstring(package.read(name))  # well-formed


def docx_texts(path: Path) -> list[str]:
    """The text of every paragraph in body, tables, headers and footers, as Word shows it."""
    texts = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                root = etree.fromstring(package.read(name))
                for paragraph in root.iter(f"{W}p"):
                    texts.append("".join(t.text or "" for t in paragraph.iter(f"{W}t")))
    return texts


def assert_pdf_ok(path: Path) -> None:
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) >= 1
    assert b"%%EOF" in path.read_bytes()[-64:]


# --- Dutch messages ---------------------------------------------------------------------------------

# English words that show a library message leaked through untranslated (checked outside quotes).
_ENGLISH = re.compile(
    r"\b(should|input|valid|expected|found|while|unacceptable|allowed|unexpected|undefined|got|"
    r"required|unable|parse|the|but|could|cannot|must|keys|number|string|integer|object|type|"
    r"error|invalid|missing|end of|finite|only|concatenate|takes|arguments?|operand|unsupported|"
    r"positional|division|than|not|has no|element|tag|encountered|unknown|looking for)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|‘[^’\n]*’")

# Known leaks of English, each shown by a strict-xfail case of test_file_hazards.test_message_is_dutch;
# the fuzz tests tolerate these (and only these), so that a new kind of leak still fails them. All
# leaks found so far (ruamel's "expected … but found", pydantic's "Keys should be strings", Jinja's
# "Missing end of comment tag", Python's "can only concatenate str") have been translated: empty.
# A pattern looks like: re.compile(r"^ongeldige YAML: (?!(een|hier|verwacht|de|het) )").
KNOWN_ENGLISH: tuple[re.Pattern[str], ...] = ()


# pydantic's names for union members and types, which mean nothing to a letter writer.
_INTERNAL = re.compile(r"'(constrained-[a-z]+|int|float|str|decimal|bool|none|date|[a-z-]+\[[^']*\])'")


def english_in(message: str) -> list[str]:
    return _ENGLISH.findall(_QUOTED.sub("''", message)) + _INTERNAL.findall(message)


def assert_dutch(problem: Problem, tolerate_known: bool = True) -> None:
    if tolerate_known and any(p.search(problem.message) for p in KNOWN_ENGLISH):
        return
    leaked = english_in(problem.message)
    assert not leaked, f"Engels in melding {problem.format()!r}: {leaked}"


# --- The outcome property -------------------------------------------------------------------------


def assert_located(problem: Problem, werkmap: Werkmap) -> None:
    """path:line:col inside the file that was read, line ≥ 1, and a Dutch message."""
    assert problem.path and problem.message.strip(), problem
    assert "Traceback" not in problem.message
    source = werkmap.root / problem.path
    assert source.is_file(), f"melding wijst naar een bestand dat niet bestaat: {problem.format()}"
    assert problem.line >= 1 and problem.col >= 1, f"melding zonder regel/kolom: {problem.format()}"
    raw = source.read_bytes()
    text = raw.decode("utf-8", "replace")
    assert problem.line <= text.count("\n") + 2, f"regel ligt buiten het bestand: {problem.format()}"
    assert_dutch(problem)


def assert_outcome(werkmap: Werkmap, report: pipeline.BuildReport, *, fresh: bool = True) -> None:
    """A valid build, or located Dutch problems; every DOCX in build/ valid.

    ``fresh``: build/ was empty before, so a letter with problems must have no output at all.
    """
    for problem in report.problems:
        assert_located(problem, werkmap)
    docs = outputs(werkmap, "docx")
    for result in report.letters:
        target = werkmap.output(result.path, "docx").relative_to(werkmap.build).as_posix()
        if result.failed:
            assert result.problems
            if fresh:
                assert target not in docs, f"{result.shown} heeft fouten maar toch uitvoer"
        else:
            assert result.built == ("docx",) or result.current, result
            assert target in docs
    for path in docs.values():
        assert_docx_ok(path)
    assert report.ok == (not any(p.is_error for p in report.problems))


def run_cli(args: list[str]):
    """briefgen in-process through Typer's CliRunner; asserts it never ends in a traceback."""
    from typer.testing import CliRunner

    from briefgen.cli import app

    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"briefgen {' '.join(args)} eindigde met een exceptie: {result.exception!r}\n{result.output}"
    )
    assert "Traceback" not in result.output
    return result


def parse_problem_lines(stderr: str) -> list[str]:
    """The ``path:line:col: melding`` lines of briefgen's stderr."""
    return [line for line in stderr.splitlines() if re.match(r"^\S.*?:\d+:\d+: ", line)]




# --- Processes we start ---------------------------------------------------------------------------


def pids_mentioning(text: str) -> list[int]:
    """Processes whose command line mentions ``text`` (a unique temp path of one test)."""
    found = []
    needle = text.encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if needle in cmdline:
            found.append(int(entry))
    return found


def kill_pids(pids: list[int]) -> None:
    import signal

    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def can_mount_tmpfs(probe: Path) -> str | None:
    """None when ``mount -t tmpfs`` works here, else why not."""
    probe.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
                              capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"mount niet beschikbaar: {exc}"
    if done.returncode != 0:
        return f"mount -t tmpfs niet toegestaan: {done.stderr.strip() or done.returncode}"
    subprocess.run(["umount", str(probe)], check=False)
    return None
