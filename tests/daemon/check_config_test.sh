#!/usr/bin/env bash
# corald --check-config (systemd ExecStartPre): exit 0 for a good configuration, 2 with the
# offending key named for a bad one; flags override the file.
set -euo pipefail
corald=${CORAL_BIN:-build}/corald
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

printf 'api-port: 8123\nlog-level: debug\nlog-dirs: [/var/log/coral]\n' >"$dir/good.yaml"
"$corald" --config "$dir/good.yaml" --check-config 2>"$dir/err" || fail "good config: $(cat "$dir/err")"

printf 'api-prot: 8123\n' >"$dir/typo.yaml"
code=0; "$corald" --config "$dir/typo.yaml" --check-config 2>"$dir/err" || code=$?
[[ $code == 2 ]] || fail "unknown key: exit $code"
grep -q "api-prot" "$dir/err" || fail "unknown key not named: $(cat "$dir/err")"

code=0; "$corald" --config "$dir/good.yaml" --auth-mode nope --check-config 2>"$dir/err" || code=$?
[[ $code == 2 ]] || fail "bad flag value: exit $code"
grep -q "auth-mode" "$dir/err" || fail "auth-mode not named: $(cat "$dir/err")"

code=0; "$corald" --config "$dir/missing.yaml" --check-config 2>"$dir/err" || code=$?
[[ $code == 2 ]] || fail "missing file: exit $code"

code=0; "$corald" --api-port 0 --check-config 2>"$dir/err" || code=$?
[[ $code == 2 ]] || fail "port 0: exit $code"
echo "check_config_test: ok"
