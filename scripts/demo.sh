#!/usr/bin/env bash
# The README's main job: installs what is missing, builds, validates every example, lists them,
# runs the hello-world example with `coral run`, then starts corald on loopback (data directory
# build/demo/, a first admin made with `corald user add`), applies the same example with
# `coral apply`, shows `coral stats` and what the runtime logged, and stops corald again.
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

echo
echo "== corald on 127.0.0.1 with data in build/demo/"
demo=build/demo
rm -rf "$demo"
mkdir -p "$demo"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
gossip=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password=$(head -c 18 /dev/urandom | base64)
printf '%s\n' "$password" | build/corald user add admin --admin --password-stdin --data-dir "$demo/data"
build/corald --no-cluster --api-interface 127.0.0.1 --api-port "$port" --gossip-port "$gossip" \
  --data-dir "$demo/data" >"$demo/corald.out" 2>"$demo/corald.log" &
corald_pid=$!
stop_corald() {
  if kill -0 "$corald_pid" 2>/dev/null; then
    kill -TERM "$corald_pid"
    wait "$corald_pid" || true
  fi
}
trap stop_corald EXIT
export CORAL_SERVER="http://127.0.0.1:$port" CORAL_USER=admin CORAL_PASSWORD="$password"
ready=0
for _ in $(seq 100); do  # up to 10 s
  build/coral platform stats >/dev/null 2>&1 && { ready=1; break; }
  kill -0 "$corald_pid" 2>/dev/null || { cat "$demo/corald.log" >&2; exit 1; }
  sleep 0.1
done
if ((!ready)); then
  echo "demo: corald did not answer within 10 s; its log:" >&2
  cat "$demo/corald.log" >&2
  exit 1
fi
echo "corald (pid $corald_pid) serves $CORAL_SERVER; its log: $demo/corald.log"
echo
echo "== coral apply -f runtimes-examples/hello-world.yaml"
build/coral apply -f runtimes-examples/hello-world.yaml
for _ in $(seq 100); do  # the generator makes 20 events in about 2 s
  received=$(build/coral -o json stats hello-world printer 2>/dev/null |
    python3 -c 'import json, sys; print(json.load(sys.stdin).get("received", 0))' 2>/dev/null || echo 0)
  [[ $received -ge 20 ]] && break
  sleep 0.1
done
echo
echo "== coral stats hello-world"
build/coral stats hello-world
echo
echo "== the last lines the log actor wrote ($demo/data/logs/admin-hello-world/printer.log)"
tail -n 3 "$demo/data/logs/admin-hello-world/printer.log"
echo
echo "== coral get runtimes"
build/coral get runtimes
echo
echo "== stopping corald (SIGTERM: runtimes stopped, state saved, store closed)"
stop_corald
trap - EXIT
echo "done; start it again with the same --data-dir and hello-world comes back as it was"
