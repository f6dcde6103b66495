# shellcheck shell=bash disable=SC2034  # the variables are for the scripts that source this
# Sourced by the shell tests: counted checks and a scratch directory.
#   check NAME COMMAND...  counts a pass, or prints FAIL: NAME
#   finish LABEL           prints the counts, calls on_failure (when the script defines it) if
#                          anything failed, and exits 1 then, 0 otherwise
#   $tmp                   a fresh directory, removed by the EXIT trap set here (a script that
#                          sets its own trap removes it there)
failures=0 passes=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {
  local name=$1; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $name" >&2; failures=$((failures + 1)); fi
}

finish() {
  echo "$1: $passes passed, $failures failed"
  if ((failures > 0)) && declare -F on_failure >/dev/null; then on_failure; fi
  exit $((failures > 0))
}
