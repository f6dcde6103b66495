#!/usr/bin/env bash
# Installs the Debian packages Coral needs to build, test and benchmark, when any is missing.
# Usage: scripts/deps.sh [build|test|bench]   (each level includes the ones before it)
set -euo pipefail

level=${1:-build}
packages=(cmake ninja-build g++ pkg-config libcli11-dev libyaml-cpp-dev nlohmann-json3-dev
          libfmt-dev doctest-dev libsimdjson-dev libcpp-httplib-dev libsqlite3-dev libsodium-dev libldap-dev
          libsystemd-dev librdkafka-dev)
if [[ $level == test || $level == bench ]]; then
  packages+=(python3 python3-jsonschema python3-yaml man-db groff-base slapd ldap-utils)
  # Packaging tests: systemd-analyze verify, cpack's shlibdeps (dpkg-shlibdeps, file), shellcheck.
  packages+=(systemd dpkg-dev file shellcheck)
  packages+=(kcat)  # Kafka tests: produce to and read from `coral dev-kafka`
fi
if [[ $level == bench ]]; then
  packages+=(jq time wrk)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}" >&2
  sudo=""
  if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
