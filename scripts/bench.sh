#!/usr/bin/env bash
# make bench: svcflow's load benchmark (bench/cmd/loadbench), once per
# Temporal server: the in-memory dev server and the real server (four
# services on fresh PostgreSQL databases). Each run starts its own server and
# a fresh PostgreSQL database (dropped after), builds and runs the real
# worker and the baseline worker, and prints lifecycles/s, update latency,
# history size, state transitions, server and worker CPU, worker RSS and
# rows per lifecycle; then parks 10k requests on their timers.
# Override with BENCH_N, BENCH_C, BENCH_PARK (0 skips parking),
# BENCH_SERVERS (default "dev cluster") or pass flags:
#   scripts/bench.sh -n 100 -c 20
set -euo pipefail
cd "$(dirname "$0")/.."
export SVCFLOW_TEMPORAL_BIN="${SVCFLOW_TEMPORAL_BIN:-$PWD/bin/temporal}"
N="${BENCH_N:-500}"
C="${BENCH_C:-50}"
PARK="${BENCH_PARK:-10000}"
for server in ${BENCH_SERVERS:-dev cluster}; do
	echo "== loadbench on the $server server: $N lifecycles at concurrency $C (svcflow vs baseline)"
	go run ./bench/cmd/loadbench -server "$server" -n "$N" -c "$C" "$@"
	if [ "$PARK" != "0" ]; then
		echo
		echo "== loadbench on the $server server: --park $PARK"
		go run ./bench/cmd/loadbench -server "$server" -park "$PARK" -c "$C" "$@"
	fi
	echo
done

# ---- what-if (internal/whatif) -------------------------------------------
# svcctl whatif over 100 000 requests generated shaped like the workflow's
# records into a fresh database (dropped after): wall time and the process's
# peak RSS, after the self-check at that scale. BENCH_WHATIF=0 skips it.
if [ "${BENCH_WHATIF:-1}" != "0" ]; then
	echo "== whatif: svcctl whatif over 100 000 generated requests"
	SVCFLOW_BENCH_WHATIF=1 go test ./internal/whatif/recorded/ -run '^$' -bench WhatIf100k -benchtime 1x -timeout 30m
fi
