package workflows

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/records"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

// shanghai is the zone of the default calendar.
var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a wall time in Shanghai.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// testPolicy is CONTRACT §4's default policy.
func testPolicy() policy.Snapshot {
	day := []calendar.Window{{Start: 9 * 3600, End: 12 * 3600}, {Start: 13 * 3600, End: 18 * 3600}}
	var week [7][]calendar.Window
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = day
	}
	wd := 8 * time.Hour
	wall := func(u, n time.Duration) policy.Deadline {
		return policy.Deadline{Clock: calendar.Wall, Targets: policy.Targets{Urgent: u, Normal: n}}
	}
	biz := func(u, n time.Duration) policy.Deadline {
		return policy.Deadline{Clock: calendar.Business, Targets: policy.Targets{Urgent: u, Normal: n}}
	}
	return policy.Snapshot{
		Calendar:          calendar.Spec{Zone: "Asia/Shanghai", StandardDay: wd, Week: week, Holidays: []calendar.Day{{Date: "2026-10-01"}}},
		WarnAt:            0.8,
		EscalateAt:        2.0,
		SheetRounds:       3,
		AcceptanceSilence: policy.AutoAccept,
		LowScore:          policy.LowScore{MaxScore: 2, MinAverage: 3},
		Deadlines: map[string]policy.Deadline{
			policy.Response:       wall(5*time.Minute, 30*time.Minute),
			policy.Sheet:          biz(2*wd, 2*wd),
			policy.Confirmation:   biz(wd, wd),
			policy.Review:         biz(2*wd, 2*wd),
			policy.DelayNotice:    wall(24*time.Hour, 24*time.Hour),
			policy.ProgressReport: wall(168*time.Hour, 168*time.Hour),
			policy.Acceptance:     biz(3*wd, 3*wd),
			policy.Rework:         biz(2*wd, 2*wd),
			policy.FollowUp:       biz(3*wd, 3*wd),
			policy.Complaint:      wall(24*time.Hour, 24*time.Hour),
		},
		VIP:              map[string]policy.Targets{policy.Response: {Urgent: 3 * time.Minute, Normal: 15 * time.Minute}},
		MaxDeliveryAhead: 8760 * time.Hour,
		Semantics:        policy.CurrentSemantics,
	}
}

func testRouting() config.Routing {
	return config.Routing{
		DefaultGroup: "general",
		Groups: map[string]config.Group{
			"general": {Email: "service@example.com", Supervisor: "lead@example.com", Manager: "head@example.com"},
			"field":   {Email: "field@example.com", Supervisor: "field-lead@example.com", Manager: "head@example.com"},
		},
	}
}

// sent is one notification as the fake sender saw it, with the test clock.
type sent struct {
	activities.Notification
	At time.Time
}

// fakes records every transition and notification.
type fakes struct {
	mu    sync.Mutex
	env   *testsuite.TestWorkflowEnvironment
	trs   []records.Facts
	notes []sent
	// failOnce makes the first send of these dedupe keys fail.
	failOnce map[string]bool
}

func (f *fakes) RecordTransition(_ context.Context, t records.Facts) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.trs = append(f.trs, t)
	return nil
}

func (f *fakes) Send(_ context.Context, n activities.Notification) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failOnce[n.DedupeKey] {
		delete(f.failOnce, n.DedupeKey)
		return errors.New("receiver unavailable")
	}
	f.notes = append(f.notes, sent{n, f.env.Now().In(shanghai)})
	return nil
}

// harness drives one ServiceRequest in the time-skipping test environment.
type harness struct {
	t    *testing.T
	env  *testsuite.TestWorkflowEnvironment
	f    *fakes
	pol  policy.Snapshot
	acts *activities.Activities
}

func newHarness(t *testing.T, start time.Time, tweak func(*policy.Snapshot)) *harness {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	pol := testPolicy()
	if tweak != nil {
		tweak(&pol)
	}
	f := &fakes{env: env}
	env.RegisterWorkflowWithOptions(ServiceRequest, workflow.RegisterOptions{Name: WorkflowType})
	acts := activities.New(f, f, policy.SetOf(pol), testRouting())
	acts.Intake = activities.IntakeRules{MaxClockSkew: 5 * time.Minute, MaxBackdate: 720 * time.Hour}
	env.RegisterActivity(acts)
	env.RegisterWorkflowWithOptions(CustomerCare, workflow.RegisterOptions{Name: CareWorkflowType})
	env.OnWorkflow(CareWorkflowType, mock.Anything, mock.Anything).Return(CareResult{}, nil).Maybe()
	return &harness{t: t, env: env, f: f, pol: pol, acts: acts}
}

