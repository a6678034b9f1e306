#!/usr/bin/env bash
# FISTA codes/s: `sparselab fista` (vdl plugin) against a PyTorch FISTA and scikit-learn's SparseCoder on the problem
# of spec vdl.md C10 (MNIST dictionary of 128 unit atoms, lambda 0.005, step 1, tol 1e-3, <= 200 steps), batches of
# 250 and 10,000. Java is run three times: the default solver (plain-Java kernel for this float32 CPU problem),
# `--solver cd` (coordinate descent with the Gram matrix: scikit-learn's lasso_cd algorithm, its tol 1e-4 and stopping
# rule, at most 200 sweeps as the scikit-learn row; the algorithm-for-algorithm comparison with scikit-learn) and
# `--engine` (the same FISTA iterations as DJL tensor operations). Interleaved, R repetitions of each (each itself the
# median of 21 solves at batch 250 and 5 at 10,000 in one process, so that the JIT's warm-up is not the median;
# --engine 5 and 3, it is only the history row), medians. The launcher's MKL vendor shim (LD_PRELOAD) is applied on AMD
# processors only (SPARSELAB_MKL_SHIM=1 forces it); the script prints whether it was active.
# Usage: benchmarks/bench_fista.sh [R]      (needs data/mnist: ./sparselab data fetch mnist)
set -euo pipefail
cd "$(dirname "$0")/.."
R="${1:-3}"
if [ -z "${SPARSELAB_SKIP_BUILD:-}" ]; then ./mvnw -o -q -B install -pl distribution -am -DskipTests >/dev/null; mkdir -p dist; touch dist/.built; fi
OUT=benchmarks/out/bench-fista-$(date +%Y%m%d-%H%M%S).jsonl
mkdir -p benchmarks/out
: > "$OUT"
shim="${SPARSELAB_MKL_SHIM:-auto}"
if [ "$shim" = auto ]; then grep -q AuthenticAMD /proc/cpuinfo && shim=1 || shim=0; fi
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs) ($(grep -m1 vendor_id /proc/cpuinfo | cut -d: -f2 | xargs)), $(nproc) cores;" \
  "MKL vendor shim (LD_PRELOAD by ./sparselab): $([ "$shim" = 1 ] && echo on || echo off); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT.txt"
for b in 250 10000; do
  mkdir -p "benchmarks/out/fista-$b"
  /usr/bin/python3 benchmarks/fista_reference.py --write "benchmarks/out/fista-$b" --batch "$b"
done
java_run() { # impl batch repeat [extra flags]
  local impl=$1 b=$2 rpt=$3; shift 3
  local line
  line=$(SPARSELAB_SKIP_BUILD=1 ./sparselab fista --dictionary "benchmarks/out/fista-$b/D.npy" --inputs "benchmarks/out/fista-$b/Y.npy" \
    --codes "benchmarks/out/fista-$b/Z-$impl.npy" --repeat "$rpt" "$@" 2>/dev/null | tail -1)
  /usr/bin/python3 -c "import json,re,sys; l=sys.argv[1]; print(json.dumps({'impl':'$impl','batch':$b,'codes_per_s':float(re.search(r'\(([0-9.]+) codes/s\)', l).group(1)),'energy':float(re.search(r'energy ([0-9.e+]+)', l).group(1)),'steps':int(re.search(r'in ([0-9]+) steps', l).group(1)),'counted':float(re.search(r'mean counted ([0-9.]+)', l).group(1))}))" "$line" | tee -a "$OUT"
}
for rep in $(seq 1 "$R"); do
  for b in 250 10000; do
    rpt=$([ "$b" = 250 ] && echo 21 || echo 5)
    java_run framework "$b" "$rpt"
    /usr/bin/python3 benchmarks/fista_reference.py --impl torch --batch "$b" --repeat "$rpt" | tee -a "$OUT"
    /usr/bin/python3 benchmarks/fista_reference.py --impl sklearn --batch "$b" --repeat "$rpt" --codes "benchmarks/out/fista-$b/Z-sklearn.npy" | tee -a "$OUT"
    java_run cd "$b" "$rpt" --solver cd --max-steps 200
    java_run engine "$b" "$([ "$b" = 250 ] && echo 5 || echo 3)" --engine
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT.txt"
/usr/bin/python3 - "$OUT" <<'PY'
import json, statistics, sys
import numpy as np
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(impl, b, key="codes_per_s"):
    return statistics.median([r[key] for r in rows if r["impl"] == impl and r["batch"] == b])
print("\n| batch | sparselab FISTA (codes/s) | PyTorch FISTA | scikit-learn lasso_cd | sparselab cd | FISTA / PyTorch | FISTA / scikit-learn "
      "| cd / scikit-learn | cd / PyTorch | sparselab --engine (DJL ops) | final energy (FISTA, --engine, PyTorch, scikit-learn, cd) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for b in (250, 10000):
    f, t, s, c, g = med("framework", b), med("torch", b), med("sklearn", b), med("cd", b), med("engine", b)
    e = [med(i, b, "energy") for i in ("framework", "engine", "torch", "sklearn", "cd")]
    print(f"| {b:,} | {f:,.0f} | {t:,.0f} | {s:,.0f} | {c:,.0f} | {f / t:.2f} | {f / s:.2f} | {c / s:.2f} | {c / t:.2f} | {g:,.0f} | "
          + ", ".join(f"{x:.2f}" for x in e) + " |")
for b in (250, 10000):
    zf = np.load(f"benchmarks/out/fista-{b}/Z-framework.npy"); ze = np.load(f"benchmarks/out/fista-{b}/Z-engine.npy")
    print(f"batch {b}: codes max |sparselab - --engine| = {np.abs(zf - ze).max():.2e}, same zero pattern: {bool(((zf == 0) == (ze == 0)).all())}")
    zc = np.load(f"benchmarks/out/fista-{b}/Z-cd.npy"); zs = np.load(f"benchmarks/out/fista-{b}/Z-sklearn.npy")
    print(f"batch {b}: codes max |sparselab cd - scikit-learn| = {np.abs(zc - zs).max():.2e} (max |z| {np.abs(zs).max():.1f}), "
          f"zero/non-zero flips {int(((zc == 0) != (zs == 0)).sum())} of {zs.size}; mean sweeps (cd) {med('cd', b, 'counted'):.2f}")
print("per-repetition ratios (FISTA / PyTorch, FISTA / scikit-learn, cd / scikit-learn):")
for b in (250, 10000):
    fr = [r["codes_per_s"] for r in rows if r["impl"] == "framework" and r["batch"] == b]
    tr = [r["codes_per_s"] for r in rows if r["impl"] == "torch" and r["batch"] == b]
    sr = [r["codes_per_s"] for r in rows if r["impl"] == "sklearn" and r["batch"] == b]
    cr = [r["codes_per_s"] for r in rows if r["impl"] == "cd" and r["batch"] == b]
    print(f"  batch {b}: " + ", ".join(f"{x / y:.2f}/{x / z:.2f}/{c / z:.2f}" for x, y, z, c in zip(fr, tr, sr, cr)))
PY
