#!/usr/bin/env bash
# coral run as a Unix filter: generator -> log, threshold -> log from stdin and --input, field
# order and bytes kept, bad input lines reported with their number, counters on stderr.
set -uo pipefail
coral="${CORAL_BIN:?}/coral"
# shellcheck source=../support/checks.sh
source "$(dirname "$0")/../support/checks.sh"

cat >"$tmp/hello.yaml" <<'YAML'
name: hello
actors:
  - name: greeter
    type: generator
    params:
      format: {greeting: hello, n: "U(10)"}
      timer: {rate: 1000, times: 25}
      seed: 7
  - name: printer
    type: log
links:
  - {from: greeter, to: printer}
YAML
timeout 20 "$coral" run "$tmp/hello.yaml" </dev/null >"$tmp/out" 2>"$tmp/err"
check "generator->log exits 0 (got $?)" test $? -eq 0
check "generator->log prints 25 lines" test "$(wc -l <"$tmp/out")" -eq 25
check "lines are compact JSON with the format's fields" \
  test "$(grep -c '^{"greeting":"hello","n":' "$tmp/out")" -eq 25
check "counters go to stderr" grep -qE '^printer +25 ' "$tmp/err"

cat >"$tmp/threshold.yaml" <<'YAML'
name: big
actors:
  - name: large
    type: threshold
    params: {key: value, threshold: 50}
  - name: printer
    type: log
links:
  - {from: large, to: printer}
YAML
printf '%s\n' '{"value": 10, "id": 1}' '{"id": 2,  "value": 50}' '' '{"value": 99.5, "z": [1, 2]}' \
  >"$tmp/events"
timeout 20 "$coral" run "$tmp/threshold.yaml" <"$tmp/events" >"$tmp/out" 2>"$tmp/err"
check "threshold->log exits 0" test $? -eq 0
printf '%s\n' '{"id": 2,  "value": 50}' '{"value": 99.5, "z": [1, 2]}' >"$tmp/expected"
check "events passed on byte for byte, in order" cmp -s "$tmp/out" "$tmp/expected"

timeout 20 "$coral" run "$tmp/threshold.yaml" --input "$tmp/events" --into large --stats json \
  >"$tmp/out" 2>"$tmp/err"
check "--input FILE --into ACTOR exits 0" test $? -eq 0
check "--input FILE gives the same output" cmp -s "$tmp/out" "$tmp/expected"
check "--stats json prints one JSON document" \
  test "$(jq -r '.counters.large.received, .counters.printer.received, .totalMessages' \
          "$tmp/err" | tr '\n' ' ')" = "3 2 5 "

printf '%s\n' '{"value": 60}' 'not json' '[1, 2]' '{"value": 70}' '{"value": ' >"$tmp/bad"
timeout 20 "$coral" run "$tmp/threshold.yaml" --input "$tmp/bad" >"$tmp/out" 2>"$tmp/err"
check "skipped input lines exit 1 (got $?)" test $? -eq 1
check "valid lines still flow" test "$(wc -l <"$tmp/out")" -eq 2
check "line 2 reported" grep -q "^$tmp/bad:2: not valid JSON" "$tmp/err"
check "line 3 reported as not an object" grep -q "^$tmp/bad:3: not a JSON object" "$tmp/err"
check "line 5 reported" grep -q "^$tmp/bad:5: " "$tmp/err"

python3 -c 'import sys
for i in range(30): print("x")' | timeout 20 "$coral" run "$tmp/threshold.yaml" >/dev/null 2>"$tmp/err"
check "30 bad lines exit 1" test $? -eq 1
check "at most 20 bad lines are listed" test "$(grep -c '^stdin:[0-9]*: ' "$tmp/err")" -eq 20
check "the rest are counted" grep -q "10 more input lines skipped" "$tmp/err"

python3 -c 'import sys; sys.stdout.write("{\"value\": 1, \"pad\": \"" + "a" * (17 << 20) + "\"}\n{\"value\": 51}\n")' \
  | timeout 20 "$coral" run "$tmp/threshold.yaml" >"$tmp/out" 2>"$tmp/err"
check "an over-long line exits 1" test $? -eq 1
check "an over-long line is reported" grep -q "^stdin:1: longer than" "$tmp/err"
check "the next line still flows" test "$(cat "$tmp/out")" = '{"value": 51}'

# --state: the final state of every actor; a grouped actor's as an object from group value (as
# text) to state.
cat >"$tmp/grouped.yaml" <<'YAML'
name: per-host
actors:
  - name: per-host
    type: stats
    params: {field: v}
    group: {by: host}
  - name: all
    type: stats
    params: {field: v}
links:
  - {from: per-host, to: all}
YAML
printf '%s\n' '{"host": "a", "v": 1}' '{"host": "b", "v": 10}' '{"host": "a", "v": 3}' '{"v": 7}' \
  '{"host": 5, "v": 2}' >"$tmp/events"
timeout 20 "$coral" run "$tmp/grouped.yaml" --into per-host --input "$tmp/events" \
  --state "$tmp/state.json" >/dev/null 2>"$tmp/err"
check "--state exits 0 (got $?)" test $? -eq 0
check "--state holds each group's stats" python3 -c "
import json; s = json.load(open('$tmp/state.json'))
g = s['per-host']
assert g['a']['count'] == 2 and g['a']['avg'] == 2 and g['b']['max'] == 10, g
assert g['5']['count'] == 1 and g['5']['avg'] == 2 and len(g) == 3, g
assert s['all']['count'] == 0 and s['all']['avg'] is None, s"
timeout 20 "$coral" run "$tmp/grouped.yaml" --into per-host --input "$tmp/events" --state - \
  >"$tmp/out" 2>/dev/null
check "--state - writes the states to stdout" python3 -c "
import json; assert len(json.load(open('$tmp/out'))['per-host']) == 3"
timeout 20 "$coral" run "$tmp/grouped.yaml" --input "$tmp/events" --state "$tmp/no/such/dir/s.json" \
  >/dev/null 2>"$tmp/err"
check "--state into a missing directory exits 2 before running" test $? -eq 2
check "--state names the path" grep -q -- "--state $tmp/no/such/dir/s.json" "$tmp/err"

finish "run pipeline"
