#!/usr/bin/env bash
# Training throughput of the SDM plugin's models against PyTorch references of the same step, side by side:
#   SDMLP (GABA Top-K, positive weights, unit-norm addresses, SGDM) at 1000 and 10000 units, and the
#   noise-paper ReLU baseline (784 -> 1000 -> 784 with noise 0.8, Adam), batch 128 on MNIST.
# Framework: ./sparselab run benchmarks/configs/<name>.yaml (second epoch); PyTorch: benchmarks/model_reference.py.
# Interleaved, R repetitions, medians. Usage: benchmarks/bench_models.sh [R]
set -euo pipefail
cd "$(dirname "$0")/.."
R="${1:-3}"
./mvnw -q -B install -DskipTests >/dev/null
touch dist/.built
OUT=benchmarks/out/bench-models-$(date +%Y%m%d-%H%M%S).jsonl
mkdir -p benchmarks/out
: > "$OUT"
framework() { # config model units
  SPARSELAB_SKIP_BUILD=1 ./sparselab run --plain "benchmarks/configs/$1.yaml" >/dev/null 2>&1
  local run
  run=$(ls -td "benchmarks/out/bench-$1"/*/ | head -1)
  /usr/bin/python3 -c "import json; s=json.load(open('$run/summary.json')); print(json.dumps({'impl':'framework','model':'$2','units':$3,'samples_per_s':s['train_samples_per_second_per_epoch'][-1]}))"
}
for rep in $(seq 1 "$R"); do
  framework sdmlp-1000 sdmlp 1000 | tee -a "$OUT"
  /usr/bin/python3 benchmarks/model_reference.py --model sdmlp --units 1000 --steps 200 | tee -a "$OUT"
  framework sdmlp-10000 sdmlp 10000 | tee -a "$OUT"
  /usr/bin/python3 benchmarks/model_reference.py --model sdmlp --units 10000 --steps 40 | tee -a "$OUT"
  framework relu-1000 relu 1000 | tee -a "$OUT"
  /usr/bin/python3 benchmarks/model_reference.py --model relu --units 1000 --steps 200 | tee -a "$OUT"
done
/usr/bin/python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(impl, model, units):
    v = [r["samples_per_s"] for r in rows if r["impl"] == impl and r["model"] == model and r["units"] == units]
    return statistics.median(v) if v else float("nan")
print("\n| model | units | framework (samples/s) | PyTorch (samples/s) | framework / PyTorch |")
print("|---|---|---|---|---|")
for model, units in (("sdmlp", 1000), ("sdmlp", 10000), ("relu", 1000)):
    f, t = med("framework", model, units), med("pytorch", model, units)
    print(f"| {model} | {units} | {f:,.0f} | {t:,.0f} | {f / t:.2f} |")
PY
