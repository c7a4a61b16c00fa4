#!/usr/bin/env bash
# make demo: with the stack up (make run, or Temporal and PostgreSQL from
# docker compose), start a demo worker under config/demo.yaml (a
# seconds-scale policy) on its own task queue, start a dozen sample requests
# and drive them with svcctl to a realistic mix: some in every stage, one
# breached and escalated, a rework loop, a complaint, a cancellation, one
# waiting on the customer. Prints `svcctl list` and the Temporal UI link.
#
# The demo has its own database (svcflow_demo, from config/demo.yaml) and
# task queue, so its seconds-scale requests never mix with make run's in
# svcctl report. Its worker keeps running afterwards so the timers keep
# firing (more warnings, breaches, auto-acceptance) until Ctrl-C, which
# stops it and ends the demo (exit 0).
#
# Environment: DEMO_CONFIG (default config/demo.yaml), DEMO_TASK_QUEUE
# (default svcflow-demo), DEMO_METRICS (worker /healthz, default
# 127.0.0.1:9191), DEMO_PREFIX (request ID prefix, default demo-HHMMSS),
# DEMO_SKIP_BUILD=1 (use bin/ as built, e.g. by make demo), DEMO_DETACH=1
# (leave the demo worker running and exit); every SVCFLOW_* override applies
# as it does to the programs.
set -euo pipefail
cd "$(dirname "$0")/.."

export SVCFLOW_CONFIG="${DEMO_CONFIG:-config/demo.yaml}"
export SVCFLOW_TEMPORAL_TASK_QUEUE="${DEMO_TASK_QUEUE:-svcflow-demo}"
export SVCFLOW_WORKER_METRICS_LISTEN="${DEMO_METRICS:-127.0.0.1:9191}"
PREFIX="${DEMO_PREFIX:-demo-$(date +%H%M%S)}"
LOG=bin/demo-worker.log
PIDFILE=bin/demo-worker.pid

