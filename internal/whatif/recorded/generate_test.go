package recorded_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/records"
	"github.com/svcflow/svcflow/internal/sla"
	"github.com/svcflow/svcflow/internal/whatif"
)

// The benchmark's data: requests generated straight into PostgreSQL,
// shaped like what the workflow records (the same events, payloads and
// deadline rows, the engine's own due times, each row as of its last
// write), so that a replay does the work it does on real records. Each
// request is fed to the SLA engine the way the workflow feeds it (its
// perform table, its timers), in a smaller process: respond, sheets
// confirmed, rejected or void, review, plan, delays, customer waits,
// reprioritizations, delivery, rework, acceptance or auto-acceptance,
// follow-up, cancels.

// genSpec is a data set.
type genSpec struct {
	Requests int
	Start    time.Time
	Span     time.Duration
	Seed     uint64
	// Now is when the data set is taken: the timers of the requests still
	// open have fired up to it, as a running workflow's have.
	Now time.Time
}

// genCounts is what was written.
type genCounts struct{ requests, events, deadlines int }

// generate writes s's requests under p, in batches of COPY.
func generate(ctx context.Context, pool *pgxpool.Pool, p whatif.Policy, s genSpec) (genCounts, error) {
	var n genCounts
	const batch = 5000
	for first := 0; first < s.Requests; first += batch {
		var reqs, evs, dls [][]any
		for i := first; i < min(first+batch, s.Requests); i++ {
			g := newGen(p, s, i)
			if err := g.life(); err != nil {
				return n, fmt.Errorf("request %s: %w", g.id, err)
			}
			reqs = append(reqs, g.requestRow())
			for _, e := range g.events {
				evs = append(evs, []any{g.id, e.Seq, e.Kind, e.Actor, string(e.Payload), e.At})
			}
			for _, k := range g.order {
				dls = append(dls, g.rows[k])
			}
		}
		for _, c := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"service_requests", requestCols, reqs},
			{"request_events", []string{"request_id", "seq", "kind", "actor", "payload", "at"}, evs},
			{"sla_deadlines", deadlineCols, dls},
		} {
			if _, err := pool.CopyFrom(ctx, pgx.Identifier{c.table}, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
				return n, fmt.Errorf("copy %s: %w", c.table, err)
			}
		}
		n.requests += len(reqs)
		n.events += len(evs)
		n.deadlines += len(dls)
	}
	_, err := pool.Exec(ctx, `VACUUM (ANALYZE) service_requests, request_events, sla_deadlines`)
	return n, err
}

var requestCols = []string{"request_id", "workflow_id", "seq", "tier", "priority", "category", "channel", "complex", "stage", "outcome",
	"assigned_group", "escalation_level", "sla_breached", "sheet_rounds", "rework_rounds", "created_at", "updated_at", "closed_at",
	"sla_policy", "sla_calendar", "sla_semantics"}

var deadlineCols = []string{"request_id", "name", "instance", "seq", "clock", "started_at", "due_at", "state", "warned_at", "met_at",
	"breached_at", "escalation_level", "paused_ns", "policy", "calendar", "target_ns", "fixed_due", "lead_ns", "carried_ns", "closed_at"}

type dkey struct {
	name     string
	instance int
}

// gen is one request's life.
type gen struct {
	p       whatif.Policy
	rng     *rand.Rand
	id      string
	now     time.Time
	created time.Time
	book    sla.Book
	attrs   policy.Attrs
	complex bool
	stage   string
	outcome string
	seq     int64
	events  []records.Event
	touched []*sla.Deadline
	rows    map[dkey][]any
	order   []dkey
	// process state
	sheetRounds, failed, rework int
	reviewed                    bool
	committed                   time.Time
	closedAt                    *time.Time
	end                         time.Time
}

