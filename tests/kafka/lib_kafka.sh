# shellcheck shell=bash disable=SC2034  # the variables are for the scripts that source this
# Sourced by tests/kafka/*_test.sh: a real corald (lib_corald.sh) and a development broker.
#   start_dev_kafka [--topics ...]   starts `coral dev-kafka --port 0`; sets $broker (host:port)
#                                    and $dev_kafka_pid; stopped by the EXIT trap
#   restart_corald                   kill -9 leftovers aside, starts corald again on the same
#                                    data directory and port
#   state_field RUNTIME ACTOR FIELD  prints one field of an actor's state (JSON)
#   topic_count TOPIC                messages now in TOPIC (kcat, bounded)
# Needs: kcat, python3.
# shellcheck source=../cli/lib_corald.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib_corald.sh"

dev_kafka_pid=""
kafka_cleanup() {
  # corald first, while its consumers can still leave their groups; then the broker.
  if [[ -n $corald_pid ]] && kill -0 "$corald_pid" 2>/dev/null; then
    kill -TERM "$corald_pid" 2>/dev/null
    wait "$corald_pid" 2>/dev/null
  fi
  if [[ -n $dev_kafka_pid ]] && kill -0 "$dev_kafka_pid" 2>/dev/null; then
    kill -TERM "$dev_kafka_pid" 2>/dev/null
    wait "$dev_kafka_pid" 2>/dev/null
  fi
  cleanup
}
trap kafka_cleanup EXIT

start_dev_kafka() {
  "$coral" dev-kafka --port 0 "$@" >"$tmp/dev-kafka.out" 2>"$tmp/dev-kafka.log" &
  dev_kafka_pid=$!
  local attempt
  for ((attempt = 0; attempt < 100; attempt++)); do
    broker=$(head -n 1 "$tmp/dev-kafka.out" 2>/dev/null)
    [[ $broker == 127.0.0.1:* ]] && return 0
    kill -0 "$dev_kafka_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "FAIL: coral dev-kafka did not print its address" >&2
  cat "$tmp/dev-kafka.log" >&2
  exit 1
}

# Starts corald again on the same port and data directory (after kill -9 of the previous one).
restart_corald() {
  local port=${server##*:} attempt
  "$corald" --no-cluster --auth-mode accept-all --api-interface 127.0.0.1 --api-port "$port" \
    --gossip-port "$(free_port)" --data-dir "$tmp/data" >>"$tmp/corald.out" 2>>"$tmp/corald.log" &
  corald_pid=$!
  for ((attempt = 0; attempt < 300; attempt++)); do
    healthy "$port" && return 0
    kill -0 "$corald_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "FAIL: corald did not come back at $server" >&2
  tail -n 20 "$tmp/corald.log" >&2
  exit 1
}

state_field() {
  "$coral" -o json state "$1" "$2" 2>/dev/null |
    python3 -c "import json,sys; s=json.load(sys.stdin); s=s if isinstance(s, dict) else {'$3': sum(x['$3'] for x in s)}; print(s['$3'])"
}

topic_count() {
  timeout 20 kcat -b "$broker" -C -t "$1" -e -q -f '.\n' 2>/dev/null | wc -l
}

# kafka_runtime NAME IN OUT [extra consumer properties...]: a consume -> threshold -> produce
# runtime (events with n >= 50 pass) written to $tmp/NAME.yaml.
kafka_runtime() {
  local name=$1 in=$2 out=$3
  cat >"$tmp/$name.yaml" <<YAML
name: $name
actors:
  - name: in
    type: kafka-consumer
    params:
      topic: $in
      kafka: {bootstrap.servers: "$broker", auto.offset.reset: earliest,
              session.timeout.ms: 6000, heartbeat.interval.ms: 500}
  - name: over
    type: threshold
    params: {key: n, threshold: 50}
  - name: out
    type: kafka-producer
    params: {topic: $out, key: id, kafka: {bootstrap.servers: "$broker", linger.ms: 5}}
links:
  - {from: in, to: over}
  - {from: over, to: out}
YAML
}
