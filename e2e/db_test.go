package e2e

import (
	"context"
	"fmt"
	"strings"
)

// dbRequest is the service_requests row of a request.
type dbRequest struct {
	stage, outcome       string
	slaBreached          bool
	escalation, rework   int
	sheetRounds          int
	firstResponse, close bool
}

func (s *stack) dbRequest(ctx context.Context, id string) (dbRequest, bool, error) {
	var r dbRequest
	err := s.DB.QueryRow(ctx, `SELECT stage, outcome, sla_breached, escalation_level, rework_rounds, sheet_rounds,
		first_response_at IS NOT NULL, closed_at IS NOT NULL FROM service_requests WHERE request_id = $1`, id).
		Scan(&r.stage, &r.outcome, &r.slaBreached, &r.escalation, &r.rework, &r.sheetRounds, &r.firstResponse, &r.close)
	if err != nil && strings.Contains(err.Error(), "no rows") {
		return r, false, nil
	}
	return r, err == nil, err
}

// dbEvents returns the kinds of a request's events in sequence order and
// checks the sequence numbers run 1, 2, 3, ... without gaps.
func (s *stack) dbEvents(ctx context.Context, id string) ([]string, error) {
	rows, err := s.DB.Query(ctx, `SELECT seq, kind FROM request_events WHERE request_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var kinds []string
	for rows.Next() {
		var seq int64
		var kind string
		if err := rows.Scan(&seq, &kind); err != nil {
			return nil, err
		}
		if seq != int64(len(kinds)+1) {
			return nil, fmt.Errorf("request %s: event seq %d at position %d (gap or duplicate)", id, seq, len(kinds)+1)
		}
		kinds = append(kinds, kind)
	}
	return kinds, rows.Err()
}

// dbDeadline is one sla_deadlines row.
type dbDeadline struct {
	state         string
	met, breached bool
	escalation    int
	warned        bool
}

func (s *stack) dbDeadlines(ctx context.Context, id string) (map[string]dbDeadline, error) {
	rows, err := s.DB.Query(ctx, `SELECT name, instance, state, met_at IS NOT NULL, breached_at IS NOT NULL, escalation_level, warned_at IS NOT NULL
		FROM sla_deadlines WHERE request_id = $1`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]dbDeadline{}
	for rows.Next() {
		var name string
		var inst int
		var d dbDeadline
		if err := rows.Scan(&name, &inst, &d.state, &d.met, &d.breached, &d.escalation, &d.warned); err != nil {
			return nil, err
		}
		out[fmt.Sprintf("%s/%d", name, inst)] = d
	}
	return out, rows.Err()
}

// dbNotifications counts a request's notifications per "kind/party" and
// returns the statuses seen.
func (s *stack) dbNotifications(ctx context.Context, id string) (map[string]int, map[string]int, error) {
	rows, err := s.DB.Query(ctx, `SELECT kind, party, status FROM notifications WHERE request_id = $1`, id)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	counts, statuses := map[string]int{}, map[string]int{}
	for rows.Next() {
		var kind, party, status string
		if err := rows.Scan(&kind, &party, &status); err != nil {
			return nil, nil, err
		}
		counts[kind+"/"+party]++
		statuses[status]++
	}
	return counts, statuses, rows.Err()
}

// subsequence reports whether want appears in got in order (not
// necessarily adjacent).
func subsequence(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}
