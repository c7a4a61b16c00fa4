package cluster

// This file waits for the services to serve and registers the namespace
// and the search attributes.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/svcflow/svcflow/internal/proc"
	"github.com/svcflow/svcflow/internal/searchattr"
)

// healthName is the gRPC health service each service reports SERVING on
// (history: once it owns its shards). The worker service has no gRPC
// server: it is ready once it has joined the membership.
var healthName = map[Service]string{
	Frontend: "temporal.api.workflowservice.v1.WorkflowService",
	History:  "temporal.api.workflowservice.v1.HistoryService",
	Matching: "temporal.api.workflowservice.v1.MatchingService",
}

// probeID names the workflow and task queue the readiness probes ask about
// (they need not exist).
const probeID = "svcflow-cluster-probe"

const pollEvery = 200 * time.Millisecond

// retry calls f until it returns nil or a permanent error, the service
// processes exit, or ctx ends; what names the step in the error.
func (c *Cluster) retry(ctx context.Context, what string, f func(context.Context) (permanent bool, err error)) error {
	var last error
	for {
		if err := c.exited(); err != nil {
			return fmt.Errorf("cluster: %s: %w", what, err)
		}
		callCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		permanent, err := f(callCtx)
		cancel()
		if err == nil {
			return nil
		}
		if permanent {
			return fmt.Errorf("cluster: %s: %w", what, err)
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("cluster: %s: not done in time: %v (logs in %s)", what, last, c.opts.Dir)
		case <-time.After(pollEvery):
		}
	}
}

// exited reports a service process that has ended, with the last error
// its log shows.
func (c *Cluster) exited() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range Services() {
		if sp := c.procs[s]; sp != nil && sp.proc.Exited() {
			return fmt.Errorf("service %s exited (%v): %s (log %s)", s, sp.proc.Wait(), lastLogError(sp.proc.Log), sp.proc.Log)
		}
	}
	return nil
}

// lastLogError is the message and error of the last error-level line of a
// server log (JSON lines), else its last line, on one line and shortened.
func lastLogError(path string) string {
	lines := strings.Split(strings.TrimSpace(proc.Tail(path, 64<<10)), "\n")
	found := lines[len(lines)-1]
	for i := len(lines) - 1; i >= 0; i-- {
		var entry struct{ Level, Msg, Error string }
		if json.Unmarshal([]byte(lines[i]), &entry) == nil && (entry.Level == "error" || entry.Level == "fatal" || entry.Level == "panic") {
			found = strings.TrimSuffix(entry.Msg+": "+entry.Error, ": ")
			break
		}
	}
	if len(found) > 400 {
		found = found[:400] + "..."
	}
	return found
}

// waitClusterMetadata waits until a process has written the cluster metadata.
func (c *Cluster) waitClusterMetadata(ctx context.Context) error {
	conn, err := connectAdmin(ctx, c.adminCfg, c.opts.Databases.Main)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return c.retry(ctx, "cluster metadata written", func(ctx context.Context) (bool, error) {
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM cluster_metadata_info").Scan(&n); err != nil {
			return true, fmt.Errorf("read cluster_metadata_info: %w", err)
		}
		if n == 0 {
			return false, errors.New("no row yet")
		}
		return false, nil
	})
}

// waitService waits until s serves (health SERVING, or for the worker
// service its new membership record).
func (c *Cluster) waitService(ctx context.Context, s Service) error {
	c.mu.Lock()
	sp := c.procs[s]
	c.mu.Unlock()
	if sp == nil {
		return fmt.Errorf("cluster: %s: not started", s)
	}
	ports := c.opts.Ports.of(s)
	if s == Worker {
		conn, err := connectAdmin(ctx, c.adminCfg, c.opts.Databases.Main)
		if err != nil {
			return err
		}
		defer conn.Close(context.Background())
		return c.retry(ctx, "worker service joining the membership", func(ctx context.Context) (bool, error) {
			hosts, err := membershipHosts(ctx, conn, ports.Membership)
			if err != nil {
				return false, err
			}
			for h := range hosts {
				if !sp.knownHosts[h] {
					return false, nil
				}
			}
			return false, fmt.Errorf("no new membership record on port %d", ports.Membership)
		})
	}
	conn, err := grpc.NewClient(net.JoinHostPort("127.0.0.1", strconv.Itoa(ports.GRPC)), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return fmt.Errorf("cluster: %s health: %w", s, err)
	}
	defer conn.Close()
	health := healthpb.NewHealthClient(conn)
	return c.retry(ctx, string(s)+" serving", func(ctx context.Context) (bool, error) {
		resp, err := health.Check(ctx, &healthpb.HealthCheckRequest{Service: healthName[s]})
		if err != nil {
			return false, err
		}
		if resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			return false, fmt.Errorf("health %s", resp.GetStatus())
		}
		return false, nil
	})
}

