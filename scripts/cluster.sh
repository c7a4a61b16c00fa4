#!/usr/bin/env bash
# make cluster: the production shape on this machine, without Docker. Builds
# the programs and the pinned Temporal server, SQL tool and UI server, makes
# sure PostgreSQL answers and has svcflow's database, then runs
# internal/cluster/cmd/svcflow-cluster in the foreground: the server's four
# services on PostgreSQL (databases temporal and temporal_visibility, kept and
# reused on the next run), the Temporal UI and two svcflow workers. Ctrl-C
# stops everything it started.
#
# Environment: CONFIG (default $SVCFLOW_CONFIG, else config/svcflow.yaml),
# CLUSTER_FRONTEND_PORT (below 32768) and CLUSTER_UI_PORT (default: free
# ports), CLUSTER_WORKERS (default 2), CLUSTER_PG_ADMIN_DSN (default:
# postgres.dsn with database postgres), CLUSTER_DIR (default .data/cluster).
# Every SVCFLOW_* override applies to the workers as it does for make run.
set -euo pipefail
cd "$(dirname "$0")/.."

CONFIG="${CONFIG:-${SVCFLOW_CONFIG:-config/svcflow.yaml}}"

say() { printf '==> %s\n' "$*"; }
die() { printf 'cluster: %s\n' "$*" >&2; exit 1; }

[ -f "$CONFIG" ] || die "config file $CONFIG not found (set CONFIG=path)"

say "building (bin/worker, bin/starter, bin/svcctl, bin/temporal-server, bin/temporal-sql-tool, bin/temporal-ui-server; the first server build takes minutes)"
make -s build cluster-bins
go build -o bin/ ./internal/cluster/cmd/svcflow-cluster

set +e
pg_out=$(bin/worker localdev ensure-db --config "$CONFIG" 2>&1)
pg_rc=$?
set -e
case $pg_rc in
  0) say "PostgreSQL: svcflow database ${pg_out}" ;;
  3) die "${pg_out#worker: } (start PostgreSQL: see make run's hint or the README)" ;;
  *) die "${pg_out#worker: }" ;;
esac

args=(--config "$CONFIG" --bin bin --dir "${CLUSTER_DIR:-.data/cluster}" --workers "${CLUSTER_WORKERS:-2}")
[ -z "${CLUSTER_FRONTEND_PORT:-}" ] || args+=(--frontend-port "$CLUSTER_FRONTEND_PORT")
[ -z "${CLUSTER_UI_PORT:-}" ] || args+=(--ui-port "$CLUSTER_UI_PORT")
# CLUSTER_PG_ADMIN_DSN is read from the environment (no password on the command line).

# exec: SIGINT/SIGTERM reach svcflow-cluster, which stops what it started and exits 0.
exec bin/svcflow-cluster "${args[@]}"
