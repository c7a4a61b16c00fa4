#!/usr/bin/env bash
# make bench: svcflow's load benchmark (bench/cmd/loadbench). Each run starts
# its own Temporal server and a fresh PostgreSQL database (dropped after),
# builds and runs the real worker and the baseline worker, and prints
# lifecycles/s, update latency, history size, state transitions, server and
# worker CPU, worker RSS and rows per lifecycle.
#
#   1. headline, per server (dev, then the real server): the shipped config
#      (config/svcflow.yaml, worker defaults) with customer, supervisor and
#      manager on webhook to a local signing receiver, svcflow vs baseline;
#      then the tuned, log-only bench/bench.yaml beside it;
#   2. growth on the dev server: 1k, 10k, 50k parked requests, lifecycles/s
#      and RSS at each;
#   3. timer precision on the dev server: 10k parked requests whose warnings
#      and breaches fall in 60 s windows while 20 lifecycles/s run;
#   4. svcctl whatif over 100 000 generated requests;
#   and last the headline ratio lines.
#
# Environment: BENCH_N (500), BENCH_C (50), BENCH_SERVERS ("dev cluster"),
# BENCH_TUNED (1; 0 skips the tuned runs), BENCH_GROWTH ("1000,10000,50000";
# 0 skips), BENCH_FIRE (10000; 0 skips), BENCH_FIRE_RATE (20), BENCH_WHATIF
# (1; 0 skips). Extra arguments go to every loadbench run:
#   scripts/bench.sh -warmup 20
set -euo pipefail
cd "$(dirname "$0")/.."
export SVCFLOW_TEMPORAL_BIN="${SVCFLOW_TEMPORAL_BIN:-$PWD/bin/temporal}"
N="${BENCH_N:-500}"
C="${BENCH_C:-50}"
GROWTH="${BENCH_GROWTH:-1000,10000,50000}"
FIRE="${BENCH_FIRE:-10000}"
FIRE_RATE="${BENCH_FIRE_RATE:-20}"
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

go build -o "$logs/loadbench" ./bench/cmd/loadbench
lb() { "$logs/loadbench" "$@"; }

profiles="shipped"
[ "${BENCH_TUNED:-1}" = "0" ] || profiles="shipped tuned"
for server in ${BENCH_SERVERS:-dev cluster}; do
	for p in $profiles; do
		echo "== loadbench on the $server server, profile $p: $N lifecycles at concurrency $C (svcflow vs baseline)"
		lb -server "$server" -profile "$p" -n "$N" -c "$C" "$@" | tee "$logs/$server-$p.log"
		echo
	done
done

if [ "$GROWTH" != "0" ]; then
	echo "== loadbench on the dev server, profile shipped: growth at $GROWTH parked"
	lb -server dev -profile shipped -growth "$GROWTH" -n 200 -c "$C" "$@"
	echo
fi

if [ "$FIRE" != "0" ]; then
	echo "== loadbench on the dev server, profile shipped: timer precision, $FIRE parked, $FIRE_RATE lifecycles/s"
	lb -server dev -profile shipped -fire "$FIRE" -fire-rate "$FIRE_RATE" -c "$C" "$@"
	echo
fi

# svcctl whatif over 100 000 requests generated shaped like the workflow's
# records into a fresh database (dropped after): wall time and the process's
# peak RSS, after the self-check at that scale.
if [ "${BENCH_WHATIF:-1}" != "0" ]; then
	echo "== whatif: svcctl whatif over 100 000 generated requests"
	SVCFLOW_BENCH_WHATIF=1 go test ./internal/whatif/recorded/ -run '^$' -bench WhatIf100k -benchtime 1x -timeout 30m
	echo
fi

echo "== ratio lines (svcflow vs baseline, $N lifecycles at concurrency $C)"
for server in ${BENCH_SERVERS:-dev cluster}; do
	for p in $profiles; do
		printf '%-8s %-8s %s\n' "$server" "$p" "$(grep '^lifecycles/s' "$logs/$server-$p.log" | tail -1)"
	done
done
