#!/usr/bin/env bash
# coral run against jq on the same events, side by side in one run.
#
#   bench/run_vs_jq.sh [--events N] [--coral PATH] [--keep DIR]
#
# Makes N events (default 1,000,000) of about 100 bytes, then for each case runs `coral run` and
# the jq program doing the same work on the same input, checks that both produced the same result,
# and prints events/s, the ratio to jq and each side's peak RSS:
#   (a) threshold -> log        floor: coral >= 5x jq
#   (b) json template -> log    floor: coral >= 2x jq
#   (c) stats grouped by host over 1,000 keys (jq: reduce into an object)   no floor
# Every case: coral's peak RSS under 100 MB. Exits 1 when a floor or a result check fails.
# Not part of the test run (it takes a minute or two: jq is the slow side).
set -euo pipefail

events=1000000
coral=""
keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --events) events="$2"; shift 2 ;;
    --coral) coral="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run_vs_jq.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$events" =~ ^[1-9][0-9]*$ ]] || { echo "run_vs_jq.sh: --events takes a positive count" >&2; exit 2; }

here="$(cd "$(dirname "$0")/.." && pwd)"
coral="${coral:-${CORAL_BIN:-$here/build}/coral}"
[[ -x "$coral" ]] || { echo "run_vs_jq.sh: no coral binary at $coral; build first (see README) or pass --coral" >&2; exit 2; }
for tool in jq python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "run_vs_jq.sh: $tool is needed: bash scripts/deps.sh bench" >&2; exit 2; }
done

work="${keep:-$(mktemp -d)}"
mkdir -p "$work"
[[ -n "$keep" ]] || trap 'rm -rf "$work"' EXIT

echo "making $events events in $work ..." >&2
awk -v n="$events" 'BEGIN {
  srand(7)
  for (i = 0; i < n; i++)
    printf "{\"id\":%d,\"host\":\"host-%04d\",\"region\":\"eu-west-%d\",\"value\":%.3f,\"status\":\"%s\",\"ts\":%.0f}\n",
      i, int(rand() * 1000), int(rand() * 3) + 1, rand() * 100, (rand() < 0.9 ? "ok" : "degraded"),
      1700000000000 + i * 7
}' > "$work/events.jsonl"
bytes=$(stat -c %s "$work/events.jsonl")
echo "input: $events events, $((bytes / events)) bytes each on average" >&2

cat > "$work/threshold.yaml" <<'EOF'
name: bench-threshold
actors:
  - {name: high, type: threshold, params: {key: value, threshold: 50}}
  - {name: out, type: log}
links:
  - {from: high, to: out}
EOF
cat > "$work/template.yaml" <<'EOF'
name: bench-template
actors:
  - name: shape
    type: json
    params: {template: {host: "${host}", value: "${value}", label: "${region}/${status}"}}
  - {name: out, type: log}
links:
  - {from: shape, to: out}
EOF
cat > "$work/group.yaml" <<'EOF'
name: bench-group-stats
actors:
  - name: per-host
    type: stats
    params: {field: value}
    group: {by: host}
links: []
EOF

jq_threshold='select(.value >= 50)'
jq_template='{host: .host, value: .value, label: "\(.region)/\(.status)"}'
# shellcheck disable=SC2016  # jq's own $variables
# One pass, constant memory per key (group_by would hold every event in memory).
jq_group='reduce inputs as $e ({}; $e.host as $k | $e.value as $v | .[$k] as $s
  | .[$k] = (if $s == null then [1, $v, $v * $v, $v, $v]
             else [$s[0] + 1, $s[1] + $v, $s[2] + $v * $v,
                   (if $v < $s[3] then $v else $s[3] end), (if $v > $s[4] then $v else $s[4] end)] end))
  | map_values({count: .[0], avg: (.[1] / .[0]),
                sd: ((.[2] / .[0] - (.[1] / .[0]) * (.[1] / .[0])) | if . < 0 then 0 else sqrt end),
                min: .[3], max: .[4]})'

