#!/usr/bin/env bash
# Packs this project for a GPU machine that has CUDA but no JDK and no network (the `device` tool's machine):
#   scripts/gpu/pack.sh              (from the project's root or anywhere inside it; builds with Maven first)
# Writes .devbundle/{jre.tar.xz,app.tar.xz,run.sh} (git-ignored, ~50 MB). Then call the device tool's `run` with
#   command: set -o pipefail; bash .devbundle/run.sh 2>&1 | tee $OUT/run.log
#   carry:   [".devbundle/jre.tar.xz", ".devbundle/app.tar.xz", ".devbundle/run.sh"]
#   timeout_s: 420   (the whole session has 15 device-minutes, start-up included: one prepared run, maybe one rerun)
# ONLY=tests,bench,serve,ptx (env, comma list) selects steps; EXTRA='cmd' runs a command of yours at the end
# (app/m2m is the CLI launcher there, e.g. EXTRA='app/m2m bench --model /tmp/m418 --device cuda --dtype f16 --case c').
#
# The project's own copy of the shared kit (../shared/gpu): it works in a git worktree (.devbundle/ is in
# .gitignore instead of .git/info/exclude), and its run.sh measures both CUDA GEMMs (CUDA_GEMM=cublas|kernel).
set -euo pipefail
G="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; P="$(cd "$G/../.." && pwd)"; B="$P/.devbundle"
[ -f "$P/pom.xml" ] && [ -d "$P/m2m100-jvm" ] || { echo "scripts/gpu/pack.sh: $P is not the project's root" >&2; exit 1; }
source "$P/scripts/jdk.sh"
(cd "$P" && mvn -B -q -o -DskipTests package >/dev/null 2>&1 || mvn -B -q -DskipTests package)
JUNIT=$(sed -n 's:.*<junit.version>\(.*\)</junit.version>.*:\1:p' "$P/pom.xml"); PLAT="1.${JUNIT#5.}"
CON="$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/$PLAT/junit-platform-console-standalone-$PLAT.jar"
[ -f "$CON" ] || (cd "$P" && mvn -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:$PLAT >/dev/null)
rm -rf "$B"; mkdir -p "$B/stage/app/lib" "$B/stage/app/kernels/src/main"
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.net.http,java.xml,jdk.incubator.vector,jdk.management,jdk.unsupported,java.logging,java.management \
  --strip-java-debug-attributes --strip-native-debug-symbols=exclude-debuginfo-files --no-man-pages --no-header-files \
  --compress=zip-0 --output "$B/jre" 2>&1 | grep -v WARN || true
A="$B/stage/app"; cp "$P/tools/target/m2m100-tools.jar" "$CON" "$A/"; cp "$P"/tools/target/lib/*.jar "$A/lib/"
# To fit the 64 MiB that may travel: Lingua's language models (80 MB of already-compressed files) stay behind, so
# language detection (fromLang "auto") does not work on the GPU machine, and nothing in run.sh asks for it; every
# jar is re-stored uncompressed so that xz, which compresses far better than a jar's deflate, packs it (~150 MB
# of jars become ~30 MB).
zip -q -d "$A"/lib/lingua-*.jar 'language-models/*'
for j in "$A"/lib/*.jar; do t="$(mktemp -d)"; (cd "$t" && unzip -q "$j") && rm "$j" && (cd "$t" && zip -q -0 -r -X "$j" .); rm -rf "$t"; done
cp -r "$P/m2m100-jvm/target/test-classes" "$A/engine-tests"
cp -r "$P/kernels/build-ptx.sh" "$P/kernels/check-ptx.sh" "$P/kernels/cublas-compat" "$A/kernels/"
cp -r "$P/kernels/src/main/cuda" "$P/kernels/src/main/resources" "$A/kernels/src/main/"
cp -r "$P/testdata" "$A/testdata"; cp "$G/hf_gpu_bench.py" "$G/m2m" "$A/"; cp "$G/run.sh" "$B/"
(cd "$B" && tar -cJf jre.tar.xz jre && cd stage && tar -cJf ../app.tar.xz app); rm -rf "$B/jre" "$B/stage"
echo "packed: $(du -cb "$B"/*.tar.xz | tail -1 | cut -f1) bytes in .devbundle/ (limit for all that travels: 64 MiB)"
