#!/usr/bin/env bash
# coral run: usage errors (exit 2), invalid definitions (exit 3), creation failures (exit 1),
# and a clean stop on SIGINT (exit 130, counters printed).
set -uo pipefail
coral="${CORAL_BIN:?}/coral"
# shellcheck source=../support/checks.sh
source "$(dirname "$0")/../support/checks.sh"

"$coral" run "$tmp/missing.yaml" </dev/null 2>"$tmp/err"
check "missing definition exits 2" test $? -eq 2
check "missing definition says so" grep -q "no such file" "$tmp/err"

cat >"$tmp/two.yaml" <<'YAML'
name: two-entries
actors:
  - {name: a, type: threshold, params: {key: v, threshold: 1}}
  - {name: b, type: threshold, params: {key: v, threshold: 2}}
  - {name: out, type: log}
links:
  - {from: a, to: out}
  - {from: b, to: out}
YAML
"$coral" run "$tmp/two.yaml" </dev/null 2>"$tmp/err"
check "several entry actors exit 2" test $? -eq 2
check "several entry actors are named" grep -q '`a`, `b`' "$tmp/err"
"$coral" run "$tmp/two.yaml" --into nope </dev/null 2>"$tmp/err"
check "unknown --into exits 2" test $? -eq 2
check "unknown --into is named" grep -q 'no actor is named `nope`' "$tmp/err"
echo '{"v": 5}' | "$coral" run "$tmp/two.yaml" --into b >"$tmp/out" 2>/dev/null
check "--into picks the entry" test "$(cat "$tmp/out")" = '{"v": 5}'
"$coral" run "$tmp/two.yaml" --into a --input "$tmp/none.jsonl" 2>"$tmp/err"
check "missing --input file exits 2" test $? -eq 2

cat >"$tmp/invalid.yaml" <<'YAML'
name: broken
actors:
  - {name: a, type: thresold}
YAML
"$coral" run "$tmp/invalid.yaml" </dev/null 2>"$tmp/err"
check "invalid definition exits 3" test $? -eq 3
check "diagnostics carry file:line:column" grep -q "^$tmp/invalid.yaml:3:" "$tmp/err"

cat >"$tmp/forever.yaml" <<'YAML'
name: forever
actors:
  - name: gen
    type: generator
    params: {format: {n: 1}, timer: {rate: 100}}
  - {name: out, type: log}
links:
  - {from: gen, to: out}
YAML
mkfifo "$tmp/fifo"
"$coral" run "$tmp/forever.yaml" >"$tmp/fifo" 2>"$tmp/err" </dev/null &
pid=$!
exec 3<"$tmp/fifo"
# Interrupt once the first line is out (a condition, not a fixed wait).
IFS= read -r -t 10 first <&3
check "the generator runs" test "$first" = '{"n":1}'
kill -INT $pid
cat <&3 >"$tmp/out"  # until coral closes its output
exec 3<&-
wait $pid
check "SIGINT exits 130 (got $?)" test $? -eq 130
check "SIGINT still prints counters" grep -qE '^gen ' "$tmp/err"
check "every line written is whole" test "$(grep -vc '^{"n":1}$' "$tmp/out")" -eq 0

finish "run usage"
