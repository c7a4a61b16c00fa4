// Package report builds the service managers' KPI report from PostgreSQL:
// figures beside their targets, as a text table, JSON, CSV or one
// self-contained HTML page with inline SVG charts.
package report

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/svcflow/svcflow/internal/policy"
)

// Filter selects what the report covers. The period [From, To) selects facts
// by the time they happened (see Build); Group and Tier, when set, select
// requests by their current assigned group and customer tier.
type Filter struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Group string    `json:"group,omitempty"`
	Tier  string    `json:"tier,omitempty"`
}

// Options are the inputs of Build beyond the filter.
type Options struct {
	// Now is the report time: complaints still open and not yet due at Now
	// are undecided. Zero means time.Now().
	Now time.Time
	// Location is the zone weeks are cut in (Monday 00:00); nil means UTC.
	Location *time.Location
}

// Report is every figure of one report.
type Report struct {
	GeneratedAt time.Time `json:"generated_at"`
	Filter      Filter    `json:"filter"`
	TimeZone    string    `json:"time_zone"`
	// Figures are the headline figures in display order, each beside its
	// target (if any) with its status.
	Figures []Figure `json:"figures"`
	// Deadlines is the SLA table: one row per deadline kind.
	Deadlines []DeadlineStats `json:"deadlines"`
	// Weekly is the trend of team SLA compliance and satisfaction, one row
	// per week (Monday start, in TimeZone) of the period, gaps included.
	Weekly []Week `json:"weekly"`
	// BreachesByGroup counts team-side breaches per current group, most
	// first.
	BreachesByGroup []GroupStats `json:"breaches_by_group"`
	// ByPolicy is team-side SLA compliance per SLA policy (CONTRACT §9).
	ByPolicy []PolicyStats `json:"by_policy"`
}

// PolicyStats is the team-side deadlines settled in the period under one
// SLA policy ("default": sla.deadlines, and requests from before policies).
type PolicyStats struct {
	Policy   string   `json:"policy"`
	Settled  int64    `json:"settled"`
	Met      int64    `json:"met"`
	Breached int64    `json:"breached"`
	MetShare *float64 `json:"met_share"`
}

// Figure statuses.
const (
	Pass     = "pass"
	Fail     = "fail"
	NoData   = "no_data"   // a target exists but there is nothing to measure
	NoTarget = "no_target" // a plain count
)

// Figure units.
const (
	UnitCount   = "count"
	UnitShare   = "share"   // 0..1
	UnitSeconds = "seconds" // durations
	UnitScore   = "score"   // 1..5
	UnitRounds  = "rounds"
)

// Figure is one measured value beside its target.
type Figure struct {
	Key    string   `json:"key"`
	Label  string   `json:"label"`
	Unit   string   `json:"unit"`
	Value  *float64 `json:"value"` // nil: nothing to measure
	N      int64    `json:"n"`     // how many items the value is computed over
	Target *Target  `json:"target,omitempty"`
	Status string   `json:"status"`
}

// DeadlineStats is one deadline kind's SLA record in the period. A deadline
// counts when it is settled in the period: met (met_at) or breached
// (breached_at); a breached deadline met later stays a breach (LateMet).
type DeadlineStats struct {
	Name     string   `json:"name"`
	Side     string   `json:"side"` // team | customer
	Settled  int64    `json:"settled"`
	Met      int64    `json:"met"`
	Breached int64    `json:"breached"`
	LateMet  int64    `json:"late_met"`
	MetShare *float64 `json:"met_share"`
	Target   *Target  `json:"target,omitempty"`
	Status   string   `json:"status"`
}

// Sides of a deadline.
const (
	SideTeam     = "team"
	SideCustomer = "customer"
)

// Week is one week of the trend.
type Week struct {
	Start        time.Time `json:"start"` // Monday 00:00 in the report's zone
	SLASettled   int64     `json:"sla_settled"`
	SLAMet       int64     `json:"sla_met"`
	SLAShare     *float64  `json:"sla_share"`
	Surveys      int64     `json:"surveys"`
	Satisfied    int64     `json:"satisfied"`
	Satisfaction *float64  `json:"satisfaction"`
}