func newGen(p whatif.Policy, s genSpec, i int) *gen {
	rng := rand.New(rand.NewPCG(s.Seed, uint64(i)))
	created := s.Start.Add(time.Duration(float64(s.Span) * float64(i) / float64(s.Requests))).Truncate(time.Second)
	pick := func(p float64, a, b string) string {
		if rng.Float64() < p {
			return a
		}
		return b
	}
	g := &gen{p: p, rng: rng, end: s.Now, id: fmt.Sprintf("b%06d", i+1), now: created, created: created, rows: map[dkey][]any{}, stage: "received"}
	g.attrs = policy.Attrs{Tier: pick(0.2, policy.VIP, policy.Standard), Category: []string{"install", "onsite", "outage"}[rng.IntN(3)],
		Channel: pick(0.3, "phone", "web"), Priority: pick(0.25, policy.Urgent, policy.Normal)}
	g.attrs.Group = p.Route(g.attrs)
	g.complex = rng.Float64() < 0.3
	return g
}

func (g *gen) emit(kind string, payload map[string]any) {
	g.seq++
	var raw []byte
	if payload != nil {
		raw, _ = json.Marshal(payload)
	}
	g.events = append(g.events, records.Event{Seq: g.seq, At: g.now, Kind: kind, Payload: raw})
}

func (g *gen) setStage(to string) {
	if g.stage != to {
		g.emit("stage", map[string]any{"from": g.stage, "to": to})
		g.stage = to
	}
}

// record is the workflow's record: an event per fact, the row touched.
func (g *gen) record(facts []sla.Fact) {
	for _, f := range facts {
		d := f.D
		switch f.Kind {
		case sla.FactStarted:
			g.emit("deadline.started", map[string]any{"deadline": d.Name, "instance": d.Instance, "due_at": sla.Format(f.Due, g.book.Calendar())})
		case sla.FactMet:
			p := map[string]any{"deadline": d.Name, "instance": d.Instance, "late": f.Late}
			if f.WithinLead {
				p["within_lead"] = true
			}
			g.emit("deadline.met", p)
		case sla.FactCancelled:
			g.emit("deadline.cancelled", map[string]any{"deadline": d.Name, "instance": d.Instance})
		case sla.FactWarning:
			g.emit("deadline.warning", map[string]any{"deadline": d.Name, "instance": d.Instance})
		case sla.FactBreach:
			g.emit("deadline.breach", map[string]any{"deadline": d.Name, "instance": d.Instance, "level": 1})
		case sla.FactEscalation:
			g.emit("deadline.escalation", map[string]any{"deadline": d.Name, "instance": d.Instance, "level": f.Level})
		case sla.FactVoid:
			g.emit("deadline.breach", map[string]any{"deadline": d.Name, "instance": d.Instance, "customer": true})
			g.sheetFailed("sheet.void")
		case sla.FactAutoAccept:
			g.emit("acceptance.auto_accepted", map[string]any{"instance": d.Instance})
			g.accept()
		}
		g.touched = append(g.touched, d)
	}
}

// flush writes the touched rows as they are now (a transition).
func (g *gen) flush() {
	for _, d := range g.touched {
		k := dkey{d.Name, d.Instance}
		if _, ok := g.rows[k]; !ok {
			g.order = append(g.order, k)
		}
		var due *time.Time
		if t, ok := g.book.Due(d); ok {
			due = &t
		}
		g.rows[k] = []any{g.id, d.Name, d.Instance, g.seq, string(d.Clock.Kind), d.Started(), due, d.State, d.WarnedAt, d.MetAt,
			d.BreachedAt, d.Level, int64(d.PausedTotal()), g.book.Policy.Name, g.book.Policy.CalendarName, int64(d.Clock.Target), d.Fixed,
			int64(d.Lead), int64(d.Carried), d.ClosedAt}
	}
	g.touched = g.touched[:0]
}

func (g *gen) start(name string) *sla.Deadline {
	d, facts := g.book.Start(name, g.attrs.Priority, g.attrs.Tier, g.now)
	g.record(facts)
	return d
}

func (g *gen) meet(name string)   { g.record(g.book.Meet(g.book.Open(name), g.now)) }
func (g *gen) cancel(name string) { g.record(g.book.Cancel(g.book.Open(name), g.now)) }

func (g *gen) fireDue() {
	for {
		f, ok := g.book.FireNext(g.now)
		if !ok {
			return
		}
		g.record([]sla.Fact{f})
	}
}

