package workflows

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/records"

	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/testenv"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testenv.StopTemporal()
	os.Exit(code)
}

// memSink keeps transitions and notifications in memory for runs against a
// real server.
type memSink struct {
	mu    sync.Mutex
	trs   []records.Facts
	notes []activities.Notification
	fail  func(activities.Notification) bool // a send that fails (nil: none)
}

func (m *memSink) RecordTransition(_ context.Context, t records.Facts) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.trs = append(m.trs, t)
	return nil
}

func (m *memSink) Send(_ context.Context, n activities.Notification) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil && m.fail(n) {
		return fmt.Errorf("receiver refused %s", n.DedupeKey)
	}
	m.notes = append(m.notes, n)
	return nil
}

func (m *memSink) RecordCareLetter(context.Context, activities.CareLetter) error { return nil }

// liveWorker starts a worker with in-memory activities on its own task
// queue of the shared dev server.
func liveWorker(t *testing.T, pol policy.Snapshot) (client.Client, string, *memSink) {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: testenv.StartTemporal(t), Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	queue := fmt.Sprintf("wf-it-%s-%d", t.Name(), time.Now().UnixNano())
	sink := &memSink{}
	w := worker.New(c, queue, worker.Options{})
	Register(w)
	w.RegisterActivity(activities.New(sink, sink, policy.SetOf(pol), testRouting()))
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return c, queue, sink
}

func update(t *testing.T, c client.Client, id, name string, a Action) ActionResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: id, UpdateName: name, Args: []any{a}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var res ActionResult
	if err := h.Get(ctx, &res); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

// history fetches a run's full history.
func history(t *testing.T, c client.Client, id string) *historypb.History {
	t.Helper()
	it := c.GetWorkflowHistory(context.Background(), id, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, ev)
	}
	return h
}

// recordHistory writes the history for the replay test when
// SVCFLOW_RECORD_HISTORIES=1.
func recordHistory(t *testing.T, name string, h *historypb.History) {
	if os.Getenv("SVCFLOW_RECORD_HISTORIES") != "1" {
		return
	}
	b, err := protojson.MarshalOptions{Indent: "  "}.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "histories", name+".json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// The happy path on a real server: every action as an update, the history
// size (goal: ≤ 150 events), and the recorded history.
func TestLiveHappyPathHistory(t *testing.T) {
	c, queue, sink := liveWorker(t, testPolicy())
	req := sampleRequest(fmt.Sprintf("live-%d", time.Now().UnixNano()))
	id := WorkflowID(req.RequestID)
	run, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: id, TaskQueue: queue}, WorkflowType, req)
	if err != nil {
		t.Fatal(err)
	}
	due := time.Now().Add(30 * 24 * time.Hour)
	steps := []struct {
		name string
		a    Action
	}{
		{ActionRespond, Action{ActionID: "1", Actor: "alice"}},
		{ActionSubmitSheet, Action{ActionID: "2", Actor: "alice", Description: "d", Goal: "g", ExpectedDelivery: &due}},
		{ActionConfirmSheet, Action{ActionID: "3", Actor: "customer"}},
		{ActionAgreePlan, Action{ActionID: "4", Actor: "customer"}},
		{ActionProgress, Action{ActionID: "5", Actor: "alice", Note: "half way"}},
		{ActionDeliver, Action{ActionID: "6", Actor: "alice"}},
		{ActionAcceptDelivery, Action{ActionID: "7", Actor: "customer"}},
		{ActionRecordFollowUp, Action{ActionID: "8", Actor: "bob", ResponseSpeed: 5, Resolution: 5, Attitude: 5, Professionalism: 5}},
	}
	for _, s := range steps {
		if res := update(t, c, id, s.name, s.a); res.Result != "accepted" {
			t.Fatalf("%s: %+v", s.name, res)
		}
	}
	var st Status
	if err := run.Get(context.Background(), &st); err != nil {
		t.Fatal(err)
	}
	if st.Outcome != OutcomeCompleted {
		t.Fatalf("outcome %s", st.Outcome)
	}
	h := history(t, c, id)
	t.Logf("happy path: %d history events, %d transitions recorded, %d notifications", len(h.Events), len(sink.trs), len(sink.notes))
	if len(h.Events) > 150 {
		t.Errorf("happy path took %d history events, goal ≤ 150", len(h.Events))
	}
	recordHistory(t, "happy-path", h)
}