// GroupStats is one group's team-side breaches in the period.
type GroupStats struct {
	Group    string  `json:"group"` // "" for requests not routed to a group
	Breached int64   `json:"breached"`
	Share    float64 `json:"share"` // of all team-side breaches
}

// CustomerSide lists the deadlines the customer keeps (their silence has its
// own consequence). They are shown but not counted in the team SLA figures.
var CustomerSide = map[string]bool{policy.Confirmation: true, policy.Acceptance: true}

// Tiers accepted by Filter.Tier.
var Tiers = []string{policy.VIP, policy.Standard}

// Validate checks the filter, naming the field at fault.
func (f Filter) Validate() error {
	switch {
	case f.From.IsZero():
		return errors.New("from: missing")
	case f.To.IsZero():
		return errors.New("to: missing")
	case !f.From.Before(f.To):
		return fmt.Errorf("from: %s is not before to %s", f.From.Format(time.RFC3339), f.To.Format(time.RFC3339))
	}
	if f.Tier != "" && f.Tier != policy.VIP && f.Tier != policy.Standard {
		return fmt.Errorf("tier: %q: want %s or %s", f.Tier, policy.VIP, policy.Standard)
	}
	return nil
}

// Where is the filter's group and tier condition on requests aliased r, as
// " AND ..." text ("" without either) whose parameters are numbered from
// $next, and their values. Only the conditions in force are written, so a
// statement gets a plan for exactly its filter. The period is the caller's:
// the report selects facts by when they happened, what-if requests by
// their creation.
func (f Filter) Where(next int) (string, []any) {
	var b strings.Builder
	var args []any
	if f.Group != "" {
		args = append(args, f.Group)
		fmt.Fprintf(&b, " AND r.assigned_group = $%d", next+len(args)-1)
	}
	if f.Tier != "" {
		args = append(args, f.Tier)
		fmt.Fprintf(&b, " AND r.tier = $%d", next+len(args)-1)
	}
	return b.String(), args
}

// Build runs the report's queries (in parallel on the pool's connections)
// and assembles the figures. The period selects facts by when they happened:
//   - received: created_at; closed/completed/cancelled/unconfirmed: closed_at;
//   - first-response time: first_response_at (wall time from intake);
//   - confirmation rounds: requests closed in the period that got a sheet;
//   - first-pass rate and resolution working time: accepted_at;
//   - deadlines: settled time (breached_at for breaches, else met_at);
//   - surveys: recorded_at; complaints: opened_at.
func Build(ctx context.Context, pool *pgxpool.Pool, f Filter, o Options) (*Report, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	q := newQueries(f, o)
	var (
		rq requestFacts
		dl deadlineFacts
		gb map[string]int64
		sv surveyFacts
		cp complaintFacts
		bp map[string]counts
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, 6)
	run := func(i int, fn func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if errs[i] = fn(); errs[i] != nil {
				cancel()
			}
		}()
	}
	run(0, func() (err error) { rq, err = q.requests(ctx, pool); return })
	run(1, func() (err error) { dl, err = q.deadlines(ctx, pool); return })
	run(2, func() (err error) { sv, err = q.surveys(ctx, pool); return })
	run(3, func() (err error) { cp, err = q.complaints(ctx, pool); return })
	run(4, func() (err error) { gb, err = q.groupBreaches(ctx, pool); return })
	run(5, func() (err error) { bp, err = q.policies(ctx, pool); return })
	wg.Wait()
	if err := firstError(errs); err != nil {
		return nil, err
	}
	r := &Report{GeneratedAt: o.Now.UTC(), Filter: f, TimeZone: o.Location.String()}
	r.assemble(rq, dl, gb, sv, cp, q.weeks)
	r.ByPolicy = byPolicy(bp)
	return r, nil
}

// firstError is the first real failure, preferring it over the cancellations
// it caused in the other queries.
func firstError(errs []error) error {
	var canceled error
	for _, err := range errs {
		switch {
		case err == nil:
		case errors.Is(err, context.Canceled):
			if canceled == nil {
				canceled = err
			}
		default:
			return err
		}
	}
	return canceled
}
