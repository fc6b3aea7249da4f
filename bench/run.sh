#!/usr/bin/env bash
# Heron's benchmark: what the x-api-key check costs, how fast a revocation reaches another instance,
# whether the rejection log accounts for every 401, how listing scales to 10,000 keys, and whether
# last_used survives a graceful shutdown. See docs/BENCHMARKS.md for how to read the output.
#
# Usage: bench/run.sh [--quick] [--rounds N] [--instances N] [--duration S] [--keys N] [--connections N] [--threads N] [--keep]
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"

ROUNDS=3          # alternating rounds of every case on each instance
INSTANCES=3       # fresh processes the throughput rounds are spread over: one process's luck does not decide the ratio
DURATION=6        # seconds per round of cases a, b, c and e
VARIANT_DURATION=3  # seconds per round of variant d (e, a goal of issue 13, runs as long as a, b and c)
MIXED_WARMUP=8    # seconds of warm-up with every case at once, on each fresh instance
WARMUP=2          # then seconds of warm-up per case alone, before the first round
KEYS=10000        # keys created for the scale measurement
SCALE_ROUNDS=5    # rounds of a and b once those keys exist
CONNECTIONS=16
THREADS=1
REVOCATION_CYCLES=5
KEEP=0

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) ROUNDS=2; INSTANCES=1; DURATION=4; VARIANT_DURATION=2; MIXED_WARMUP=4; WARMUP=2; KEYS=2000; SCALE_ROUNDS=1; REVOCATION_CYCLES=3 ;;
    --rounds) ROUNDS="$2"; shift ;;
    --instances) INSTANCES="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --keys) KEYS="$2"; shift ;;
    --connections) CONNECTIONS="$2"; shift ;;
    --threads) THREADS="$2"; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

need wrk wrk
need sqlite3 sqlite3
need python3 python3
need curl curl
need redis-server redis-server
need redis-cli redis-tools
[[ $ROUNDS -ge 1 && $INSTANCES -ge 1 ]] || { echo "--rounds and --instances must be at least 1" >&2; exit 2; }
command -v dotnet >/dev/null || { echo "the .NET SDK is missing" >&2; exit 1; }

WORK="$(mktemp -d /tmp/heron-bench.XXXXXX)"
APP="$WORK/app"
DB="$WORK/heron.db"
RESULTS="$WORK/results.tsv"
FACTS="$WORK/facts.json"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ $KEEP -eq 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT_A="$(free_port)"
PORT_B="$(free_port)"
A="http://127.0.0.1:$PORT_A"
B="http://127.0.0.1:$PORT_B"

helper() { python3 "$BENCH_DIR/helpers.py" "$@"; }
fact() { helper fact "$FACTS" "$@"; }
echo '{}' > "$FACTS"

fact machine "$(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME"), $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//')"
fact dotnet "SDK $(dotnet --version), runtime $(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ {v=$2} END {print v}')"
STARTED_AT="$(date -u +'%Y-%m-%d %H:%M:%S UTC')"
fact load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
fact settings "rounds=$ROUNDS x ${DURATION}s on each of $INSTANCES instances (d ${VARIANT_DURATION}s), warm-up ${MIXED_WARMUP}s mixed + ${WARMUP}s per case, wrk -t$THREADS -c$CONNECTIONS, keys=$KEYS"
log "work directory $WORK; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# --- Build -----------------------------------------------------------------------------------------
log "publishing Heron.Web (Release)"
publish_app "$REPO" "$APP" "$WORK/publish.log"

# Production, a fresh database, and rate limits high enough to measure verification (bench/common.sh).
throughput_environment "$WORK" "$DB"

# The content root is the working directory: run from the published folder so appsettings.json applies.
cli() { (cd "$APP" && exec dotnet Heron.Web.dll "$@" 2>>"$WORK/cli.log"); }

start_instance() { # name port log [env...]; sets STARTED_PID
  local name=$1 port=$2 out=$3; shift 3
  (cd "$APP" && exec env "$@" dotnet Heron.Web.dll --urls "http://127.0.0.1:$port") >>"$out" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  wait_ready "$STARTED_PID" "$port" "$out" "$name" 60
}

stop_instance() { # pid: SIGTERM, wait for the graceful shutdown, and forget the pid (it may be reused)
  kill -TERM "$1"
  wait "$1" 2>/dev/null || true
  local keep=() pid
  for pid in "${PIDS[@]}"; do [[ $pid == "$1" ]] || keep+=("$pid"); done
  PIDS=("${keep[@]}")
}

