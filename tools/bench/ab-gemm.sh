#!/usr/bin/env bash
# Same-process A/B of two builds' CPU GEMM (tools/bench/ab/AbGemm.java): both in one JVM, alternated in 0.3 s
# blocks, so host noise hits both alike; prints medians and the median per-round ratio B/A. Check the shape
# with the same jar as A and B first (an A/A run): for some shapes the shared JDK vector profiles favour B.
# Usage: tools/bench/ab-gemm.sh JAR_A JAR_B K N M [FORMAT=f32] [ROUNDS=10] [THREADS=2]
#   JAR_A/JAR_B: m2m100-jvm/target/m2m100-jvm-*.jar of each build (e.g. from two git worktrees)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/scripts/jdk.sh"
[ $# -ge 5 ] || { sed -n '2,6p' "$0"; exit 2; }
exec java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xmx3g \
  "$ROOT/tools/bench/ab/AbGemm.java" "$1" "$2" "$3" "$4" "$5" "${6:-f32}" "${7:-10}" "${8:-2}"
