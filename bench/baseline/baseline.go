// Package baseline is the benchmark's reference shape: a no-logic workflow of 8 regular activities and 7 updates.
package baseline

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// Names the load driver uses.
const (
	WorkflowType = "BenchBaseline"
	// WorkflowTypeSA is the baseline that also upserts a search attribute
	// (Stage) in each update, as svcflow keeps its attributes current.
	WorkflowTypeSA = "BenchBaselineSA"
	UpdateName     = "advance"
	ActivityName   = "BaselineStep"
	Updates        = 7 // one activity at start and one per update: 8 activities
)

// Step is the no-logic activity.
func Step(ctx context.Context, n int) (int, error) { return n, nil }

// Workflow runs one activity, then one activity inside each of 7 updates,
// and completes after the seventh.
func Workflow(ctx workflow.Context, id string) (int, error) { return run(ctx, false) }

// WorkflowSA is Workflow plus one search attribute upsert per update.
func WorkflowSA(ctx workflow.Context, id string) (int, error) { return run(ctx, true) }

var stage = temporal.NewSearchAttributeKeyKeyword("Stage")

func run(ctx workflow.Context, upsert bool) (int, error) {
	ao := workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second}
	ctx = workflow.WithActivityOptions(ctx, ao)
	done := 0
	err := workflow.SetUpdateHandler(ctx, UpdateName, func(ctx workflow.Context, n int) (int, error) {
		var out int
		ctx = workflow.WithActivityOptions(ctx, ao)
		if err := workflow.ExecuteActivity(ctx, ActivityName, n).Get(ctx, &out); err != nil {
			return 0, err
		}
		done++
		if upsert {
			if err := workflow.UpsertTypedSearchAttributes(ctx, stage.ValueSet(fmt.Sprintf("step%d", done))); err != nil {
				return 0, err
			}
		}
		return done, nil
	})
	if err != nil {
		return 0, err
	}
	if err := workflow.ExecuteActivity(ctx, ActivityName, 0).Get(ctx, nil); err != nil {
		return 0, err
	}
	if err := workflow.Await(ctx, func() bool { return done >= Updates }); err != nil {
		return 0, err
	}
	return done, nil
}

// Register adds the workflow and activity to w.
func Register(w worker.Registry) {
	w.RegisterWorkflowWithOptions(Workflow, workflow.RegisterOptions{Name: WorkflowType})
	w.RegisterWorkflowWithOptions(WorkflowSA, workflow.RegisterOptions{Name: WorkflowTypeSA})
	w.RegisterActivityWithOptions(Step, activity.RegisterOptions{Name: ActivityName})
}
