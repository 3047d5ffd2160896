# Sourced by ./m2m100, ./run-tests and .ci/run: finds a JDK 25+ and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME if it is 25 or newer, then the usual install locations.

java_major() { # prints the major version of the java binary in $1/bin, or nothing
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

find_jdk25() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/*-2[5-9]* /usr/lib/jvm/* /opt/java/openjdk /opt/jdk*; do
    [ -n "$candidate" ] && [ -d "$candidate" ] || continue
    [ -x "$candidate/bin/javac" ] || [ -x "$candidate/bin/java" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! M2M100_JDK=$(find_jdk25); then
  echo "m2m100: no JDK 25 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm)." >&2
  echo "m2m100: install one (e.g. Temurin 25) or point JAVA_HOME at it." >&2
  exit 1
fi
export JAVA_HOME="$M2M100_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
