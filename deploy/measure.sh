#!/usr/bin/env bash
# Scale-out measurement on this machine, with the project's load driver (`python -m dashboard load`):
#   1. for 1 and for 2 replicas behind HAProxy, closed-loop runs of S simultaneous sessions (S in SESSIONS),
#      K interactions each through every page: interactions per second, p95 and per-replica memory;
#   2. with 2 replicas following a publication store: 4 sessions of 3K interactions running while a new build
#      is published 10 s in, counting errors and which build each About page showed.
# Reports go to HSS_RUN_DIR/measure/*.json and a summary to its summary.md. Uses `deploy/local.sh`, so the
# same port settings apply; needs the warehouse (HSS_WAREHOUSE) built.
#   bash deploy/measure.sh [K] ["S1 S2 ..."]
set -euo pipefail
cd "$(dirname "$0")/.."
K=${1:-12}
SESSIONS=${2:-"1 2 4 6 8"}

eval "$(python3 -c '
import shlex
from dashboard import config
for name in ("lb_port", "run_dir", "warehouse"):
    print(f"{name.upper()}={shlex.quote(str(config.get(name)))}")
')"
OUT="$RUN_DIR/measure"
URL="http://127.0.0.1:$LB_PORT"
mkdir -p "$OUT"
[ -f "$WAREHOUSE" ] || { echo "measure.sh: build the warehouse first (python -m dashboard build)" >&2; exit 1; }

pids() { local f; for f in "$RUN_DIR"/replica*.pid; do printf -- '--server-pid %s ' "$(cat "$f")"; done; }

for replicas in 1 2; do
  bash deploy/local.sh up "$replicas"
  # Warm-up (not reported): a long-running replica has each build's lookups and common queries cached.
  python3 -m dashboard load --url "$URL" --sessions $((2 * replicas)) --interactions "$K" --timeout 60 \
    --max-seconds 600 >/dev/null || true
  for s in $SESSIONS; do
    # shellcheck disable=SC2046
    python3 -m dashboard load --url "$URL" --sessions "$s" --interactions "$K" --timeout 60 --max-seconds 600 \
      $(pids) --out "$OUT/replicas$replicas-sessions$s.json" | head -1 || true
  done
  bash deploy/local.sh down
done

# Publication under load: build B beside the warehouse (A), publish A, start 2 replicas following the store,
# publish B while sessions run.
store="$OUT/publication"
rm -rf "$store"
second="$OUT/warehouse-b.duckdb"
python3 -m dashboard build --warehouse "$second" >/dev/null
python3 -m dashboard publish --to "$store" --warehouse "$WAREHOUSE" >/dev/null
rm -f "$RUN_DIR"/replica*/warehouse.duckdb
HSS_PUBLICATION="$store" bash deploy/local.sh up 2
s=${PUBLISH_SESSIONS:-4}
# shellcheck disable=SC2046
python3 -m dashboard load --url "$URL" --sessions "$s" --interactions $((K * 3)) --timeout 60 --max-seconds 900 \
  --warehouse "$WAREHOUSE" $(pids) --out "$OUT/publish-under-load.json" | head -1 &
loader=$!
sleep 10  # the sessions are running (a run takes over a minute even on a quiet machine)
python3 -m dashboard publish --to "$store" --warehouse "$second" | tail -1
wait "$loader" || true
grep -h "publication:" "$RUN_DIR"/replica*.log || true
bash deploy/local.sh down

python3 - "$OUT" <<'EOF'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
lines = ["| replicas | sessions | interactions/s | p50 ms | p95 ms | failures | replica memory peak (MB) |",
         "|---|---|---|---|---|---|---|"]
best, peak = {}, {}
for path in sorted(out.glob("replicas*-sessions*.json"), key=lambda p: (p.name[8], int(p.stem.split("sessions")[1]))):
    r = json.loads(path.read_text())
    replicas = int(path.name[8])
    t = r["time"] or {}
    peaks = ", ".join(f"{m['rss_mb_peak']:.0f}" for m in r["memory"])
    lines.append(f"| {replicas} | {r['sessions']} | {r['interactions_per_second']} | {t.get('p50_ms')} | "
                 f"{t.get('p95_ms')} | {r['failure_count']} | {peaks} |")
    if r["failure_count"] == 0 and t.get("p95_ms") is not None and t["p95_ms"] <= 2000:
        best[replicas] = max(best.get(replicas, 0), r["interactions_per_second"])
    peak[replicas] = max(peak.get(replicas, 0), r["interactions_per_second"] or 0)
lines.append("")
for replicas in (1, 2):
    lines.append(f"- {replicas} replica(s): sustained at p95 <= 2 s without failures: "
                 f"{best[replicas] if replicas in best else 'no run met p95 <= 2 s'} interactions/s; "
                 f"highest throughput of any run: {peak.get(replicas)} interactions/s")
if best.get(1) and best.get(2):
    lines.append(f"- 2 replicas / 1 replica at p95 <= 2 s: {best[2] / best[1]:.2f}x")
p = out / "publish-under-load.json"
if p.exists():
    r = json.loads(p.read_text())
    builds = sorted({x["build_id"] for x in r["records"] if x.get("build_id")})
    lines.append(f"- publish under load: {r['sessions']} sessions, {r['interactions']} interactions, "
                 f"{r['failure_count']} failures; About pages showed builds {', '.join(builds)}; replica memory "
                 + ", ".join(f"{m['rss_mb_before']} -> {m['rss_mb_after']} MB (peak {m['rss_mb_peak']})"
                             for m in r["memory"]))
(out / "summary.md").write_text("\n".join(lines) + "\n")
print("\n".join(lines))
EOF