// A breach, escalation, invalid signal and cancel on a real server with
// second-scale targets: timers fire and the history is recorded.
func TestLiveBreachHistory(t *testing.T) {
	pol := testPolicy()
	pol.Deadlines[policy.Response] = policy.Deadline{Clock: "wall", Targets: policy.Targets{Urgent: time.Second, Normal: time.Second}}
	c, queue, _ := liveWorker(t, pol)
	req := sampleRequest(fmt.Sprintf("live-breach-%d", time.Now().UnixNano()))
	id := WorkflowID(req.RequestID)
	run, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: id, TaskQueue: queue}, WorkflowType, req)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, c, id, func(st Status) bool { return st.EscalationLevel == 2 })
	if err := c.SignalWorkflow(context.Background(), id, "", ActionDeliver, json.RawMessage(`{"actor":"crm"}`)); err != nil {
		t.Fatal(err)
	}
	update(t, c, id, ActionRespond, Action{ActionID: "r", Actor: "alice"})
	update(t, c, id, ActionCancel, Action{ActionID: "c", Actor: "alice", Reason: "done"})
	var st Status
	if err := run.Get(context.Background(), &st); err != nil {
		t.Fatal(err)
	}
	if !st.SlaBreached || st.Outcome != OutcomeCancelled {
		t.Errorf("breached %v outcome %s", st.SlaBreached, st.Outcome)
	}
	recordHistory(t, "response-breach", history(t, c, id))
}

// A delivery committed inside the delay notice's lead, on a real server:
// the notice is met at the commitment (semantics 1), and the history is
// recorded for the replay test.
func TestLiveDelayNoticeWithinLeadHistory(t *testing.T) {
	c, queue, _ := liveWorker(t, testPolicy())
	req := sampleRequest(fmt.Sprintf("live-lead-%d", time.Now().UnixNano()))
	id := WorkflowID(req.RequestID)
	run, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: id, TaskQueue: queue}, WorkflowType, req)
	if err != nil {
		t.Fatal(err)
	}
	due := time.Now().Add(10 * time.Hour) // the notice's lead is 24 h
	update(t, c, id, ActionRespond, Action{ActionID: "1", Actor: "alice"})
	update(t, c, id, ActionSubmitSheet, Action{ActionID: "2", Actor: "alice", Description: "d", Goal: "g", ExpectedDelivery: &due})
	update(t, c, id, ActionConfirmSheet, Action{ActionID: "3", Actor: "customer"})
	update(t, c, id, ActionAgreePlan, Action{ActionID: "4", Actor: "customer"})
	st := waitFor(t, c, id, func(st Status) bool { return st.Stage == StageInProgress })
	if d := deadline(st, "delay_notice", 1); d.State != DeadlineMet || st.SlaBreached {
		t.Fatalf("delay notice %+v breached %v, want met at the commitment", d, st.SlaBreached)
	}
	update(t, c, id, ActionCancel, Action{ActionID: "5", Actor: "alice", Reason: "done"})
	if err := run.Get(context.Background(), &st); err != nil {
		t.Fatal(err)
	}
	recordHistory(t, "delay-within-lead", history(t, c, id))
}

// An inline send that fails, on a real server: the receipt is refused by
// the record activity's send and goes out once from a NotifyAll task (the
// path's history is recorded for the replay test).
func TestLiveInlineFallbackHistory(t *testing.T) {
	c, queue, sink := liveWorker(t, testPolicy())
	var tries atomic.Int32
	sink.mu.Lock()
	sink.fail = func(n activities.Notification) bool {
		return n.Kind == activities.KindReceipt && tries.Add(1) == 1
	}
	sink.mu.Unlock()
	req := sampleRequest(fmt.Sprintf("live-fallback-%d", time.Now().UnixNano()))
	id := WorkflowID(req.RequestID)
	run, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: id, TaskQueue: queue}, WorkflowType, req)
	if err != nil {
		t.Fatal(err)
	}
	update(t, c, id, ActionRespond, Action{ActionID: "1", Actor: "alice"})
	update(t, c, id, ActionCancel, Action{ActionID: "2", Actor: "alice", Reason: "done"})
	var st Status
	if err := run.Get(context.Background(), &st); err != nil {
		t.Fatal(err)
	}
	h := history(t, c, id)
	scheduled := 0
	for _, ev := range h.Events {
		if ev.GetEventType() == enums.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED {
			scheduled++
		}
	}
	sink.mu.Lock()
	receipts := 0
	for _, n := range sink.notes {
		if n.Kind == activities.KindReceipt {
			receipts++
		}
	}
	sink.mu.Unlock()
	if scheduled != 1 || receipts != 1 || tries.Load() != 2 {
		t.Errorf("%d activity tasks, %d receipts sent, %d tries; want 1, 1, 2", scheduled, receipts, tries.Load())
	}
	recordHistory(t, "inline-fallback", h)
}

// waitFor polls the status query until cond holds (bounded).
func waitFor(t *testing.T, c client.Client, id string, cond func(Status) bool) Status {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		v, err := c.QueryWorkflow(context.Background(), id, "", StatusQuery)
		if err == nil {
			var st Status
			if err := v.Get(&st); err == nil && cond(st) {
				return st
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not reached on %s (last error %v)", id, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
