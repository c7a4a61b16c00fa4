package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/svcflow/svcflow/internal/testenv"
)

func TestStartupFailuresAreOneLine(t *testing.T) {
	clearEnv(t)
	t.Setenv("SVCFLOW_POSTGRES_DSN", "postgres://postgres@"+deadAddr(t)+"/x?sslmode=disable")
	start := time.Now()
	code, _, stderr := runWorker(t, "--connect-wait", "1s", "--log-level", "error")
	if code != 1 || !strings.Contains(stderr, "postgres: cannot reach 127.0.0.1:") || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("PostgreSQL down: exit %d, stderr %q", code, stderr)
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Fatalf("--connect-wait 1s took %s", d)
	}

	t.Setenv("SVCFLOW_POSTGRES_DSN", testenv.NewDatabase(t))
	dead := deadAddr(t)
	t.Setenv("SVCFLOW_TEMPORAL_ADDRESS", dead)
	code, _, stderr = runWorker(t, "--connect-wait", "1s", "--log-level", "error", "--metrics-listen", "127.0.0.1:0")
	if code != 1 || !strings.HasPrefix(stderr, "worker: cannot reach Temporal at "+dead+": ") || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("Temporal down: exit %d, stderr %q", code, stderr)
	}

	code, _, stderr = runWorker(t, "migrate")
	if code != 0 {
		t.Fatalf("migrate: exit %d, stderr %q", code, stderr)
	}
}

// TestWorkerServesAndStopsOnSIGTERM runs the real binary against a dev
// server and a fresh database: it polls its task queue, serves /healthz and
// /metrics, and exits 0 on SIGTERM.
func TestWorkerServesAndStopsOnSIGTERM(t *testing.T) {
	testenv.Integration(t, "a Temporal server and PostgreSQL")
	clearEnv(t)
	bin := buildWorker(t)
	addr := testenv.StartTemporal(t)
	queue := "svcflow-test-" + filepath.Base(t.TempDir())
	cmd := exec.Command(bin, "--log-format", "json", "--metrics-listen", "127.0.0.1:0")
	cmd.Env = append(os.Environ(),
		"SVCFLOW_TEMPORAL_ADDRESS="+addr,
		"SVCFLOW_TEMPORAL_TASK_QUEUE="+queue,
		"SVCFLOW_POSTGRES_DSN="+testenv.NewDatabase(t),
	)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	logs := make(chan map[string]any, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec map[string]any
			if json.Unmarshal(sc.Bytes(), &rec) != nil {
				rec = map[string]any{"msg": "non-JSON line: " + sc.Text()}
			}
			logs <- rec
		}
		close(logs)
		exited <- cmd.Wait()
	}()
	defer cmd.Process.Kill()

	var metricsAddr string
	waitLog := func(msg string) map[string]any {
		t.Helper()
		timeout := time.After(60 * time.Second)
		for {
			select {
			case rec, ok := <-logs:
				if !ok {
					t.Fatalf("worker exited before logging %q: %v", msg, <-exited)
				}
				if strings.HasPrefix(rec["msg"].(string), "non-JSON") {
					t.Errorf("unstructured log line: %v", rec["msg"])
				}
				if rec["msg"] == msg {
					return rec
				}
			case <-timeout:
				t.Fatalf("no log %q within 60s", msg)
			}
		}
	}
	metricsAddr = waitLog("serving /metrics and /healthz")["address"].(string)
	if rec := waitLog("worker polling"); rec["task_queue"] != queue {
		t.Fatalf("polling %v, want %s", rec["task_queue"], queue)
	}

	if code, body := httpGet(t, "http://"+metricsAddr+"/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("/healthz: %d %q", code, body)
	}
	c, err := client.Dial(client.Options{HostPort: addr})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waitPoller(t, c, queue)
	if _, body := httpGet(t, "http://"+metricsAddr+"/metrics"); !strings.Contains(body, "temporal_") {
		t.Fatalf("/metrics has no Temporal SDK metric:\n%.2000s", body)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitLog("worker stopped")
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("worker did not exit within 30s of SIGTERM")
	}
}

var built struct {
	once sync.Once
	path string
	err  error
}

// buildWorker builds this program once per test run.
func buildWorker(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "svcflow-worker-test-")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "worker")
		if out, err := exec.Command("go", "build", "-o", built.path, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

func TestSignalDuringStartupExitsZero(t *testing.T) {
	clearEnv(t)
	bin := buildWorker(t)
	cmd := exec.Command(bin, "--log-format", "json", "--connect-wait", "60s")
	cmd.Env = append(os.Environ(), "SVCFLOW_POSTGRES_DSN=postgres://postgres@"+deadAddr(t)+"/x?sslmode=disable")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(stderr)
	var sawRetry, sawStop bool
	for sc.Scan() {
		line := sc.Text()
		if !sawRetry && strings.Contains(line, "PostgreSQL not reachable yet") {
			sawRetry = true
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
		}
		sawStop = sawStop || strings.Contains(line, "stopped by signal during startup")
	}
	if err := cmd.Wait(); err != nil || !sawRetry || !sawStop {
		t.Fatalf("exit %v, saw retry %v, saw stop %v", err, sawRetry, sawStop)
	}
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitPoller waits until the server sees a workflow poller on queue.
func waitPoller(t *testing.T, c client.Client, queue string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		resp, err := c.WorkflowService().DescribeTaskQueue(ctx, &workflowservice.DescribeTaskQueueRequest{
			Namespace:     "default",
			TaskQueue:     &taskqueuepb.TaskQueue{Name: queue, Kind: enumspb.TASK_QUEUE_KIND_NORMAL},
			TaskQueueType: enumspb.TASK_QUEUE_TYPE_WORKFLOW,
		})
		if err == nil && len(resp.GetPollers()) > 0 {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no poller on %s within 30s (last error %v)", queue, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