// membershipHosts are the host IDs recorded on a membership port.
func membershipHosts(ctx context.Context, conn *pgx.Conn, port int) (map[string]bool, error) {
	rows, err := conn.Query(ctx, "SELECT encode(host_id, 'hex') FROM cluster_membership WHERE rpc_port = $1", port)
	if err != nil {
		return nil, fmt.Errorf("cluster: read cluster_membership: %w", err)
	}
	hosts := map[string]bool{}
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		hosts[h] = true
	}
	return hosts, rows.Err()
}

// dial connects an SDK client to the frontend (retrying until it answers).
func (c *Cluster) dial(ctx context.Context) (client.Client, error) {
	var cl client.Client
	err := c.retry(ctx, "dial the frontend", func(ctx context.Context) (bool, error) {
		var err error
		cl, err = client.DialContext(ctx, client.Options{
			HostPort: c.HostPort(), Namespace: c.opts.Namespace,
			Logger: tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)),
		})
		return false, err
	})
	return cl, err
}

// register creates the namespace (if missing) and the CONTRACT §7 search
// attributes, retrying while the frontend is not really serving yet.
func (c *Cluster) register(ctx context.Context) error {
	cl, err := c.dial(ctx)
	if err != nil {
		return err
	}
	defer cl.Close()
	err = c.retry(ctx, "register namespace "+c.opts.Namespace, func(ctx context.Context) (bool, error) {
		_, err := cl.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
			Namespace:                        c.opts.Namespace,
			WorkflowExecutionRetentionPeriod: durationpb.New(c.opts.Retention),
		})
		var exists *serviceerror.NamespaceAlreadyExists
		if err == nil || errors.As(err, &exists) {
			return false, nil
		}
		return false, err
	})
	if err != nil {
		return err
	}
	return c.retry(ctx, "register search attributes", func(ctx context.Context) (bool, error) {
		err := searchattr.EnsureRegistered(ctx, cl, c.opts.Namespace)
		var se serviceerror.ServiceError
		// Errors of the server are retried; others (an attribute of the wrong type) are final.
		return err != nil && !errors.As(err, &se) && ctx.Err() == nil, err
	})
}

// probe waits until the namespace is known to every service that a
// workflow needs: history (a workflow lookup answers NotFound rather than
// NamespaceNotFound), matching (a task queue description) and visibility
// (a search-attribute query).
func (c *Cluster) probe(ctx context.Context) error {
	cl, err := c.dial(ctx)
	if err != nil {
		return err
	}
	defer cl.Close()
	ns, ws := c.opts.Namespace, cl.WorkflowService()
	steps := []struct {
		what string
		call func(context.Context) error
	}{
		{"history knows namespace " + ns, func(ctx context.Context) error {
			_, err := ws.DescribeWorkflowExecution(ctx, &workflowservice.DescribeWorkflowExecutionRequest{
				Namespace: ns, Execution: &commonpb.WorkflowExecution{WorkflowId: probeID},
			})
			var nf *serviceerror.NotFound
			if errors.As(err, &nf) {
				return nil
			}
			if err == nil {
				return nil // someone runs a workflow of that ID: history answered
			}
			return err
		}},
		{"matching knows namespace " + ns, func(ctx context.Context) error {
			_, err := ws.DescribeTaskQueue(ctx, &workflowservice.DescribeTaskQueueRequest{
				Namespace: ns, TaskQueue: &taskqueuepb.TaskQueue{Name: probeID, Kind: enumspb.TASK_QUEUE_KIND_NORMAL},
				TaskQueueType: enumspb.TASK_QUEUE_TYPE_WORKFLOW,
			})
			return err
		}},
		{"visibility answers a search-attribute query", func(ctx context.Context) error {
			_, err := ws.ListWorkflowExecutions(ctx, &workflowservice.ListWorkflowExecutionsRequest{
				Namespace: ns, PageSize: 1, Query: searchattr.RequestID.GetName() + ` = "` + probeID + `"`,
			})
			return err
		}},
	}
	for _, st := range steps {
		if err := c.retry(ctx, st.what, func(ctx context.Context) (bool, error) { return false, st.call(ctx) }); err != nil {
			return err
		}
	}
	return nil
}
