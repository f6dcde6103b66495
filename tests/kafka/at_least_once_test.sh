#!/usr/bin/env bash
# At-least-once across `kill -9` of corald: a consume -> threshold -> produce runtime reads a
# stream that is still being written; corald is killed (SIGKILL, no flush, no commit) in the
# middle and started again on the same data directory. Every input event over the threshold must
# reach the output topic at least once; duplicates are counted and reported. Then SIGTERM (a
# clean stop) and restart: nothing is read again.
set -uo pipefail
# shellcheck source=lib_kafka.sh
source "$(dirname "$0")/lib_kafka.sh"
start_dev_kafka --topics in:4,out:4
start_corald --auth-mode accept-all

total=20000  # ids 0..total-1; n = id % 100; those with n >= 50 pass: total / 2
kafka_runtime alo in out
"$coral" apply -f "$tmp/alo.yaml" >"$tmp/out" 2>&1
check "runtime applies" test $? -eq 0

assigned() { [[ $(state_field coral-alo in assigned) == 4 ]]; }
check "the consumer gets the 4 partitions" wait_for 30 assigned

# The stream: written over about three seconds, so that corald dies with events in flight.
python3 -c "
import sys, time
for i in range($total):
    sys.stdout.write('{\"id\": %d, \"n\": %d, \"pad\": \"%s\"}\n' % (i, i % 100, 'x' * 40))
    if i % 1000 == 999:
        sys.stdout.flush()
        time.sleep(0.15)
" | kcat -b "$broker" -P -t in -X linger.ms=5 2>"$tmp/kcat.err" &
writer=$!

some_out() { (($(topic_count out) >= 1500)); }
check "output flows before the kill" wait_for 30 some_out
kill -9 "$corald_pid"
wait "$corald_pid" 2>/dev/null
killed_at=$(topic_count out)
echo "killed corald with $killed_at of $((total / 2)) events in the output topic"
check "the kill came in the middle of the stream" test "$killed_at" -lt $((total / 2))
restart_corald

wait "$writer"
check "the whole stream was written" test "$(topic_count in)" -eq "$total"
all_out() { (($(topic_count out) >= total / 2)); }
check "every event over the threshold arrives after the restart (within 60 s)" wait_for 60 all_out
timeout 30 kcat -b "$broker" -C -t out -e -q >"$tmp/out.jsonl" 2>/dev/null
check "no event is missing; duplicates counted" python3 -c "
import json, collections
ids = collections.Counter(json.loads(line)['id'] for line in open('$tmp/out.jsonl') if line.strip())
expected = {i for i in range($total) if i % 100 >= 50}
missing = expected - set(ids)
extra = set(ids) - expected
dups = sum(c - 1 for c in ids.values())
print(f'at-least-once: {len(expected)} expected, {len(set(ids))} distinct received, '
      f'{dups} duplicates, {len(missing)} missing, {len(extra)} unexpected')
assert not missing, sorted(missing)[:20]
assert not extra, sorted(extra)[:20]
"

# A clean stop (SIGTERM) flushes and commits: after a restart nothing is read again. One fresh
# event per input partition: a replay would come out before it (order within a partition).
before=$(wc -l <"$tmp/out.jsonl")
kill -TERM "$corald_pid"
wait "$corald_pid" 2>/dev/null
restart_corald
for partition in 0 1 2 3; do
  echo "{\"id\": $((total + partition)), \"n\": 99}" | kcat -b "$broker" -P -t in -p "$partition"
done
fresh() { (($(topic_count out) >= before + 4)); }
check "events written after the clean restart arrive" wait_for 60 fresh
settled() { [[ $(state_field coral-alo out outstanding) == 0 ]]; }
check "the producer has nothing outstanding" wait_for 10 settled
after=$(topic_count out)
echo "after SIGTERM and restart: $((after - before - 4)) events read again"
check "nothing was read again after SIGTERM" test "$after" -eq $((before + 4))
finish "kafka at-least-once"
