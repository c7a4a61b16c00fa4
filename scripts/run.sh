#!/usr/bin/env bash
# make run: build, start a Temporal dev server unless one answers at the
# configured address, make sure PostgreSQL answers and has the database, then
# run the worker in the foreground. Ctrl-C stops only what this script started.
#
# Environment: CONFIG (default $SVCFLOW_CONFIG, else config/svcflow.yaml);
# every SVCFLOW_* override applies as it does to the programs.
set -euo pipefail
cd "$(dirname "$0")/.."

CONFIG="${CONFIG:-${SVCFLOW_CONFIG:-config/svcflow.yaml}}"
DATA=.data

# The CONTRACT §7 custom search attributes (internal/searchattr; a test keeps
# this list equal to it).
SEARCH_ATTRIBUTES=(
  RequestId=Keyword
  CustomerId=Keyword
  CustomerTier=Keyword
  Priority=Keyword
  Stage=Keyword
  AssignedGroup=Keyword
  SlaBreached=Bool
  NextDeadline=Datetime
  EscalationLevel=Int
  SlaPolicy=Keyword
)

say() { printf '==> %s\n' "$*"; }
die() { printf 'run: %s\n' "$*" >&2; exit 1; }

started=()
cleanup() {
  local pid
  for pid in "${started[@]}"; do
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    say "stopped process $pid that this script started"
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "building (bin/worker, bin/starter, bin/svcctl, bin/temporal)"
make -s build temporal

[ -f "$CONFIG" ] || die "config file $CONFIG not found (set CONFIG=path)"
settings=$(bin/worker localdev get --config "$CONFIG" \
  temporal.address temporal.namespace temporal.ui_url temporal.task_queue) || exit 1
{ read -r ADDR; read -r NS; read -r UI; read -r QUEUE; } <<<"$settings"

# --- Temporal -------------------------------------------------------------
temporal_up() { bin/temporal operator cluster health --address "$ADDR" >/dev/null 2>&1; }

if temporal_up; then
  say "Temporal already answers at $ADDR: using it"
else
  host=${ADDR%:*}
  port=${ADDR##*:}
  hostport=${UI#*://}
  hostport=${hostport%%/*}
  ui_port=8233
  [[ $hostport == *:* ]] && ui_port=${hostport##*:}
  mkdir -p "$DATA"
  sa_flags=()
  for sa in "${SEARCH_ATTRIBUTES[@]}"; do sa_flags+=(--search-attribute "$sa"); done
  say "starting the Temporal dev server at $ADDR (UI on port $ui_port, data in $DATA/temporal.db, log in $DATA/temporal.log)"
  bin/temporal server start-dev --ip "$host" --port "$port" --ui-port "$ui_port" \
    --db-filename "$DATA/temporal.db" --namespace "$NS" --log-level warn \
    "${sa_flags[@]}" >>"$DATA/temporal.log" 2>&1 &
  started+=("$!")
  for _ in $(seq 1 120); do
    temporal_up && break
    kill -0 "${started[-1]}" 2>/dev/null || { tail -n 20 "$DATA/temporal.log" >&2; die "the Temporal dev server exited (see $DATA/temporal.log)"; }
    sleep 0.5
  done
  temporal_up || die "the Temporal dev server did not answer at $ADDR within 60s (see $DATA/temporal.log)"
fi

# --- PostgreSQL -----------------------------------------------------------
how_to_start_postgres() {
  local sudo="" ver name pg_port status rest
  [ "$(id -u)" = 0 ] || sudo="sudo "
  echo "PostgreSQL does not answer (postgres.dsn / SVCFLOW_POSTGRES_DSN). Start one:" >&2
  if command -v pg_lsclusters >/dev/null 2>&1 && [ -n "$(pg_lsclusters --no-header 2>/dev/null)" ]; then
    while read -r ver name pg_port status rest; do
      echo "  ${sudo}pg_ctlcluster $ver $name start      # cluster $ver/$name, port $pg_port, now $status" >&2
    done < <(pg_lsclusters --no-header)
  elif command -v pg_lsclusters >/dev/null 2>&1; then
    echo "  ${sudo}pg_createcluster --start $(ls /usr/lib/postgresql | sort -n | tail -n 1) main" >&2
  else
    echo "  ${sudo}apt-get install -y postgresql      # Debian/Ubuntu: installs and starts a cluster on port 5432" >&2
  fi
  echo "or run one in Docker: docker compose up -d postgresql" >&2
}

set +e
pg_out=$(bin/worker localdev ensure-db --config "$CONFIG" 2>&1)
pg_rc=$?
set -e
case $pg_rc in
  0) say "PostgreSQL: database ${pg_out}" ;;
  3) printf 'run: %s\n' "${pg_out#worker: }" >&2; how_to_start_postgres; exit 1 ;;
  *) die "${pg_out#worker: }" ;;
esac

# --- worker ---------------------------------------------------------------
say "Temporal UI: ${UI%/}/namespaces/$NS/workflows"
say "worker polling task queue $QUEUE (Ctrl-C to stop)"
status=0
if [ -t 0 ] && [ -t 1 ]; then
  # On a terminal the worker gets a process group of its own and the
  # terminal's foreground: Ctrl-C then reaches only the worker, which drains
  # and exits 0, and so do this script and make (no "Error 130").
  set -m
  bin/worker --config "$CONFIG" &
  fg %+ >/dev/null || status=$?
  set +m
else
  bin/worker --config "$CONFIG" || status=$?
fi
exit "$status"