sha256_hex() { printf '%s' "$1" | sha256sum | awk '{print toupper($1)}'; }

last_used_of() { # token -> LastUsedAt of its key, or NULL
  sqlite3 "$DB" "SELECT coalesce(LastUsedAt, 'NULL') FROM ApiKeys WHERE hex(TokenHash) = '$(sha256_hex "$1")';"
}

log "creating the bench organization and keys with the CLI"
ORG="$(cli onboard --organization Bench --email bench@example.com)"
[[ "$ORG" == bench ]] || { echo "expected slug 'bench', got '$ORG'" >&2; exit 1; }
KEY_B="$(cli issue-key --organization bench --environment development --name 'bench b')"
KEY_ADMIN="$(cli issue-key --organization bench --environment development --name 'bench admin')"
KEY_LAST="$(cli issue-key --organization bench --environment development --name 'bench last used')"
# Nobody issued this one, but its checksum is valid: it is looked up (once) and found unknown.
KEY_UNKNOWN="$(helper token)"
UNKNOWN_PREFIX="${KEY_UNKNOWN:0:8}"

log "starting instance A on port $PORT_A"
start_instance A "$PORT_A" "$WORK/a.log"
PID_A=$STARTED_PID
CLK_TCK="$(getconf CLK_TCK)"
# Case bs: a key with scopes and an IP allowlist (the CLI issues keys without controls, so the API makes it).
KEY_BS="$(curl -fs -H "x-api-key: $KEY_ADMIN" -H 'content-type: application/json' \
  -d '{"name": "bench b scoped", "scopes": ["credentials:read"], "allowed_ips": ["10.0.0.0/8", "127.0.0.1", "::1"]}' \
  "$A/api/credentials/keys" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')"

# --- Throughput ------------------------------------------------------------------------------------
printf 'phase\tcase\tround\trequests\tduration_us\tnon2xx\tsocket_errors\tp50_us\tp99_us\tcpu_ticks\tlog_bytes\n' >"$RESULTS"

declare -A CASE_KEY=([a]="" [a2]="" [b]="$KEY_B" [bs]="$KEY_BS" [c]="$KEY_UNKNOWN" [d]="@malformed" [e]="@random")
declare -A CASE_PATH=([a]=/api/hello_world [a2]=/api/hello_world [b]=/api/hello_world/authenticated [bs]=/api/hello_world/authenticated
                      [c]=/api/hello_world/authenticated [d]=/api/hello_world/authenticated [e]=/api/hello_world/authenticated)
declare -A SENT_NON2XX=([a]=0 [a2]=0 [b]=0 [bs]=0 [c]=0 [d]=0 [e]=0)

wrk_case() { # case seconds output: one wrk run of a case against A
  HERON_BENCH_KEY="${CASE_KEY[$1]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${2}s" -s "$BENCH_DIR/wrk.lua" \
    "$A${CASE_PATH[$1]}" >"$3" 2>&1
}

read_wrk_result() { # case output: sets the caller's W_* variables and counts the case's non-2xx responses
  local result
  result="$(helper wrkresult "$2")" || { cat "$2" >&2; exit 1; }
  eval "$result"
  SENT_NON2XX[$1]=$(( ${SENT_NON2XX[$1]} + W_non2xx ))
}

run_case() { # phase case round seconds
  local phase=$1 case=$2 round=$3 seconds=$4 cpu0 cpu1 log0 log1
  cpu0="$(cpu_ticks "$PID_A")"; log0="$(stat -c %s "$WORK/a.log")"
  wrk_case "$case" "$seconds" "$WORK/wrk.out" || { cat "$WORK/wrk.out" >&2; exit 1; }
  cpu1="$(cpu_ticks "$PID_A")"; log1="$(stat -c %s "$WORK/a.log")"
  local W_requests W_duration_us W_non2xx W_socket_errors W_p50_us W_p99_us W_mean_us
  read_wrk_result "$case" "$WORK/wrk.out"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$case" "$round" "$W_requests" "$W_duration_us" \
    "$W_non2xx" "$W_socket_errors" "$W_p50_us" "$W_p99_us" "$(( (cpu1 - cpu0) * 1000000 / CLK_TCK ))" "$(( log1 - log0 ))" >>"$RESULTS"
  log "$phase round $round case $case: $W_requests requests, $(( W_requests * 1000000 / W_duration_us )) req/s, p99 $((W_p99_us))us, non-2xx $W_non2xx"
}

