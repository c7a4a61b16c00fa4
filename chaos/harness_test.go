package chaos

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/internal/teststack"
	"github.com/svcflow/svcflow/workflows/requests"
)

// drillScale sizes the drills (see scale_*_test.go).
type drillScale struct {
	killLifecycles, killConcurrency int
	killEvery                       time.Duration
	kills                           int // 0 = keep killing until every lifecycle is done
	twoWorkerLifecycles             int
	serviceLifecycles               int // lifecycles in flight while history and matching are killed
	pgLifecycles                    int
	pgOutage                        time.Duration
	serverRequests                  int
	dupRequests                     int
	strictLate                      bool // a deadline met late without a breach fails the drill
}

// TestMain releases the built programs and the shared server after the run.
func TestMain(m *testing.M) { testenv.Main(m, nil) }

// Policy: config/test.yaml with comfortable agent-side targets (kills and
// outages delay actions by seconds) but the normal response at 6s, so
// requests that wait before responding breach it. The customer's
// notifications go to the stack's webhook sink, so the accounting also
// sees what reached a receiver.
var policyEnv = []string{
	"SVCFLOW_SLA_DEADLINES_SHEET_NORMAL=120s",
	"SVCFLOW_SLA_DEADLINES_CONFIRMATION_NORMAL=120s",
	"SVCFLOW_SLA_DEADLINES_REVIEW_NORMAL=120s",
	"SVCFLOW_SLA_DEADLINES_ACCEPTANCE_NORMAL=120s",
	"SVCFLOW_SLA_DEADLINES_REWORK_NORMAL=120s",
	"SVCFLOW_SLA_DEADLINES_FOLLOW_UP_NORMAL=120s",
	"SVCFLOW_SLA_DEADLINES_COMPLAINT_NORMAL=120s",
	"SVCFLOW_SLA_DEADLINES_PROGRESS_REPORT_NORMAL=600s",
	"SVCFLOW_SLA_DEADLINES_DELAY_NOTICE_NORMAL=1m",
	"SVCFLOW_NOTIFY_PARTIES_CUSTOMER=webhook",
	"SVCFLOW_WORKER_LOG_LEVEL=warn",
}

// drill is one drill's stack.
type drill struct {
	*teststack.Stack
	t    *testing.T
	name string
}

// newDrill starts a stack for the drill with workers worker processes;
// o.Env adds SVCFLOW_* overrides to the drill policy.
func newDrill(t *testing.T, name string, workers int, o teststack.Options) *drill {
	t.Helper()
	o.Env = append(append([]string{}, policyEnv...), o.Env...)
	o.Workers, o.Prefix = workers, name
	s := teststack.New(t, o)
	t.Logf("%s on the %s server at %s", name, s.Server.Kind(), s.HostPort)
	return &drill{Stack: s, t: t, name: name}
}

// needCluster skips a drill of one of the real server's services unless
// the run is on it.
func needCluster(t *testing.T) {
	t.Helper()
	testenv.Integration(t, "the real Temporal server")
	if kind, err := testenv.ServerKind(); err != nil || kind != testenv.Cluster {
		t.Skipf("drills a service of the real Temporal server: runs with %s=cluster", testenv.ServerEnv)
	}
}

func (d *drill) id(i int) string { return d.ID(fmt.Sprintf("%04d", i)) }

// ids are the drill's first n request IDs.
func (d *drill) ids(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = d.id(i)
	}
	return ids
}

// start starts a request, retrying while the worker or server is away.
func (d *drill) start(ctx context.Context, id string) error {
	for {
		cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		_, err := d.Requests.Start(cctx, teststack.Request(id))
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("start %s: %w", id, err)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// act sends an action as an update, retrying with the same action ID while
// the worker or a server is away; a request already closed by this very
// action (the answer was lost) counts as done.
func (d *drill) act(ctx context.Context, id string, s teststack.Step, last bool) error {
	for {
		cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		_, err := d.Requests.Update(cctx, id, s.Name, s.Action)
		cancel()
		if err == nil {
			return nil
		}
		var rej *requests.RejectedError
		if errors.As(err, &rej) {
			if last && strings.Contains(rej.Reason, "is closed") {
				return nil
			}
			return fmt.Errorf("%s %s rejected: %w", id, s.Name, err)
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s %s: %w", id, s.Name, err)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// actAll sends the happy path's actions to a started request.
func (d *drill) actAll(ctx context.Context, id string) error {
	steps := teststack.HappyPath(id)
	for i, s := range steps {
		if err := d.act(ctx, id, s, i == len(steps)-1); err != nil {
			return err
		}
	}
	return nil
}

// lifecycle drives one request from start to close; wait > 0 holds the
// first response back that long (to breach the 6s response target).
func (d *drill) lifecycle(ctx context.Context, id string, wait time.Duration) error {
	if err := d.start(ctx, id); err != nil {
		return err
	}
	if wait > 0 {
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return d.actAll(ctx, id)
}

// inFlight runs the lifecycles of ids in the background, c at a time;
// wait returns their errors.
func (d *drill) inFlight(ctx context.Context, ids []string, c int) (wait func() []error) {
	var errs []error
	done := make(chan struct{})
	go func() {
		defer close(done)
		errs = runAll(len(ids), c, func(i int) error { return d.lifecycle(ctx, ids[i], breachWait(i)) })
	}()
	return func() []error { <-done; return errs }
}

// waitUnderWay waits until at least n of the drill's requests responded:
// the lifecycles are recorded and in flight.
func (d *drill) waitUnderWay(ctx context.Context, n int) {
	d.t.Helper()
	err := testenv.Poll(ctx, fmt.Sprintf("%d requests under way", n), func(ctx context.Context) (bool, string, error) {
		var got int
		if err := d.DB.QueryRow(ctx, `SELECT count(*) FROM request_events WHERE kind = 'action.respond'`).Scan(&got); err != nil {
			return false, err.Error(), nil // PostgreSQL may be the thing drilled
		}
		return got >= n, fmt.Sprintf("%d responded", got), nil
	})
	if err != nil {
		d.t.Fatal(err)
	}
}

// report fails the drill on the lifecycles' errors.
func (d *drill) report(errs []error) {
	for _, err := range errs {
		d.t.Error(err)
	}
}

// runAll runs f for n requests with c at a time and returns the errors.
func runAll(n, c int, f func(i int) error) []error {
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	sem := make(chan struct{}, c)
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := f(i); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errs
}
