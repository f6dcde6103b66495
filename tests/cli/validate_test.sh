#!/usr/bin/env bash
# coral validate, driven as a user would: exit codes, file:line:column, -o json, usage errors.
set -uo pipefail
coral="${CORAL_BIN:?}/coral"
src="${CORAL_SOURCE_DIR:?}"
# shellcheck source=../support/checks.sh
source "$(dirname "$0")/../support/checks.sh"

"$coral" validate "$src"/runtimes-examples/* >"$tmp/out" 2>&1
check "examples validate (exit 0)" test $? -eq 0
check "examples report valid" grep -q "valid (" "$tmp/out"

for fixture in "$src"/tests/definition/fixtures/invalid/*.{yaml,json}; do
  name=$(basename "$fixture")
  strict=(); [[ $name == strict-* ]] && strict=(--strict)
  "$coral" validate "${strict[@]}" "$fixture" >"$tmp/out" 2>&1
  rc=$?
  check "$name exits 3 (got $rc)" test $rc -eq 3
  # Every fixture whose expectation has a position must print file:line:column.
  if grep -qE '^[0-9]+:[0-9]+ ' "${fixture%.*}.expect"; then
    position=$(grep -oE '^[0-9]+:[0-9]+' "${fixture%.*}.expect" | head -1)
    check "$name names file:line:column" grep -q "$fixture:$position: error: " "$tmp/out"
  else
    check "$name names the file" grep -qE "^$fixture(:[0-9]+:[0-9]+)?: error: " "$tmp/out"
  fi
done

"$coral" validate /nonexistent.yaml 2>"$tmp/err"
check "missing file exits 2" test $? -eq 2
check "missing file says so" grep -q "no such file" "$tmp/err"
"$coral" validate "$src" 2>"$tmp/err"
check "directory exits 2" test $? -eq 2
"$coral" validate 2>/dev/null
check "no file exits 2" test $? -eq 2
"$coral" validate --no-such-flag x.yaml 2>/dev/null
check "unknown flag exits 2" test $? -eq 2
"$coral" valdate x 2>"$tmp/err"
check "unknown command exits 2" test $? -eq 2
check "unknown command suggests" grep -q "did you mean \`validate\`" "$tmp/err"

"$coral" -o json validate "$src/tests/definition/fixtures/invalid/link-unknown-actor.yaml" >"$tmp/json" 2>/dev/null
check "-o json exits 3 on invalid" test $? -eq 3
check "-o json is one JSON document with positions" python3 -c "
import json,sys
d=json.load(open('$tmp/json'))
e=[x for x in d['files'][0]['diagnostics'] if x['severity']=='error'][0]
assert d['valid'] is False and e['line']==6 and e['path']=='links[0].to', d"

printf 'name: piped\nactors:\n  - {name: a, type: httpbroadcast}\n' | "$coral" validate - 2>/dev/null
check "stdin (-) validates" test $? -eq 0
"$coral" --help >/dev/null;  check "--help exits 0" test $? -eq 0
"$coral" --version | grep -q "^coral [0-9]"; check "--version prints the version" test $? -eq 0
"$coral" schema | python3 -c "import json,sys; json.load(sys.stdin)"
check "coral schema prints JSON" test $? -eq 0
"$coral" validate --list-types | grep -q "^threshold "
check "--list-types lists types" test $? -eq 0

finish "validate"
