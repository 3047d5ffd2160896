#!/usr/bin/env bash
# Issue 16's before/after measurement: for each checkout given (e.g. main, then the branch, then again), start
# `serve --model testdata/m2m100-tiny --device cpu` on PORT, warm it up, run the seed's three load scenarios
# (A, B, C as in docs/PERFORMANCE.md) and the fair-admission scenario, then stop it. One JSON line per result.
#   scripts/fair-admission-measure.sh PORT CHECKOUT [CHECKOUT...]
set -euo pipefail
port=$1; shift
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for checkout in "$@"; do
  label="$(git -C "$checkout" rev-parse --short HEAD)"
  "$checkout/m2m100" serve --model "$checkout/testdata/m2m100-tiny" --device cpu --port "$port" >"/tmp/fair-measure-$port.log" 2>&1 &
  pid=$!
  for _ in $(seq 120); do curl -sf "localhost:$port/ready" >/dev/null && break; sleep 1; done
  load() { "$checkout/m2m100" load --url "http://localhost:$port" --from en --to ja --text "Life is like a box of chocolates." --json "$@"; }
  load --requests 100 --records 1 --interval 0.01 --max-length 8 >/dev/null
  echo "{\"build\":\"$label\",\"scenario\":\"A\",\"report\":$(load --requests 400 --records 1 --interval 0.005 --max-length 8)}"
  echo "{\"build\":\"$label\",\"scenario\":\"B\",\"report\":$(load --requests 100 --records 16 --interval 0.02 --max-length 8)}"
  echo "{\"build\":\"$label\",\"scenario\":\"C\",\"report\":$(load --requests 100 --records 1 --interval 0.01)}"
  echo "{\"build\":\"$label\",\"scenario\":\"fair\",\"report\":$("$here/fair-admission-scenario.py" --url "http://127.0.0.1:$port")}"
  echo "{\"build\":\"$label\",\"scenario\":\"fair\",\"report\":$("$here/fair-admission-scenario.py" --url "http://127.0.0.1:$port")}"
  kill "$pid"; wait "$pid" || true
done
