#!/usr/bin/env bash
# CPU GEMM kernels vs OpenBLAS (numpy) on the same machine, interleaved: R rounds of [numpy, Java], then a
# summary per case (median of each round's median, ratio Java/OpenBLAS, spread across rounds).
# Needs Debian's numpy with OpenBLAS: apt-get install -y python3-numpy libopenblas0-openmp
# Usage: tools/bench/gemm-compare.sh [rounds] [extra GemmBench args, e.g. --m 16,64 --shapes 1024x4096]
# BENCH_VECTOR_BITS="256 512" runs the Java side once per vector width in each round (docs/PERFORMANCE.md, issue 15).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source scripts/jdk.sh
ROUNDS="${1:-2}"
# On a shared machine, BENCH_NICE=-10 (root) gives both engines the same head start over background builds.
# The kernel schedules per session ("autogroup") first, so plain nice only ranks processes inside this
# session; BENCH_AUTOGROUP_NICE=-20 raises this whole session against the others while the script runs
# (restored on exit). Both engines get the same treatment.
NICE=""
[ -n "${BENCH_NICE:-}" ] && NICE="nice -n $BENCH_NICE"
if [ -n "${BENCH_AUTOGROUP_NICE:-}" ] && [ -w /proc/self/autogroup ]; then
  echo "$BENCH_AUTOGROUP_NICE" > /proc/self/autogroup
  trap 'echo 0 > /proc/self/autogroup' EXIT
fi
shift || true
mvn -B -o -q -pl tools -am -DskipTests package
OUT="${TMPDIR:-/tmp}/gemm-compare-$$.log"
: > "$OUT"
# numpy gets the Java side's --m/--shapes/--reps/--min-ms only.
NP_ARGS=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --m|--shapes|--reps|--min-ms) NP_ARGS+=("${args[$i]}" "${args[$((i + 1))]}"); i=$((i + 1)) ;;
  esac
done
# BENCH_WAIT_LOAD=L: before each round, wait (up to 10 min) until the 1-minute load average is below L.
wait_quiet() {
  [ -n "${BENCH_WAIT_LOAD:-}" ] || return 0
  local deadline=$((SECONDS + 600))
  while (( SECONDS < deadline )) && awk -v l="$BENCH_WAIT_LOAD" '{exit !($1 >= l)}' /proc/loadavg; do sleep 5; done
}
for ((r = 1; r <= ROUNDS; r++)); do
  wait_quiet
  echo "# round $r $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
  $NICE env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 tools/bench/numpy_gemm.py "${NP_ARGS[@]}" | tee -a "$OUT"
  # BENCH_VECTOR_BITS="256 512": one Java run per width (M2M100_VECTOR_BITS), formats tagged fmt=f32@512 etc.
  for bits in ${BENCH_VECTOR_BITS:-default}; do
    tag=""
    [ "$bits" = default ] || tag="@$bits"
    env ${tag:+M2M100_VECTOR_BITS=$bits} $NICE java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
      -XX:+UseParallelGC -Xmx2g -cp "tools/target/m2m100-tools.jar:tools/target/lib/*" \
      dev.m2m100.tools.bench.GemmBench "$@" 2>&1 | grep -v '^WARNING' \
      | sed -E "s/^(gemm fmt=[a-z0-9]+)/\1$tag/" | tee -a "$OUT"
  done
done
/usr/bin/python3 tools/bench/summarize_gemm.py "$OUT"
