# shellcheck shell=bash disable=SC2034  # the variables are for the scripts that source this
# Sourced by tests/cli/*_test.sh that drive a real corald with the real coral.
#   start_corald [corald flags...]  starts corald on 127.0.0.1 and a free port, with a data
#                                   directory under $tmp, and waits (bounded) for /api/health;
#                                   sets $server and $corald_pid; the EXIT trap stops it. Points
#                                   coral at it (CORAL_SERVER) with no credentials from the
#                                   environment or a credentials file.
#   check NAME COMMAND...           counts a pass or prints FAIL: NAME
#   finish LABEL                    prints the counts and exits 1 when anything failed
# Needs: CORAL_BIN, CORAL_SOURCE_DIR, python3 (for free ports).
coral="${CORAL_BIN:?}/coral"
corald="${CORAL_BIN:?}/corald"
src="${CORAL_SOURCE_DIR:?}"
# shellcheck source=../support/checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/../support/checks.sh"
corald_pid=""
cleanup() {
  if [[ -n $corald_pid ]] && kill -0 "$corald_pid" 2>/dev/null; then
    kill -TERM "$corald_pid" 2>/dev/null
    wait "$corald_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# Called by finish when a check failed.
on_failure() {
  if [[ -s $tmp/corald.log ]]; then
    echo "--- corald's log (last lines)" >&2
    tail -n 30 "$tmp/corald.log" >&2
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# 0 when GET /api/health answers 200.
healthy() {
  local port=$1 status
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
  read -r -t 2 _ status _ <&3
  exec 3<&-
  [[ $status == 200 ]]
}

start_corald() {
  local port
  port=$(free_port)
  mkdir -p "$tmp/data"
  "$corald" --no-cluster --api-interface 127.0.0.1 --api-port "$port" \
    --gossip-port "$(free_port)" --data-dir "$tmp/data" "$@" >"$tmp/corald.out" 2>"$tmp/corald.log" &
  corald_pid=$!
  server="http://127.0.0.1:$port"
  export CORAL_SERVER=$server XDG_CONFIG_HOME=$tmp/config
  unset CORAL_USER CORAL_PASSWORD
  local attempt
  for ((attempt = 0; attempt < 300; attempt++)); do  # at most ~30 s on a loaded machine
    if ! kill -0 "$corald_pid" 2>/dev/null; then
      echo "FAIL: corald exited at start:" >&2
      cat "$tmp/corald.log" >&2
      exit 1
    fi
    healthy "$port" && return 0
    sleep 0.1
  done
  echo "FAIL: corald did not answer /api/health at $server" >&2
  cat "$tmp/corald.log" >&2
  exit 1
}

# wait_for SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds, at most SECONDS.
wait_for() {
  local limit=$(($1 * 10)) i; shift
  for ((i = 0; i < limit; i++)); do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}
