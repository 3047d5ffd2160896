#!/usr/bin/env bash
# Builds libcublas.so.12 (a forwarder to libcublas.so.13, see cublas12_forward.c) into OUTPUT_DIR
# (default: ./build). Use it only where CUDA 13 is installed and CUDA 12's cuBLAS is not:
#   LD_LIBRARY_PATH=OUTPUT_DIR:<dir of libcublas.so.13>:$LD_LIBRARY_PATH
# The GPU kit (scripts/gpu/run.sh) does this on the CUDA 13 GPU machines; the Docker image has CUDA 12's cuBLAS.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/build}"
mkdir -p "$OUT"
"${CC:-cc}" -O2 -fPIC -shared -Wall -Wextra -Werror \
    -Wl,--version-script="$HERE/libcublas.so.12.map" -Wl,-soname,libcublas.so.12 \
    -o "$OUT/libcublas.so.12" "$HERE/cublas12_forward.c" -ldl -lpthread
echo "built $OUT/libcublas.so.12"
