package chaos

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/cluster"
	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/internal/teststack"
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
	d := newDrill(t, "kill", 1, teststack.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()

	done := make(chan struct{})
	var kills atomic.Int32
	var killerErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		w := d.Worker()
		for {
			select {
			case <-done:
				return
			case <-time.After(scale.killEvery):
			}
			w.Kill()
			kills.Add(1)
			if killerErr = w.Restart(ctx); killerErr != nil {
				return
			}
			if scale.kills > 0 && int(kills.Load()) >= scale.kills {
				return
			}
		}
	}()
	ids := d.ids(scale.killLifecycles)
	t0 := time.Now()
	errs := runAll(len(ids), scale.killConcurrency, func(i int) error { return d.lifecycle(ctx, ids[i], breachWait(i)) })
	close(done)
	wg.Wait()
	if killerErr != nil {
		t.Fatalf("restarting the worker: %v", killerErr)
	}
	if d.report(errs); t.Failed() {
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

// TestOneOfTwoWorkersKilled runs two workers on the task queue and
// SIGKILLs one for good with lifecycles in flight: the other takes over
// its workflows (sticky queues time out) and every lifecycle completes.
func TestOneOfTwoWorkersKilled(t *testing.T) {
	t.Parallel()
	d := newDrill(t, "twoworkers", 2, teststack.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ids := d.ids(scale.twoWorkerLifecycles)
	wait := d.inFlight(ctx, ids, len(ids))
	d.waitUnderWay(ctx, len(ids)/3)
	d.Workers()[1].Kill()
	t.Logf("worker 2 of 2 killed with lifecycles in flight")
	if d.report(wait()); t.Failed() {
		return
	}
	d.account(ids)
}

// TestHistoryAndMatchingKilled drills the real server: with lifecycles in
// flight the history service is SIGKILLed and restarted, then the matching
// service; every lifecycle completes, nothing is lost or doubled.
func TestHistoryAndMatchingKilled(t *testing.T) {
	needCluster(t)
	srv := testenv.NewServer(t, testenv.Cluster, testenv.ServerOptions{}).(*testenv.ClusterServer)
	d := newDrill(t, "services", 1, teststack.Options{Server: srv})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ids := d.ids(scale.serviceLifecycles)
	wait := d.inFlight(ctx, ids, len(ids))
	for i, svc := range []cluster.Service{cluster.History, cluster.Matching} {
		d.waitUnderWay(ctx, (i+1)*len(ids)/3)
		if err := srv.Cluster().KillService(svc); err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		if err := srv.Cluster().StartService(ctx, svc); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s SIGKILLed with lifecycles in flight, serving again after %s", svc, time.Since(t0).Round(100*time.Millisecond))
	}
	if d.report(wait()); t.Failed() {
		return
	}
	d.account(ids)
}

// TestPostgresOutage stops a private PostgreSQL cluster mid-run and starts
// it again: activities retry, every lifecycle completes, nothing is lost
// or partial. On the real server its databases are on that PostgreSQL
// too, so the server loses its persistence and visibility stores as well.
func TestPostgresOutage(t *testing.T) {
	pg := testenv.NewPGCluster(t)
	o := teststack.Options{AdminDSN: pg.AdminDSN}
	if kind, err := testenv.ServerKind(); err != nil {
		t.Fatal(err)
	} else if kind == testenv.Cluster {
		o.Server = testenv.NewServer(t, testenv.Cluster, testenv.ServerOptions{AdminDSN: pg.AdminDSN})
	} else {
		t.Parallel()
	}
	d := newDrill(t, "pgdown", 1, o)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ids := d.ids(scale.pgLifecycles)
	wait := d.inFlight(ctx, ids, len(ids))
	d.waitUnderWay(ctx, len(ids)/2)
	if err := pg.Stop(); err != nil {
		t.Fatal(err)
	}
	t.Logf("PostgreSQL stopped for %s", scale.pgOutage)
	time.Sleep(scale.pgOutage) // the outage itself: nothing to await
	if err := pg.Start(); err != nil {
		t.Fatal(err)
	}
	if d.report(wait()); t.Failed() {
		return
	}
	d.account(ids)
}

// TestServerRestart restarts the Temporal server while requests wait on
// their response timers (the dev server on its database file; the real
// server one service after another): the timers still fire and the
// workflows go on to complete.
func TestServerRestart(t *testing.T) {
	kind, err := testenv.ServerKind()
	if err != nil {
		t.Fatal(err)
	}
	srv := testenv.NewServer(t, kind, testenv.ServerOptions{Persistent: true})
	d := newDrill(t, "restart", 1, teststack.Options{Server: srv, Env: []string{"SVCFLOW_SLA_DEADLINES_RESPONSE_NORMAL=10s"}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ids := d.ids(scale.serverRequests)
	for _, id := range ids {
		if err := d.start(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Now()
	if err := srv.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s server restarted in %s", kind, time.Since(t0).Round(time.Millisecond))
	// The response timers (10s) fire after (or during) the restart: each breaches.
	for _, id := range ids {
		err := testenv.Poll(ctx, id+": response breached after the restart", func(ctx context.Context) (bool, string, error) {
			var breached bool
			err := d.DB.QueryRow(ctx, `SELECT breached_at IS NOT NULL FROM sla_deadlines WHERE request_id = $1 AND name = 'response' AND instance = 1`, id).Scan(&breached)
			return err == nil && breached, "", nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if d.report(runAll(len(ids), len(ids), func(i int) error { return d.actAll(ctx, ids[i]) })); t.Failed() {
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
	d := newDrill(t, "dup", 1, teststack.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ids := d.ids(scale.dupRequests)
	for _, id := range ids {
		var created atomic.Int32
		runIDs := make([]string, 6)
		for _, err := range runAll(6, 6, func(k int) error {
			res, err := d.Requests.Start(ctx, teststack.Request(id))
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
		for _, s := range teststack.HappyPath(id) {
			// The same action ID three times over updates and three times
			// over signals, all at once.
			var accepted, duplicate atomic.Int32
			errs := runAll(6, 6, func(k int) error {
				if k%2 == 1 {
					return d.Client.SignalWorkflow(ctx, workflows.WorkflowID(id), "", s.Name, s.Action)
				}
				res, err := d.Requests.Update(ctx, id, s.Name, s.Action)
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
				if s.Name != workflows.ActionRecordFollowUp { // closed by then
					t.Errorf("%s %s: %v", id, s.Name, err)
				}
			}
			// The workflow keeps the action IDs: one update is accepted, every
			// other answers "duplicate"; the accounting below checks the action
			// was applied once.
			if accepted.Load() > 1 {
				t.Errorf("%s %s: %d updates with one action_id accepted, want at most 1", id, s.Name, accepted.Load())
			}
			if accepted.Load()+duplicate.Load() == 0 && s.Name != workflows.ActionRecordFollowUp {
				t.Errorf("%s %s: no update answered", id, s.Name)
			}
			// Wait until the action took effect before the next one.
			if s.Name != workflows.ActionRecordFollowUp {
				err := testenv.Poll(ctx, id+" "+s.Name+" applied", func(ctx context.Context) (bool, string, error) {
					st, err := d.Requests.Status(ctx, id)
					return err == nil && seen(st, s.Action.ActionID), "", nil
				})
				if err != nil {
					t.Fatal(err)
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
