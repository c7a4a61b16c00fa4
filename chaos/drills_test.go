package chaos

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/proctest"
	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/workflows"
)

// breachWait holds back every fourth request's first response past the 6s
// response target, so the drills also count breaches.
func breachWait(i int) time.Duration {
	if i%4 == 0 {
		return 12 * time.Second
	}
	return 0
}

// TestWorkerKilledDuringLifecycles SIGKILLs the worker while lifecycles run
// and restarts it at once; every lifecycle completes and the accounting
// finds every action, breach and notification exactly once.
func TestWorkerKilledDuringLifecycles(t *testing.T) {
	t.Parallel()
	d := newDrill(t, "kill", testenv.StartTemporal(t), testenv.NewDatabase(t))
	d.startWorker()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()

	done := make(chan struct{})
	var kills atomic.Int32
	var killerErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			case <-time.After(scale.killEvery):
			}
			d.killWorker()
			kills.Add(1)
			p, _, err := d.w.Start(90 * time.Second)
			if err != nil {
				killerErr = err
				return
			}
			d.mu.Lock()
			d.proc = p
			d.mu.Unlock()
			if scale.kills > 0 && int(kills.Load()) >= scale.kills {
				return
			}
		}
	}()
	ids := make([]string, scale.killLifecycles)
	for i := range ids {
		ids[i] = d.id(i)
	}
	t0 := time.Now()
	errs := runAll(len(ids), scale.killConcurrency, func(i int) error { return d.lifecycle(ctx, ids[i], breachWait(i)) })
	close(done)
	wg.Wait()
	if killerErr != nil {
		t.Fatalf("restarting the worker: %v", killerErr)
	}
	for _, err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	t.Logf("%d lifecycles in %s with %d SIGKILLs of the worker", len(ids), time.Since(t0).Round(time.Millisecond), kills.Load())
	if kills.Load() == 0 {
		t.Fatal("the worker was never killed: the drill proves nothing")
	}
	l := d.account(ids)
	if l.breaches == 0 && len(l.lateUnbreached) == 0 {
		t.Error("no breach happened: the breach accounting proves nothing")
	}
}

