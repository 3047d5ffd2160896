#!/usr/bin/env bash
# Drives the playground (GET /) and Swagger UI (GET /docs) in a real headless browser against a live server
# with the tiny model: translates a sentence like a person would, checks nothing is fetched from outside the
# server, and writes docs/playground.png. Needs Debian's chromium (apt-get install -y chromium) and npm (for
# playwright-core, installed into scripts/playground/node_modules). Not part of CI.
#   scripts/playground-check.sh [PORT]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${1:-19622}"
cd "$ROOT/scripts/playground"
[ -d node_modules/playwright-core ] || npm install --no-audit --no-fund --silent
cd "$ROOT"
./m2m100 serve --model testdata/m2m100-tiny --port "$PORT" --host 127.0.0.1 --device cpu --access-log false \
  >"${TMPDIR:-/tmp}/m2m100-playground-server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { cat "${TMPDIR:-/tmp}/m2m100-playground-server.log" >&2; exit 1; }
  sleep 0.5
done
node scripts/playground/check.mjs "http://127.0.0.1:$PORT" docs/playground.png
echo "playground-check: passed; screenshot in docs/playground.png"
