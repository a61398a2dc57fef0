#!/usr/bin/env bash
# A trial of the scaled-out dashboard on this machine: N Streamlit replicas behind HAProxy, on 127.0.0.1.
#
#   bash deploy/local.sh up N     build the warehouse if there is none, start N replicas on ports
#                                 HSS_REPLICA_PORT.. and HAProxy on HSS_LB_PORT, and wait until HAProxy sees
#                                 every replica healthy. With HSS_PUBLICATION set, nothing is built: each
#                                 replica installs the published build into HSS_RUN_DIR/replicaI/ and follows
#                                 the store's pointer
#   bash deploy/local.sh down     stop exactly the processes `up` started (ids kept in HSS_RUN_DIR)
#   bash deploy/local.sh status   the processes `up` started and whether they still run
#
# Every replica runs `python3 -m streamlit run app.py` with this shell's HSS_* settings and one cookie secret
# (STREAMLIT_SERVER_COOKIE_SECRET if set, else a random one kept in HSS_RUN_DIR/cookie_secret).
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$PATH:/usr/sbin"  # where Debian puts haproxy, not on every user's PATH

die() { echo "local.sh: $*" >&2; exit 1; }

# The settings, from their one declaration (dashboard/config.py).
eval "$(python3 -c '
import shlex
from dashboard import config
for name in ("lb_port", "lb_stats_port", "replica_port", "run_dir"):
    print(f"{name.upper()}={shlex.quote(str(config.get(name)))}")
')"

# A pid file's process, if it still runs and is one this script starts (a recycled id is left alone).
ours() {
  local pid=$1 cmd
  [ -r "/proc/$pid/cmdline" ] || return 1
  cmd=$(tr '\0' ' ' < "/proc/$pid/cmdline")
  [[ $cmd == *"streamlit run app.py"* || $cmd == *"haproxy -db -f $RUN_DIR/haproxy.cfg"* ]]
}

