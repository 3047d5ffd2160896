#!/usr/bin/env bash
# Fails when the committed PTX differs from what the CUDA sources compile to now. Without nvcc there is
# nothing to compare against: it says so and succeeds (the committed PTX is still assembled by the
# kernels module's unit test on every build).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
COMMITTED="$HERE/src/main/resources/dev/m2m100/kernels"
if ! command -v "${NVCC:-nvcc}" >/dev/null; then
    echo "check-ptx: nvcc not found; skipping the PTX freshness check (committed PTX is used as is)"
    exit 0
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
QUIET=1 "$HERE/build-ptx.sh" "$TMP" >/dev/null
if ! diff -r "$COMMITTED" "$TMP" >"$TMP.diff" 2>&1; then
    head -40 "$TMP.diff" >&2
    rm -f "$TMP.diff"
    echo "check-ptx: committed PTX is stale or missing; run kernels/build-ptx.sh and commit the result" >&2
    exit 1
fi
rm -f "$TMP.diff"
echo "check-ptx: committed PTX matches the CUDA sources ($(ls "$COMMITTED"/*.ptx | wc -l) files)"