say() { printf '==> %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

interactive() { [ -t 0 ] && [ -t 1 ]; }
worker_pid=""
stop_worker() {
  [ -n "$worker_pid" ] || return 0
  kill -TERM "$worker_pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$worker_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$worker_pid" 2>/dev/null || true
  say "stopped the demo worker ($worker_pid)"
  worker_pid=""
}
trap stop_worker EXIT
trap 'exit 0' INT TERM

if [ "${DEMO_SKIP_BUILD:-}" != 1 ]; then
  go build -o bin/ ./worker ./starter ./svcctl
fi
[ -f "$SVCFLOW_CONFIG" ] || die "config file $SVCFLOW_CONFIG not found"
settings=$(bin/worker localdev get temporal.address temporal.namespace temporal.ui_url) || exit 1
{ read -r ADDR; read -r NS; read -r UI; } <<<"$settings"

# --- the stack ------------------------------------------------------------
if ! bin/svcctl list --limit 1 --timeout 5s >/dev/null 2>&1; then
  die "Temporal does not answer at $ADDR; start the stack first (make run, in another terminal)"
fi
set +e
pg_out=$(bin/worker localdev ensure-db 2>&1)
pg_rc=$?
set -e
[ "$pg_rc" = 0 ] || die "PostgreSQL: ${pg_out#worker: } (start the stack first: make run)"

healthy() { curl -fsS "http://$SVCFLOW_WORKER_METRICS_LISTEN/healthz" >/dev/null 2>&1; }
if healthy; then
  say "a demo worker already answers at $SVCFLOW_WORKER_METRICS_LISTEN: using it"
else
  say "starting the demo worker (task queue $SVCFLOW_TEMPORAL_TASK_QUEUE, policy $SVCFLOW_CONFIG, log $LOG)"
  # On a terminal the worker gets a process group of its own (set -m), so
  # that at the end it can take the foreground and Ctrl-C reaches only it.
  interactive && set -m
  bin/worker >"$LOG" 2>&1 &
  worker_pid=$!
  set +m
  echo "$worker_pid" >"$PIDFILE"
  for _ in $(seq 1 120); do
    healthy && break
    kill -0 "$worker_pid" 2>/dev/null || { tail -n 20 "$LOG" >&2; die "the demo worker exited (see $LOG)"; }
    sleep 0.5
  done
  healthy || die "the demo worker is not healthy after 60s (see $LOG)"
fi

# --- helpers --------------------------------------------------------------
# start ID TIER PRIORITY COMPLEX CATEGORY TITLE CUSTOMER
start() {
  local id="$PREFIX-$1"
  bin/starter --file - <<JSON | head -n 1
{"request_id": "$id",
 "customer": {"id": "cust-$1", "name": "$7", "email": "it@example.com", "tier": "$2", "locale": "en"},
 "channel": "web", "category": "$5", "priority": "$3", "complex": $4,
 "title": "$6", "description": "$6 (demo request)"}
JSON
}
# act ID COMMAND [FLAGS...]: an svcctl action, echoed with its answer.
act() {
  local id="$PREFIX-$1" cmd="$2"
  shift 2
  printf '    %-18s %-22s ' "$cmd" "$id"
  bin/svcctl "$cmd" "$id" "$@"
}
sheet() { act "$1" submit-sheet --actor ann --description "$2" --goal "$3" --expected-delivery "+${4:-20m}" --customer-duties "site access"; }

# --- a dozen requests -------------------------------------------------------
say "starting 12 requests ($PREFIX-01 .. $PREFIX-12)"
start 01 vip      urgent false printer  "Production line printer down"     "Northwind Traders"
start 02 standard normal false billing  "Toner order question"             "Contoso Ltd"
start 03 standard urgent false network  "Office Wi-Fi drops every hour"    "Fabrikam Inc"
start 04 standard normal false printer  "Colour prints come out striped"   "Tailspin Toys"
start 05 vip      normal true  onsite   "Migrate print server to new site" "Northwind Traders"
start 06 standard normal false scanner  "Scanner to e-mail stopped"        "Litware Inc"
start 07 standard normal false printer  "Duplex unit jams"                 "Adventure Works"
start 08 standard urgent false onsite   "Replace fuser on floor 3"         "Proseware Inc"
start 09 vip      normal false printer  "Badge release not working"        "Wide World Importers"
start 10 standard normal false printer  "Driver update for 40 laptops"     "Blue Yonder Airlines"
start 11 standard normal false billing  "Duplicate invoice"                "Coho Winery"
start 12 standard normal false scanner  "OCR misses Chinese characters"    "Fourth Coffee"

say "driving them with svcctl"
# 01 is left alone: its VIP urgent response deadline breaches and escalates.
# 02 stays received.
act 03 respond --actor ann --note "received, a specialist will call you"                  # analysis
act 04 respond --actor ann
sheet 04 "re-seat the colour drum" "clean colour prints"                                  # awaiting_confirmation
act 05 respond --actor bob
sheet 05 "move the print server and 30 queues" "all queues work on the new site" 2h
act 05 confirm-sheet --actor customer                                                     # planning (complex: review pending)
act 06 respond --actor ann
sheet 06 "re-register the SMTP relay" "scan to e-mail works"
act 06 confirm-sheet --actor customer
act 06 agree-plan --actor customer
act 06 progress --actor ann --note "relay credentials renewed"
act 06 announce-delay --actor ann --new-delivery +40m --reason "waiting for the mail team"  # in_progress, delayed
act 07 respond --actor carl
sheet 07 "replace the duplex rollers" "no jams in duplex"
act 07 confirm-sheet --actor customer
act 07 agree-plan --actor customer
act 07 deliver --actor carl --note "rollers replaced"                                     # awaiting_acceptance
act 08 respond --actor dan
sheet 08 "replace the fuser" "no smudges"
act 08 confirm-sheet --actor customer
act 08 agree-plan --actor customer
act 08 deliver --actor dan
act 08 reject-delivery --actor customer --reason "still smudges on the left edge"          # rework
act 09 respond --actor ann
sheet 09 "re-pair the badge readers" "badge release works"
act 09 confirm-sheet --actor customer
act 09 agree-plan --actor customer
act 09 deliver --actor ann
act 09 reject-delivery --actor customer --reason "two readers still fail"                  # the rework loop
act 09 progress --actor ann --note "firmware updated on the last two readers"
act 09 deliver --actor ann
act 09 accept-delivery --actor customer
act 09 record-follow-up --actor ann --response-speed 5 --resolution 5 --attitude 5 --professionalism 4 --solved --comment "great service"  # closed, completed
act 10 respond --actor bob
sheet 10 "roll out the new driver" "all laptops print"
act 10 confirm-sheet --actor customer
act 10 agree-plan --actor customer
act 10 deliver --actor bob
act 10 accept-delivery --actor customer                                                   # follow_up
act 10 complain --actor customer --reason "the technician came two hours late"            # a complaint beside the stage
act 11 respond --actor carl
act 11 cancel --actor customer --reason "resolved by the customer's own IT"               # closed, cancelled
act 12 respond --actor dan
act 12 request-info --actor dan --reason "which scanner model and firmware?"              # waiting on the customer

say "waiting for $PREFIX-01's response deadline to breach and escalate (seconds-scale policy)"
for _ in $(seq 1 120); do
  level=$(bin/svcctl status "$PREFIX-01" --json | sed -n 's/^  "escalation_level": *\([0-9]*\).*/\1/p')
  [ "${level:-0}" -ge 2 ] && break
  sleep 0.5
done
[ "${level:-0}" -ge 2 ] || die "$PREFIX-01 did not escalate within 60s (see $LOG)"

say "svcctl list"
bin/svcctl list --limit 50
echo
bin/svcctl status "$PREFIX-01"
echo
say "Temporal UI: ${UI%/}/namespaces/$NS/workflows?query=RequestId%20STARTS_WITH%20%22$PREFIX%22"
if [ -n "$worker_pid" ]; then
  if [ "${DEMO_DETACH:-}" = 1 ]; then
    say "the demo worker keeps running (DEMO_DETACH=1); stop it with: kill $worker_pid"
    worker_pid=""
    exit 0
  fi
  say "the demo worker keeps running so the timers keep firing; Ctrl-C stops it and ends the demo"
  if interactive; then
    set -m
    fg %bin/worker >/dev/null || true
  else
    wait "$worker_pid" || true
  fi
  worker_pid=""
fi
