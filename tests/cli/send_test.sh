#!/usr/bin/env bash
# coral send / state / stats against a real corald: one event, JSON lines in batches, bad lines
# reported by number and skipped (exit 1), and the events arriving in the actor's state.
set -uo pipefail
# shellcheck source=lib_corald.sh
source "$(dirname "$0")/lib_corald.sh"
start_corald --auth-mode accept-all

cat >"$tmp/beats.yaml" <<'YAML'
name: e2e-beats
actors:
  - name: in
    type: threshold
    params: {key: bpm, threshold: 0}
  - name: bpm
    type: stats
    params: {field: bpm}
links:
  - {from: in, to: bpm}
YAML
"$coral" apply -f "$tmp/beats.yaml" >/dev/null 2>"$tmp/err"
check "apply exits 0" test $? -eq 0

"$coral" send e2e-beats in '{"bpm": 60}' 2>"$tmp/err"
check "send one event exits 0" test $? -eq 0
check "send one event says so" grep -q "sent 1 event to e2e-beats/in" "$tmp/err"

python3 -c '
for i in range(1200):
    print("{\"bpm\": %d}" % (i % 100))
    if i == 599: print("{not json")
    if i == 700: print("[1, 2]")
' >"$tmp/events.jsonl"
"$coral" -o json send e2e-beats in - --batch 500 <"$tmp/events.jsonl" >"$tmp/out" 2>"$tmp/err"
check "send with bad lines exits 1" test $? -eq 1
check "bad line 601 reported" grep -q "<stdin>:601: not JSON" "$tmp/err"
check "non-object line 703 reported" grep -q "<stdin>:703: not a JSON object" "$tmp/err"
check "send -o json counts" python3 -c "
import json; d = json.load(open('$tmp/out'))
assert d == {'sent': 1200, 'skipped': 2, 'requests': 3}, d"

count_is() {
  [[ $("$coral" -o json state e2e-beats bpm 2>/dev/null |
       python3 -c 'import json,sys; print(json.load(sys.stdin).get("count"))') == "$1" ]]
}
check "every sent event reaches the stats actor (1201)" wait_for 30 count_is 1201
"$coral" state e2e-beats bpm >"$tmp/out"
check "state table shows count" grep -qE "^count: +1201$" "$tmp/out"
"$coral" stats e2e-beats in >"$tmp/out" 2>"$tmp/err"
check "actor stats exits 0" test $? -eq 0

"$coral" send e2e-beats in '{oops' 2>"$tmp/err"
check "send bad JSON argument exits 2" test $? -eq 2
"$coral" send e2e-beats no-such-actor '{"bpm": 1}' 2>"$tmp/err"
check "send to unknown actor exits 4" test $? -eq 4
"$coral" state e2e-beats no-such-actor 2>"$tmp/err"
check "state of unknown actor exits 4" test $? -eq 4
"$coral" stop e2e-beats >/dev/null
"$coral" send e2e-beats in '{"bpm": 1}' 2>"$tmp/err"
rc=$?
check "send to a stopped runtime fails (got $rc)" test $rc -ne 0
check "send to a stopped runtime says why" grep -q "^coral: " "$tmp/err"

finish "send"
