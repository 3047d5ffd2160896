#!/usr/bin/env bash
# Fails when the committed generated CPU kernels differ from what gen_gemm_kernels.py writes now.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
COMMITTED="$HERE/../../m2m100-jvm/src/main/java/dev/m2m100/engine/backend/cpu/gemm"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
python3 "$HERE/gen_gemm_kernels.py" "$TMP"
status=0
for f in "$TMP"/*.java; do
    name="$(basename "$f")"
    if ! diff -u "$COMMITTED/$name" "$f" >"$TMP/$name.diff" 2>&1; then
        head -40 "$TMP/$name.diff" >&2
        echo "check-cpu-kernels: $name is stale or missing; run kernels/cpu/build-cpu-kernels.sh and commit the result" >&2
        status=1
    fi
done
[ "$status" = 0 ] && echo "check-cpu-kernels: committed CPU kernels match gen_gemm_kernels.py ($(ls "$TMP"/*.java | wc -l) files)"
exit "$status"