# The runtime's dynamic PGO optimises each method for the traffic it sees during a short profiling window
# soon after start. Warming up one case after the other had the code every case shares (Kestrel, logging,
# the middleware) profiled under case a alone, which always came first. A server in production sees every kind of
# request at once, so the warm-up starts with all cases at once, then runs each alone.
warm_up_mixed() { # seconds
  local seconds=$1 case pid pids=() failed=0
  for case in a b bs c d e; do
    wrk_case "$case" "$seconds" "$WORK/warm.$case.out" &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [[ $failed -eq 0 ]] || { cat "$WORK"/warm.*.out >&2; exit 1; }
  local W_requests W_duration_us W_non2xx W_socket_errors W_p50_us W_p99_us W_mean_us
  for case in a b bs c d e; do read_wrk_result "$case" "$WORK/warm.$case.out"; done
  log "warm-up: every case at once for ${seconds}s ($((6 * CONNECTIONS)) connections)"
}

# Each instance is a fresh process, started after the previous one has stopped gracefully (writing its folded
# rejection counts) and logging to the same file, so the accounting below covers every round.
round=0
for instance in $(seq 1 "$INSTANCES"); do
  if [[ $instance -gt 1 ]]; then
    stop_instance "$PID_A"
    log "starting a fresh instance A on port $PORT_A (throughput instance $instance of $INSTANCES)"
    start_instance A "$PORT_A" "$WORK/a.log"
    PID_A=$STARTED_PID
  fi
  warm_up_mixed "$MIXED_WARMUP"
  for c in a b bs c d e; do run_case warmup "$c" 0 "$WARMUP"; done
  for r in $(seq 1 "$ROUNDS"); do
    round=$((round + 1))
    fact "load_round_$round" "$(cut -d' ' -f1-3 /proc/loadavg)"
    # a2 is a again, after b: b is compared with both (a linear drift of the machine cancels out), and a2 with a
    # shows how far one endpoint measured twice drifts, the noise floor of every ratio.
    for c in a b bs a2 c; do run_case main "$c" "$round" "$DURATION"; done
    run_case main d "$round" "$VARIANT_DURATION"
    run_case main e "$round" "$DURATION"
  done
done
fact load_after_throughput "$(cut -d' ' -f1-3 /proc/loadavg)"

# --- Rejection log accounting -----------------------------------------------------------------------
# Folded counts are written when their second ends (a 1 s timer): give them two.
sleep 2.5
helper rejections "$WORK/a.log" "$UNKNOWN_PREFIX" >"$WORK/rejections.json"
fact wrk_401 "{\"c\": ${SENT_NON2XX[c]}, \"d\": ${SENT_NON2XX[d]}, \"e\": ${SENT_NON2XX[e]}}"
fact rejections "$(cat "$WORK/rejections.json")"

# --- Revocation across two instances ----------------------------------------------------------------
# B polls the change feed like any instance; its periodic last_used flush is pushed out to an hour so
# that a LastUsedAt written for a key used only on B can only come from its shutdown flush.
log "starting instance B on port $PORT_B (same database)"
start_instance B "$PORT_B" "$WORK/b.log" ApiKeys__LastUsedFlushInterval=01:00:00
PID_B=$STARTED_PID
# Warm B's pipeline (first-request JIT, EF query compilation) so the delays below are about propagation.
for i in $(seq 1 20); do
  curl -s -o /dev/null -H "x-api-key: $KEY_ADMIN" "$B/api/hello_world/authenticated"
  curl -s -o /dev/null -H "x-api-key: $(helper token)" "$B/api/hello_world/authenticated"
done
log "revocation: $REVOCATION_CYCLES deactivate/reactivate cycles and a delete"
fact revocation "$(helper revocation "$A" "$B" "$KEY_ADMIN" "$REVOCATION_CYCLES")"

