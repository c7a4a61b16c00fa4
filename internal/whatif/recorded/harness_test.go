package recorded_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/store"
	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/workflows"
)

// month is the month the generated requests are received in.
var (
	shanghai   = mustZone("Asia/Shanghai")
	monthStart = time.Date(2026, 11, 1, 0, 0, 0, 0, shanghai)
	monthEnd   = time.Date(2026, 12, 1, 0, 0, 0, 0, shanghai)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// newStore is a fresh migrated database.
func newStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, config.Postgres{DSN: testenv.NewDatabase(t), MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

func loadConfig(t *testing.T, path string) *config.Config {
	t.Helper()
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// noSender drops every notification.
type noSender struct{}

func (noSender) Send(context.Context, activities.Notification) error { return nil }

// plan is a request and its life: at each gap's end the driver looks at
// the request's status and picks an action; or a script of actions.
type plan struct {
	req    workflows.Request
	start  time.Time
	gaps   []time.Duration // between the steps
	script []scripted
}

// scripted is one action of a scripted plan, after the start.
type scripted struct {
	after  time.Duration
	name   string
	action workflows.Action
}

// newPlan draws request i's attributes and the gaps of its life from seed.
func newPlan(i int, seed uint64) plan {
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	// Spread over the month, at any time of day or week, on whole seconds.
	start := monthStart.Add(time.Duration(rng.Int64N(int64(28*24*time.Hour/time.Second))) * time.Second)
	pick := func(p float64, a, b string) string {
		if rng.Float64() < p {
			return a
		}
		return b
	}
	req := workflows.Request{
		RequestID: fmt.Sprintf("g%04d", i),
		Customer:  workflows.Customer{ID: fmt.Sprintf("c%d", i%40), Name: "Customer", Email: "c@example.com", Tier: pick(0.2, policy.VIP, policy.Standard), Locale: "en"},
		Channel:   pick(0.3, "phone", "web"),
		Category:  []string{"install", "onsite", "outage"}[rng.IntN(3)],
		Priority:  pick(0.25, policy.Urgent, policy.Normal),
		Complex:   rng.Float64() < 0.3,
		Title:     "generated",
	}
	if rng.Float64() < 0.1 { // submitted a little before the workflow saw it
		s := start.Add(-time.Duration(1+rng.IntN(240)) * time.Second)
		req.SubmittedAt = &s
	}
	p := plan{req: req, start: start}
	// The first response comes within 0-45 min; later steps minutes, hours
	// or days apart.
	p.gaps = append(p.gaps, time.Duration(rng.IntN(45*60))*time.Second)
	for range 40 {
		var g time.Duration
		switch x := rng.Float64(); {
		case x < 0.45:
			g = time.Duration(1+rng.IntN(40)) * time.Minute
		case x < 0.85:
			g = time.Duration(1+rng.IntN(12*60)) * time.Minute
		default:
			g = time.Duration(12*60+rng.IntN(36*60)) * time.Minute
		}
		p.gaps = append(p.gaps, g)
	}
	return p
}

// driver plays one plan against the real workflow in the time-skipping
// test environment, recording into PostgreSQL through the real store.
type driver struct {
	t        *testing.T
	env      *testsuite.TestWorkflowEnvironment
	rng      *rand.Rand
	accepted int
	silent   map[int]bool // deliveries (by rework round) the customer never answers
}

// runPlan runs request p to its end under cfg's policies and routing.
func runPlan(t *testing.T, st *store.Store, cfg *config.Config, p plan, seed uint64, i int) (actions int) {
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	env := suite.NewTestWorkflowEnvironment()
	env.SetTestTimeout(5 * time.Minute)
	env.SetStartTime(p.start)
	env.RegisterWorkflowWithOptions(workflows.ServiceRequest, workflow.RegisterOptions{Name: workflows.WorkflowType})
	acts := activities.New(st, noSender{}, cfg.Settings().Policies, cfg.Routing)
	acts.Intake = activities.IntakeRules{MaxClockSkew: 5 * time.Minute, MaxBackdate: 720 * time.Hour}
	env.RegisterActivity(acts)
	env.RegisterWorkflowWithOptions(workflows.CustomerCare, workflow.RegisterOptions{Name: workflows.CareWorkflowType})
	env.OnWorkflow(workflows.CareWorkflowType, mock.Anything, mock.Anything).Return(workflows.CareResult{}, nil).Maybe()
	d := &driver{t: t, env: env, rng: rand.New(rand.NewPCG(seed^0x5eed, uint64(i))), silent: map[int]bool{}}
	at := time.Duration(0)
	for _, g := range p.gaps {
		at += g
		env.RegisterDelayedCallback(d.step, at)
	}
	for _, sc := range p.script {
		env.RegisterDelayedCallback(func() { d.send(sc.name, sc.action) }, sc.after)
		at = max(at, sc.after)
	}
	env.RegisterDelayedCallback(func() { d.send(workflows.ActionCancel, workflows.Action{Reason: "end of the plan"}) }, at+time.Minute)
	env.ExecuteWorkflow(workflows.WorkflowType, p.req)
	if !env.IsWorkflowCompleted() {
		t.Fatalf("%s did not complete", p.req.RequestID)
	}
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("%s failed: %v", p.req.RequestID, err)
	}
	return d.accepted
}

func (d *driver) status() workflows.Status {
	v, err := d.env.QueryWorkflow(workflows.StatusQuery)
	if err != nil {
		d.t.Fatalf("status: %v", err)
	}
	var st workflows.Status
	if err := v.Get(&st); err != nil {
		d.t.Fatalf("status: %v", err)
	}
	return st
}

// send applies an action as an update; a refusal (the request moved on) is
// fine, it is recorded nowhere.
func (d *driver) send(name string, a workflows.Action) {
	a.Actor = "agent"
	raw, err := json.Marshal(a)
	if err != nil {
		d.t.Fatal(err)
	}
	d.env.UpdateWorkflow(name, "", &testsuite.TestUpdateCallback{
		OnReject:   func(error) {},
		OnAccept:   func() { d.accepted++ },
		OnComplete: func(any, error) {},
	}, json.RawMessage(raw))
}

func (d *driver) chance(p float64) bool { return d.rng.Float64() < p }

// step looks at the request and acts: mostly the next step of the
// process, sometimes a wait on the customer, a change of priority or group,
// apply_policy, a complaint, a cancel — or nothing (silence).
func (d *driver) step() {
	st := d.status()
	if st.Stage == workflows.StageClosed {
		return
	}
	now := d.env.Now()
	if name, a, ok := d.aside(st); ok {
		d.send(name, a)
		return
	}
	switch st.Stage {
	case workflows.StageReceived:
		if d.chance(0.9) {
			d.send(workflows.ActionRespond, workflows.Action{})
		}
	case workflows.StageAnalysis:
		if d.chance(0.8) {
			ahead := time.Duration(24+d.rng.IntN(11*24)) * time.Hour
			if d.chance(0.1) { // inside the delay notice's lead
				ahead = time.Duration(6+d.rng.IntN(14)) * time.Hour
			}
			due := now.Add(ahead).Truncate(time.Minute)
			d.send(workflows.ActionSubmitSheet, workflows.Action{Description: "d", Goal: "g", ExpectedDelivery: &due})
		}
	case workflows.StageAwaitingConfirmation:
		switch x := d.rng.Float64(); {
		case x < 0.6:
			d.send(workflows.ActionConfirmSheet, workflows.Action{})
		case x < 0.75:
			d.send(workflows.ActionRejectSheet, workflows.Action{Reason: "not what I asked"})
		} // else silence: the sheet may go void
	case workflows.StagePlanning:
		if st.Complex && !hasMet(st, policy.Review) && d.chance(0.8) {
			d.send(workflows.ActionApproveReview, workflows.Action{})
		} else if d.chance(0.8) {
			d.send(workflows.ActionAgreePlan, workflows.Action{})
		}
	case workflows.StageInProgress, workflows.StageRework:
		switch x := d.rng.Float64(); {
		case x < 0.15 && st.Stage == workflows.StageInProgress:
			if due := openDue(st, policy.Delivery); due != nil {
				nd := due.Add(time.Duration(1+d.rng.IntN(72)) * time.Hour)
				d.send(workflows.ActionAnnounceDelay, workflows.Action{NewDelivery: &nd, Reason: "parts late"})
			}
		case x < 0.25:
			d.send(workflows.ActionProgress, workflows.Action{Note: "working on it"})
		case x < 0.75:
			d.send(workflows.ActionDeliver, workflows.Action{})
		}
	case workflows.StageAwaitingAcceptance:
		if _, drawn := d.silent[st.ReworkRounds]; !drawn {
			d.silent[st.ReworkRounds] = d.chance(0.25)
		}
		if d.silent[st.ReworkRounds] {
			return // auto-accepted after 3 working days
		}
		switch x := d.rng.Float64(); {
		case x < 0.5:
			d.send(workflows.ActionAcceptDelivery, workflows.Action{})
		case x < 0.7:
			d.send(workflows.ActionRejectDelivery, workflows.Action{Reason: "still broken"})
		} // else silence: auto-accepted in time
	case workflows.StageFollowUp:
		if d.chance(0.85) {
			score := func() int { return 1 + d.rng.IntN(5) }
			d.send(workflows.ActionRecordFollowUp, workflows.Action{ResponseSpeed: score(), Resolution: score(), Attitude: score(), Professionalism: score(), Comment: "ok"})
		}
	}
}

// aside picks an action beside the process now and then.
func (d *driver) aside(st workflows.Status) (string, workflows.Action, bool) {
	waitable := st.Stage == workflows.StageAnalysis || st.Stage == workflows.StagePlanning || st.Stage == workflows.StageInProgress || st.Stage == workflows.StageRework
	switch x := d.rng.Float64(); {
	case x < 0.10 && st.Paused:
		return workflows.ActionProvideInfo, workflows.Action{}, true
	case x < 0.10 && waitable:
		return workflows.ActionRequestInfo, workflows.Action{Reason: "need details"}, true
	case x < 0.14:
		to := policy.Urgent
		if st.Priority == policy.Urgent {
			to = policy.Normal
		}
		return workflows.ActionReprioritize, workflows.Action{Priority: to}, true
	case x < 0.17:
		to := "field"
		if st.Group == "field" {
			to = "general"
		}
		return workflows.ActionReassign, workflows.Action{Group: to}, true
	case x < 0.22:
		return workflows.ActionApplyPolicy, workflows.Action{}, true
	case x < 0.24:
		return workflows.ActionComplain, workflows.Action{Reason: "too slow"}, true
	case x < 0.29 && openComplaint(st):
		return workflows.ActionResolveComplaint, workflows.Action{ResolutionText: "called back"}, true
	case x < 0.295:
		return workflows.ActionCancel, workflows.Action{Reason: "no longer needed"}, true
	}
	return "", workflows.Action{}, false
}

func hasMet(st workflows.Status, name string) bool {
	for _, dl := range st.Deadlines {
		if dl.Name == name && (dl.State == workflows.DeadlineMet || dl.MetAt != nil) {
			return true
		}
	}
	return false
}

func openDue(st workflows.Status, name string) *time.Time {
	for _, dl := range st.Deadlines {
		if dl.Name == name && dl.MetAt == nil && dl.State != workflows.DeadlineCancelled {
			return dl.DueAt
		}
	}
	return nil
}

func openComplaint(st workflows.Status) bool {
	for _, c := range st.Complaints {
		if c.ResolvedAt == nil {
			return true
		}
	}
	return false
}

// runPlans runs n plans of seed, two at a time, and returns how many
// actions were accepted.
func runPlans(t *testing.T, st *store.Store, cfg *config.Config, n int, seed uint64) int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	next := make(chan int)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				a := runPlan(t, st, cfg, newPlan(i, seed), seed, i)
				mu.Lock()
				total += a
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return total
}
