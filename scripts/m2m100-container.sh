#!/bin/sh
# The launcher inside the container image (installed as /opt/m2m100/bin/m2m100, the image's ENTRYPOINT).
# Unlike ./m2m100 it never builds: the jars are baked into the image. Every sub-command works:
#   docker run IMAGE serve          docker run IMAGE download facebook/m2m100_418M --out /models/m2m100_418M
# Fixed flags: the Vector API (CPU backend) and native access (JCuda). Tunable flags come from JAVA_OPTS
# (heap share of the container memory limit, GC, ...). JCuda unpacks its native libraries into
# java.io.tmpdir, so that must be writable even when the root filesystem is read-only: it is $TMPDIR, a
# volume (/tmp) in the image and an emptyDir in Kubernetes. It must not be mounted noexec: the natives are
# loaded from there (Docker's --tmpfs defaults to noexec, hence --tmpfs /tmp:exec).
set -eu
APP_HOME="${M2M100_HOME:-/opt/m2m100}"
TMP_DIR="${TMPDIR:-/tmp}"
if [ ! -w "$TMP_DIR" ]; then
  echo "m2m100: temp directory $TMP_DIR is not writable; mount a volume there (docker: --tmpfs $TMP_DIR:exec," \
       "Kubernetes: an emptyDir) or point TMPDIR at a writable path." >&2
  exit 1
fi
# m2m100_run_java drops the JVM's "Using incubator modules" warning from stderr, passes SIGTERM on to the JVM
# (this shell is PID 1 in the container) and exits with the JVM's status (see the sourced file).
. "$APP_HOME/bin/run-java.sh"
# JAVA_OPTS is split on spaces on purpose (a list of JVM flags).
# shellcheck disable=SC2086
m2m100_run_java java \
  --add-modules jdk.incubator.vector \
  --enable-native-access=ALL-UNNAMED \
  --sun-misc-unsafe-memory-access=allow \
  -Djava.io.tmpdir="$TMP_DIR" \
  ${JAVA_OPTS:-} \
  -cp "$APP_HOME/lib/*" dev.m2m100.tools.Main "$@"
