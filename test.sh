#!/usr/bin/env bash
# Runs every test: installs what is missing, runs the test projects (unit/integration and browser E2E),
# then the publish and benchmark smoke tests, and ends with one line: "N passed, N failed, N skipped".
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# --- what the tests need -------------------------------------------------------------------------
if ! command -v dotnet >/dev/null; then
    echo "error: the .NET SDK is not installed; see global.json for the version." >&2
    exit 1
fi

missing=()
if [[ -n ${HERON_CHROMIUM_PATH:-} ]]; then
    if [[ ! -x $HERON_CHROMIUM_PATH ]]; then
        echo "error: HERON_CHROMIUM_PATH is '$HERON_CHROMIUM_PATH', which is not an executable file." >&2
        exit 1
    fi
elif [[ ! -x /usr/bin/chromium ]]; then
    missing+=(chromium)
fi
command -v curl >/dev/null || missing+=(curl)
# The multi-instance tests also run on a real PostgreSQL, and the shared rate limits on a real Redis.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v python3 >/dev/null || missing+=(python3)
command -v sqlite3 >/dev/null || missing+=(sqlite3)   # bench/startup.sh, in the benchmarks smoke test

if ((${#missing[@]} > 0)); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "error: missing ${missing[*]}. Install with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        echo "       (or point HERON_CHROMIUM_PATH at another Chromium build)." >&2
        exit 1
    fi
    echo "Installing ${missing[*]} from Debian's packages..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- throwaway PostgreSQL and Redis (scripts/test-services.sh), stopped and deleted however this ends ---
# shellcheck source=scripts/test-services.sh
source scripts/test-services.sh
trap heron_test_services_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
heron_test_services_start

# --- tests ---------------------------------------------------------------------------------------
# Old results would be counted again, and old screenshots would pass for this run's.
rm -rf TestResults artifacts/screenshots

tests_status=0
dotnet test Heron.sln -c Release --logger trx --results-directory TestResults || tests_status=$?

# The publish and benchmark smoke tests count as one more test each.
smoke_passed=0 smoke_failed=0
for smoke in scripts/publish-smoke.sh scripts/benchmarks-smoke.sh; do
    if "$smoke"; then smoke_passed=$((smoke_passed + 1)); else smoke_failed=$((smoke_failed + 1)); fi
done

# --- summary -------------------------------------------------------------------------------------
counter() { # counter ATTRIBUTE: the attribute summed over every TRX file's <Counters> element
    local sum=0 value
    for value in $(grep -ho "<Counters [^>]*" TestResults/*.trx 2>/dev/null | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]\+"); do
        sum=$((sum + value))
    done
    echo "$sum"
}

test_projects=$(grep -l "<IsTestProject>true</IsTestProject>" ./*/*.csproj | wc -l || true)
trx_files=$(find TestResults -maxdepth 1 -name "*.trx" 2>/dev/null | wc -l)
passed=$(counter passed)
failed=$(($(counter failed) + $(counter error) + $(counter timeout) + $(counter aborted)))
skipped=$(counter notExecuted)

passed=$((passed + smoke_passed))
failed=$((failed + smoke_failed))

status=0
if ((trx_files < test_projects)); then
    echo "error: $test_projects test projects but only $trx_files result files: a project did not build or run." >&2
    status=1
fi
((tests_status == 0 && failed == 0)) || status=1

echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
