# Sourced by both launchers (./m2m100 and scripts/m2m100-container.sh); POSIX sh.
#
# m2m100_run_java COMMAND... runs the JVM command line with its stderr passed through a filter that drops exactly
# one line, "WARNING: Using incubator modules: jdk.incubator.vector". The JVM prints it at every start because the
# CPU backend needs the Vector API module (jdk.internal.module.ModuleBootstrap prints it unconditionally: no -X or
# -XX flag turns it off, in a jlink'ed runtime neither). Everything else on stderr passes as it arrives (byte for
# byte, so progress bars that redraw with \r keep working), other warnings included.
#
# The JVM keeps the shell's stdin; SIGTERM, SIGINT and SIGHUP sent to the launcher are passed on (the server
# drains on SIGTERM). The function waits for the JVM and then for the filter, so all of stderr is out before the
# caller goes on, and exits with the JVM's status. Without mkfifo it simply execs the command (the warning shows).
m2m100_run_java() {
  _m2m100_fifo="${TMPDIR:-/tmp}/m2m100-stderr.$$"
  rm -f "$_m2m100_fifo"
  if ! mkfifo -m 600 "$_m2m100_fifo" 2>/dev/null; then
    exec "$@"
  fi
  # Open both ends here (read-write first, so that neither open blocks), then drop the name: nothing is left behind.
  exec 7<>"$_m2m100_fifo" 8<"$_m2m100_fifo" 9>"$_m2m100_fifo" 7>&-
  rm -f "$_m2m100_fifo"
  (
    exec 9>&-
    if IFS= read -r _m2m100_line; then
      [ "$_m2m100_line" = "WARNING: Using incubator modules: jdk.incubator.vector" ] || printf '%s\n' "$_m2m100_line"
    else
      printf '%s' "$_m2m100_line"
    fi
    exec cat
  ) <&8 >&2 &
  _m2m100_filter=$!
  # A background command's stdin would be /dev/null: hand it the shell's stdin through fd 6.
  exec 6<&0
  "$@" <&6 2>&9 6<&- 8<&- 9>&- &
  _m2m100_java=$!
  exec 6<&- 8<&- 9>&-
  trap 'kill -TERM "$_m2m100_java" 2>/dev/null' TERM
  trap 'kill -INT "$_m2m100_java" 2>/dev/null' INT
  trap 'kill -HUP "$_m2m100_java" 2>/dev/null' HUP
  while :; do
    _m2m100_status=0
    wait "$_m2m100_java" || _m2m100_status=$?
    kill -0 "$_m2m100_java" 2>/dev/null || break   # a trapped signal interrupted wait: the JVM still runs
  done
  wait "$_m2m100_filter" || :
  exit "$_m2m100_status"
}
