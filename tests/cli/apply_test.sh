#!/usr/bin/env bash
# coral apply / get / start / stop / stats / delete against a real corald (accept-all): what
# each prints, that applying twice changes nothing, and the exit codes 0, 3, 4 and 6.
set -uo pipefail
# shellcheck source=lib_corald.sh
source "$(dirname "$0")/lib_corald.sh"
start_corald --auth-mode accept-all

cat >"$tmp/pulse.yaml" <<'YAML'
name: e2e-pulse
description: first
actors:
  - name: pulse
    type: generator
    params: {format: {bpm: 70}, timer: {rate: 50, times: 10}}
  - name: bpm
    type: stats
    params: {field: bpm}
links:
  - {from: pulse, to: bpm}
YAML

"$coral" apply -f "$tmp/pulse.yaml" >"$tmp/out" 2>"$tmp/err"
check "apply exits 0" test $? -eq 0
check "apply says created, started" grep -qx "e2e-pulse: created, started" "$tmp/out"
"$coral" apply -f "$tmp/pulse.yaml" >"$tmp/out" 2>"$tmp/err"
check "apply twice exits 0" test $? -eq 0
check "apply twice says unchanged, running" grep -qx "e2e-pulse: unchanged, running" "$tmp/out"
sed 's/description: first/description: second/' "$tmp/pulse.yaml" >"$tmp/pulse2.yaml"
"$coral" -o json apply -f "$tmp/pulse2.yaml" >"$tmp/out" 2>"$tmp/err"
check "apply changed file exits 0" test $? -eq 0
check "apply -o json says replaced" python3 -c "
import json; d = json.load(open('$tmp/out'))
assert d['runtimes'][0]['result'] == 'replaced' and d['runtimes'][0]['id'] == 'e2e-pulse', d"

"$coral" apply -f "$src/tests/definition/fixtures/invalid/actors-empty.json" >"$tmp/out" 2>"$tmp/err"
check "apply invalid exits 3" test $? -eq 3
check "apply invalid sends nothing" grep -q "nothing was sent" "$tmp/err"

"$coral" get runtimes >"$tmp/out" 2>"$tmp/err"
check "get runtimes exits 0" test $? -eq 0
check "get runtimes has a header" grep -qE "^NAME +OWNER +STATUS" "$tmp/out"
check "get runtimes lists e2e-pulse running" grep -qE "^e2e-pulse +coral +running" "$tmp/out"
check "get runtimes shows when it started, in UTC" \
  grep -qE "^e2e-pulse +coral +running +1 +20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}Z " "$tmp/out"
"$coral" -o json get runtimes >"$tmp/out"
check "get runtimes -o json is one document" python3 -c "
import json; d = json.load(open('$tmp/out'))
assert [r['name'] for r in d['runtimes']] == ['e2e-pulse'], d"
"$coral" -o yaml get runtime e2e-pulse >"$tmp/out"
check "get runtime -o yaml is YAML" python3 -c "
import yaml; d = yaml.safe_load(open('$tmp/out'))
assert d['name'] == 'e2e-pulse' and d['status'] == 'running', d"
"$coral" get runtime e2e-pulse >"$tmp/out"
check "get runtime shows actors" grep -qE "^actors: +pulse \(generator\), bpm \(stats\)" "$tmp/out"

# The definition printed by --definition applies back unchanged.
"$coral" get runtime e2e-pulse --definition >"$tmp/back.yaml"
"$coral" apply -f "$tmp/back.yaml" >"$tmp/out" 2>"$tmp/err"
check "--definition round-trips through apply" grep -qx "e2e-pulse: unchanged, running" "$tmp/out"

"$coral" stop e2e-pulse >"$tmp/out"; check "stop says stopped" grep -qx "e2e-pulse: stopped" "$tmp/out"
"$coral" stop e2e-pulse >"$tmp/out"
check "stop again is fine" test $? -eq 0
check "stop again says already stopped" grep -qx "e2e-pulse: already stopped" "$tmp/out"
"$coral" start e2e-pulse >"$tmp/out"; check "start says started" grep -qx "e2e-pulse: started" "$tmp/out"

# stats: the generator sends 10 events to bpm.
bpm_count() {
  [[ $("$coral" -o json state e2e-pulse bpm 2>/dev/null |
       python3 -c 'import json,sys; print(json.load(sys.stdin).get("count"))') == 10 ]]
}
check "state shows the stats actor's count (10)" wait_for 20 bpm_count
"$coral" stats e2e-pulse >"$tmp/out" 2>"$tmp/err"
check "stats exits 0" test $? -eq 0
check "stats summary line" grep -qE "^e2e-pulse: 2 actors, [0-9]+ messages" "$tmp/out"
check "stats has a row per actor" grep -qE "^(pulse|bpm) " "$tmp/out"
"$coral" -o json stats e2e-pulse --count 2 --interval 0.2 >"$tmp/out"
check "stats --count 2 -o json prints 2 JSON lines" python3 -c "
import json; lines = open('$tmp/out').read().splitlines()
assert len(lines) == 2 and all('totalMessages' in json.loads(l) for l in lines), lines"
"$coral" stats e2e-pulse.1 bpm >"$tmp/out" 2>"$tmp/err"
check "stats of one copy's actor exits 0" test $? -eq 0

"$coral" get runtime no-such-runtime >"$tmp/out" 2>"$tmp/err"
check "unknown runtime exits 4" test $? -eq 4
check "unknown runtime: coral: reason on stderr" grep -q "^coral: " "$tmp/err"
check "nothing on stdout on error" test ! -s "$tmp/out"

"$coral" delete e2e-pulse >"$tmp/out"
check "delete exits 0" test $? -eq 0
"$coral" get runtime e2e-pulse >/dev/null 2>&1
check "deleted runtime is gone (4)" test $? -eq 4
"$coral" apply -f "$tmp/pulse.yaml" >/dev/null 2>&1
"$coral" -o json delete --all >"$tmp/out"
check "delete --all lists what it deleted" python3 -c "
import json; d = json.load(open('$tmp/out')); assert d['deleted'] == ['coral-e2e-pulse'], d"

closed=$(free_port)
"$coral" --server "http://127.0.0.1:$closed" get runtimes >"$tmp/out" 2>"$tmp/err"
check "unreachable server exits 6" test $? -eq 6
check "unreachable names the server" grep -q "cannot reach corald at http://127.0.0.1:$closed" "$tmp/err"
check "unreachable says how to change it" grep -q -- "--server URL or \$CORAL_SERVER" "$tmp/err"
"$coral" --server "ftp://127.0.0.1" get runtimes 2>"$tmp/err"
check "ftp:// is a usage error (2)" test $? -eq 2

finish "apply"