# --- last_used: no write per request, written on a graceful shutdown -----------------------------------
curl -fs -o /dev/null -H "x-api-key: $KEY_LAST" "$B/api/hello_world/authenticated"
sleep 0.5
BEFORE_SHUTDOWN="$(last_used_of "$KEY_LAST")"
stop_instance "$PID_B"
AFTER_SHUTDOWN="$(last_used_of "$KEY_LAST")"
fact last_used_b "{\"before_sigterm\": \"$BEFORE_SHUTDOWN\", \"after_sigterm\": \"$AFTER_SHUTDOWN\"}"

# --- Scale: 10,000 keys in one organization ----------------------------------------------------------
log "creating $KEYS keys through the API on A (8 connections), each used once so A caches them all"
fact scale_create "$(helper create-keys "$A" "$KEY_ADMIN" "$KEYS" 8 --use)"
LIST_TIMES=()
for i in $(seq 1 7); do
  LIST_TIMES+=("$(curl -fs -o "$WORK/list.json" -w '%{time_starttransfer} %{time_total} %{size_download}' \
    -H "x-api-key: $KEY_ADMIN" "$A/api/credentials/keys")")
done
# The request log's Elapsed is the server's own time for each of those requests.
fact list_server_ms "$(grep -F '"RequestPath":"/api/credentials/keys"' "$WORK/a.log" | grep -F '"RequestMethod":"GET"' \
  | tail -n "${#LIST_TIMES[@]}" | python3 -c 'import json,sys; print(json.dumps([round(json.loads(l)["Elapsed"], 1) for l in sys.stdin]))')"
fact list_keys_listed "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["keys"]))' "$WORK/list.json")"
fact list_times "$(printf '%s\n' "${LIST_TIMES[@]}" | python3 -c 'import json,sys; print(json.dumps([l.split() for l in sys.stdin]))')"
log "verification with $KEYS more keys present"
for r in $(seq 1 "$SCALE_ROUNDS"); do
  for c in a b; do run_case scale "$c" "$r" "$DURATION"; done
done

# --- last_used on A: the key used last ---------------------------------------------------------------
SENT_AT="$(date -u +'%Y-%m-%d %H:%M:%S.%N')"
curl -fs -o /dev/null -H "x-api-key: $KEY_B" "$A/api/hello_world/authenticated"
stop_instance "$PID_A"
fact last_used_a "{\"sent_at\": \"$SENT_AT\", \"after_sigterm\": \"$(last_used_of "$KEY_B")\"}"
# --- One customer's limit across three instances, counted in Redis -----------------------------------
# A throwaway redis-server on a free loopback port, three fresh instances on the same database counting the
# bench organization's window through it (a limit of SHARED_LIMIT a day, so no window ends during the run),
# and a wrk per instance sending that customer's requests at once. The request logs say what was served.
REDIS_PORT="$(free_port)"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --dir "$WORK" \
  --daemonize yes --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"
for i in $(seq 1 50); do [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]] && break; sleep 0.1; done
PIDS+=("$(cat "$WORK/redis.pid")")
SHARED_LIMIT=3000
SHARED_PIDS=() SHARED_URLS=()
for n in 1 2 3; do
  port="$(free_port)"
  start_instance "R$n" "$port" "$WORK/r$n.log" RateLimiting__Redis="127.0.0.1:$REDIS_PORT" \
    RateLimiting__Organizations__bench__PermitLimit="$SHARED_LIMIT" RateLimiting__Organizations__bench__Window=1.00:00:00
  SHARED_PIDS+=("$STARTED_PID") SHARED_URLS+=("http://127.0.0.1:$port")
done
log "shared limit: $SHARED_LIMIT requests a day for one customer, sent through 3 instances at once for ${DURATION}s"
WRK_PIDS=()
for url in "${SHARED_URLS[@]}"; do
  HERON_BENCH_KEY="$KEY_B" wrk -t1 -c8 -d"${DURATION}s" -s "$BENCH_DIR/wrk.lua" "$url/api/hello_world/authenticated" >/dev/null 2>&1 &
  WRK_PIDS+=("$!")
done
wait "${WRK_PIDS[@]}"
for pid in "${SHARED_PIDS[@]}"; do stop_instance "$pid"; done
fact shared_limit "$(helper shared-limit "$SHARED_LIMIT" "$WORK"/r1.log "$WORK"/r2.log "$WORK"/r3.log)"
kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true

fact load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
fact started_at "$STARTED_AT"
fact finished_at "$(date -u +'%Y-%m-%d %H:%M:%S UTC')"

helper report "$RESULTS" "$FACTS" | tee "$WORK/report.txt"
