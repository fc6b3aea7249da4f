#!/usr/bin/env bash
# Side by side: what a valid key (case b) costs over no key (case a) in two or more builds or settings of
# Heron, measured in one run so that the machine's drift falls on all of them alike. Each variant is a warm
# Production instance (warmed up as bench/run.sh does); rounds run a, b, a on each variant in turn. Reports
# CPU us per request (the process's utime+stime over the requests wrk completed), b - a, the CPU ratio, and
# the median over rounds of b's req/s over the mean of its two a's. See docs/BENCHMARKS.md.
#
# Usage: bench/compare.sh [--rounds N] [--duration S] [--warm-up-cases "a b c d e"] [--no-request-log] VARIANT...
#   VARIANT  a git commit-ish (without "@"), or "." for the working tree, optionally followed by
#            @NAME=VALUE[,NAME=VALUE...], the environment of that instance. Examples:
#              bench/compare.sh HEAD~1 .                                      a change against its parent
#              bench/compare.sh . .                                           the same build twice: the noise floor
#              bench/compare.sh . .@DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0   a runtime setting
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"

ROUNDS=5
DURATION=5
MIXED_WARMUP=8
WARMUP=2
WARMUP_CASES="a b c d e"
CONNECTIONS=16
VARIANTS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --warm-up-cases) WARMUP_CASES="$2"; shift ;;
    --no-request-log) export Serilog__MinimumLevel__Default=Warning ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
    *) VARIANTS+=("$1") ;;
  esac
  shift
done
[[ ${#VARIANTS[@]} -ge 1 && $ROUNDS -ge 1 ]] || { echo "name at least one variant (try --help)" >&2; exit 2; }
need wrk wrk
need python3 python3
need curl curl

WORK="$(mktemp -d /tmp/heron-compare.XXXXXX)"
PIDS=()
cleanup() {
  local status=$? pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $status -ne 0 && -s $WORK/cli.log ]]; then tail -20 "$WORK/cli.log" >&2; fi
  rm -rf "$WORK"
  # After the folder is gone, so that a worktree a failed publish left behind is forgotten too.
  git -C "$REPO" worktree prune 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- One published build per distinct commit-ish -------------------------------------------------------
declare -A BUILT=()
build() { # commit-ish: publishes it once, into BUILT[commit-ish]
  local ref=$1 n=${#BUILT[@]}
  if [[ -z ${BUILT[$ref]:-} ]]; then
    local out="$WORK/app.$n"
    if [[ $ref == . ]]; then
      log "publishing the working tree"
      publish_app "$REPO" "$out" "$WORK/publish.$n.log"
    else
      local commit
      commit="$(git -C "$REPO" rev-parse --verify --quiet --short "$ref^{commit}")" || { echo "$ref is not a commit" >&2; exit 2; }
      log "publishing $ref ($commit)"
      git -C "$REPO" worktree add --quiet --detach "$WORK/src.$n" "$ref"
      publish_app "$WORK/src.$n" "$out" "$WORK/publish.$n.log"
      git -C "$REPO" worktree remove --force "$WORK/src.$n"
    fi
    BUILT[$ref]=$out
  fi
}

APPS=() ENVS=() PORTS=() KEYS=()
for i in "${!VARIANTS[@]}"; do
  ref="${VARIANTS[$i]%%@*}"
  build "$ref"
  APPS+=("${BUILT[$ref]}")
  if [[ ${VARIANTS[$i]} == *@* ]]; then ENVS+=("$(tr ',' ' ' <<<"${VARIANTS[$i]#*@}")"); else ENVS+=(""); fi
done

# --- Each variant: its own database, key and instance -----------------------------------------------------
for i in "${!VARIANTS[@]}"; do
  throughput_environment "$WORK" "$WORK/heron.$i.db"
  (cd "${APPS[$i]}" && dotnet Heron.Web.dll onboard --organization Bench --email bench@example.com >/dev/null 2>>"$WORK/cli.log")
  KEYS+=("$(cd "${APPS[$i]}" && dotnet Heron.Web.dll issue-key --organization bench --environment development --name b 2>>"$WORK/cli.log")")
  port="$(free_port)"
  PORTS+=("$port")
  # shellcheck disable=SC2086 # the variant's NAME=VALUE words
  (cd "${APPS[$i]}" && exec env ${ENVS[$i]} dotnet Heron.Web.dll --urls "http://127.0.0.1:$port") >"$WORK/instance.$i.log" 2>&1 &
  PIDS+=("$!")
  wait_ready "${PIDS[$i]}" "$port" "$WORK/instance.$i.log" "of variant $i" 60
done
UNKNOWN="$(python3 "$BENCH_DIR/helpers.py" token)"

wrk_case() { # variant case seconds output
  local key path=/api/hello_world/authenticated
  case "$2" in
    a) key="" path=/api/hello_world ;;
    b) key="${KEYS[$1]}" ;;
    c) key="$UNKNOWN" ;;
    d) key=@malformed ;;
    e) key=@random ;;
    *) echo "unknown case $2" >&2; exit 2 ;;
  esac
  HERON_BENCH_KEY="$key" wrk -t1 -c"$CONNECTIONS" -d"${3}s" -s "$BENCH_DIR/wrk.lua" "http://127.0.0.1:${PORTS[$1]}$path" >"$4" 2>&1
}

