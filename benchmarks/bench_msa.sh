#!/usr/bin/env bash
# Training throughput of the modular stripes autoencoder against its PyTorch reference (benchmarks/msa_reference.py),
# side by side: batch 8 (the repository's) and 128. Framework: ./sparselab run benchmarks/configs/msa-b<B>.yaml,
# second epoch. Interleaved, R repetitions, medians. Usage: benchmarks/bench_msa.sh [R]
set -euo pipefail
cd "$(dirname "$0")/.."
R="${1:-3}"
if [ -z "${SPARSELAB_SKIP_BUILD:-}" ]; then ./mvnw -q -B install -DskipTests >/dev/null; touch dist/.built; fi
OUT=benchmarks/out/bench-msa-$(date +%Y%m%d-%H%M%S).jsonl
mkdir -p benchmarks/out
: > "$OUT"
framework() { # batch
  SPARSELAB_SKIP_BUILD=1 ./sparselab run --plain "benchmarks/configs/msa-b$1.yaml" >/dev/null 2>&1
  local run
  run=$(ls -td "benchmarks/out/bench-msa-b$1"/*/ | head -1)
  /usr/bin/python3 -c "import json; s=json.load(open('$run/summary.json')); print(json.dumps({'impl':'framework','model':'msa','batch':$1,'samples_per_s':s['train_samples_per_second_per_epoch'][-1]}))"
}
for rep in $(seq 1 "$R"); do
  framework 8 | tee -a "$OUT"
  /usr/bin/python3 benchmarks/msa_reference.py --batch 8 --steps 1000 | tee -a "$OUT"
  framework 128 | tee -a "$OUT"
  /usr/bin/python3 benchmarks/msa_reference.py --batch 128 --steps 60 --warmup 10 | tee -a "$OUT"
done
/usr/bin/python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(impl, b):
    v = [r["samples_per_s"] for r in rows if r["impl"] == impl and r["batch"] == b]
    return statistics.median(v) if v else float("nan")
print("\n| batch | framework (samples/s) | PyTorch (samples/s) | framework / PyTorch |")
print("|---|---|---|---|")
for b in (8, 128):
    f, t = med("framework", b), med("pytorch", b)
    print(f"| {b} | {f:,.0f} | {t:,.0f} | {f / t:.2f} |")
PY