func sampleRequest(id string) Request {
	return Request{
		RequestID: id,
		Customer:  Customer{ID: "c-1", Name: "Ada", Email: "ada@example.com", Tier: policy.Standard, Locale: "en"},
		Channel:   "web", Category: "install", Priority: policy.Normal, Title: "Printer setup",
	}
}

// after schedules an action as an update d after the start; the returned
// pointer holds the rejection, if any.
func (h *harness) after(d time.Duration, name string, a Action) *error {
	var rejected error
	h.env.RegisterDelayedCallback(func() {
		raw, _ := json.Marshal(a)
		h.env.UpdateWorkflow(name, "", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { rejected = err },
			OnAccept:   func() {},
			OnComplete: func(any, error) {},
		}, json.RawMessage(raw))
	}, d)
	return &rejected
}

// signalAfter sends an action as a signal d after the start.
func (h *harness) signalAfter(d time.Duration, name string, payload any) {
	h.env.RegisterDelayedCallback(func() {
		raw, _ := json.Marshal(payload)
		h.env.SignalWorkflow(name, json.RawMessage(raw))
	}, d)
}

// run executes the workflow to its end and returns the final status.
func (h *harness) run(req Request) Status {
	h.t.Helper()
	return h.runWith(req, nil)
}

// runWith runs a continuation: the request and the state carried into it.
func (h *harness) runWith(req Request, carried *State) Status {
	h.t.Helper()
	if carried != nil {
		h.env.ExecuteWorkflow(WorkflowType, req, carried)
	} else {
		h.env.ExecuteWorkflow(WorkflowType, req)
	}
	if !h.env.IsWorkflowCompleted() {
		h.t.Fatalf("workflow did not complete")
	}
	if err := h.env.GetWorkflowError(); err != nil {
		h.t.Fatalf("workflow failed: %v", err)
	}
	var st Status
	if err := h.env.GetWorkflowResult(&st); err != nil {
		h.t.Fatalf("result: %v", err)
	}
	return st
}

// sentAt returns when the notification of kind to party with a dedupe key
// containing step was sent, failing if it was not sent exactly once.
func (h *harness) sentAt(kind, party, step string) time.Time {
	h.t.Helper()
	var found []sent
	for _, n := range h.f.notes {
		if n.Kind == kind && n.Party == party && contains(n.DedupeKey, step) {
			found = append(found, n)
		}
	}
	if len(found) != 1 {
		h.t.Fatalf("notification %s/%s/%s sent %d times; all: %v", kind, party, step, len(found), h.keys())
	}
	return found[0].At
}

func (h *harness) notSent(step string) {
	h.t.Helper()
	for _, n := range h.f.notes {
		if contains(n.DedupeKey, step) {
			h.t.Fatalf("notification %s was sent at %s", n.DedupeKey, n.At)
		}
	}
}

func (h *harness) keys() []string {
	var out []string
	for _, n := range h.f.notes {
		out = append(out, n.DedupeKey+"@"+n.At.Format(time.RFC3339))
	}
	return out
}

// events returns every recorded event kind in order and checks that the
// sequence numbers are 1..n without gaps or repeats.
func (h *harness) events() []records.Event {
	h.t.Helper()
	var out []records.Event
	for _, tr := range h.f.trs {
		out = append(out, tr.Events...)
	}
	for i, e := range out {
		if e.Seq != int64(i+1) {
			h.t.Fatalf("event %d has seq %d (kind %s)", i+1, e.Seq, e.Kind)
		}
	}
	return out
}

func (h *harness) hasEvent(kind string) bool {
	for _, e := range h.events() {
		if e.Kind == kind {
			return true
		}
	}
	return false
}

func deadline(st Status, name string, instance int) DeadlineStatus {
	for _, d := range st.Deadlines {
		if d.Name == name && d.Instance == instance {
			return d
		}
	}
	return DeadlineStatus{}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func eqTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s at %s, want %s", what, got.In(shanghai).Format(time.RFC3339), want.In(shanghai).Format(time.RFC3339))
	}
}

// updateCollector keeps an update's result.
type updateCollector struct {
	result *ActionResult
	err    error
}

func (u *updateCollector) Accept()          {}
func (u *updateCollector) Reject(err error) { u.err = err }
func (u *updateCollector) Complete(v any, err error) {
	u.err = err
	if r, ok := v.(ActionResult); ok {
		*u.result = r
	}
}

func quietLogger() log.Logger {
	return log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
}
