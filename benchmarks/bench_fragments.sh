#!/usr/bin/env bash
# Net-fragments evaluation throughput (T = 6, fixed threshold 0.5, γ = 1.2+0.2t, feature noise 10%, metrics included)
# of sparselab (`sparselab fragments evaluate`) against the original algorithm written in PyTorch
# (benchmarks/net-fragments/fragments_reference.py: batch size 1 as the original, and the same algorithm batched,
# each with 1 and 2 threads),
# on the same trained weights, side by side, R repetitions, medians.
# Usage: benchmarks/bench_fragments.sh RUN_FOLDER [R] [SAMPLES]   (RUN_FOLDER: a finished net-fragments run)
set -euo pipefail
cd "$(dirname "$0")/.."
RUN="$1"
R="${2:-3}"
N="${3:-600}"
if [ -z "${SPARSELAB_SKIP_BUILD:-}" ]; then ./mvnw -q -B install -DskipTests >/dev/null; touch dist/.built; fi
OUT=benchmarks/out/bench-fragments-$(date +%Y%m%d-%H%M%S).jsonl
mkdir -p benchmarks/out
: > "$OUT"
SF=1.2,1.4,1.6,1.8,2.0,2.2
for rep in $(seq 1 "$R"); do
  dir=$(mktemp -d)
  SPARSELAB_SKIP_BUILD=1 ./sparselab fragments evaluate "$RUN" --act-threshold 0.5 --square-factor $SF --noise 0.1 \
      --samples "$N" --out "$dir/eval" 2>/dev/null | grep '^evaluation:' \
    | /usr/bin/python3 -c "import sys,re,json; l=sys.stdin.read(); print(json.dumps({'impl':'sparselab','samples_per_s':float(re.search(r'([0-9.]+) samples/s',l).group(1))}))" | tee -a "$OUT"
  rm -rf "$dir"
  # PyTorch with 1 and 2 threads (on a loaded 2-core machine one thread is often faster); the best counts
  for t in 1 2; do
    /usr/bin/python3 benchmarks/net-fragments/fragments_reference.py "$RUN" --samples 60 --noise 0.1 --square-factor $SF --threads $t | tee -a "$OUT"
    /usr/bin/python3 benchmarks/net-fragments/fragments_reference.py "$RUN" --samples 120 --noise 0.1 --square-factor $SF --threads $t --batched | tee -a "$OUT"
  done
done
/usr/bin/python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
med = {}
for r in rows:
    key = r["impl"] + ("" if r["impl"] == "sparselab" else f" ({r['threads']} thread{'s' if r['threads'] > 1 else ''})")
    med.setdefault(key, []).append(r["samples_per_s"])
med = {k: statistics.median(v) for k, v in med.items()}
s = med.pop("sparselab")
print("\n| implementation | samples/s (median) | sparselab / it |")
print("|---|---|---|")
print(f"| sparselab (2 threads) | {s:,.1f} | 1.0x |")
for k, v in sorted(med.items()):
    print(f"| {k} | {v:,.2f} | {s / v:,.1f}x |")
PY
