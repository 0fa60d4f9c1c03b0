#!/usr/bin/env python3
"""Benchmark for ``briefgen check``'s prose checks: the libraries against the hand-made parts they replace.

    .venv/bin/python bench/prose.py [--n 2000] [--baseline REV] [--repeat 3] [--werkmap DIR] [--out bench/RESULTS.md]

Times ``briefgen -C DIR check`` (spelling and readability included) on a generated werkmap of N
letters (bench/werkmaps.py), once with the source of the ``--baseline`` revision (git archive;
by default where this branch left main, so that only this branch's changes are compared) and
once with the work tree's, each a byte-compiled snapshot on PYTHONPATH, the same .venv for both.
Then the engines alone, in this process: the spelling engine (load, a look-up per word, the
example letters' prose) and the syllable counter against textstat (when installed: it is not a
dependency; ``pip install textstat`` to reproduce that row), on speed and on the syllable table of
tests/unit/test_readability.py. Writes its own section at the end of the report, replacing an
earlier one (bench/run.py rewrites the whole file: run this one after it).
"""

from __future__ import annotations

import argparse
import compileall
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
if Path(sys.prefix).resolve() != (REPO / ".venv").resolve() and VENV_PYTHON.exists():
    os.execv(VENV_PYTHON, [str(VENV_PYTHON), *sys.argv])

sys.path.insert(0, str(BENCH))
import werkmaps  # noqa: E402

BEGIN = "<!-- bench/prose.py: begin -->"
END = "<!-- bench/prose.py: end -->"
SYLLABLE_TEST = REPO / "tests" / "unit" / "test_readability.py"


def snapshot(tmp: Path, revision: str | None) -> Path:
    """src/briefgen of ``revision`` (None: the work tree), byte-compiled, as an import root."""
    root = tmp / (revision or "worktree") / "src"
    if revision is None:
        shutil.copytree(REPO / "src" / "briefgen", root / "briefgen", ignore=shutil.ignore_patterns("__pycache__"))
    else:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "src/briefgen"],
                                 check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(root.parent, filter="data")
    compileall.compile_dir(root, quiet=1)
    return root


def timed_check(source: Path, werkmap: Path, command_args: tuple[str, ...] = ("check",)) -> tuple[float, float, str, list[str]]:
    """(wall s, CPU s of the process tree, last line of stdout, all lines of stdout and stderr sorted)."""
    env = dict(os.environ, PYTHONPATH=str(source))
    command = [str(VENV_PYTHON), "-m", "briefgen", "-C", str(werkmap), *command_args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(command)} ended with {code}:\n{stderr[-2000:]}")
    last = (stdout.strip().splitlines() or [""])[-1]
    return wall, usage.ru_utime + usage.ru_stime, last, sorted(stdout.splitlines() + stderr.splitlines())


def example_texts() -> list[str]:
    """Every onderwerp, aanhef, kop and tekst of the example letters (as tests/unit/test_spelling.py)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    texts = []
    for path in werkmaps.examples(REPO / "content"):
        data = yaml.load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        texts += [data[k] for k in ("onderwerp", "aanhef") if isinstance(data.get(k), str)]
        for section in data.get("secties") or []:
            texts += [section[k] for k in ("kop", "tekst") if isinstance(section.get(k), str)]
    return texts


def spelling_engine() -> list[tuple[str, str]]:
    """Load time, time per look-up and the example letters' prose, for the checker in this process."""
    from briefgen import prose
    from briefgen.spelling import SpellChecker, load_wordlist

    words = load_wordlist(REPO / "content" / "woordenlijst.txt")
    start = time.perf_counter()
    checker = SpellChecker(words)
    checker.check("Het woordenboek is geladen.")
    load = time.perf_counter() - start
    texts = example_texts()
    tokens = sorted({w for t in texts for w in re.findall(r"[^\W\d_]{2,}", prose.masked(t))})
    start = time.perf_counter()
    for word in tokens:
        checker._ask(word)  # the engine itself, without the cache of checker.check
    per_word = (time.perf_counter() - start) / len(tokens)
    start = time.perf_counter()
    for text in texts:
        checker.check(text)
    corpus = time.perf_counter() - start
    checker.close()
    return [
        ("spelling: load the nl_NL dictionary (and word list)", f"{load:.2f} s"),
        (f"spelling: one dictionary look-up ({len(tokens)} distinct words)", f"{per_word * 1000:.3f} ms"),
        (f"spelling: the example letters' prose ({len(texts)} texts, {sum(len(t.split()) for t in texts)} words; "
         "suggestions included, the dictionary loaded)", f"{corpus:.2f} s"),
    ]


