#!/usr/bin/env bash
# The Kafka examples end to end through corald against `coral dev-kafka`: kafka-producer.yaml
# writes 100 clicks, kafka-consumer.yaml reads them all and logs them; the consumer's offsets are
# committed; poison messages are counted, skipped and sent to the dead-letter topic.
set -uo pipefail
# shellcheck source=lib_kafka.sh
source "$(dirname "$0")/lib_kafka.sh"
start_dev_kafka --topics clicks:4
start_corald --auth-mode accept-all

for example in kafka-producer kafka-consumer; do
  sed "s/127.0.0.1:9092/$broker/" "$src/runtimes-examples/$example.yaml" >"$tmp/$example.yaml"
done
"$coral" apply -f "$tmp/kafka-consumer.yaml" -f "$tmp/kafka-producer.yaml" >"$tmp/out" 2>&1
check "both examples apply" test $? -eq 0

log=$tmp/data/logs/coral-kafka-consumer/printer.log
lines() { [[ -f $log ]] && (($(wc -l <"$log") >= $1)); }
check "the consumer logs all 100 clicks (within 30 s)" wait_for 30 lines 100
check "exactly 100 lines in a quiet run" test "$(wc -l <"$log")" -eq 100
check "no duplicates in a quiet run" test "$(sort -u "$log" | wc -l)" -eq 100
check "clicks carry the generator's fields" grep -q '"page":"/' "$log"
acked() { [[ $(state_field coral-kafka-producer to-kafka delivered) == 100 ]]; }
check "the producer saw 100 acknowledgements" wait_for 10 acked
committed() { [[ $(state_field coral-kafka-consumer from-kafka commits) -ge 1 ]]; }
check "the consumer committed its offsets" wait_for 10 committed
check "the consumer's group is the runtime's unique name" \
  test "$(state_field coral-kafka-consumer from-kafka group)" = coral-kafka-consumer

# Poison messages: not JSON, or JSON but not an object. Counted, skipped, dead-lettered; the
# good messages around them go through.
cat >"$tmp/poison.yaml" <<YAML
name: poison
actors:
  - name: in
    type: kafka-consumer
    params:
      topic: raw
      dead-letter-topic: raw-rejected
      kafka: {bootstrap.servers: "$broker", auto.offset.reset: earliest}
  - name: keep
    type: log
links:
  - {from: in, to: keep}
YAML
printf '%s\n' '{"ok":1}' 'not json' '[1,2]' '{"ok":2}' '{"broken":' '{"ok":3}' |
  kcat -b "$broker" -P -t raw -p 0
"$coral" apply -f "$tmp/poison.yaml" >/dev/null 2>&1
check "poison runtime applies" test $? -eq 0
plog=$tmp/data/logs/coral-poison/keep.log
good() { [[ -f $plog ]] && (($(wc -l <"$plog") >= 3)); }
check "the 3 good messages go through" wait_for 30 good
check "only the good ones" test "$(grep -c '"ok"' "$plog")" -eq 3
rejected() { [[ $(state_field coral-poison in rejected) == 3 ]]; }
check "3 rejected, counted in the state" wait_for 10 rejected
counted_as_errors() {
  "$coral" -o json stats coral-poison >"$tmp/stats.json" 2>&1 && python3 -c "
import json, sys
s = json.load(open('$tmp/stats.json'))
a = s['counters']['in'] if 'counters' in s else s['actors']['in']
assert a['errors'] == 3, a
assert 'not a JSON object' in a['lastError'], a
" 2>/dev/null
}
check "counted as errors with a message that says why" wait_for 10 counted_as_errors
dead() { [[ $(topic_count raw-rejected) -ge 3 ]]; }
check "the rejected messages are in the dead-letter topic" wait_for 20 dead
timeout 20 kcat -b "$broker" -C -t raw-rejected -e -q >"$tmp/dead.txt" 2>/dev/null
check "dead letters are the messages as they were" grep -qx 'not json' "$tmp/dead.txt"
check "the daemon is still up" kill -0 "$corald_pid"
finish "kafka examples"
