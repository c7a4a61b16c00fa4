#!/usr/bin/env bash
# make chaos: the full reliability drills (build tag chaos): 200 lifecycles
# under worker SIGKILLs, a 20 s PostgreSQL outage on a private cluster, a
# file-backed dev server restart and duplicate deliveries, each followed by
# an accounting pass over PostgreSQL and visibility. Extra arguments go to
# go test, e.g. scripts/chaos.sh -run TestPostgresOutage.
set -euo pipefail
cd "$(dirname "$0")/.."
export SVCFLOW_TEMPORAL_BIN="${SVCFLOW_TEMPORAL_BIN:-$PWD/bin/temporal}"
go test -tags chaos -count=1 -timeout 40m -v "$@" ./chaos/ 2>&1 | grep -v '^=== \(RUN\|PAUSE\|CONT\)'
exit "${PIPESTATUS[0]}"
