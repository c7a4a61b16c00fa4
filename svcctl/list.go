package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/svcflow/svcflow/internal/cli"
	"github.com/svcflow/svcflow/internal/searchattr"
	"github.com/svcflow/svcflow/workflows"
	"github.com/svcflow/svcflow/workflows/requests"
)

// listOptions are the filters of svcctl list.
type listOptions struct {
	stage, group, tier, priority, dueBefore string
	breached                                bool
	limit                                   int
}

// listed is one request of svcctl list (--json prints these).
type listed struct {
	WorkflowID      string     `json:"workflow_id"`
	RunID           string     `json:"run_id"`
	RequestID       string     `json:"request_id"`
	Title           string     `json:"title,omitempty"`
	Customer        string     `json:"customer,omitempty"`
	Policy          string     `json:"sla_policy,omitempty"`
	Status          string     `json:"status"` // running, completed, ...
	Stage           string     `json:"stage"`
	Priority        string     `json:"priority"`
	Tier            string     `json:"tier"`
	CustomerID      string     `json:"customer_id"`
	Group           string     `json:"group"`
	SlaBreached     bool       `json:"sla_breached"`
	EscalationLevel int64      `json:"escalation_level"`
	NextDeadline    *time.Time `json:"next_deadline,omitempty"`
	StartTime       time.Time  `json:"start_time"`
	CloseTime       *time.Time `json:"close_time,omitempty"`
}

func newListCmd(a *app) *cobra.Command {
	var o listOptions
	cmd := &cobra.Command{
		Use:   "list [--stage S] [--group G] [--tier T] [--priority P] [--breached] [--due-before TIME] [--limit N]",
		Short: "List requests through Temporal visibility (search attributes)",
		Example: `  svcctl list --stage in_progress
  svcctl list --breached --tier vip --json
  svcctl list --due-before 2026-11-24T18:00:00+08:00`,
		Args: cobra.NoArgs,
		RunE: cli.RunE(func(cmd *cobra.Command, _ []string) error {
			query, err := o.query(cmd)
			if err != nil {
				return err
			}
			ctx, cancel := a.context(cmd)
			defer cancel()
			cfg, rq, err := a.dial(ctx, cmd)
			if err != nil {
				return err
			}
			defer rq.Client.Close()
			var rows []listed
			var token []byte
			for len(rows) < o.limit {
				resp, err := rq.Client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
					Namespace:     cfg.Temporal.Namespace,
					PageSize:      int32(min(o.limit-len(rows), 1000)),
					NextPageToken: token,
					Query:         query,
				})
				if err != nil {
					return fmt.Errorf("list (query %s): %w", query, err)
				}
				for _, e := range resp.GetExecutions() {
					r := listedOf(e.GetExecution(), e.GetStatus(), e.GetSearchAttributes(), e.GetStartTime().AsTime(), e.GetCloseTime())
					memo := e.GetMemo().GetFields()
					for field, dst := range map[string]*string{requests.MemoTitle: &r.Title, requests.MemoCustomer: &r.Customer} {
						if p, ok := memo[field]; ok {
							_ = converter.GetDefaultDataConverter().FromPayload(p, dst)
						}
					}
					rows = append(rows, r)
				}
				if token = resp.GetNextPageToken(); len(token) == 0 {
					break
				}
			}
			if len(rows) > o.limit {
				rows = rows[:o.limit]
			}
			out := cmd.OutOrStdout()
			if a.json {
				if rows == nil {
					rows = []listed{}
				}
				return cli.PrintJSON(out, rows)
			}
			loc := time.Local
			if l, err := time.LoadLocation(cfg.Calendar.Timezone); err == nil {
				loc = l
			}
			t := newTable(out, "REQUEST", "TITLE", "CUSTOMER", "STATUS", "STAGE", "PRIORITY", "TIER", "GROUP", "POLICY", "BREACHED", "ESC", "NEXT DEADLINE")
			for _, r := range rows {
				t.row(r.WorkflowID, orDash(cut(r.Title, 40)), orDash(cut(r.Customer, 24)), r.Status, orDash(r.Stage), orDash(r.Priority), orDash(r.Tier), orDash(r.Group),
					orDash(r.Policy), fmt.Sprint(r.SlaBreached), fmt.Sprint(r.EscalationLevel), fmtTime(r.NextDeadline, loc))
			}
			if err := t.flush(); err != nil {
				return err
			}
			fmt.Fprintf(out, "%d request(s)\n", len(rows))
			return nil
		}),
	}
	f := cmd.Flags()
	f.StringVar(&o.stage, "stage", "", "stage: "+strings.Join(workflows.Stages, "|"))
	f.StringVar(&o.group, "group", "", "assigned service group")
	f.StringVar(&o.tier, "tier", "", "customer tier: vip|standard")
	f.StringVar(&o.priority, "priority", "", "priority: urgent|normal")
	f.BoolVar(&o.breached, "breached", false, "only requests with a breached SLA")
	f.StringVar(&o.dueBefore, "due-before", "", "only requests whose next deadline is before this time (RFC 3339)")
	f.IntVar(&o.limit, "limit", 100, "at most this many requests")
	return cmd
}

