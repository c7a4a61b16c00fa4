package activities

import (
	"context"
	"time"

	"github.com/svcflow/svcflow/internal/records"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/policy"
)

// Recorder writes a workflow transition's facts (implemented by internal/store).
type Recorder interface {
	RecordTransition(ctx context.Context, f records.Facts) error
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
	// Policies and Routing are the worker's configuration: ResolveIntake
	// snapshots the selected policy into a workflow when it starts.
	Policies *policy.Set
	Routing  config.Routing
	// LocalParties are the parties whose only channel is log: their
	// notifications ride on RecordTransition instead of a Notify task.
	LocalParties []string
	// NotifyInline: requests taken in send their notifications from the
	// record local activity (New sets it; the older shapes keep tests).
	NotifyInline bool
	// Now is the clock of TransitionResult.Done (nil: time.Now).
	Now func() time.Time
	// Intake bounds start inputs (submitted_at).
	Intake IntakeRules
}

// New builds the activities over their dependencies.
func New(r Recorder, s Sender, policies *policy.Set, routing config.Routing) *Activities {
	return &Activities{Records: r, Notifier: s, Policies: policies, Routing: routing, NotifyInline: true}
}

// RecordTransition writes one transition in one transaction, then sends the
// notifications it carries (see Transition); idempotent (each send is keyed).
func (a *Activities) RecordTransition(ctx context.Context, t Transition) (TransitionResult, error) {
	var res TransitionResult
	if err := a.Records.RecordTransition(ctx, t.Facts); err != nil {
		return res, RetryClass(err)
	}
	if !t.Inline {
		for _, n := range t.Notifications {
			if err := a.Notifier.Send(ctx, n); err != nil {
				return res, RetryClass(err)
			}
		}
		return res, nil
	}
	sctx, cancel := context.WithTimeout(ctx, InlineBudget)
	defer cancel()
	for i, n := range t.Notifications {
		if sctx.Err() != nil {
			res.Unsent = append(res.Unsent, i)
			continue
		}
		if err := a.Notifier.Send(sctx, n); err != nil {
			// Sent again by NotifyAll, which retries and logs what fails;
			// the ledger keeps a channel that did go out from going twice.
			res.Unsent = append(res.Unsent, i)
		}
	}
	res.Done = a.now()
	return res, nil
}

// LogOnlyParties lists the parties whose configured channels are all log.
func LogOnlyParties(parties map[string][]string) []string {
	var out []string
	for _, p := range []string{PartyCustomer, PartyAssignee, PartySupervisor, PartyManager} {
		chans := parties[p]
		only := len(chans) > 0
		for _, c := range chans {
			only = only && c == "log"
		}
		if only {
			out = append(out, p)
		}
	}
	return out
}

func (a *Activities) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// Notify sends one notification; idempotent by its dedupe key.
func (a *Activities) Notify(ctx context.Context, n Notification) error {
	return RetryClass(a.Notifier.Send(ctx, n))
}

// NotifyAll sends every notification of a batch, each deduplicated and
// recorded on its own: one that fails does not hold back the others, and a
// retry sends again only what was not sent. It fails retryably when any send
// can still succeed, non-retryably when every failure is final.
func (a *Activities) NotifyAll(ctx context.Context, b NotifyBatch) error {
	var errs []error
	for _, n := range b.Notifications {
		if err := a.Notifier.Send(ctx, n); err != nil {
			errs = append(errs, err)
		}
	}
	return RetryClass(joinSends(errs))
}
