#!/usr/bin/env bash
# Profile a DOCX-only build and a no-op rebuild with py-spy; prints where the time goes.
#
#   bench/profile.sh [N]          (default N=300; needs py-spy: .venv/bin/pip install py-spy)
#
# The DOCX-only build runs with --jobs 1, so the whole read → render path is in one process and
# the per-letter times add up; the no-op rebuild runs as users run it. Raw profiles and the
# generated werkmap are left in the printed folder.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-300}
PY=.venv/bin/python
SPY=.venv/bin/py-spy
OUT=$(mktemp -d /tmp/briefgen-profile-XXXXXX)
echo "profiles in $OUT"

$PY - "$OUT/w" "$N" <<'EOF'
import sys
from pathlib import Path
sys.path.insert(0, "bench")
import werkmaps
werkmaps.create(Path(sys.argv[1]), int(sys.argv[2]))
EOF

echo "== DOCX-only build of $N letters, one process (ms per letter)"
$SPY record -r 200 -f raw -o "$OUT/docx.txt" -- $PY -m briefgen -C "$OUT/w" build --formaat docx --jobs 1 >/dev/null 2>"$OUT/spy-docx.log"
$PY bench/spyreport.py "$OUT/docx.txt" --rate 200 --per "$N" --top 45 \
    --match briefgen/ docxtpl docx/ jinja2 yaml pydantic lxml zipfile

echo "== no-op rebuild of $N letters (ms)"
$SPY record -r 1000 -f raw -o "$OUT/noop.txt" -- $PY -m briefgen -C "$OUT/w" build --formaat docx >/dev/null 2>"$OUT/spy-noop.log"
$PY bench/spyreport.py "$OUT/noop.txt" --rate 1000 --top 30 --match briefgen/ pathlib posixpath importlib hashlib json
echo "(py-spy at 1000 Hz slows the program down; compare shares, not absolute times)"
