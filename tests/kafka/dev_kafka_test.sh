#!/usr/bin/env bash
# coral dev-kafka: prints the bootstrap address first, labels itself a development broker, creates
# the topics asked for, refuses bad --topics and a taken --port with errors that say what to do,
# and stops on SIGTERM.
set -uo pipefail
# shellcheck source=lib_kafka.sh
source "$(dirname "$0")/lib_kafka.sh"
start_dev_kafka --topics one:3,two
check "the address is on loopback" grep -qE '^127\.0\.0\.1:[0-9]+$' "$tmp/dev-kafka.out"
check "the banner says development broker" grep -q "DEVELOPMENT broker" "$tmp/dev-kafka.log"
check "the banner says not for production" grep -q "NOT for production" "$tmp/dev-kafka.log"
check "the banner states the retention" grep -q "about 5 MB kept per partition" "$tmp/dev-kafka.log"
timeout 20 kcat -b "$broker" -L >"$tmp/metadata" 2>&1
check "topic one has 3 partitions" grep -q 'topic "one" with 3 partitions' "$tmp/metadata"
check "topic two has 1 partition" grep -q 'topic "two" with 1 partitions' "$tmp/metadata"
echo '{"a":1}' | kcat -b "$broker" -P -t two
check "messages go in and come out" test "$(topic_count two)" -eq 1

"$coral" dev-kafka --port 0 --topics 'bad:0' >/dev/null 2>"$tmp/err"
check "--topics with 0 partitions exits 2" test $? -eq 2
check "and says how to write it" grep -q "write NAME:PARTITIONS" "$tmp/err"
"$coral" dev-kafka --port "${broker##*:}" >/dev/null 2>"$tmp/err"
check "a taken --port exits 6" test $? -eq 6
check "and says to choose another" grep -q "choose another --port" "$tmp/err"

kill -TERM "$dev_kafka_pid"
stopped() { ! kill -0 "$dev_kafka_pid" 2>/dev/null; }
check "SIGTERM stops it" wait_for 10 stopped
finish "coral dev-kafka"
