#!/usr/bin/env bash
# Every micro-benchmark in Heron.Benchmarks run once (BenchmarkDotNet's dry job): each one's setup builds
# the app as deployed and checks that its cases take the path they are named after, so a change that breaks
# a benchmark fails the test run instead of the next person who measures. Then bench/startup.sh with a
# thousand keys (it starts the published app as deployed, serves a key issued after start-up and refuses an
# invented one). Measures nothing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
status=0
dotnet run -c Release --project Heron.Benchmarks -- --filter '*' --job dry --artifacts "$work/artifacts" >"$work/run.log" 2>&1 || status=$?
# BenchmarkDotNet exits 0 even when a benchmark's setup threw: it lists those under "Benchmarks with issues".
if ((status != 0)) || grep -q "Benchmarks with issues" "$work/run.log" || ! grep -q "executed benchmarks: [1-9]" "$work/run.log"; then
    grep -E -A3 "Exception|Benchmarks with issues|error" "$work/run.log" | head -60 >&2 || tail -40 "$work/run.log" >&2
    echo "benchmarks smoke test: FAILED" >&2
    exit 1
fi
echo "benchmarks smoke test: every benchmark ran once ($(grep -o "executed benchmarks: [0-9]*" "$work/run.log" | tail -1))"

# startup.sh once stopped starting Heron (Production came to refuse an unencrypted key ring) unnoticed.
if ! bench/startup.sh --keys 1000 >"$work/startup.log" 2>&1; then
    tail -20 "$work/startup.log" >&2
    echo "benchmarks smoke test: bench/startup.sh FAILED" >&2
    exit 1
fi
echo "benchmarks smoke test: bench/startup.sh started Heron with 1,000 keys"
