#!/usr/bin/env bash
# Issue 16's throughput check for the seed's scenario B (100 requests of 16 records, one every 0.02 s,
# maxLength 8), two builds side by side: both servers run at once (idle between runs), are warmed up, then B runs
# alternately in ABBA order, so slow phases of this shared machine hit both builds alike. One JSON line per run,
# then each server's decoder steps and generated tokens.
#   scripts/fair-admission-b-abba.sh PORT BASE_CHECKOUT NEW_CHECKOUT [PAIRS]
# e.g. scripts/fair-admission-b-abba.sh 19601 /work/wt/base . 8
set -euo pipefail
port=$1; base=$(cd "$2" && pwd); new=$(cd "$3" && pwd); pairs=${4:-8}
declare -A dir=([base]="$base" [new]="$new") portOf=([base]=$port [new]=$((port + 1)))
load() { "$new/m2m100" load --url "http://localhost:${portOf[$1]}" --from en --to ja \
           --text "Life is like a box of chocolates." --json "${@:2}"; }
pids=()
for b in base new; do
  "${dir[$b]}/m2m100" serve --model "${dir[$b]}/testdata/m2m100-tiny" --device cpu --port "${portOf[$b]}" \
    >"/tmp/fair-abba-${portOf[$b]}.log" 2>&1 &
  pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for b in base new; do
  for _ in $(seq 120); do curl -sf "localhost:${portOf[$b]}/ready" >/dev/null && break; sleep 1; done
  load "$b" --requests 100 --records 1 --interval 0.01 --max-length 8 >/dev/null
  load "$b" --requests 100 --records 16 --interval 0.02 --max-length 8 >/dev/null
done
for i in $(seq "$pairs"); do
  if (( i % 2 )); then order="base new"; else order="new base"; fi
  for b in $order; do
    echo "{\"build\":\"$b\",\"commit\":\"$(git -C "${dir[$b]}" rev-parse --short HEAD)\",\"pair\":$i,\"report\":$(load "$b" --requests 100 --records 16 --interval 0.02 --max-length 8)}"
  done
done
for b in base new; do
  curl -s "localhost:${portOf[$b]}/metrics" | grep -E "^m2m100_(decode_steps_total|generated_tokens_total)" | sed "s/^/$b /"
done