// until runs the request's timers up to t, one transition each.
func (g *gen) until(t time.Time) {
	for g.stage != "closed" {
		w, ok := g.book.NextWake(g.now)
		if !ok || w.At.After(t) {
			break
		}
		g.now = w.At
		g.fireDue()
		g.flush()
	}
	g.now = t
}

func (g *gen) sheetFailed(kind string) {
	g.failed++
	g.emit(kind, map[string]any{"round": g.sheetRounds, "rounds_allowed": g.book.Policy.SheetRounds})
	if g.failed >= g.book.Policy.SheetRounds {
		g.close("unconfirmed")
		return
	}
	g.setStage("analysis")
	g.start(policy.Sheet)
}

func (g *gen) accept() {
	g.meet(policy.Acceptance)
	g.setStage("follow_up")
	g.start(policy.FollowUp)
}

func (g *gen) close(outcome string) {
	if g.book.PausedSince != nil {
		_, facts := g.book.Resume(g.now)
		g.record(facts)
	}
	g.record(g.book.CancelAll(g.now))
	g.outcome = outcome
	now := g.now
	g.closedAt = &now
	g.setStage("closed")
	g.emit("closed", map[string]any{"outcome": outcome})
}

// act applies one action at now: its event, then what perform does.
func (g *gen) act(name string, payload map[string]any) {
	g.fireDue() // catchUp
	if payload == nil {
		payload = map[string]any{}
	}
	payload["action_id"] = fmt.Sprintf("%s-%d", g.id, g.seq+1)
	g.emit("action."+name, payload)
	switch name {
	case "respond":
		g.meet(policy.Response)
		g.setStage("analysis")
		g.start(policy.Sheet)
	case "submit_sheet":
		g.sheetRounds++
		g.meet(policy.Sheet)
		g.setStage("awaiting_confirmation")
		g.start(policy.Confirmation)
	case "confirm_sheet":
		g.meet(policy.Confirmation)
		g.setStage("planning")
		if g.complex {
			g.start(policy.Review)
		}
	case "reject_sheet":
		g.meet(policy.Confirmation)
		g.sheetFailed("sheet.rejected")
	case "approve_review":
		g.reviewed = true
		g.meet(policy.Review)
	case "agree_plan":
		g.setStage("in_progress")
		_, facts := g.book.StartFixed(policy.Delivery, g.now, g.committed)
		g.record(facts)
		_, facts = g.book.StartDelayNotice(g.attrs.Priority, g.attrs.Tier, g.now)
		g.record(facts)
	case "announce_delay":
		g.meet(policy.DelayNotice)
		g.record(g.book.Recommit(g.book.Open(policy.Delivery), g.committed))
		_, facts := g.book.StartDelayNotice(g.attrs.Priority, g.attrs.Tier, g.now)
		g.record(facts)
	case "deliver":
		g.meet(policy.Delivery)
		g.meet(policy.Rework)
		g.cancel(policy.DelayNotice)
		g.setStage("awaiting_acceptance")
		g.start(policy.Acceptance)
	case "accept_delivery":
		g.accept()
	case "reject_delivery":
		g.meet(policy.Acceptance)
		g.rework++
		g.setStage("rework")
		g.start(policy.Rework)
	case "record_follow_up":
		g.meet(policy.FollowUp)
		g.close("completed")
	case "request_info":
		g.record(g.book.Pause(g.now))
	case "provide_info":
		_, facts := g.book.Resume(g.now)
		g.record(facts)
	case "reprioritize":
		g.attrs.Priority = payload["priority"].(string)
		g.record(g.book.Reprioritize(g.attrs.Priority, g.attrs.Tier))
	case "cancel":
		g.record(g.book.CancelAll(g.now))
		g.close("cancelled")
	case "note":
	}
	g.fireDue() // the main loop after the action
	g.flush()
}

