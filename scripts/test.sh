#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs the whole test suite.
# CORAL_SANITIZE=1 builds with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh test
build=build
flags=()
if [[ ${CORAL_SANITIZE:-0} == 1 ]]; then
  build=build-asan
  flags+=(-DCORAL_SANITIZE=ON)
fi
cmake -S . -B "$build" -G Ninja "${flags[@]}" >/dev/null
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
