package activities

import (
	"context"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/policy"
)

// Recorder writes a workflow transition's facts (implemented by internal/store).
type Recorder interface {
	RecordTransition(ctx context.Context, t Transition) error
}

// Sender delivers a notification on every channel of its party, each
// (dedupe key, channel) at most once (implemented by internal/notify).
type Sender interface {
	Send(ctx context.Context, n Notification) error
}

// Activities holds the dependencies of svcflow's activities.
type Activities struct {
	Records  Recorder
	Notifier Sender
	// Policy and Routing are the worker's configuration, snapshotted into a
	// workflow by ResolveIntake when it starts.
	Policy  policy.Snapshot
	Routing config.Routing
}

// New builds the activities over their dependencies.
func New(r Recorder, s Sender, pol policy.Snapshot, routing config.Routing) *Activities {
	return &Activities{Records: r, Notifier: s, Policy: pol, Routing: routing}
}

// RecordTransition writes one transition in one transaction; idempotent.
func (a *Activities) RecordTransition(ctx context.Context, t Transition) error {
	return a.Records.RecordTransition(ctx, t)
}

// Notify sends one notification; idempotent by its dedupe key.
func (a *Activities) Notify(ctx context.Context, n Notification) error {
	return a.Notifier.Send(ctx, n)
}