// life runs the request: intake, then steps minutes to days apart until it
// closes or its steps run out (it stays open).
func (g *gen) life() error {
	g.book.Policy = g.p.Set.Select(g.attrs)
	if err := g.book.Load(); err != nil {
		return err
	}
	g.emit("received", map[string]any{"title": "generated", "priority": g.attrs.Priority, "tier": g.attrs.Tier, "group": g.attrs.Group, "channel": g.attrs.Channel, "category": g.attrs.Category})
	g.start(policy.Response)
	g.fireDue()
	g.flush()
	// Most requests of a month are young or short-lived; some go the whole way.
	steps := 1 + g.rng.IntN(2)
	if g.chance(0.12) {
		steps = 5 + g.rng.IntN(25)
	}
	for s := 0; s < steps && g.stage != "closed"; s++ {
		gap := time.Duration(1+g.rng.IntN(40)) * time.Minute
		if s > 0 {
			switch x := g.rng.Float64(); {
			case x < 0.5:
				gap = time.Duration(1+g.rng.IntN(12*60)) * time.Minute
			case x < 0.8:
				gap = time.Duration(12*60+g.rng.IntN(48*60)) * time.Minute
			}
		}
		g.until(g.now.Add(gap))
		if g.stage == "closed" {
			break
		}
		g.step()
	}
	if g.stage != "closed" && g.end.After(g.now) {
		g.until(g.end)
	}
	return nil
}

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

// step picks the next action by stage, or one beside the process.
func (g *gen) step() {
	switch x := g.rng.Float64(); {
	case x < 0.02:
		g.act("cancel", nil)
		return
	case x < 0.06 && g.book.PausedSince != nil:
		g.act("provide_info", nil)
		return
	case x < 0.06 && (g.stage == "analysis" || g.stage == "planning" || g.stage == "in_progress" || g.stage == "rework"):
		g.act("request_info", map[string]any{"reason": "need details"})
		return
	case x < 0.09:
		to := policy.Urgent
		if g.attrs.Priority == policy.Urgent {
			to = policy.Normal
		}
		g.act("reprioritize", map[string]any{"priority": to})
		return
	case x < 0.10:
		g.act("note", map[string]any{"note": "called the customer"})
		return
	}
	switch g.stage {
	case "received":
		g.act("respond", nil)
	case "analysis":
		g.committed = g.now.Add(time.Duration(24+g.rng.IntN(10*24)) * time.Hour).Truncate(time.Minute)
		g.act("submit_sheet", map[string]any{"description": "d", "goal": "g", "expected_delivery": g.committed})
	case "awaiting_confirmation":
		switch x := g.rng.Float64(); {
		case x < 0.7:
			g.act("confirm_sheet", nil)
		case x < 0.85:
			g.act("reject_sheet", map[string]any{"reason": "not that"})
		}
	case "planning":
		if g.complex && !g.reviewed {
			g.act("approve_review", nil)
		} else {
			g.act("agree_plan", nil)
		}
	case "in_progress", "rework":
		if g.stage == "in_progress" && g.chance(0.15) {
			if d := g.book.Open(policy.Delivery); d != nil {
				if due, ok := g.book.Due(d); ok && due.After(g.now) {
					g.committed = due.Add(time.Duration(1+g.rng.IntN(72)) * time.Hour)
					g.act("announce_delay", map[string]any{"new_delivery": g.committed})
					return
				}
			}
		}
		g.act("deliver", nil)
	case "awaiting_acceptance":
		switch x := g.rng.Float64(); {
		case x < 0.6:
			g.act("accept_delivery", nil)
		case x < 0.8:
			g.act("reject_delivery", map[string]any{"reason": "still broken"})
		}
	case "follow_up":
		g.act("record_follow_up", map[string]any{"response_speed": 4, "resolution": 5, "attitude": 5, "professionalism": 4})
	}
}

func (g *gen) requestRow() []any {
	breached := g.book.Level() > 0
	return []any{g.id, "sr-" + g.id, g.seq, g.attrs.Tier, g.attrs.Priority, g.attrs.Category, g.attrs.Channel, g.complex, g.stage, g.outcome,
		g.attrs.Group, g.book.Level(), breached, g.sheetRounds, g.rework, g.created, g.now, g.closedAt,
		g.book.Policy.Name, g.book.Policy.CalendarName, g.book.Policy.Semantics}
}
