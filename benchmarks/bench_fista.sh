#!/usr/bin/env bash
# FISTA codes/s: `sparselab fista` (vdl plugin) against a PyTorch FISTA and scikit-learn's SparseCoder on the problem
# of spec vdl.md C10 (MNIST dictionary of 128 unit atoms, lambda 0.005, zero start), batches of 250 and 10,000.
# Rows, each timed in its own process:
#   sparselab fista     the default solver, VDL's FISTA (spec section 3: step 1, tol 1e-3, <= 200 steps, batch-wide stop),
#                       on the plain-Java kernel; PyTorch FISTA is the same algorithm
#   sparselab adaptive  `--solver adaptive`: FISTA with step 1/L, per-sample stops, adaptive restart, tol 1e-3 and 1e-4;
#                       PyTorch adaptive is the same algorithm (rows leave the batch when they stop)
#   sparselab cd        `--solver cd`: scikit-learn's lasso_cd algorithm, its tol 1e-4 and stopping rule, <= 200 sweeps as
#                       the scikit-learn row (transform_max_iter=200)
#   sparselab --engine  VDL's FISTA as DJL tensor operations (history row)
# scikit-learn runs twice: as SparseCoder's default (n_jobs=None, one core: the ratios are to this row) and with
# n_jobs=2 (joblib over the samples, the 2 cores that sparselab and PyTorch use).
# Interleaved, R repetitions of each, each itself the median of 21 solves at batch 250 and 5 at 10,000 in one process
# after 20 and 2 untimed ones (--warmup: the JVM's JIT, PyTorch's and NumPy's first calls; --engine 5 and 3 after 1),
# medians of the repetitions. The launcher's MKL vendor shim (LD_PRELOAD)
# is applied on AMD processors only (SPARSELAB_MKL_SHIM=1 forces it); the script prints whether it was active.
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
    --codes "benchmarks/out/fista-$b/Z-$impl.npy" --repeat "$rpt" --warmup "$W" "$@" 2>/dev/null | tail -1)
  /usr/bin/python3 -c "import json,re,sys; l=sys.argv[1]; print(json.dumps({'impl':'$impl','batch':$b,'codes_per_s':float(re.search(r'\(([0-9.]+) codes/s\)', l).group(1)),'energy':float(re.search(r'energy ([0-9.e+]+)', l).group(1)),'steps':int(re.search(r'in ([0-9]+) steps', l).group(1)),'counted':float(re.search(r'mean counted ([0-9.]+)', l).group(1))}))" "$line" | tee -a "$OUT"
}
for rep in $(seq 1 "$R"); do
  for b in 250 10000; do
    rpt=$([ "$b" = 250 ] && echo 21 || echo 5)
    W=$([ "$b" = 250 ] && echo 20 || echo 2)
    java_run framework "$b" "$rpt"
    /usr/bin/python3 benchmarks/fista_reference.py --impl torch --batch "$b" --repeat "$rpt" --warmup "$W" | tee -a "$OUT"
    /usr/bin/python3 benchmarks/fista_reference.py --impl sklearn --batch "$b" --repeat "$rpt" --warmup "$W" --codes "benchmarks/out/fista-$b/Z-sklearn.npy" | tee -a "$OUT"
    /usr/bin/python3 benchmarks/fista_reference.py --impl sklearn --jobs 2 --batch "$b" --repeat "$rpt" --warmup "$W" | tee -a "$OUT"
    java_run cd "$b" "$rpt" --solver cd --max-steps 200
    java_run adaptive "$b" "$rpt" --solver adaptive
    java_run adaptive-1e-4 "$b" "$rpt" --solver adaptive --tol 1e-4
    /usr/bin/python3 benchmarks/fista_reference.py --impl torch-adaptive --batch "$b" --repeat "$rpt" --warmup "$W" | tee -a "$OUT"
    W=1 java_run engine "$b" "$([ "$b" = 250 ] && echo 5 || echo 3)" --engine
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT.txt"
/usr/bin/python3 - "$OUT" <<'PY'
import json, statistics, sys
import numpy as np
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
names = [("framework", "sparselab fista (VDL's FISTA, spec section 3)"), ("torch", "PyTorch FISTA (same algorithm)"),
         ("adaptive", "sparselab --solver adaptive, tol 1e-3"), ("adaptive-1e-4", "sparselab --solver adaptive, tol 1e-4"),
         ("torch-adaptive", "PyTorch adaptive FISTA, tol 1e-3 (same algorithm)"), ("cd", "sparselab --solver cd"),
         ("sklearn", "scikit-learn SparseCoder lasso_cd"), ("sklearn-jobs2", "scikit-learn SparseCoder lasso_cd, n_jobs=2"), ("engine", "sparselab fista --engine (DJL ops)")]
def med(impl, b, key="codes_per_s"):
    v = [r[key] for r in rows if r["impl"] == impl and r["batch"] == b and key in r]
    return statistics.median(v) if v else float("nan")
print("\n| solver | batch | codes/s | / scikit-learn | / PyTorch FISTA | / PyTorch adaptive | final energy | mean steps |")
print("|---|---|---|---|---|---|---|---|")
for b in (250, 10000):
    s, t, ta = med("sklearn", b), med("torch", b), med("torch-adaptive", b)
    for impl, name in names:
        c = med(impl, b)
        steps = med(impl, b, "counted")
        print(f"| {name} | {b:,} | {c:,.0f} | {c / s:.2f} | {c / t:.2f} | {c / ta:.2f} | {med(impl, b, 'energy'):.2f} | "
              + ("" if steps != steps else f"{steps:.1f}") + " |")
for b in (250, 10000):
    zf = np.load(f"benchmarks/out/fista-{b}/Z-framework.npy"); ze = np.load(f"benchmarks/out/fista-{b}/Z-engine.npy")
    print(f"batch {b}: codes max |sparselab - --engine| = {np.abs(zf - ze).max():.2e}, same zero pattern: {bool(((zf == 0) == (ze == 0)).all())}")
    zc = np.load(f"benchmarks/out/fista-{b}/Z-cd.npy"); zs = np.load(f"benchmarks/out/fista-{b}/Z-sklearn.npy")
    za = np.load(f"benchmarks/out/fista-{b}/Z-adaptive-1e-4.npy")
    print(f"batch {b}: codes max |sparselab cd - scikit-learn| = {np.abs(zc - zs).max():.2e} (max |z| {np.abs(zs).max():.1f}), "
          f"zero/non-zero flips {int(((zc == 0) != (zs == 0)).sum())} of {zs.size}; max |adaptive tol 1e-4 - scikit-learn| = {np.abs(za - zs).max():.2e}")
print("per-repetition ratios to scikit-learn (FISTA, adaptive 1e-3, adaptive 1e-4, cd):")
for b in (250, 10000):
    get = lambda impl: [r["codes_per_s"] for r in rows if r["impl"] == impl and r["batch"] == b]
    sr = get("sklearn")
    print(f"  batch {b}: " + ", ".join("/".join(f"{x / z:.2f}" for x in xs) for z, *xs in zip(sr, get("framework"), get("adaptive"),
                                                                                             get("adaptive-1e-4"), get("cd"))))
PY
