#!/usr/bin/env bash
# FISTA codes/s: `sparselab fista` (vdl plugin) against a PyTorch FISTA and scikit-learn's SparseCoder on the problem
# of spec vdl.md C10 (MNIST dictionary of 128 unit atoms, lambda 0.005, step 1, tol 1e-3, <= 200 steps), batches of
# 250 and 10,000. Interleaved, R repetitions of each (each itself the median of 5 or 3 solves), medians.
# Usage: benchmarks/bench_fista.sh [R]
set -euo pipefail
cd "$(dirname "$0")/.."
R="${1:-3}"
if [ -z "${SPARSELAB_SKIP_BUILD:-}" ]; then ./mvnw -q -B install -DskipTests >/dev/null; touch dist/.built; fi
OUT=benchmarks/out/bench-fista-$(date +%Y%m%d-%H%M%S).jsonl
mkdir -p benchmarks/out
: > "$OUT"
for b in 250 10000; do
  mkdir -p "benchmarks/out/fista-$b"
  /usr/bin/python3 benchmarks/fista_reference.py --write "benchmarks/out/fista-$b" --batch "$b"
done
for rep in $(seq 1 "$R"); do
  for b in 250 10000; do
    rpt=$([ "$b" = 250 ] && echo 5 || echo 3)
    line=$(SPARSELAB_SKIP_BUILD=1 ./sparselab fista --dictionary "benchmarks/out/fista-$b/D.npy" --inputs "benchmarks/out/fista-$b/Y.npy" \
      --codes "benchmarks/out/fista-$b/Z.npy" --repeat "$rpt" 2>/dev/null | tail -1)
    /usr/bin/python3 -c "import json,re,sys; l=sys.argv[1]; print(json.dumps({'impl':'framework','batch':$b,'codes_per_s':float(re.search(r'\(([0-9.]+) codes/s\)', l).group(1)),'energy':float(re.search(r'energy ([0-9.e+]+)', l).group(1))}))" "$line" | tee -a "$OUT"
    /usr/bin/python3 benchmarks/fista_reference.py --impl torch --batch "$b" --repeat "$rpt" | tee -a "$OUT"
    /usr/bin/python3 benchmarks/fista_reference.py --impl sklearn --batch "$b" --repeat "$rpt" | tee -a "$OUT"
  done
done
/usr/bin/python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(impl, b, key="codes_per_s"):
    v = [r[key] for r in rows if r["impl"] == impl and r["batch"] == b]
    return statistics.median(v)
print("\n| batch | framework (codes/s) | PyTorch FISTA | scikit-learn lasso_cd | framework / PyTorch | framework / sklearn | energies (framework, PyTorch, sklearn) |")
print("|---|---|---|---|---|---|---|")
for b in (250, 10000):
    f, t, s = med("framework", b), med("torch", b), med("sklearn", b)
    e = [med(i, b, "energy") for i in ("framework", "torch", "sklearn")]
    print(f"| {b} | {f:,.0f} | {t:,.0f} | {s:,.0f} | {f / t:.2f} | {f / s:.2f} | {e[0]:.2f}, {e[1]:.2f}, {e[2]:.2f} |")
PY
