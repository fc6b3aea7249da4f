#!/usr/bin/env bash
# Start-up with many keys: writes N keys straight into a fresh SQLite file (sqlite3, seconds for a million),
# then starts Heron on it and measures the time to /health/ready (every live key in memory) and the
# process's memory, against the same start-up with no keys. See docs/SCALING.md for how to read it.
#
# Usage: bench/startup.sh [--keys N] [--app PUBLISHED_DIR] [--keep]
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"
KEYS=1000000
APP=""
KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --keys) KEYS="$2"; shift ;;
    --app) APP="$2"; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
for tool in sqlite3 curl python3 dotnet; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done

WORK="$(mktemp -d /tmp/heron-startup.XXXXXX)"
PID=""
cleanup() {
  local status=$?
  [[ -n $PID ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  if [[ $status -ne 0 && -s $WORK/cli.log ]]; then tail -20 "$WORK/cli.log" >&2; fi
  if [[ $KEEP -eq 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

if [[ -z $APP ]]; then
  APP="$WORK/app"
  log "publishing Heron.Web (Release)"
  publish_app "$REPO" "$APP" "$WORK/publish.log"
fi
bench_environment "$WORK"

cli() { (cd "$APP" && exec dotnet Heron.Web.dll "$@" 2>>"$WORK/cli.log"); }

make_db() { # path keys: a migrated database with one organization and N keys in its development realm
  export ConnectionStrings__Heron="Data Source=$1"
  cli onboard --organization Startup --email startup@example.com >/dev/null
  [[ $2 -gt 0 ]] || return 0
  local started=$SECONDS
  # Random 32-byte hashes: what SHA-256 of random tokens looks like to the index. Unique ids from the row number.
  sqlite3 "$1" <<SQL
PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO ApiKeys (HeronId, RealmId, Name, TokenPrefix, TokenHash, IsActive, CreatedAt, CreatedBy, RejectedSinceDeactivation)
SELECT printf('apk_%022d', i), (SELECT min(Id) FROM Realms), 'bulk ' || i, 'key_' || substr(hex(randomblob(2)), 1, 4),
       randomblob(32), i % 10 <> 0, '2026-01-01 00:00:00', 'bench', 0
FROM n;
COMMIT;
SQL
  log "inserted $2 keys in $(( SECONDS - started )) s ($(du -h "$1" | cut -f1) file)"
}

measure() { # label path: prints "label ready_ms rss_kb keys_in_memory"
  export ConnectionStrings__Heron="Data Source=$2"
  local port; port="$(free_port)"
  local t0; t0="$(date +%s%N)"
  (cd "$APP" && exec dotnet Heron.Web.dll --urls "http://127.0.0.1:$port") >>"$WORK/$1.log" 2>&1 &
  PID=$!
  wait_ready "$PID" "$port" "$WORK/$1.log" "$1" 600
  local ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  # A little traffic first (one valid key, invented ones), so the memory is that of a serving instance.
  local token; token="$(cli issue-key --organization startup --environment development --name probe)"
  local i status
  for i in $(seq 1 60); do
    status="$(curl -s -o /dev/null -w '%{http_code}' -H "x-api-key: $token" "http://127.0.0.1:$port/api/hello_world/authenticated")"
    [[ $status == 200 ]] && break
    sleep 0.05
  done
  [[ $status == 200 ]] || { echo "a key issued after start-up was refused ($status)" >&2; exit 1; }
  local invented; invented="$(python3 "$BENCH_DIR/helpers.py" token)"
  status="$(curl -s -o /dev/null -w '%{http_code}' -H "x-api-key: $invented" "http://127.0.0.1:$port/api/hello_world/authenticated")"
  [[ $status == 401 ]] || { echo "an invented key got $status" >&2; exit 1; }
  local rss; rss="$(awk '/^VmRSS/ {print $2}' "/proc/$PID/status")"
  local in_memory; in_memory="$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^heron_api_keys_in_memory/ {print $2}')"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  echo "$1 $ready_ms $rss ${in_memory:-?}"
}

log "load average $(cut -d' ' -f1-3 /proc/loadavg)"
make_db "$WORK/empty.db" 0
make_db "$WORK/full.db" "$KEYS"
# In this shell, not a process substitution: cleanup must see the instance's PID if a check fails.
measure empty "$WORK/empty.db" >"$WORK/empty.result"
measure full "$WORK/full.db" >"$WORK/full.result"
read -r _ empty_ms empty_kb empty_keys <"$WORK/empty.result"
read -r _ full_ms full_kb full_keys <"$WORK/full.result"
echo
echo "start-up to /health/ready, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %12s %14s %16s\n' keys "ready (ms)" "RSS (MB)" "keys in memory"
printf '%-12s %12s %14s %16s\n' 0 "$empty_ms" "$(( empty_kb / 1024 ))" "$empty_keys"
printf '%-12s %12s %14s %16s\n' "$KEYS" "$full_ms" "$(( full_kb / 1024 ))" "$full_keys"
python3 - "$KEYS" "$empty_ms" "$empty_kb" "$full_ms" "$full_kb" <<'PY'
import sys
keys, e_ms, e_kb, f_ms, f_kb = map(int, sys.argv[1:])
per_key = (f_kb - e_kb) * 1024 / keys
load_us = (f_ms - e_ms) * 1000 / keys
print(f"memory per key: {per_key:.0f} bytes (RSS difference); load time per key: {load_us:.2f} us")
print(f"extrapolated to 10,000,000 keys: {per_key * 1e7 / 2**20:.0f} MB more memory, "
      f"{(e_ms + load_us * 1e7 / 1000) / 1000:.0f} s to ready")
PY
