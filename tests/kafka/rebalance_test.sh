#!/usr/bin/env bash
# Two consumers of one group: a second runtime joins the group of a first one in the middle of a
# stream and they split the 4 partitions; when it stops, the first takes them all back. No
# event is lost through either rebalance (duplicates are counted and reported).
set -uo pipefail
# shellcheck source=lib_kafka.sh
source "$(dirname "$0")/lib_kafka.sh"
start_dev_kafka --topics in:4,out:4
start_corald --auth-mode accept-all

total=20000
for name in rb1 rb2; do
  kafka_runtime $name in out
  sed -i 's/auto.offset.reset: earliest,/auto.offset.reset: earliest, group.id: shared,/' "$tmp/$name.yaml"
done
"$coral" apply -f "$tmp/rb1.yaml" >"$tmp/out" 2>&1
check "first runtime applies" test $? -eq 0
assigned() { [[ $(state_field "coral-$1" in assigned) == "$2" ]]; }
check "the first consumer gets the 4 partitions" wait_for 30 assigned rb1 4

python3 -c "
import sys, time
for i in range($total):
    sys.stdout.write('{\"id\": %d, \"n\": 99}\n' % i)
    if i % 1000 == 999:
        sys.stdout.flush()
        time.sleep(0.4)
" | kcat -b "$broker" -P -t in -X linger.ms=5 2>"$tmp/kcat.err" &
writer=$!

some_out() { (($(topic_count out) >= 2000)); }
check "output flows" wait_for 30 some_out
"$coral" apply -f "$tmp/rb2.yaml" >"$tmp/out" 2>&1
check "second runtime applies mid-stream" test $? -eq 0
split() { assigned rb1 2 && assigned rb2 2; }
check "the two consumers split the partitions 2 and 2 (within 30 s)" wait_for 30 split
consumed() { (($(state_field coral-rb2 in consumed) > 0)); }
check "the second consumer reads its share" wait_for 30 consumed
wait "$writer"
"$coral" stop coral-rb2 >"$tmp/out" 2>&1
check "the first consumer takes all 4 back when the second stops (within 30 s)" \
  wait_for 30 assigned rb1 4
all_out() { (($(topic_count out) >= total)); }
check "every event arrives (within 60 s)" wait_for 60 all_out
timeout 30 kcat -b "$broker" -C -t out -e -q >"$tmp/out.jsonl" 2>/dev/null
check "no event is missing; duplicates counted" python3 -c "
import json, collections
ids = collections.Counter(json.loads(line)['id'] for line in open('$tmp/out.jsonl') if line.strip())
missing = set(range($total)) - set(ids)
dups = sum(c - 1 for c in ids.values())
print(f'rebalance: {$total} expected, {len(ids)} distinct received, {dups} duplicates, '
      f'{len(missing)} missing')
assert not missing, sorted(missing)[:20]
"
finish "kafka rebalance"