// TestPostgresOutage stops a private PostgreSQL cluster mid-run: activities
// retry, every lifecycle completes, nothing is lost or partial.
func TestPostgresOutage(t *testing.T) {
	t.Parallel()
	parent, err := os.MkdirTemp("", "svcflow-chaos-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(parent) })
	cl, err := proctest.NewCluster(parent)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Remove)
	if err := cl.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	dsn, err := cl.CreateDB(ctx, "svcflow_chaos")
	if err != nil {
		t.Fatal(err)
	}
	d := newDrill(t, "pgdown", testenv.StartTemporal(t), dsn)
	d.startWorker()

	ids := make([]string, scale.pgLifecycles)
	for i := range ids {
		ids[i] = d.id(i)
	}
	var errs []error
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		errs = runAll(len(ids), len(ids), func(i int) error { return d.lifecycle(ctx, ids[i], breachWait(i)) })
	}()
	// Stop PostgreSQL once the requests are recorded and under way.
	for {
		var n int
		if err := d.db.QueryRow(ctx, `SELECT count(*) FROM request_events WHERE kind = 'action.respond'`).Scan(&n); err == nil && n >= len(ids)/2 {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("requests never got under way")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := cl.Stop(); err != nil {
		t.Fatal(err)
	}
	t.Logf("PostgreSQL stopped for %s", scale.pgOutage)
	time.Sleep(scale.pgOutage)
	if err := cl.Start(); err != nil {
		t.Fatal(err)
	}
	<-finished
	for _, err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	d.account(ids)
}

// TestDevServerRestart restarts a file-backed dev server while requests
// wait on their response timers: the timers still fire after the restart
// and the workflows go on to complete.
func TestDevServerRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dev, err := proctest.NewDevServer(filepath.Join(dir, "temporal.db"), filepath.Join(dir, "temporal.log"))
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.Start(90 * time.Second); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(dev.Stop)
	d := newDrill(t, "restart", dev.HostPort, testenv.NewDatabase(t), "SVCFLOW_SLA_DEADLINES_RESPONSE_NORMAL=10s")
	d.startWorker()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ids := make([]string, scale.serverRequests)
	for i := range ids {
		ids[i] = d.id(i)
		if err := d.start(ctx, ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	dev.Stop()
	t0 := time.Now()
	if err := dev.Start(90 * time.Second); err != nil {
		t.Fatal(err)
	}
	t.Logf("dev server restarted in %s", time.Since(t0).Round(time.Millisecond))
	// The response timers (10s) fire after the restart: each breaches.
	for _, id := range ids {
		for {
			var breached bool
			err := d.db.QueryRow(ctx, `SELECT breached_at IS NOT NULL FROM sla_deadlines WHERE request_id = $1 AND name = 'response' AND instance = 1`, id).Scan(&breached)
			if err == nil && breached {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("%s: response timer never fired after the restart", id)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	errs := runAll(len(ids), len(ids), func(i int) error {
		steps := happySteps(ids[i])
		for j, s := range steps {
			if err := d.act(ctx, ids[i], s, j == len(steps)-1); err != nil {
				return err
			}
		}
		return nil
	})
	for _, err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	if l := d.account(ids); l.breachedReqs != len(ids) {
		t.Errorf("%d of %d requests breached their response deadline; want all", l.breachedReqs, len(ids))
	}
}

// TestDuplicateDeliveries starts each request several times at once and
// delivers each action several times with the same action ID, over
// updates and signals: one run per request, every action applied once.
func TestDuplicateDeliveries(t *testing.T) {
	t.Parallel()
	d := newDrill(t, "dup", testenv.StartTemporal(t), testenv.NewDatabase(t))
	d.startWorker()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ids := make([]string, scale.dupRequests)
	for i := range ids {
		id := d.id(i)
		ids[i] = id
		var created atomic.Int32
		runIDs := make([]string, 6)
		for _, err := range runAll(6, 6, func(k int) error {
			res, err := d.req.Start(ctx, request(id))
			if res.Created {
				created.Add(1)
			}
			runIDs[k] = res.RunID
			return err
		}) {
			t.Fatal(err)
		}
		if created.Load() != 1 {
			t.Errorf("%s: %d of 6 concurrent starts created a run, want 1", id, created.Load())
		}
		for _, r := range runIDs {
			if r != runIDs[0] || r == "" {
				t.Errorf("%s: starts answered runs %v, want one", id, runIDs)
				break
			}
		}
		for _, s := range happySteps(id) {
			// The same action ID three times over updates and three times
			// over signals, all at once.
			var accepted, duplicate atomic.Int32
			errs := runAll(6, 6, func(k int) error {
				if k%2 == 1 {
					return d.c.SignalWorkflow(ctx, workflows.WorkflowID(id), "", s.name, s.a)
				}
				res, err := d.req.Update(ctx, id, s.name, s.a)
				if err != nil {
					return nil // the signal may have closed the request first
				}
				if res.Result == workflows.ResultDuplicate {
					duplicate.Add(1)
				} else {
					accepted.Add(1)
				}
				return nil
			})
			for _, err := range errs {
				if s.name != workflows.ActionRecordFollowUp { // closed by then
					t.Errorf("%s %s: %v", id, s.name, err)
				}
			}
			// The workflow keeps the action IDs: one update is accepted, every
			// other answers "duplicate"; the accounting below checks the action
			// was applied once.
			if accepted.Load() > 1 {
				t.Errorf("%s %s: %d updates with one action_id accepted, want at most 1", id, s.name, accepted.Load())
			}
			if accepted.Load()+duplicate.Load() == 0 && s.name != workflows.ActionRecordFollowUp {
				t.Errorf("%s %s: no update answered", id, s.name)
			}
			// Wait until the action took effect before the next one.
			if s.name != workflows.ActionRecordFollowUp {
				for {
					st, err := d.req.Status(ctx, id)
					if err == nil && seen(st, s.a.ActionID) {
						break
					}
					if ctx.Err() != nil {
						t.Fatalf("%s %s never applied", id, s.name)
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
		}
	}
	if t.Failed() {
		return
	}
	d.account(ids)
}

// seen reports whether the status timeline shows the action ID applied.
func seen(st workflows.Status, actionID string) bool {
	for _, e := range st.Timeline {
		if len(e.Detail) > 0 && e.Kind != "action.rejected" && strings.Contains(string(e.Detail), `"action_id":"`+actionID+`"`) {
			return true
		}
	}
	return false
}