running() {
  local f
  for f in "$RUN_DIR"/*.pid; do
    [ -e "$f" ] && ours "$(cat "$f")" && return 0
  done
  return 1
}

# wait_for URL TEXT SECONDS: until GET URL answers a body containing TEXT.
wait_for() {
  python3 - "$@" <<'EOF'
import sys, time, urllib.request
url, text, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
deadline = time.monotonic() + seconds
while True:
    try:
        if text in urllib.request.urlopen(url, timeout=5).read().decode():
            sys.exit(0)
    except OSError:
        pass
    if time.monotonic() > deadline:
        sys.exit(f"local.sh: no '{text}' from {url} after {seconds:.0f} s")
    time.sleep(0.5)
EOF
}

# every_replica_up N SECONDS: until HAProxy's statistics show N servers of the backend UP.
every_replica_up() {
  python3 - "http://127.0.0.1:$LB_STATS_PORT/stats;csv" "$@" <<'EOF'
import csv, io, sys, time, urllib.request
url, n, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
deadline = time.monotonic() + seconds
while True:
    try:
        rows = csv.DictReader(io.StringIO(urllib.request.urlopen(url, timeout=5).read().decode().lstrip("# ")))
        up = [r["svname"] for r in rows if r["pxname"] == "replicas" and r["status"] == "UP"
              and r["svname"] not in ("FRONTEND", "BACKEND")]
        if len(up) == n:
            sys.exit(0)
    except OSError:
        pass
    if time.monotonic() > deadline:
        sys.exit(f"local.sh: HAProxy does not see {n} healthy replicas after {seconds:.0f} s (see its log)")
    time.sleep(1)
EOF
}

port_free() {
  python3 -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try: s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError: sys.exit(1)' "$1"
}

# deploy/haproxy.cfg with the lines marked "local.sh" pointed at this run, and N local replicas.
render() {
  local n=$1 i
  {
    sed -e "s#^\( *\)stats socket .*\# local.sh#\1stats socket $RUN_DIR/haproxy.sock mode 600 level admin#" \
        -e "s#^\( *\)bind :80 .*\# local.sh#\1bind 127.0.0.1:$LB_PORT#" \
        -e "s#^\( *\)bind 127.0.0.1:8404 .*\# local.sh#\1bind 127.0.0.1:$LB_STATS_PORT#" \
        -e '/# BEGIN replicas/,/# END replicas/{/# BEGIN replicas/!{/# END replicas/!d}}' \
        -e '/# END replicas/d' deploy/haproxy.cfg
  } > "$RUN_DIR/haproxy.cfg.tmp"
  local servers=""
  for i in $(seq 1 "$n"); do
    servers+="    server replica$i 127.0.0.1:$((REPLICA_PORT + i - 1)) check cookie r$i"$'\n'
  done
  python3 - "$RUN_DIR/haproxy.cfg.tmp" "$servers" <<'EOF'
import sys
path, servers = sys.argv[1], sys.argv[2]
text = open(path).read()
open(path, "w").write(text.replace("    # BEGIN replicas\n", "    # BEGIN replicas\n" + servers + "    # END replicas\n"))
EOF
  mv "$RUN_DIR/haproxy.cfg.tmp" "$RUN_DIR/haproxy.cfg"
}

up() {
  local n=${1:-}
  [[ $n =~ ^[1-9][0-9]?$ ]] || die "usage: local.sh up N (N replicas, 1 to 99)"
  command -v haproxy >/dev/null || die "haproxy is not installed (Debian: apt-get install haproxy)"
  mkdir -p "$RUN_DIR"
  running && die "already running (process ids in $RUN_DIR); run 'bash deploy/local.sh down' first"
  rm -f "$RUN_DIR"/*.pid

  local port i
  for port in "$LB_PORT" "$LB_STATS_PORT" $(seq "$REPLICA_PORT" $((REPLICA_PORT + n - 1))); do
    port_free "$port" || die "port $port on 127.0.0.1 is in use (see the HSS_*_PORT settings)"
  done
  if [ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]; then
    [ -s "$RUN_DIR/cookie_secret" ] || (umask 077 && python3 -c 'import secrets; print(secrets.token_hex(32))' \
      > "$RUN_DIR/cookie_secret")
    STREAMLIT_SERVER_COOKIE_SECRET=$(cat "$RUN_DIR/cookie_secret")
    export STREAMLIT_SERVER_COOKIE_SECRET
  fi
  # One build before the replicas start: N first-start builds would race for the same file.
  if [ -z "${HSS_PUBLICATION:-}" ] && [ ! -f "$(python3 -c 'from dashboard import config; print(config.path("warehouse"))')" ]; then
    python3 -m dashboard build >"$RUN_DIR/build.log" 2>&1 || die "the warehouse build failed: see $RUN_DIR/build.log"
  fi
  render "$n"
  haproxy -c -q -f "$RUN_DIR/haproxy.cfg" || die "the rendered $RUN_DIR/haproxy.cfg is not valid"

  for i in $(seq 1 "$n"); do
    port=$((REPLICA_PORT + i - 1))
    if [ -n "${HSS_PUBLICATION:-}" ]; then
      # Following a publication store, each replica keeps its own copy of the published warehouse (it renames
      # new builds over it); the storyboards stay one store for all.
      mkdir -p "$RUN_DIR/replica$i"
      export HSS_WAREHOUSE="$RUN_DIR/replica$i/warehouse.duckdb" HSS_STATE_STORE="${HSS_STATE_STORE:-$RUN_DIR/state.sqlite}"
    fi
    nohup python3 -m streamlit run app.py --server.port "$port" --server.address 127.0.0.1 \
      --server.headless true --server.scriptHealthCheckEnabled true >"$RUN_DIR/replica$i.log" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/replica$i.pid"
  done
  for i in $(seq 1 "$n"); do
    wait_for "http://127.0.0.1:$((REPLICA_PORT + i - 1))/_stcore/health" ok 120 \
      || { down; die "replica $i did not start: see $RUN_DIR/replica$i.log"; }
  done
  nohup haproxy -db -f "$RUN_DIR/haproxy.cfg" >"$RUN_DIR/haproxy.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/haproxy.pid"
  every_replica_up "$n" 120 || { down; die "see $RUN_DIR/haproxy.log and $RUN_DIR/replica*.log"; }
  echo "dashboard: http://127.0.0.1:$LB_PORT ($n replica(s) on ports $REPLICA_PORT-$((REPLICA_PORT + n - 1)));" \
       "HAProxy statistics: http://127.0.0.1:$LB_STATS_PORT/stats"
}

down() {
  local f pid pids=() seconds
  for f in "$RUN_DIR"/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    if ours "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  for seconds in $(seq 1 30); do
    local left=()
    for pid in ${pids[@]+"${pids[@]}"}; do ours "$pid" && left+=("$pid"); done
    [ ${#left[@]} -eq 0 ] && break
    [ "$seconds" -eq 30 ] && kill -KILL "${left[@]}" 2>/dev/null
    sleep 0.5
  done
  rm -f "$RUN_DIR"/*.pid
  echo "stopped ${#pids[@]} processes"
}

status() {
  local f
  for f in "$RUN_DIR"/*.pid; do
    [ -e "$f" ] || continue
    if ours "$(cat "$f")"; then echo "$(basename "$f" .pid) $(cat "$f") running"; else echo "$(basename "$f" .pid) gone"; fi
  done
}

case "${1:-}" in
  up) up "${2:-}" ;;
  down) down ;;
  status) status ;;
  *) die "usage: bash deploy/local.sh up N | down | status" ;;
esac