# measure NAME OUTPUT COMMAND...: runs COMMAND with the events on stdin and its stdout in OUTPUT;
# sets SECONDS_TAKEN and RSS_KB.
measure() {
  local name="$1" output="$2"
  shift 2
  local start end
  start=$(date +%s.%N)
  if ! /usr/bin/time -o "$work/$name.time" -f '%M' "$@" < "$work/events.jsonl" > "$output" 2> "$work/$name.err"; then
    echo "run_vs_jq.sh: $name failed:" >&2
    cat "$work/$name.err" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  SECONDS_TAKEN=$(python3 -c "print(max($end - $start, 1e-6))")
  RSS_KB=$(tail -n 1 "$work/$name.time")
}

failed=0
results=()
# run_case LABEL FLOOR CHECK DEFINITION JQ_ARGS...
run_case() {
  local label="$1" floor="$2" check="$3" definition="$4"
  shift 4
  echo "case $label: coral run ..." >&2
  measure "$label-coral" "$work/$label.coral.out" "$coral" run "$work/$definition" --stats json --state "$work/$label.coral.state"
  local coral_s="$SECONDS_TAKEN" coral_rss="$RSS_KB"
  echo "case $label: jq ..." >&2
  measure "$label-jq" "$work/$label.jq.out" jq "$@"
  local jq_s="$SECONDS_TAKEN" jq_rss="$RSS_KB"
  local verdict
  verdict=$(python3 - "$check" "$work/$label.coral.out" "$work/$label.jq.out" "$work/$label.coral.state" \
    "$events" "$coral_s" "$jq_s" "$floor" "$coral_rss" "$jq_rss" <<'PY'
import json, sys
check, coral_out, jq_out, coral_state, events, coral_s, jq_s, floor, coral_rss, jq_rss = sys.argv[1:]
events, coral_s, jq_s, floor = int(events), float(coral_s), float(jq_s), float(floor)
coral_rss, jq_rss = int(coral_rss), int(jq_rss)
problems = []
if check == "lines":
    # Same events in the same order; numbers compared as numbers (coral keeps the input's bytes,
    # jq rewrites 78.870 as 78.87).
    with open(coral_out) as a, open(jq_out) as b:
        count = 0
        for left, right in zip(a, b):
            count += 1
            if json.loads(left) != json.loads(right):
                problems.append(f"line {count} differs: {left.strip()} / {right.strip()}")
                break
    ca, cb = sum(1 for _ in open(coral_out)), sum(1 for _ in open(jq_out))
    if ca != cb:
        problems.append(f"coral wrote {ca} lines, jq {cb}")
else:
    mine = json.load(open(coral_state))["per-host"]
    theirs = json.load(open(jq_out))
    if set(mine) != set(theirs):
        problems.append(f"coral has {len(mine)} groups, jq {len(theirs)}")
    for key, stats in theirs.items():
        got = mine.get(key, {})
        for field, want in stats.items():
            if abs(got.get(field, float("nan")) - want) > 1e-6 * max(1.0, abs(want)):
                problems.append(f"{key}.{field}: coral {got.get(field)}, jq {want}")
                break
ratio = jq_s / coral_s
ok = not problems and coral_rss < 100 * 1024 and (floor == 0 or ratio >= floor)
print(f"{events / coral_s:,.0f}|{events / jq_s:,.0f}|{ratio:.1f}x|{'>= %gx' % floor if floor else '-'}|"
      f"{coral_rss / 1024:.1f} MB|{jq_rss / 1024:.1f} MB|{'ok' if ok else 'FAIL'}|"
      f"{'; '.join(problems[:3])}")
PY
)
  [[ "$verdict" == *"|ok|"* ]] || failed=1
  results+=("$label|$verdict")
}

run_case "a-threshold" 5 lines threshold.yaml -c "$jq_threshold"
run_case "b-template" 2 lines template.yaml -c "$jq_template"
run_case "c-group-stats" 0 state group.yaml -n -c "$jq_group"

echo
printf '%-14s %14s %12s %7s %7s %11s %9s %s\n' case "coral ev/s" "jq ev/s" ratio floor "coral RSS" "jq RSS" result
for row in "${results[@]}"; do
  IFS='|' read -r label coral_rate jq_rate ratio floor rss jq_rss verdict problems <<< "$row"
  printf '%-14s %14s %12s %7s %7s %11s %9s %s %s\n' "$label" "$coral_rate" "$jq_rate" "$ratio" "$floor" "$rss" "$jq_rss" "$verdict" "$problems"
done
echo "($events events; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $(jq --version))"
exit "$failed"
