#!/usr/bin/env bash
# `cpack -G DEB` makes a .deb holding both binaries, the systemd unit, the default config (a
# conffile), the man pages and the maintainer scripts, with Depends computed from the libraries.
set -uo pipefail
bin="${CORAL_BIN:?}"
# shellcheck source=../support/checks.sh
source "$(dirname "$0")/../support/checks.sh"
if ! command -v cpack >/dev/null || ! command -v dpkg-deb >/dev/null; then
  echo "deb: cpack or dpkg-deb not installed (scripts/deps.sh test); skipped" >&2
  exit 77  # ctest reports it as skipped, not passed
fi
if [[ ! -f $bin/CPackConfig.cmake ]]; then
  echo "FAIL: $bin/CPackConfig.cmake missing (is CORAL_BIN the build directory?)" >&2
  exit 1
fi

# Fast: no compression of the payload (the test only reads it back).
cpack -G DEB --config "$bin/CPackConfig.cmake" -B "$tmp" -D CPACK_DEBIAN_COMPRESSION_TYPE=none \
  >"$tmp/cpack.out" 2>&1
rc=$?
check "cpack -G DEB succeeds (rc $rc)" test $rc -eq 0
deb=$(find "$tmp" -maxdepth 1 -name "coral_*.deb" | head -1)
check "a coral_<version>_<arch>.deb is made" test -n "$deb"
if [[ -z $deb ]]; then
  cat "$tmp/cpack.out" >&2
  echo "deb: $passes passed, $failures failed"
  exit 1
fi

dpkg-deb -c "$deb" | awk '{print $NF}' >"$tmp/contents"
for path in ./usr/bin/coral ./usr/bin/corald ./usr/lib/systemd/system/corald.service \
            ./etc/coral/corald.yaml ./usr/share/man/man1/coral.1 ./usr/share/man/man8/corald.8 \
            ./usr/share/man/man5/coral-runtime.5; do
  check "package contains $path" grep -qx "$path" "$tmp/contents"
done

dpkg-deb -f "$deb" Package Depends >"$tmp/fields"
check "package is named coral" grep -qx "Package: coral" "$tmp/fields"
check "Depends names the runtime libraries" grep -q "libyaml-cpp" "$tmp/fields"
check "Depends names adduser (postinst)" grep -q "adduser" "$tmp/fields"
mkdir "$tmp/control"
dpkg-deb -e "$deb" "$tmp/control"
for script in postinst prerm postrm; do
  check "control has an executable $script" test -x "$tmp/control/$script"
done
check "corald.yaml is a conffile" grep -qx "/etc/coral/corald.yaml" "$tmp/control/conffiles"

mkdir "$tmp/root"
dpkg-deb -x "$deb" "$tmp/root"
"$tmp/root/usr/bin/coral" --version | grep -q '^coral [0-9]'
check "packaged coral runs" test $? -eq 0
"$tmp/root/usr/bin/corald" --config "$tmp/root/etc/coral/corald.yaml" --check-config 2>/dev/null
check "packaged corald accepts the packaged config" test $? -eq 0

finish "deb"
