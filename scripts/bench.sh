#!/usr/bin/env bash
# make bench: svcflow's load benchmark (bench/cmd/loadbench). It starts its
# own in-memory Temporal dev server and a fresh PostgreSQL database (dropped
# after), builds and runs the real worker and the baseline worker, and
# prints lifecycles/s, update latency, history size, state transitions,
# worker RSS and rows per lifecycle; then parks 10k requests on their timers.
# Override with BENCH_N, BENCH_C, BENCH_PARK (0 skips parking) or pass flags:
#   scripts/bench.sh -n 100 -c 20
set -euo pipefail
cd "$(dirname "$0")/.."
export SVCFLOW_TEMPORAL_BIN="${SVCFLOW_TEMPORAL_BIN:-$PWD/bin/temporal}"
N="${BENCH_N:-500}"
C="${BENCH_C:-50}"
PARK="${BENCH_PARK:-10000}"
echo "== loadbench: $N lifecycles at concurrency $C (svcflow vs baseline)"
go run ./bench/cmd/loadbench -n "$N" -c "$C" "$@"
if [ "$PARK" != "0" ]; then
	echo
	echo "== loadbench --park $PARK"
	go run ./bench/cmd/loadbench -park "$PARK" -c "$C" "$@"
fi
