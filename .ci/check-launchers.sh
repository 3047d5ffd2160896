#!/usr/bin/env bash
# Checks both launchers as users run them, after a build (tools/target holds the jars):
#   ./m2m100 and scripts/m2m100-container.sh (in an /opt/m2m100-like layout made of the built jars):
#   --version says the POM's version, no sub-command is status 2, stderr carries no incubator-module warning,
#   and SIGTERM to the launcher drains the server and ends with the JVM's status (143).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/jdk.sh

fail() { echo "check-launchers: $*" >&2; exit 1; }
version=$(sed -n 's/^ *<version>\([^<]*\)<\/version>.*/\1/p' pom.xml | head -n 1)
home=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$home"' EXIT
mkdir -p "$home/bin" "$home/lib" "$home/tmp"
cp scripts/m2m100-container.sh "$home/bin/m2m100"
cp scripts/run-java.sh "$home/bin/run-java.sh"
ln -s "$PWD/tools/target/m2m100-tools.jar" "$PWD"/tools/target/lib/*.jar "$home/lib/"

container() { M2M100_HOME="$home" TMPDIR="$home/tmp" sh "$home/bin/m2m100" "$@"; }

for launcher in ./m2m100 container; do
  out=$($launcher --version 2>"$home/err") || fail "$launcher --version failed: $(cat "$home/err")"
  [ "$out" = "m2m100-jvm $version" ] || fail "$launcher --version says '$out', the POM says $version"
  [ ! -s "$home/err" ] || fail "$launcher --version wrote to stderr: $(cat "$home/err")"
  status=0; $launcher >/dev/null 2>"$home/err" || status=$?
  [ "$status" = 2 ] || fail "$launcher without a command exited $status, not 2"
  grep -q '^Usage: m2m100' "$home/err" || fail "$launcher without a command printed no usage"
  ! grep -q 'incubator' "$home/err" || fail "$launcher let the incubator-module warning through"
done

# SIGTERM to the container launcher (PID 1 in a container) reaches the JVM: the server drains and stops.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# (a simple command, not the function: $! must be the launcher's own pid)
M2M100_HOME="$home" TMPDIR="$home/tmp" sh "$home/bin/m2m100" serve --model "$PWD/testdata/m2m100-tiny" \
  --host 127.0.0.1 --port "$port" --device cpu 2>"$home/serve" &
pid=$!
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/ready" 2>/dev/null && break
  sleep 1
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/ready" || { kill "$pid"; fail "serve did not become ready: $(cat "$home/serve")"; }
kill -TERM "$pid"
status=0; wait "$pid" || status=$?
pid=
[ "$status" = 143 ] || fail "serve ended with status $status after SIGTERM, not 143 (the JVM's): $(cat "$home/serve")"
grep -q 'drained; stopped' "$home/serve" || fail "serve did not drain on SIGTERM: $(cat "$home/serve")"
! grep -q 'incubator' "$home/serve" || fail "serve let the incubator-module warning through"
echo "check-launchers: ./m2m100 and the container launcher: version $version, usage status 2, no incubator warning, SIGTERM drains"
