#!/usr/bin/env bash
# The README's main job: installs what is missing, builds, validates every example, lists them,
# and runs the hello-world example with `coral run`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh build
cmake -S . -B build -G Ninja >/dev/null
cmake --build build -j "$(nproc)"

echo "== coral validate runtimes-examples/*"
build/coral validate runtimes-examples/*
echo
echo "== the examples"
for file in runtimes-examples/*.yaml; do
  printf '  %-36s %s\n' "$file" "$(sed -n 's/^# *//p;q' "$file")"
done
echo
echo "== coral run runtimes-examples/hello-world.yaml"
build/coral run runtimes-examples/hello-world.yaml
