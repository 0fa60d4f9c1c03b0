#!/usr/bin/env python3
"""Which functions a given function spends its time in (py-spy raw profile): the frames directly below it.

    python bench/spybelow.py prof.txt FUNCTION_SUBSTRING [--rate 200] [--per N]
"""
import argparse
import collections

from spyreport import frames

parser = argparse.ArgumentParser()
parser.add_argument("raw")
parser.add_argument("function")
parser.add_argument("--rate", type=float, default=100)
parser.add_argument("--per", type=float, default=1)
args = parser.parse_args()
below: collections.Counter[str] = collections.Counter()
total = 0
for line in open(args.raw, encoding="utf-8"):
    stack, _, count = line.rstrip("\n").rpartition(" ")
    names = frames(stack)
    hits = [i for i, name in enumerate(names) if args.function in name]
    if not hits:
        continue
    i = hits[0]
    total += int(count)
    below[names[i + 1] if i + 1 < len(names) else "(self)"] += int(count)
ms = 1000 / args.rate / args.per
print(f"{args.function}: {total * ms:.1f} ms")
for name, n in below.most_common(15):
    print(f"  {n * ms:7.1f}  {name}")
