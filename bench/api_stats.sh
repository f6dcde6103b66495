#!/usr/bin/env bash
# Latency of GET /api/runtimes/<id>/stats while the runtime processes events: corald with a
# generator (rate 10000/s) feeding a stats actor, then wrk -t1 -c64 -d10s --latency. One wrk
# thread drives the 64 connections: on a 2-core machine a second one takes the server's core and
# measures the scheduler rather than corald (WRK_THREADS=2 to see that). The
# baseline, measured first in the same run: GET /api/health on the same server (no
# authentication, no runtime lookup), so the ratio shows what the stats path itself costs.
# Floor: p99 < 5 ms. Not part of the test run.
# Usage: bench/api_stats.sh [BUILD_DIR]   (default: build; needs wrk: scripts/deps.sh bench)
set -euo pipefail

build=${1:-${CORAL_BIN:-build}}
corald=$build/corald
[[ -x $corald ]] || { echo "api_stats: no $corald; build first" >&2; exit 2; }
command -v wrk >/dev/null || { echo "api_stats: wrk is missing (scripts/deps.sh bench)" >&2; exit 2; }

root=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
gossip=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$corald" --api-interface 127.0.0.1 --api-port "$port" --gossip-port "$gossip" --no-cluster \
  --data-dir "$root/data" --auth-mode accept-all --log-level warn 2>"$root/corald.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$root"' EXIT

url=http://127.0.0.1:$port
ready=0
for _ in $(seq 200); do  # up to 10 s
  curl -fs "$url/api/health" >/dev/null 2>&1 && { ready=1; break; }
  kill -0 $pid 2>/dev/null || { cat "$root/corald.log" >&2; exit 1; }
  sleep 0.05
done
((ready)) || { echo "api_stats: corald did not answer within 10 s" >&2; cat "$root/corald.log" >&2; exit 1; }

definition='{"name": "bench", "actors": [
  {"name": "gen", "type": "generator", "params": {"format": {"v": "U(100)"}, "timer": {"rate": 10000}}},
  {"name": "s", "type": "stats", "params": {"field": "v"}}],
  "links": [{"from": "gen", "to": "s"}]}'
id=$(curl -fs -X POST -H 'Content-Type: application/json' -d "$definition" "$url/api/runtimes" | jq -r .id)
curl -fs -X PATCH -d '{"status": "start"}' "$url/api/runtimes/$id" >/dev/null
sleep 1
before=$(curl -fs "$url/api/runtimes/$id/stats" | jq .totalMessages)

threads=${WRK_THREADS:-1}
baseline=$(wrk -t"$threads" -c64 -d5s --latency "$url/api/health")
out=$(wrk -t"$threads" -c64 -d10s --latency "$url/api/runtimes/$id/stats")
echo "$out"
after=$(curl -fs "$url/api/runtimes/$id/stats" | jq .totalMessages)

rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
base_rps=$(awk '/Requests\/sec/ {print $2}' <<<"$baseline")
base_p99=$(awk '$1 == "99%" {print $2}' <<<"$baseline")
p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
# wrk prints us, ms or s; convert to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }
p50_ms=$(to_ms "$p50")
p99_ms=$(to_ms "$p99")
echo
echo "GET /api/runtimes/<id>/stats: ${rps} req/s, p50 ${p50_ms} ms, p99 ${p99_ms} ms" \
     "(events processed meanwhile: $((after - before)))"
echo "baseline GET /api/health: ${base_rps} req/s, p99 $(to_ms "$base_p99") ms;" \
     "stats/health throughput ratio $(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.2f", a / b }')"
if awk -v p="$p99_ms" 'BEGIN { exit !(p < 5) }'; then
  echo "floor p99 < 5 ms: met"
else
  echo "floor p99 < 5 ms: NOT met"
  exit 1
fi
