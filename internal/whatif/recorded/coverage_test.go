package recorded_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// coverage checks that the generated timelines hold what the replay must
// reproduce, each several times, and logs the counts.
func coverage(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	checks := []struct {
		what, sql string
		least     int
	}{
		{"team breaches", `SELECT count(*) FROM request_events WHERE kind = 'deadline.breach' AND NOT coalesce((payload->>'customer')::bool, false)`, 20},
		{"escalations", `SELECT count(*) FROM request_events WHERE kind = 'deadline.escalation'`, 10},
		{"escalations to level 3 (gold chain)", `SELECT count(*) FROM request_events WHERE kind = 'deadline.escalation' AND payload->>'level' = '3'`, 1},
		{"voids (customer silence)", `SELECT count(*) FROM request_events WHERE kind = 'deadline.breach' AND (payload->>'customer')::bool`, 3},
		{"auto-acceptances", `SELECT count(*) FROM request_events WHERE kind = 'acceptance.auto_accepted'`, 3},
		{"customer waits", `SELECT count(*) FROM request_events WHERE kind = 'action.request_info'`, 10},
		{"deadlines cancelled while waiting", `SELECT count(*) FROM sla_deadlines d WHERE state = 'cancelled' AND pauses::text LIKE '%"to"%' AND pauses::text <> '[]'`, 1},
		{"reprioritizations", `SELECT count(*) FROM request_events WHERE kind = 'action.reprioritize'`, 10},
		{"reassignments", `SELECT count(*) FROM request_events WHERE kind = 'action.reassign'`, 5},
		{"policies applied", `SELECT count(*) FROM request_events WHERE kind = 'policy.applied'`, 10},
		{"policies applied to another calendar", `SELECT count(*) FROM request_events WHERE kind = 'policy.applied' AND payload->>'calendar_from' <> payload->>'calendar_to'`, 2},
		{"rebased deadlines", `SELECT count(*) FROM sla_deadlines WHERE rebased_at IS NOT NULL`, 1},
		{"reworks", `SELECT count(*) FROM request_events WHERE kind = 'action.reject_delivery'`, 5},
		{"delays announced", `SELECT count(*) FROM request_events WHERE kind = 'action.announce_delay'`, 3},
		{"notices met within their lead", `SELECT count(*) FROM request_events WHERE kind = 'deadline.met' AND (payload->>'within_lead')::bool`, 1},
		{"cancels", `SELECT count(*) FROM request_events WHERE kind = 'action.cancel'`, 20},
		{"complaints", `SELECT count(*) FROM request_events WHERE kind = 'complaint.opened'`, 5},
		{"requests of the field group (Berlin)", `SELECT count(*) FROM service_requests WHERE sla_calendar = 'berlin'`, 10},
		{"gold requests", `SELECT count(*) FROM service_requests WHERE sla_policy = 'gold'`, 3},
		{"backdated responses", `SELECT count(*) FROM sla_deadlines d JOIN request_events e ON e.request_id = d.request_id AND e.seq = 1 WHERE d.name = 'response' AND d.started_at < e.at`, 3},
		{"held notifications (quiet hours)", `SELECT count(*) FROM request_events WHERE kind = 'notification.held'`, 5},
		{"completed", `SELECT count(*) FROM service_requests WHERE outcome = 'completed'`, 40},
		{"unconfirmed (sheet rounds used up)", `SELECT count(*) FROM service_requests WHERE outcome = 'unconfirmed'`, 3},
		{"requests with the rules version recorded", `SELECT count(*) FROM service_requests WHERE sla_semantics = 1`, selfCheckRequests},
	}
	for _, c := range checks {
		var n int
		if err := pool.QueryRow(context.Background(), c.sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		t.Logf("%-40s %d", c.what, n)
		if n < c.least {
			t.Errorf("%s: %d, want at least %d", c.what, n, c.least)
		}
	}
}
