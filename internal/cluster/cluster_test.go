package cluster_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/svcflow/svcflow/internal/cluster"
	"github.com/svcflow/svcflow/internal/searchattr"
	"github.com/svcflow/svcflow/internal/testenv"
)

const maxConns = 2

func greet(_ workflow.Context, name string) (string, error) { return "hello " + name, nil }

// startCluster starts a cluster with fresh databases on the binaries make
// cluster-bins built; it skips under -short and when PostgreSQL does not
// answer.
func startCluster(t *testing.T) *cluster.Cluster {
	t.Helper()
	testenv.Integration(t, "PostgreSQL and the real Temporal server's binaries")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	admin := testenv.AdminDSN()
	pingCtx, pingCancel := context.WithTimeout(ctx, 5*time.Second)
	conn, err := pgx.Connect(pingCtx, admin)
	pingCancel()
	if err != nil {
		t.Skipf("PostgreSQL is not reachable at %s (%v); start it with %s or set %s", redacted(admin), err, testenv.StartCommand, testenv.AdminDSNEnv)
	}
	conn.Close(ctx)
	bins, err := testenv.ClusterBinaries() // make cluster-bins; tests never build them
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	c, err := cluster.Start(ctx, cluster.Options{AdminDSN: admin, Dir: t.TempDir(), Binaries: bins, MaxConns: maxConns})
	if errors.Is(err, cluster.ErrPostgresUnreachable) {
		t.Skipf("PostgreSQL is not reachable: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cluster up in %s: frontend %s, databases %v", time.Since(began).Round(100*time.Millisecond), c.HostPort(), c.Databases())
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Error(err)
		}
	})
	return c
}

func redacted(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 && strings.Contains(dsn[:i], ":") {
		if j := strings.Index(dsn, "://"); j >= 0 {
			return dsn[:j+3] + "xxxxx" + dsn[i:]
		}
	}
	return dsn
}

func TestClusterRunsWorkflowsSurvivesHistoryKillAndStopsClean(t *testing.T) {
	c := startCluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	cl, err := client.Dial(client.Options{HostPort: c.HostPort(), Namespace: c.Namespace()})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	const queue = "cluster-test"
	w := worker.New(cl, queue, worker.Options{})
	w.RegisterWorkflowWithOptions(greet, workflow.RegisterOptions{Name: "Greet"})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	run := func(id string, limit time.Duration) error {
		ctx, cancel := context.WithTimeout(ctx, limit)
		defer cancel()
		wr, err := cl.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: id, TaskQueue: queue,
			TypedSearchAttributes: temporal.NewSearchAttributes(searchattr.RequestID.ValueSet(id)),
		}, "Greet", id)
		if err != nil {
			return err
		}
		var got string
		if err := wr.Get(ctx, &got); err != nil {
			return err
		}
		if got != "hello "+id {
			return fmt.Errorf("workflow %s returned %q", id, got)
		}
		return nil
	}
	listed := func(id string) {
		t.Helper()
		q := searchattr.RequestID.GetName() + ` = "` + id + `"`
		deadline := time.Now().Add(30 * time.Second)
		for {
			resp, err := cl.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: c.Namespace(), Query: q})
			if err == nil && len(resp.GetExecutions()) == 1 && resp.GetExecutions()[0].GetExecution().GetWorkflowId() == id {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("list %q: %v, %d executions", q, err, len(resp.GetExecutions()))
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	if err := run("before-kill", 30*time.Second); err != nil {
		t.Fatal(err)
	}
	listed("before-kill")

	n, err := c.Connections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("PostgreSQL connections held by the cluster: %d (MaxConns %d)", n, maxConns)
	if limit := len(cluster.Services()) * 2 * maxConns; n == 0 || n > limit {
		t.Errorf("cluster holds %d connections; want 1..%d (4 services × 2 databases × MaxConns)", n, limit)
	}

	url, err := c.StartUI(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(url + "/api/v1/namespaces/" + c.Namespace())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"`+c.Namespace()+`"`) {
		t.Fatalf("UI server %s: namespace %s: %s %s", url, c.Namespace(), resp.Status, body)
	}

	if err := c.KillService(cluster.History); err != nil {
		t.Fatal(err)
	}
	if err := run("history-down", 3*time.Second); err == nil {
		t.Fatal("a workflow ran with the history service killed; the kill did not happen")
	} else {
		t.Logf("with history killed: %v", err)
	}
	began := time.Now()
	if err := c.StartService(ctx, cluster.History); err != nil {
		t.Fatal(err)
	}
	t.Logf("history serving again %s after its restart", time.Since(began).Round(100*time.Millisecond))
	if err := run("after-restart", 60*time.Second); err != nil {
		t.Fatal(err)
	}
	listed("after-restart")

	// The frontend too: clients reconnect to the same address.
	if err := c.KillService(cluster.Frontend); err != nil {
		t.Fatal(err)
	}
	if err := c.Exited(); err == nil || !strings.Contains(err.Error(), "frontend") {
		t.Fatalf("Exited after killing the frontend: %v", err)
	}
	if err := c.StartService(ctx, cluster.Frontend); err != nil {
		t.Fatal(err)
	}
	if err := c.StartService(ctx, cluster.Frontend); err == nil || !strings.Contains(err.Error(), "already running") {
		t.Fatalf("starting a running frontend: %v", err)
	}
	if err := run("after-frontend-restart", 60*time.Second); err != nil {
		t.Fatal(err)
	}

	w.Stop()
	cl.Close()
	dbs := c.Databases()
	began = time.Now()
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	t.Logf("stopped in %s", time.Since(began).Round(100*time.Millisecond))
	if conn, err := net.DialTimeout("tcp", c.HostPort(), time.Second); err == nil {
		conn.Close()
		t.Errorf("frontend %s still answers after Stop", c.HostPort())
	}
	admin, err := pgx.Connect(ctx, testenv.AdminDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var left []string
	rows, err := admin.Query(ctx, "SELECT datname FROM pg_database WHERE datname = ANY($1)", []string{dbs.Main, dbs.Visibility})
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		left = append(left, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("databases left after Stop: %v", left)
	}
}
