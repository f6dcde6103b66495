#!/usr/bin/env bash
# coral user / permission / platform / cluster against a real corald with auth-mode coral:
# credentials from the environment and the credentials file (with its permission warning),
# exit 5 without them, permissions granting and revoking access.
set -uo pipefail
# shellcheck source=lib_corald.sh
source "$(dirname "$0")/lib_corald.sh"
mkdir -p "$tmp/data"
printf 'admin-pw-1234\n' | "$corald" user add admin --admin --password-stdin \
  --data-dir "$tmp/data" 2>"$tmp/err"
check "corald user add admin (offline) exits 0" test $? -eq 0
start_corald --auth-mode coral

"$coral" get runtimes >"$tmp/out" 2>"$tmp/err"
check "no credentials exits 5" test $? -eq 5
check "no credentials hints at them" grep -q "CORAL_PASSWORD" "$tmp/err"
CORAL_USER=admin CORAL_PASSWORD=wrong "$coral" get runtimes 2>/dev/null
check "wrong password exits 5" test $? -eq 5

as_admin() { CORAL_USER=admin CORAL_PASSWORD=admin-pw-1234 "$coral" "$@"; }
printf 'ann-pw-12345\n' | as_admin user add ann --fullname "Ann Lee" --password-stdin >"$tmp/out" 2>"$tmp/err"
check "user add exits 0" test $? -eq 0
printf 'bob-pw-12345\n' | as_admin user add bob --password-stdin >/dev/null 2>&1
as_admin user list >"$tmp/out"
check "user list shows ann" grep -qE "^ann +Ann Lee" "$tmp/out"
"$coral" --user admin --password-insecure admin-pw-1234 user list >/dev/null 2>"$tmp/err"
check "--password-insecure works" test $? -eq 0
check "--password-insecure warns" grep -q "warning: --password-insecure" "$tmp/err"

# ann works from a credentials file; one readable by others is warned about.
mkdir -p "$tmp/config/coral"
printf 'user = ann\npassword = ann-pw-12345\n' >"$tmp/config/coral/credentials"
chmod 644 "$tmp/config/coral/credentials"
"$coral" get runtimes >/dev/null 2>"$tmp/err"
check "credentials file works" test $? -eq 0
check "open credentials file is warned about" grep -q "chmod 600" "$tmp/err"
chmod 600 "$tmp/config/coral/credentials"
"$coral" get runtimes >/dev/null 2>"$tmp/err"
check "closed credentials file: no warning" test "$(grep -c warning "$tmp/err")" -eq 0

cat >"$tmp/rt.yaml" <<'YAML'
name: shared
actors:
  - {name: in, type: threshold, params: {key: v, threshold: 0}}
  - {name: s, type: stats, params: {field: v}}
links:
  - {from: in, to: s}
YAML
"$coral" apply -f "$tmp/rt.yaml" >/dev/null 2>&1
check "ann applies her runtime" test $? -eq 0
as_bob() { CORAL_USER=bob CORAL_PASSWORD=bob-pw-12345 "$coral" "$@"; }
as_bob stats ann-shared >/dev/null 2>&1
check "bob may not read ann's stats (5)" test $? -eq 5
"$coral" permission add shared --user bob --method GET --url /api/runtimes/shared/stats >"$tmp/out"
check "permission add exits 0" test $? -eq 0
"$coral" permission list shared >"$tmp/out"
check "permission list shows bob's rule" grep -qE " bob +GET +/api/runtimes/shared/stats +true" "$tmp/out"
as_bob stats ann-shared >/dev/null 2>"$tmp/err"
check "bob may read them now" test $? -eq 0
"$coral" permission remove shared --user bob --method GET --url /api/runtimes/shared/stats >/dev/null
check "permission remove exits 0" test $? -eq 0
as_bob stats ann-shared >/dev/null 2>&1
check "bob is denied again (5)" test $? -eq 5

"$coral" platform stats >"$tmp/out"
check "platform stats exits 0" test $? -eq 0
check "platform stats shows runtimes" grep -qE "^runtimes: +1$" "$tmp/out"
as_admin -o json platform settings >"$tmp/out"
check "platform settings -o json" python3 -c "
import json; d = json.load(open('$tmp/out')); assert d['nodes'][0]['settings']['auth-mode'] == 'coral', d"
"$coral" cluster members >"$tmp/out"
check "cluster members exits 0" test $? -eq 0
check "cluster members marks this node" grep -q "(this node)" "$tmp/out"
as_admin cluster join 127.0.0.1:1 >/dev/null 2>"$tmp/err"
check "cluster join on a --no-cluster node fails on the server (1)" test $? -eq 1
"$coral" cluster join nonsense 2>/dev/null
check "cluster join bad seed is a usage error (2)" test $? -eq 2

"$coral" user list >/dev/null 2>&1
check "ann (no admin) may not list users (5)" test $? -eq 5
as_admin user remove bob >/dev/null
check "user remove exits 0" test $? -eq 0
as_admin user remove bob >/dev/null 2>&1
check "removing again is not found (4)" test $? -eq 4

finish "admin"
