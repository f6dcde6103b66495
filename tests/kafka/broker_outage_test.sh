#!/usr/bin/env bash
# A broker that goes away and comes back: the outage shows in the actors' state and the
# runtime's stats (health degraded, troubles, lastError) and in `coral get runtimes`, nothing
# crashes, and the runtime resumes by itself: every event
# written before, during and after the outage reaches the output topic. SIGTERM during an
# outage stops corald in bounded time.
set -uo pipefail
# shellcheck source=lib_kafka.sh
source "$(dirname "$0")/lib_kafka.sh"
start_dev_kafka --topics in:2,out:2
start_corald --auth-mode accept-all

kafka_runtime outage in out
"$coral" apply -f "$tmp/outage.yaml" >"$tmp/out" 2>&1
check "runtime applies" test $? -eq 0
write() {  # write FROM TO: events with ids FROM..TO-1, all over the threshold
  python3 -c "
for i in range($1, $2): print('{\"id\": %d, \"n\": 99}' % i)" | kcat -b "$broker" -P -t in
}
write 0 100
first() { (($(topic_count out) >= 100)); }
check "events flow before the outage" wait_for 30 first

kill -USR1 "$dev_kafka_pid"  # broker down: connections closed, new ones refused
down() { [[ $(state_field coral-outage in broker) == down* ]]; }
check "the consumer's state says the broker is down (within 30 s)" wait_for 30 down
"$coral" -o json stats coral-outage >"$tmp/stats.json" 2>&1
check "the runtime's stats carry the broker error" grep -q '"lastError"' "$tmp/stats.json"
degraded() {
  "$coral" -o json stats coral-outage >"$tmp/stats.json" 2>&1 && python3 -c "
import json; s = json.load(open('$tmp/stats.json'))
assert s['health'] == 'degraded' and s['troubles']['in'].startswith('broker down'), s"
}
check "the runtime's health is degraded, naming the consumer and the broker" wait_for 10 degraded
"$coral" get runtimes >"$tmp/list" 2>&1
check "coral get runtimes says running, degraded" grep -qE "^outage +coral +running, degraded " "$tmp/list"
check "the daemon is up during the outage" healthy "${server##*:}"

kill -USR2 "$dev_kafka_pid"  # broker back
write 100 200
up() { [[ $(state_field coral-outage in broker) == up ]]; }
check "the consumer sees the broker again (within 30 s)" wait_for 30 up
healthy_again() { "$coral" -o json stats coral-outage 2>/dev/null | grep -qE '"health": ?"ok"'; }
check "the runtime's health is ok again (within 10 s)" wait_for 10 healthy_again
all() { (($(topic_count out) >= 200)); }
check "events written after the outage arrive too (within 60 s)" wait_for 60 all
timeout 20 kcat -b "$broker" -C -t out -e -q >"$tmp/out.jsonl" 2>/dev/null
check "none missing" python3 -c "
import json
ids = {json.loads(line)['id'] for line in open('$tmp/out.jsonl') if line.strip()}
missing = set(range(200)) - ids
assert not missing, sorted(missing)[:20]
"
check "the daemon is still up" kill -0 "$corald_pid"

# SIGTERM while the broker is away: the shutdown is bounded (no flush or commit can succeed).
kill -USR1 "$dev_kafka_pid"
check "down again" wait_for 30 down
stop_started=$SECONDS
kill -TERM "$corald_pid"
gone() { ! kill -0 "$corald_pid" 2>/dev/null; }
check "corald stops within 40 s of SIGTERM with the broker down" wait_for 40 gone
echo "corald stopped $((SECONDS - stop_started)) s after SIGTERM with the broker down"
finish "kafka broker outage"
