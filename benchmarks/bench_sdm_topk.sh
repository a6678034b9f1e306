#!/usr/bin/env bash
# Training throughput of sdm-topk (k = 50, batch 128, Adam 1e-3) on MNIST, side by side in one run:
#   framework : ./sparselab run benchmarks/configs/sdm-topk-<units>.yaml (second epoch's samples/s)
#   bare DJL  : benchmarks/src/main/java/org/sparselab/bench/BareDjlSdmTopK.java (same step, no framework)
#   PyTorch   : benchmarks/sdm_topk_reference.py with Debian's python3-torch
# The Java variants run with and without the MKL vendor shim. Variants are interleaved, R repetitions,
# medians reported. Usage: benchmarks/bench_sdm_topk.sh [R] (needs ./sparselab data fetch mnist and
# apt-get install python3-torch; builds once at the start).
set -euo pipefail
cd "$(dirname "$0")/.."
R="${1:-3}"
./mvnw -q -B install -DskipTests >/dev/null
touch dist/.built
mkdir -p build benchmarks/out
SHIM="$PWD/build/mkl_shim.so"
[ -f "$SHIM" ] || { printf 'int mkl_serv_intel_cpu_true(void){return 1;}\n' > build/mkl_shim.c; cc -O2 -shared -fPIC -o "$SHIM" build/mkl_shim.c; }
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
OUT=benchmarks/out/bench-$(date +%Y%m%d-%H%M%S).jsonl
: > "$OUT"

framework() { # units shim
  local before after run
  SPARSELAB_SKIP_BUILD=1 SPARSELAB_MKL_SHIM="$2" ./sparselab run --plain benchmarks/configs/sdm-topk-$1.yaml >/dev/null 2>&1
  run=$(ls -td benchmarks/out/bench-sdm-topk-$1/*/ | head -1)
  /usr/bin/python3 -c "import json,sys; s=json.load(open('$run/summary.json')); print(json.dumps({'impl':'framework','units':$1,'shim':$2,'samples_per_s':s['train_samples_per_second_per_epoch'][-1]}))"
}
bare() { # units shim
  local steps=$([ "$1" = 1000 ] && echo 200 || echo 40) pre=""
  [ "$2" = 1 ] && pre="$SHIM"
  LD_PRELOAD="$pre" java -Xmx6g -cp "$CP" org.sparselab.bench.BareDjlSdmTopK data/mnist "$1" 50 128 20 1 "$steps" 2>/dev/null \
    | grep '"impl"' | tail -1 | sed "s/}\$/,\"shim\":$2}/"
}
torchref() { # units
  local steps=$([ "$1" = 1000 ] && echo 200 || echo 40)
  /usr/bin/python3 benchmarks/sdm_topk_reference.py --data data/mnist --units "$1" --k 50 --epochs 1 --max-steps "$steps" \
    | tail -1 | sed 's/}$/,"shim":0}/'
}

for rep in $(seq 1 "$R"); do
  for units in 1000 10000; do
    for v in "framework $units 0" "framework $units 1" "bare $units 0" "bare $units 1" "torchref $units"; do
      $v | tee -a "$OUT"
    done
  done
done

/usr/bin/python3 - "$OUT" <<'PY'
import json, statistics, sys, platform, subprocess
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(impl, units, shim):
    v = [r["samples_per_s"] for r in rows if r["impl"] == impl and r["units"] == units and r.get("shim", 0) == shim]
    return (statistics.median(v), len(v)) if v else (float("nan"), 0)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"\nCPU: {cpu}; medians of {len([r for r in rows if r['impl']=='pytorch' and r['units']==1000])} runs (samples/s)\n")
print("| units | framework | framework + shim | bare DJL | bare DJL + shim | PyTorch (Debian) | framework / bare | framework / PyTorch |")
print("|---|---|---|---|---|---|---|---|")
for u in (1000, 10000):
    f0, f1 = med("framework", u, 0)[0], med("framework", u, 1)[0]
    b0, b1 = med("bare-djl", u, 0)[0], med("bare-djl", u, 1)[0]
    t = med("pytorch", u, 0)[0]
    print(f"| {u} | {f0:,.0f} | {f1:,.0f} | {b0:,.0f} | {b1:,.0f} | {t:,.0f} | {f0/b0:.2f} | {f0/t:.2f} |")
PY
