#!/usr/bin/env bash
# Regenerates the CPU GEMM micro-kernels (GemmKernels256.java, GemmKernels512.java) from
# gen_gemm_kernels.py into the engine's sources (or into OUTPUT_DIR). The output is committed.
# Usage: build-cpu-kernels.sh [OUTPUT_DIR]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/../../m2m100-jvm/src/main/java/dev/m2m100/engine/backend/cpu/gemm}"
python3 "$HERE/gen_gemm_kernels.py" "$OUT"
echo "build-cpu-kernels: wrote GemmKernels256.java and GemmKernels512.java to $OUT"
