#!/usr/bin/env python3
"""Summarise a py-spy ``--format raw`` profile: inclusive time per function, as a share and in ms.

    py-spy record -r 200 -f raw -o prof.txt -- .venv/bin/python -m briefgen -C DIR build …
    python bench/spyreport.py prof.txt --rate 200 [--per 100] [--match briefgen docx] [--top 40]

``--per N`` divides times by N (e.g. letters) to give ms per letter. Each stack counts once per
function however often that function is on it (recursion is not double counted).
"""

from __future__ import annotations

import argparse
import collections
import re

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def frames(stack: str) -> list[str]:
    out = []
    for frame in stack.split(";"):
        m = FRAME.match(frame.strip())
        if not m:
            out.append(frame.strip())
            continue
        path = m["file"]
        for marker in ("site-packages/", "/src/", "python3.11/"):
            if marker in path:
                path = path.split(marker, 1)[1]
        out.append(f"{m['func']} ({path})")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("raw")
    parser.add_argument("--rate", type=float, default=100, help="py-spy sampling rate used (-r)")
    parser.add_argument("--per", type=float, default=1, help="divide times by this (e.g. number of letters)")
    parser.add_argument("--match", nargs="*", default=[], help="only functions whose name/path contains one of these")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in open(args.raw, encoding="utf-8"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack:
            continue
        n = int(count)
        total += n
        names = frames(stack)
        for name in set(names):
            inclusive[name] += n
        own[names[-1]] += n
    ms = 1000 / args.rate / args.per
    print(f"{total} samples = {total / args.rate:.1f} s; times in ms{' per ' + format(args.per, 'g') if args.per != 1 else ''}")
    print(f"{'incl ms':>9} {'incl %':>6} {'self ms':>8}  function")
    shown = 0
    for name, n in inclusive.most_common():
        if args.match and not any(m in name for m in args.match):
            continue
        print(f"{n * ms:9.1f} {100 * n / total:6.1f} {own[name] * ms:8.1f}  {name}")
        shown += 1
        if shown >= args.top:
            break


if __name__ == "__main__":
    main()