def syllables() -> list[tuple[str, str]]:
    """The hand-made counter against textstat (Pyphen): the test table, speed, agreement."""
    from briefgen.readability import count_syllables

    table = re.findall(r'\("([^"]+)", (\d+)\),', SYLLABLE_TEST.read_text(encoding="utf-8"))
    words = re.findall(r"[^\W\d_]+", " ".join(p.read_text("utf-8") for p in werkmaps.examples(REPO / "content")))
    rows = [("syllables, hand-made: test table right", f"{sum(count_syllables(w) == int(n) for w, n in table)} of {len(table)}")]
    start = time.perf_counter()
    own = [count_syllables(w) for w in words]
    rows.append((f"syllables, hand-made: {len(words)} words", f"{(time.perf_counter() - start) * 1000:.0f} ms"))
    try:
        import textstat
    except ImportError:
        rows.append(("syllables, textstat", "not installed (pip install textstat)"))
        return rows
    textstat.set_lang("nl")
    wrong = [f"{w} {textstat.syllable_count(w)}≠{n}" for w, n in table if textstat.syllable_count(w) != int(n)]
    rows.append(("syllables, textstat: test table right", f"{len(table) - len(wrong)} of {len(table)} (wrong: {', '.join(wrong)})"))
    start = time.perf_counter()
    theirs = [textstat.syllable_count(w) for w in words]
    rows.append((f"syllables, textstat: {len(words)} words", f"{(time.perf_counter() - start) * 1000:.0f} ms"))
    distinct = {w: (a, b) for w, a, b in zip(words, own, theirs, strict=True)}
    differ = sorted(w for w, (a, b) in distinct.items() if a != b)
    fewer = sum(1 for w in differ if distinct[w][1] < distinct[w][0])
    rows.append(("syllables: distinct example words where textstat differs",
                 f"{len(differ)} of {len(distinct)}, {fewer} of them fewer (e.g. "
                 + ", ".join(f"{w} {distinct[w][1]}≠{distinct[w][0]}" for w in differ[:5]) + ")"))
    return rows


def section(args: argparse.Namespace, checks: list[tuple[str, list[tuple[float, float, str, list[str]]]]],
            engine: list[tuple[str, str]]) -> str:
    lines = [
        BEGIN,
        "## Prose checks: libraries against hand-made parts (bench/prose.py)",
        "",
        f"Measured {time.strftime('%Y-%m-%dT%H:%M:%S%z')} on commit {args.commit}, nproc {os.cpu_count()}, load average at start "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}. Reproduce: `.venv/bin/python bench/prose.py --n {args.n} "
        f"--baseline {args.baseline} --repeat {args.repeat}` (run it after bench/run.py, which rewrites this file).",
        "",
        f"| `briefgen check`, N={args.n} letters (spelling and readability included) | wall s (median) | CPU s (median) | runs | last line |",
        "| --- | --- | --- | --- | --- |",
    ]
    for label, runs in checks:
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        lines.append(f"| {label} | {statistics.median(walls):.2f} | {statistics.median(cpus):.2f} | "
                     f"{', '.join(f'{w:.2f}' for w in walls)} | {runs[-1][2]} |")
    outputs = [runs[-1][3] for _, runs in checks]
    differ = len(set(outputs[0]) ^ set(outputs[-1]))
    lines += ["", f"Output of the two: {'identical' if not differ else f'{differ} lines differ'} "
              f"({len(outputs[-1])} lines of stdout and stderr: every located problem and warning, "
              f"and each letter's readability)."]
    lines += ["", "| engine alone (in one process) | result |", "| --- | --- |"]
    lines += [f"| {what} | {value} |" for what, value in engine]
    lines += ["", END]
    return "\n".join(lines)


def write(out: Path, text: str, begin: str = BEGIN, end: str = END) -> None:
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    if begin in old and end in old:
        new = old[: old.index(begin)] + text + old[old.index(end) + len(end):]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    out.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="letters in the werkmap (default: 2000)")
    parser.add_argument("--baseline", help="git revision to compare with (default: where this branch left main)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each check, interleaved (default: 3)")
    parser.add_argument("--werkmap", type=Path, help="use (or make and keep) the werkmap in this folder")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md", help="report file (default: bench/RESULTS.md)")
    args = parser.parse_args()
    args.commit = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                                 capture_output=True, text=True).stdout.strip() or "unknown"
    if args.baseline is None:
        args.baseline = subprocess.run(["git", "-C", str(REPO), "merge-base", "HEAD", "main"],
                                       capture_output=True, text=True, check=True).stdout.strip()[:7]
    tmp = Path(tempfile.mkdtemp(prefix="briefgen-bench-prose-"))
    try:
        baseline, current = snapshot(tmp, args.baseline), snapshot(tmp, None)
        werkmap = args.werkmap or tmp / f"n{args.n}"
        if not werkmap.exists():
            werkmaps.create(werkmap, args.n)
        labels = [(f"baseline `{args.baseline}` (hunspell pipes, regex strippers)", baseline),
                  ("this work tree (pyenchant, prose.py)", current)]
        runs: dict[str, list] = {label: [] for label, _ in labels}
        for i in range(args.repeat):
            for label, source in labels:
                runs[label].append(timed_check(source, werkmap))
                print(f"{label}: run {i + 1}: {runs[label][-1][0]:.2f} s", flush=True)
        sys.path.insert(0, str(current))
        engine = spelling_engine() + syllables()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text = section(args, list(runs.items()), engine)
    write(args.out, text)
    print(text)


if __name__ == "__main__":
    main()
