package chaos

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/svcflow/svcflow/internal/proctest"
	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/workflows"
	"github.com/svcflow/svcflow/workflows/requests"
)

// drillScale sizes the drills (see scale_*_test.go).
type drillScale struct {
	killLifecycles, killConcurrency int
	killEvery                       time.Duration
	kills                           int // 0 = keep killing until every lifecycle is done
	pgLifecycles                    int
	pgOutage                        time.Duration
	serverRequests                  int
	dupRequests                     int
	strictLate                      bool // a deadline met late without a breach fails the drill
}

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	testenv.StopTemporal()
	if binDir != "" {
		_ = os.RemoveAll(filepath.Dir(binDir))
	}
	os.Exit(code)
}

// workerBin builds the worker once per test binary.
func workerBin(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "svcflow-chaos-")
		if err != nil {
			buildErr = err
			return
		}
		binDir = filepath.Join(dir, "bin")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		buildErr = proctest.Build(ctx, binDir, "./worker")
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(binDir, "worker")
}

// Policy: config/test.yaml with comfortable agent-side targets (kills and
// outages delay actions by seconds) but the normal response at 6s, so
// requests that wait before responding breach it.
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
	"SVCFLOW_WORKER_LOG_LEVEL=warn",
}

// drill is one drill's servers, worker and client.
type drill struct {
	t        *testing.T
	name     string
	dir      string
	hostPort string
	dsn      string
	db       *pgxpool.Pool
	w        proctest.Worker
	mu       sync.Mutex
	proc     *proctest.Proc
	c        client.Client
	req      *requests.Requests
	prefix   string
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newDrill prepares a drill on dev (which must be started) and the
// database dsn; extraEnv adds SVCFLOW_* overrides for the worker.
func newDrill(t *testing.T, name, hostPort, dsn string, extraEnv ...string) *drill {
	t.Helper()
	d := &drill{t: t, name: name, dir: t.TempDir(), hostPort: hostPort, dsn: dsn, prefix: name + randomHex(3)}
	pool, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	d.db = pool
	d.w = proctest.Worker{
		Bin: workerBin(t), Config: filepath.Join(testenv.RepoRoot(), "config", "test.yaml"), HostPort: hostPort,
		TaskQueue: "chaos-" + d.prefix, DSN: dsn, Env: append(append([]string{}, policyEnv...), extraEnv...),
		LogPath: filepath.Join(d.dir, "worker.log"),
	}
	c, err := client.Dial(client.Options{HostPort: hostPort, Namespace: "default", Logger: proctest.QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	d.c = c
	d.req = &requests.Requests{Client: c, Namespace: "default", TaskQueue: d.w.TaskQueue}
	t.Cleanup(func() {
		d.mu.Lock()
		p := d.proc
		d.mu.Unlock()
		if p != nil {
			p.Stop(15 * time.Second)
		}
		if t.Failed() {
			t.Logf("%s worker log (tail):\n%s", name, proctest.Tail(d.w.LogPath, 5000))
		}
	})
	return d
}

// startWorker starts (or restarts) the worker and waits for /healthz.
func (d *drill) startWorker() {
	d.t.Helper()
	p, _, err := d.w.Start(90 * time.Second)
	if err != nil {
		d.t.Fatal(err)
	}
	d.mu.Lock()
	d.proc = p
	d.mu.Unlock()
}

// killWorker SIGKILLs the worker.
func (d *drill) killWorker() {
	d.mu.Lock()
	p := d.proc
	d.mu.Unlock()
	if p != nil {
		p.Kill()
	}
}

func (d *drill) id(i int) string { return fmt.Sprintf("%s-%04d", d.prefix, i) }

func request(id string) workflows.Request {
	return workflows.Request{
		RequestID: id,
		Customer:  workflows.Customer{ID: "cust-" + id, Name: "Chaos Customer", Email: "chaos@example.com", Tier: "standard", Locale: "en"},
		Channel:   "web", Category: "printer", Priority: "normal",
		Title: "Printer jams", Description: "Paper jams on every second page.",
	}
}

// start starts a request, retrying while the worker or server is away.
func (d *drill) start(ctx context.Context, id string) error {
	for {
		cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		_, err := d.req.Start(cctx, request(id))
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

type step struct {
	name string
	a    workflows.Action
}

// happySteps are the actions of a non-complex request's happy path, each
// with an action ID so a retried delivery is applied once.
func happySteps(id string) []step {
	due := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Second)
	solved := true
	aid := func(s string) string { return id + "-" + s }
	return []step{
		{workflows.ActionRespond, workflows.Action{ActionID: aid("respond"), Actor: "agent"}},
		{workflows.ActionSubmitSheet, workflows.Action{ActionID: aid("sheet"), Actor: "agent", Description: "replace the roller", Goal: "no jams", ExpectedDelivery: &due}},
		{workflows.ActionConfirmSheet, workflows.Action{ActionID: aid("confirm"), Actor: "customer"}},
		{workflows.ActionAgreePlan, workflows.Action{ActionID: aid("agree"), Actor: "customer"}},
		{workflows.ActionProgress, workflows.Action{ActionID: aid("progress"), Actor: "agent", Note: "parts ordered"}},
		{workflows.ActionDeliver, workflows.Action{ActionID: aid("deliver"), Actor: "agent"}},
		{workflows.ActionAcceptDelivery, workflows.Action{ActionID: aid("accept"), Actor: "customer"}},
		{workflows.ActionRecordFollowUp, workflows.Action{ActionID: aid("followup"), Actor: "agent", ResponseSpeed: 5, Resolution: 4, Attitude: 5, Professionalism: 5, Solved: &solved}},
	}
}

// happyActions are the action event kinds every completed lifecycle has once.
var happyActions = []string{"action.respond", "action.submit_sheet", "action.confirm_sheet", "action.agree_plan", "action.progress", "action.deliver", "action.accept_delivery", "action.record_follow_up"}

// act sends an action as an update, retrying with the same action ID while
// the worker or a server is away; a request already closed by this very
// action (the answer was lost) counts as done.
func (d *drill) act(ctx context.Context, id string, s step, last bool) error {
	for {
		cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		_, err := d.req.Update(cctx, id, s.name, s.a)
		cancel()
		if err == nil {
			return nil
		}
		var rej *requests.RejectedError
		if errors.As(err, &rej) {
			if last && strings.Contains(rej.Reason, "is closed") {
				return nil
			}
			return fmt.Errorf("%s %s rejected: %w", id, s.name, err)
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s %s: %w", id, s.name, err)
		}
		time.Sleep(300 * time.Millisecond)
	}
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
	steps := happySteps(id)
	for i, s := range steps {
		if err := d.act(ctx, id, s, i == len(steps)-1); err != nil {
			return err
		}
	}
	return nil
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
