#!/usr/bin/env bash
# Compiles every kernels/src/main/cuda/*.cu to PTX for compute_80 and lowers the PTX ISA version to 8.0,
# the newest that CUDA 12 drivers and JCuda 12.6's bundled PTX compiler accept (nvcc 13 writes 9.0 and has
# no flag for an older ISA; the kernels use nothing newer than 8.0, which KernelPtxAssemblyTest verifies).
# Usage: build-ptx.sh [OUTPUT_DIR]   (default: the committed resources directory)
# Also prints `ptxas -v` (registers, spills) for sm_80 and sm_90 unless QUIET=1.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$HERE/src/main/cuda"
OUT="${1:-$HERE/src/main/resources/dev/m2m100/kernels}"
NVCC="${NVCC:-nvcc}"
PTXAS="${PTXAS:-ptxas}"
command -v "$NVCC" >/dev/null || { echo "build-ptx: $NVCC not found" >&2; exit 2; }
mkdir -p "$OUT"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
for cu in "$SRC"/*.cu; do
    name="$(basename "$cu" .cu)"
    # -std=c++17 and no fast-math: the fp32 parity mode needs IEEE expf/logf/sinf/cosf and divisions.
    # The source is compiled from inside SRC with a relative name so that no absolute path ends up in the PTX.
    (cd "$SRC" && "$NVCC" -ptx -arch=compute_80 -std=c++17 -o "$TMP/$name.ptx" "$name.cu")
    if ! grep -q '^\.version 9\.0$' "$TMP/$name.ptx" && ! grep -q '^\.version 8\.0$' "$TMP/$name.ptx"; then
        echo "build-ptx: $name.ptx: unexpected .version line: $(grep '^\.version' "$TMP/$name.ptx")" >&2
        exit 1
    fi
    sed -e 's/^\.version 9\.0$/.version 8.0/' "$TMP/$name.ptx" > "$OUT/$name.ptx"
    if [[ "${QUIET:-0}" != 1 ]] && command -v "$PTXAS" >/dev/null; then
        for arch in sm_80 sm_90; do
            echo "== $name.ptx $arch"
            "$PTXAS" -arch="$arch" -v -o /dev/null "$OUT/$name.ptx" 2>&1 | grep -E 'Compiling entry|Used|spill' || true
        done
    fi
done
echo "build-ptx: wrote $(ls "$OUT"/*.ptx | wc -l) PTX files to $OUT"
