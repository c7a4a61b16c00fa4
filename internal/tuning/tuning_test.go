package tuning

import (
	"reflect"
	"testing"

	"go.temporal.io/sdk/worker"

	"github.com/svcflow/svcflow/config"
)

// A poller count of 0 (the shipped config) means autoscaling; a number is a
// fixed maximum, as the tuning keys promise.
func TestPollers(t *testing.T) {
	auto := worker.NewPollerBehaviorAutoscaling(worker.PollerBehaviorAutoscalingOptions{
		InitialNumberOfPollers: AutoscaleInitialPollers, MaximumNumberOfPollers: AutoscaleMaxPollers})
	fixed := func(n int) worker.PollerBehavior {
		return worker.NewPollerBehaviorSimpleMaximum(worker.PollerBehaviorSimpleMaximumOptions{MaximumNumberOfPollers: n})
	}
	for _, tc := range []struct {
		name         string
		w            config.Worker
		wantWF, want worker.PollerBehavior
	}{
		{"shipped: autoscaling", config.Worker{}, auto, auto},
		{"fixed workflow pollers", config.Worker{WorkflowPollers: 32}, fixed(32), auto},
		{"fixed both", config.Worker{WorkflowPollers: 8, ActivityPollers: 3}, fixed(8), fixed(3)},
	} {
		o := Options(tc.w, 0, nil)
		if !reflect.DeepEqual(o.WorkflowTaskPollerBehavior, tc.wantWF) {
			t.Errorf("%s: workflow pollers %#v, want %#v", tc.name, o.WorkflowTaskPollerBehavior, tc.wantWF)
		}
		if !reflect.DeepEqual(o.ActivityTaskPollerBehavior, tc.want) {
			t.Errorf("%s: activity pollers %#v, want %#v", tc.name, o.ActivityTaskPollerBehavior, tc.want)
		}
		if o.MaxConcurrentWorkflowTaskPollers != 0 || o.MaxConcurrentActivityTaskPollers != 0 {
			t.Errorf("%s: the poller counts go through the behaviours only (the SDK refuses both)", tc.name)
		}
	}
}
