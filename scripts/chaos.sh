#!/usr/bin/env bash
# make chaos: the full reliability drills (build tag chaos), once on the dev
# server and once on the real server (SVCFLOW_TEST_SERVER=cluster): 200
# lifecycles under worker SIGKILLs, one of two workers killed for good, a
# 20 s PostgreSQL outage on a private cluster (on the real server its
# databases are there too), a server restart (dev: on its database file;
# real: every service in turn), duplicate deliveries and, on the real server
# only, history and matching SIGKILLed with lifecycles in flight; each
# followed by an accounting pass over PostgreSQL, visibility and the webhook
# receiver. CHAOS_SERVERS picks the servers (default "dev cluster"); extra
# arguments go to go test, e.g. scripts/chaos.sh -run TestPostgresOutage.
set -uo pipefail
cd "$(dirname "$0")/.."
export SVCFLOW_TEMPORAL_BIN="${SVCFLOW_TEMPORAL_BIN:-$PWD/bin/temporal}"
rc=0
for server in ${CHAOS_SERVERS:-dev cluster}; do
	echo "== drills on the $server server"
	SVCFLOW_TEST_SERVER=$server go test -tags chaos -count=1 -timeout 40m -v "$@" ./chaos/ 2>&1 | grep -v '^=== \(RUN\|PAUSE\|CONT\)'
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
done
exit "$rc"
