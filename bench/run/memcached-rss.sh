#!/bin/sh
# Memory over time of a long-running server under load, natively and under
# snag run: memcached on loopback with memcached_load.py as the client,
# RSS sampled every INTERVAL seconds for SECONDS seconds. Memory must stay
# flat under snag run as it does natively (records of connections' threads,
# locks and waits are reused, not kept).
#
#   bench/run/memcached-rss.sh MEMCACHED [BUILD_DIR]
#
# Environment: SECONDS_TOTAL (240), INTERVAL (20), CONNS (8), PORT (22122),
# RUNS ("native snag", or one of them).
#
# MEMCACHED is a memcached binary (any build; 1.6.18 was measured). Needs
# python3. Prints one markdown table row per sample.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
memcached=$1
build=${2:-$root/build}
snag=$build/bin/snag
SECONDS_TOTAL=${SECONDS_TOTAL:-240}
INTERVAL=${INTERVAL:-20}
CONNS=${CONNS:-8}
PORT=${PORT:-22122}
RUNS=${RUNS:-native snag} # which of the two runs to make

# The pid of the memcached process started by "$@" (snag run's child).
server_pid() {
  for _ in $(seq 100); do
    p=$(pgrep -n -x memcached -P "$1" 2>/dev/null || true)
    [ -n "$p" ] && { echo "$p"; return; }
    [ "$(cat /proc/"$1"/comm 2>/dev/null)" = memcached ] && { echo "$1"; return; }
    sleep 0.1
  done
  echo "no memcached process" >&2
  exit 1
}

rss() { awk '/^VmRSS:/ {print $2}' /proc/"$1"/status; }

# run LABEL PORT COMMAND...: starts the server, loads it, samples its RSS.
run() {
  label=$1
  port=$2
  shift 2
  "$@" -p "$port" -U 0 -t 4 -m 64 -u "$(id -un)" &
  top=$!
  pid=$(server_pid "$top")
  sleep 1
  python3 "$here/memcached_load.py" "$port" "$SECONDS_TOTAL" "$CONNS" > "$work/load-$label.out" &
  load=$!
  t=0
  while [ "$t" -le "$SECONDS_TOTAL" ]; do
    echo "| $label | $t | $(rss "$pid") |"
    sleep "$INTERVAL"
    t=$((t + INTERVAL))
  done
  wait "$load"
  echo "| $label | load | $(cat "$work/load-$label.out") |"
  kill -TERM "$top"
  wait "$top" || true
}

work=$root/bench/work/run
mkdir -p "$work"
echo "| run | seconds | RSS KiB |"
echo "|---|---|---|"
case " $RUNS " in *" native "*) run native "$PORT" "$memcached" ;; esac
case " $RUNS " in
*" snag "*) run "snag run" $((PORT + 1)) "$snag" run -o "$work/memcached-report.txt" -- "$memcached" ;;
esac
