// Package tuning maps the worker: keys of the config (CONTRACT §7) onto the
// Temporal SDK's worker options. svcflow's worker and the benchmark's
// baseline worker both build their workers here, so a comparison runs both
// with the same pollers, slots and cache.
package tuning

import (
	"time"

	"go.temporal.io/sdk/worker"

	"github.com/svcflow/svcflow/config"
)

// Poller autoscaling bounds when no fixed poller count is configured: the
// SDK adds pollers while polls come back with tasks and drops them while
// they come back empty, so 50 concurrent requests get the pollers they need
// (a fixed 2, the SDK's default, let sticky tasks wait past their 5 s
// timeout) and an idle worker holds one or two polls open.
const (
	AutoscaleInitialPollers = 4
	AutoscaleMaxPollers     = 64
)

// Options maps the worker keys onto the SDK's options: a poller count of 0
// means autoscaling, another number a fixed maximum; 0 slots mean the SDK
// default. stop is how long in-flight activities get at shutdown.
func Options(w config.Worker, stop time.Duration, onFatal func(error)) worker.Options {
	return worker.Options{
		MaxConcurrentActivityExecutionSize:     w.MaxConcurrentActivities,
		MaxConcurrentWorkflowTaskExecutionSize: w.MaxConcurrentWorkflowTasks,
		WorkerStopTimeout:                      stop,
		OnFatalError:                           onFatal,
		WorkflowTaskPollerBehavior:             pollers(w.WorkflowPollers),
		ActivityTaskPollerBehavior:             pollers(w.ActivityPollers),
	}
}

// CacheSize sets the process's sticky workflow cache (worker.cache_size;
// 0 keeps the SDK's). Call it before the first worker is built.
func CacheSize(w config.Worker) {
	if w.CacheSize > 0 {
		worker.SetStickyWorkflowCacheSize(w.CacheSize)
	}
}

func pollers(fixed int) worker.PollerBehavior {
	if fixed > 0 {
		return worker.NewPollerBehaviorSimpleMaximum(worker.PollerBehaviorSimpleMaximumOptions{MaximumNumberOfPollers: fixed})
	}
	return worker.NewPollerBehaviorAutoscaling(worker.PollerBehaviorAutoscalingOptions{
		InitialNumberOfPollers: AutoscaleInitialPollers,
		MaximumNumberOfPollers: AutoscaleMaxPollers,
	})
}
