# syntax=docker/dockerfile:1
#
# m2m100-jvm image: build with Maven + JDK 25, run on an NVIDIA CUDA 12 runtime with a jlink'ed Java 25.
#
#   docker build -t m2m100-jvm:0.1.0 .                                         # GPU image (CUDA 12.6 runtime)
#   docker build --build-arg RUNTIME_REPO=ubuntu --build-arg RUNTIME_TAG=24.04 \
#                -t m2m100-jvm:0.1.0-cpu .                        # CPU-only: no CUDA libraries, much smaller
#   docker run --gpus all -p 9527:9527 -v m2m100-models:/models m2m100-jvm:0.1.0
#
# Needs BuildKit (the default builder of Docker 23+) for the Maven cache mount. Tags are pinned; for
# reproducible builds pin them by digest too: --build-arg RUNTIME_TAG=12.6.3-runtime-ubuntu24.04@sha256:...
# See docs/OPERATIONS.md.

# The product version (the POM's <version>; a test checks they agree), for the image label. Tag the image with it.
ARG VERSION=0.1.0
ARG BUILD_REPO=maven
ARG BUILD_TAG=3.9.11-eclipse-temurin-25
# The "-runtime-" CUDA images carry cuBLAS (libcublas.so.12, which JCublas 12.6 links against; the default
# GEMM, CUDA_GEMM=cublas); the "-base-" ones only have cudart and would need CUDA_GEMM=kernel (our own GEMM).
ARG RUNTIME_REPO=nvidia/cuda
ARG RUNTIME_TAG=12.6.3-runtime-ubuntu24.04

# ---------------------------------------------------------------------------------------------------
FROM ${BUILD_REPO}:${BUILD_TAG} AS build
WORKDIR /src

# Dependencies and Maven plugins live in a BuildKit cache mount: kept between builds, never in the image,
# so a source change rebuilds in seconds without re-downloading. (A POM-only `dependency:go-offline`
# layer was tried and is incomplete for this build: sibling modules are not installed, the default
# lifecycle's plugins and protoc are fetched only when they run, so the build would still go online.)
COPY pom.xml ./
COPY tokenizer tokenizer
COPY kernels kernels
COPY m2m100-jvm m2m100-jvm
COPY server server
COPY tools tools
# What the tools jar ships so that bench and random-model work anywhere: the standard workload, the fixture tokenizer.
COPY testdata/bench-workload.json testdata/bench-workload.json
COPY testdata/m2m100-tiny/sentencepiece.bpe.model testdata/m2m100-tiny/vocab.json \
     testdata/m2m100-tiny/tokenizer_config.json testdata/m2m100-tiny/special_tokens_map.json testdata/m2m100-tiny/
COPY testdata/nllb-tiny/sentencepiece.bpe.model testdata/nllb-tiny/tokenizer_config.json \
     testdata/nllb-tiny/special_tokens_map.json testdata/nllb-tiny/
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    mvn -B -ntp -Dmaven.test.skip=true package

# A Java runtime with exactly what the service needs: the Java SE modules, the Vector API (CPU backend),
# jdk.unsupported (Unsafe for protobuf), jdk.management (process CPU metrics), jdk.zipfs, and
# jdk.jfr + jdk.jcmd for diagnosing a live pod. ~70 MB. `download` talks HTTPS to the hub: the trust store
# must be a real file (some JDK packages symlink it to /etc/ssl/certs/java, which the runtime image lacks).
# (Not /opt/java: the Temurin images keep their JDK under /opt/java/openjdk. Not --strip-debug: it needs
# objcopy from binutils and saves nothing here, the JDK's native libraries come stripped.)
RUN jlink \
      --add-modules java.se,jdk.incubator.vector,jdk.unsupported,jdk.management,jdk.zipfs,jdk.jfr,jdk.jcmd \
      --strip-java-debug-attributes --no-man-pages --no-header-files --compress=zip-6 \
      --output /opt/jre \
 && CACERTS=/opt/jre/lib/security/cacerts \
 && if [ -L "$CACERTS" ]; then cp --remove-destination "$(readlink -f "$CACERTS")" "$CACERTS"; fi \
 && test -s "$CACERTS"

# The application: our jars + their runtime dependencies, and the in-image launcher.
COPY scripts/m2m100-container.sh /opt/m2m100/bin/m2m100
COPY scripts/run-java.sh /opt/m2m100/bin/run-java.sh
RUN mkdir -p /opt/m2m100/lib \
 && cp tools/target/m2m100-tools.jar tools/target/lib/*.jar /opt/m2m100/lib/ \
 && chmod 0755 /opt/m2m100/bin/m2m100

# ---------------------------------------------------------------------------------------------------
FROM ${RUNTIME_REPO}:${RUNTIME_TAG} AS runtime
ARG VERSION
LABEL org.opencontainers.image.title="m2m100-jvm" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.description="M2M100 translation service for the JVM (CPU and CUDA)"

# curl serves the HEALTHCHECK; the CUDA images purge theirs. A fixed numeric non-root user, so that
# Kubernetes' runAsNonRoot can verify it.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 m2m100 \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin m2m100 \
 && mkdir -p /models \
 && chown 10001:10001 /models

COPY --from=build /opt/jre /opt/java
COPY --from=build /opt/m2m100 /opt/m2m100

# MODEL_DIR is not set here: point it (or `serve --model DIR`) at a model folder on the /models volume,
# e.g. one written by `download facebook/m2m100_418M --out /models/m2m100_418M`, or at a hub id (MODEL_ID:
# facebook/m2m100_418M, facebook/nllb-200-distilled-600M, …; the folder decides the family, docs/OPERATIONS.md).
# M2M100_CACHE keeps the tools' model cache on the same volume.
# MaxRAMPercentage leaves half the container's memory to off-heap weights, the KV cache and CUDA.
# LANG: Java writes stdout in the locale's charset; without one, progress and log text lose non-ASCII.
ENV JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:/opt/m2m100/bin:$PATH \
    HOME=/tmp \
    TMPDIR=/tmp \
    LANG=C.UTF-8 \
    M2M100_CACHE=/models/cache \
    PORT=9527 \
    DEVICE=auto \
    JAVA_OPTS="-XX:MaxRAMPercentage=50 -XX:+UseParallelGC -Xmn128m -XX:+ExitOnOutOfMemoryError"

# /tmp stays writable under `docker run --read-only` (JCuda unpacks its natives there).
VOLUME ["/models", "/tmp"]
USER 10001:10001
WORKDIR /tmp
EXPOSE 9527

# Healthy = ready to translate (model loaded and warmed up, not draining). Loading the 418M model
# takes minutes on a cold cache, hence the long start period.
HEALTHCHECK --interval=15s --timeout=5s --start-period=600s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/ready" || exit 1

# SIGTERM drains (readiness off, in-flight work finishes): give `docker stop` time, e.g. --stop-timeout 75.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/m2m100/bin/m2m100"]
CMD ["serve"]
