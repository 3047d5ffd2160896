#!/usr/bin/env bash
# Runs on the GPU machine (see pack.sh): GPU tests, benchmark vs Hugging Face transformers on the same GPU,
# a service smoke test under load, and the PTX freshness check with the machine's nvcc. Logs and JSON go to $OUT.
# The project's copy of ../shared/gpu/run.sh (see scripts/gpu/pack.sh), measuring both CUDA GEMMs: the package's
# tests run with the default (cuBLAS; GemmGpuTest covers both), `bench --device cuda` runs once per GEMM
# (bench-ours-cublas.jsonl, bench-ours-kernel.jsonl), and tests-kernel reruns the model-level tests with
# CUDA_GEMM=kernel. Most valuable first: a timeout still returns what is under $OUT.
set -u
B="$PWD/.devbundle"; W=/tmp/w; OUT="${OUT:-/tmp/out}"; mkdir -p "$W" "$OUT"; cd "$W"
T0=$(date +%s); step(){ echo; echo "=== [$(( $(date +%s) - T0 ))s] $*"; }
ONLY="${ONLY:-all}"; want(){ [ "$ONLY" = all ] || [[ ",$ONLY," == *",$1,"* ]]; }
step unpack; tar -xJf "$B/jre.tar.xz"; tar -xJf "$B/app.tar.xz"; cp -r app/testdata testdata
export JAVA_HOME="$W/jre" PATH="$W/jre/bin:/usr/local/cuda/bin:$PATH"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; java -version 2>&1 | head -1
step "cuBLAS 12 for JCublas"; if ldconfig -p | grep -q 'libcublas.so.12 '; then echo "libcublas.so.12 present"; else
  C13=$(find /usr/local /opt /usr/lib -name 'libcublas.so.13*' 2>/dev/null | head -1); echo "using the forwarder to $C13"
  app/kernels/cublas-compat/build.sh /tmp/cc && export LD_LIBRARY_PATH="/tmp/cc:$(dirname "$C13"):${LD_LIBRARY_PATH:-}"; fi
junit(){ # junit LOG SECONDS SELECTORS...: the JUnit console on the engine's test classes
  local log="$1" secs="$2"; shift 2
  timeout "$secs" java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx8g \
    -jar app/junit-platform-console-standalone-*.jar execute -cp "app/engine-tests:app/m2m100-tools.jar:$(ls app/lib/*.jar | tr '\n' ':')" \
    "$@" --details=tree --disable-ansi-colors --disable-banner --reports-dir="$OUT/junit-${log%.log}" 2>&1 \
    | grep -v '^WARNING' > "$OUT/$log"; grep -E '✘|tests (successful|failed|aborted)' "$OUT/$log" | head -60; }
if want tests; then step "GPU tests (package dev.m2m100.engine.backend.cuda; default GEMM cublas, GemmGpuTest both)"
  junit gpu-tests.log 200 --select-package dev.m2m100.engine.backend.cuda; fi
if want bench || want serve; then step "random 418M model"; app/m2m random-model --preset m2m100_418M --out /tmp/m418 --seed 1 2>&1 | tail -1; fi
if want bench; then for dt in f16 f32; do
    for g in cublas kernel; do step "bench (ours, $dt, CUDA_GEMM=$g)"
      CUDA_GEMM=$g timeout 90 app/m2m bench --model /tmp/m418 --device cuda --dtype $dt --case all --json --workload testdata/bench-workload.json 2>&1 | tee -a "$OUT/bench-ours-$g.jsonl" | tail -6; done
    step "bench (Hugging Face transformers, $dt)"
    PYTHONUNBUFFERED=1 timeout 90 python3 app/hf_gpu_bench.py /tmp/m418 testdata/bench-workload.json $dt 2>&1 | grep -v Warn | tee -a "$OUT/bench-hf.jsonl" | tail -6; done; fi
if want serve; then step "service on cuda + load"; (timeout 75 app/m2m serve --model /tmp/m418 --device cuda --port 9527 > "$OUT/serve.log" 2>&1 &)
  for i in $(seq 1 60); do curl -sf localhost:9527/ready >/dev/null && break; sleep 1; done; curl -s localhost:9527/ready; echo
  curl -s -m 20 localhost:9527/translation -H 'Content-Type: application/json' -d '{"payload":{"fromLang":"en","records":[{"id":"1","text":"Life is like a box of chocolates."}],"toLang":"ja"}}' | head -c 300; echo
  timeout 45 app/m2m load --url http://localhost:9527/translation --requests 100 --records 16 --interval 0.01 --max-length 24 2>&1 | tail -8; fi
if want ptx; then step "PTX freshness (nvcc)"; timeout 60 app/kernels/check-ptx.sh 2>&1 | tail -3; fi
if want tests-kernel; then step "model-level GPU tests with CUDA_GEMM=kernel"
  CUDA_GEMM=kernel junit gpu-tests-kernel.log 150 --select-class dev.m2m100.engine.backend.cuda.CudaBackendVsCpuGpuTest \
    --select-class dev.m2m100.engine.backend.cuda.CudaModelParityGpuTest; fi
if [ -n "${EXTRA:-}" ]; then step "EXTRA: $EXTRA"; eval "$EXTRA"; fi
step done
