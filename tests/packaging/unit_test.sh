#!/usr/bin/env bash
# The systemd unit, the default configuration and the maintainer scripts of the package:
# `systemd-analyze verify` on the unit (pointed at the built corald: verify insists that
# ExecStart's binary exists), the unit's ExecStartPre accepting the shipped corald.yaml, every
# configuration key documented in it, and the scripts' shell syntax.
set -uo pipefail
bin="${CORAL_BIN:?}"
src="${CORAL_SOURCE_DIR:?}"
# shellcheck source=../support/checks.sh
source "$(dirname "$0")/../support/checks.sh"
unit="$src/packaging/corald.service"
config="$src/packaging/corald.yaml"

# The unit says what the package installs; only the binary's path differs here.
check "unit runs /usr/bin/corald with /etc/coral/corald.yaml" \
  grep -q '^ExecStart=/usr/bin/corald --config /etc/coral/corald.yaml$' "$unit"
check "unit checks the config first" \
  grep -q '^ExecStartPre=/usr/bin/corald --config /etc/coral/corald.yaml --check-config$' "$unit"
for directive in Type=notify User=coral Group=coral DynamicUser=no StateDirectory=coral \
                 ProtectSystem=strict ProtectHome=yes PrivateTmp=yes NoNewPrivileges=yes \
                 ReadWritePaths=/var/lib/coral Restart=on-failure; do
  check "unit has $directive" grep -qx "$directive" "$unit"
done

if command -v systemd-analyze >/dev/null; then
  sed -e "s|/usr/bin/corald|$bin/corald|g" "$unit" >"$tmp/corald.service"
  # Documentation=man:... is checked with man(1): let it find the pages of this checkout.
  man_args=(--man=no)
  if command -v man >/dev/null; then
    mkdir -p "$tmp/man/man1" "$tmp/man/man5" "$tmp/man/man8"
    cp "$src/man/coral.1" "$tmp/man/man1/"
    cp "$src/man/corald.8" "$tmp/man/man8/"
    man_args=()
  fi
  MANPATH="$tmp/man" systemd-analyze verify "${man_args[@]}" "$tmp/corald.service" \
    >"$tmp/verify.out" 2>&1
  rc=$?
  check "systemd-analyze verify passes (rc $rc)" test $rc -eq 0
  check "systemd-analyze verify says nothing" test ! -s "$tmp/verify.out"
  cat "$tmp/verify.out" >&2
else
  echo "unit: systemd-analyze not installed; verify not run" >&2
fi

"$bin/corald" --config "$config" --check-config 2>"$tmp/check.err"
check "ExecStartPre accepts the shipped corald.yaml" test $? -eq 0
cat "$tmp/check.err" >&2
check "shipped config uses /var/lib/coral" grep -q '^data-dir: /var/lib/coral$' "$config"
# Every key corald reads from its file is in the shipped one, set or commented out.
keys=$(grep -oE '(reader|ldap)\.Has\("[a-z-]+"\)' "$src/core/daemon/config.cc" |
       sed -E 's/.*"([a-z-]+)".*/\1/' | sort -u)
check "config keys found in config.cc" test -n "$keys"
for key in $keys; do
  check "corald.yaml documents $key" grep -qE "^#? *$key:" "$config"
done

for script in postinst prerm postrm; do
  check "$script is executable" test -x "$src/packaging/$script"
  check "$script is valid sh" sh -n "$src/packaging/$script"
  if command -v shellcheck >/dev/null; then
    check "$script passes shellcheck" shellcheck -s sh "$src/packaging/$script"
  fi
done
check "postinst creates the user coral" grep -q 'adduser --system' "$src/packaging/postinst"

finish "packaging unit"