// query builds the visibility query of the filters.
func (o *listOptions) query(cmd *cobra.Command) (string, error) {
	q := []string{fmt.Sprintf("WorkflowType = '%s'", workflows.WorkflowType)}
	if o.limit <= 0 {
		return "", cli.Failf("--limit %d: must be positive", o.limit)
	}
	if o.stage != "" {
		if !slices.Contains(workflows.Stages, o.stage) {
			return "", cli.Failf("--stage %q: must be one of %s", o.stage, strings.Join(workflows.Stages, ", "))
		}
		q = append(q, fmt.Sprintf("%s = '%s'", searchattr.Stage.GetName(), o.stage))
	}
	if o.group != "" {
		if strings.ContainsAny(o.group, `'"\`) {
			return "", cli.Failf("--group %q: must not contain quotes or backslashes", o.group)
		}
		q = append(q, fmt.Sprintf("%s = '%s'", searchattr.AssignedGroup.GetName(), o.group))
	}
	if o.tier != "" {
		if o.tier != "vip" && o.tier != "standard" {
			return "", cli.Failf("--tier %q: must be vip or standard", o.tier)
		}
		q = append(q, fmt.Sprintf("%s = '%s'", searchattr.CustomerTier.GetName(), o.tier))
	}
	if o.priority != "" {
		if o.priority != "urgent" && o.priority != "normal" {
			return "", cli.Failf("--priority %q: must be urgent or normal", o.priority)
		}
		q = append(q, fmt.Sprintf("%s = '%s'", searchattr.Priority.GetName(), o.priority))
	}
	if cmd.Flags().Changed("breached") {
		q = append(q, fmt.Sprintf("%s = %t", searchattr.SlaBreached.GetName(), o.breached))
	}
	if o.dueBefore != "" {
		t, err := time.Parse(time.RFC3339, o.dueBefore)
		if err != nil {
			return "", cli.Failf("--due-before %q: not an RFC 3339 time", o.dueBefore)
		}
		q = append(q, fmt.Sprintf("%s < '%s'", searchattr.NextDeadline.GetName(), t.UTC().Format(time.RFC3339Nano)))
	}
	return strings.Join(q, " AND "), nil
}

// listedOf reads one execution's search attributes.
func listedOf(ex *commonpb.WorkflowExecution, status enumspb.WorkflowExecutionStatus, sa *commonpb.SearchAttributes, start time.Time, closeTime *timestamppb.Timestamp) listed {
	r := listed{
		WorkflowID: ex.GetWorkflowId(),
		RunID:      ex.GetRunId(),
		RequestID:  strings.TrimPrefix(ex.GetWorkflowId(), workflows.WorkflowIDPrefix),
		Status:     strings.ToLower(strings.TrimPrefix(status.String(), "WORKFLOW_EXECUTION_STATUS_")),
		StartTime:  start,
	}
	if closeTime != nil {
		t := closeTime.AsTime()
		r.CloseTime = &t
	}
	fields := sa.GetIndexedFields()
	get := func(name string, v any) {
		if p, ok := fields[name]; ok {
			_ = converter.GetDefaultDataConverter().FromPayload(p, v)
		}
	}
	get(searchattr.RequestID.GetName(), &r.RequestID)
	get(searchattr.Stage.GetName(), &r.Stage)
	get(searchattr.Priority.GetName(), &r.Priority)
	get(searchattr.CustomerTier.GetName(), &r.Tier)
	get(searchattr.CustomerID.GetName(), &r.CustomerID)
	get(searchattr.AssignedGroup.GetName(), &r.Group)
	get(searchattr.SlaBreached.GetName(), &r.SlaBreached)
	get(searchattr.EscalationLevel.GetName(), &r.EscalationLevel)
	get(searchattr.SlaPolicy.GetName(), &r.Policy)
	if _, ok := fields[searchattr.NextDeadline.GetName()]; ok {
		var t time.Time
		get(searchattr.NextDeadline.GetName(), &t)
		if !t.IsZero() {
			r.NextDeadline = &t
		}
	}
	return r
}