measure() { # variant case round: one wrk run, one line of results
  local cpu0 cpu1
  cpu0="$(cpu_ticks "${PIDS[$1]}")"
  wrk_case "$1" "$2" "$DURATION" "$WORK/wrk.out" || { cat "$WORK/wrk.out" >&2; exit 1; }
  cpu1="$(cpu_ticks "${PIDS[$1]}")"
  local W_requests W_duration_us W_non2xx W_socket_errors W_p50_us W_p99_us W_mean_us
  eval "$(python3 "$BENCH_DIR/helpers.py" wrkresult "$WORK/wrk.out")"
  # An error response is not the case being measured; a rare timeout on a busy machine is only noted.
  ((W_non2xx == 0)) || { echo "variant $1 (${VARIANTS[$1]}), case $2: $W_non2xx responses other than 2xx" >&2; exit 1; }
  ((W_socket_errors == 0)) || log "variant $1, case $2, round $3: $W_socket_errors socket errors (timeouts) in wrk"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$W_requests" "$W_duration_us" "$(( (cpu1 - cpu0) * 1000000 / $(getconf CLK_TCK) ))" >>"$WORK/results.tsv"
}

for i in "${!VARIANTS[@]}"; do
  log "warming up variant $i (${VARIANTS[$i]}): $WARMUP_CASES at once for ${MIXED_WARMUP}s, then a and b alone"
  warmers=() failed=0
  for c in $WARMUP_CASES; do wrk_case "$i" "$c" "$MIXED_WARMUP" "$WORK/warm.$c.out" & warmers+=("$!"); done
  for pid in "${warmers[@]}"; do wait "$pid" || failed=1; done
  ((failed == 0)) || { cat "$WORK"/warm.*.out >&2; exit 1; }
  for c in a b; do wrk_case "$i" "$c" "$WARMUP" "$WORK/warm.out"; done
done
for r in $(seq 1 "$ROUNDS"); do
  log "round $r of $ROUNDS"
  for i in "${!VARIANTS[@]}"; do
    for c in a b a; do measure "$i" "$c" "$r"; done
  done
done

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $ROUNDS rounds of a, b, a x ${DURATION}s, wrk -t1 -c$CONNECTIONS"
python3 - "$WORK/results.tsv" "${VARIANTS[@]}" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().splitlines()]
print(f"{'variant':44} {'a us/r':>7} {'b us/r':>7} {'b - a':>6} {'CPU ratio':>9} {'req/s ratio (rounds)':>22}")
for i, name in enumerate(sys.argv[2:]):
    mine = [r for r in rows if int(r[0]) == i]
    def cpu(case):
        picked = [r for r in mine if r[1] == case]
        return sum(int(r[5]) for r in picked) / sum(int(r[3]) for r in picked)
    rate = lambda r: int(r[3]) * 1e6 / int(r[4])
    ratios = []
    for rnd in sorted({r[2] for r in mine}, key=int):
        a = [rate(r) for r in mine if r[2] == rnd and r[1] == "a"]
        b = [rate(r) for r in mine if r[2] == rnd and r[1] == "b"]
        ratios.append(b[0] / statistics.mean(a))
    a, b = cpu("a"), cpu("b")
    print(f"{name[:44]:44} {a:7.1f} {b:7.1f} {b - a:+6.1f} {a / b:9.3f} {statistics.median(ratios):6.3f} "
          f"({min(ratios):.2f}-{max(ratios):.2f})")
PY
