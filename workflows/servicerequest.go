package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

// ReportsPerRun is how many weekly progress reports one run sends before it
// continues as new, keeping history bounded on months-long jobs.
const ReportsPerRun = 8

// acts is used only for its method names: activities run on the worker.
var acts *activities.Activities

// ServiceRequest runs one customer service request through the stages of
// the process, enforcing every deadline with durable timers. A run is
// started with the start input alone; a run continued as new gets the
// state its predecessor carried as the second argument.
func ServiceRequest(ctx workflow.Context, in startInput, carried *State) (Status, error) {
	if carried == nil {
		carried = in.LegacyResume
	}
	if carried != nil && workflow.GetInfo(ctx).ContinuedExecutionRunID == "" {
		return Status{}, temporal.NewNonRetryableApplicationError("invalid request: resume: only a run continued as new carries state", "InvalidRequest", nil)
	}
	w := &serviceRequest{ctx: ctx, logger: workflow.GetLogger(ctx), seen: ledger{}}
	if err := w.setup(in.Request, carried); err != nil {
		return Status{}, err
	}
	return w.run()
}

// startInput is a run's first argument: the start input, plus, in runs the
// first release continued as new, the state they carried inside it.
type startInput struct {
	Request
	LegacyResume *State `json:"resume,omitempty"`
}

// serviceRequest is one run: the carried State plus what each run rebuilds.
type serviceRequest struct {
	ctx    workflow.Context
	logger log.Logger
	s      *State
	cal    *calendar.Calendar
	seen   ledger // applied action IDs, index of s.Applied

	fresh      bool  // first run: intake still to do
	ready      bool  // intake done (or state restored): actions may apply
	flushedSeq int64 // last event sequence written to PostgreSQL
	pending    pendingWrites
	notes      []activities.Notification
	inflight   int // notification activities not finished
	wake       workflow.Channel
	timer      *wakeTimer
	recorded   recordedAt // when this task's last record activity ended
	lastAttrs  string
	nextPolicy *policy.Snapshot   // fetched for the apply_policy being applied
	quietCal   *calendar.Calendar // of the quiet hours, when they name one
}

// setup restores or initialises state and registers every handler before
// anything blocks.
func (w *serviceRequest) setup(in Request, carried *State) error {
	if carried != nil {
		w.s = carried
		w.s.Runs++
		w.s.RunReports = 0
		w.flushedSeq = w.s.Seq
		w.seen = restoreLedger(w.s)
	} else {
		w.fresh = true
		w.s = &State{Request: in, Stage: StageReceived, Priority: in.Priority, CreatedAt: workflow.Now(w.ctx)}
	}
	w.wake = workflow.NewBufferedChannel(w.ctx, 1)
	if err := workflow.SetQueryHandler(w.ctx, StatusQuery, func() (Status, error) { return w.status(), nil }); err != nil {
		return err
	}
	return w.registerActions()
}

// run reads like the process: intake, then react to actions and deadlines
// until the request is closed.
func (w *serviceRequest) run() (Status, error) {
	if w.fresh {
		if err := w.intake(); err != nil {
			return Status{}, err
		}
	} else if err := w.loadCalendar(); err != nil {
		return Status{}, err
	}
	w.ready = true
	for {
		w.fireDue()
		if err := w.flush(); err != nil {
			return Status{}, err
		}
		if w.s.Stage == StageClosed {
			break
		}
		if w.shouldContinueAsNew() {
			return w.continueAsNew()
		}
		if err := w.sleep(); err != nil {
			return Status{}, err
		}
	}
	if err := w.drain(); err != nil {
		return Status{}, err
	}
	return w.status(), nil
}

// intake validates the input, snapshots policy and routing, starts the
// response clock and tells the customer and the group.
func (w *serviceRequest) intake() error {
	if err := w.s.Request.Validate(); err != nil {
		return temporal.NewNonRetryableApplicationError("invalid request: "+err.Error(), "InvalidRequest", nil)
	}
	req := w.s.Request
	lctx := workflow.WithLocalActivityOptions(w.ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: 10 * time.Second},
	})
	var res activities.IntakeResult
	in := activities.IntakeInput{Category: req.Category, Tier: req.Customer.Tier, Priority: req.Priority, Channel: req.Channel}
	if err := workflow.ExecuteLocalActivity(lctx, acts.ResolveIntake, in).Get(lctx, &res); err != nil {
		return err
	}
	if r := res.Rules; r != nil {
		// The starter checked these with its own clock; allow for the skew.
		if err := req.CheckIntake(workflow.Now(w.ctx), r.MaxClockSkew, r.MaxBackdate+r.MaxClockSkew); err != nil {
			return temporal.NewNonRetryableApplicationError("invalid request: "+err.Error(), "InvalidRequest", nil)
		}
	}
	w.s.Policy, w.s.Group, w.s.Groups, w.s.LocalParties = res.Policy, res.Group, contactsOf(res.Groups), res.LocalParties
	w.s.NotifyInline = res.NotifyInline
	if err := w.loadCalendar(); err != nil {
		return temporal.NewNonRetryableApplicationError("invalid calendar in policy: "+err.Error(), "InvalidPolicy", nil)
	}
	now := workflow.Now(w.ctx)
	start := now
	if req.SubmittedAt != nil && req.SubmittedAt.Before(now) {
		start = *req.SubmittedAt
	}
	w.emit("received", req.Customer.ID, map[string]any{"title": req.Title, "priority": req.Priority, "tier": req.Customer.Tier, "group": w.s.Group, "channel": req.Channel, "category": req.Category})
	w.startDeadline(policy.Response, start)
	w.notify(activities.PartyCustomer, activities.KindReceipt, "receipt", nil)
	w.notify(activities.PartyAssignee, activities.KindAssignment, "assignment/1", nil)
	w.enrollCare()
	return nil
}

func (w *serviceRequest) loadCalendar() error {
	if err := w.s.Load(); err != nil {
		return err
	}
	w.cal = w.s.Calendar()
	return nil
}

// sleep waits for the next deadline instant or for an action to change the
// state, keeping one timer as long as the next instant does not move.
func (w *serviceRequest) sleep() error {
	at, summary, ok := w.nextWake()
	if !ok {
		w.timer.cancel()
		w.timer = nil
	} else if w.timer == nil || !w.timer.at.Equal(at) {
		w.timer.cancel()
		w.timer = newWakeTimer(w.ctx, at, w.timerBase(), summary)
	}
	sel := workflow.NewSelector(w.ctx)
	sel.AddReceive(w.wake, func(c workflow.ReceiveChannel, _ bool) { c.ReceiveAsync(nil) })
	if w.timer != nil {
		t := w.timer
		sel.AddFuture(t.future, func(f workflow.Future) {
			w.timer = nil
			if err := f.Get(w.ctx, nil); err != nil && !temporal.IsCanceledError(err) {
				w.logger.Warn("timer failed", "error", err)
			}
		})
	}
	sel.Select(w.ctx)
	return w.ctx.Err()
}

// changed wakes the main loop after a handler changed the state.
func (w *serviceRequest) changed() { w.wake.SendAsync(true) }

func (w *serviceRequest) shouldContinueAsNew() bool {
	return w.s.RunReports >= ReportsPerRun || workflow.GetInfo(w.ctx).GetContinueAsNewSuggested()
}

// drain waits for handlers and notifications to finish, with every fact
// written, before the run ends.
func (w *serviceRequest) drain() error {
	w.timer.cancel()
	w.timer = nil
	for {
		if err := workflow.Await(w.ctx, func() bool {
			return workflow.AllHandlersFinished(w.ctx) && w.inflight == 0 || len(w.pending.events) > 0
		}); err != nil {
			return err
		}
		if len(w.pending.events) == 0 && len(w.notes) == 0 {
			return nil
		}
		if err := w.flush(); err != nil {
			return err
		}
	}
}

func (w *serviceRequest) continueAsNew() (Status, error) {
	if err := w.drain(); err != nil {
		return Status{}, err
	}
	st := *w.s
	w.logger.Info("continuing as new", "seq", w.s.Seq, "reports", w.s.ReportsSent)
	return Status{}, workflow.NewContinueAsNewError(w.ctx, WorkflowType, w.s.Request, &st)
}

// wakeTimer is the one durable timer of the main loop.
type wakeTimer struct {
	at     time.Time
	future workflow.Future
	stop   workflow.CancelFunc
}

// recordedAt is the end of a record local activity (its worker's clock,
// from its result) in the workflow task that started at task.
type recordedAt struct{ task, done time.Time }

// timerBase is the instant a timer armed now counts from: the task's start
// (workflow.Now), or, when a record activity of this task ended later, its
// end. The server starts a timer when the task completes, so a duration
// from the task's start would fire late by the write and the sends (the
// activity's result is in history: replay computes the same duration).
// The end is the worker's clock and the task's start the server's: an end
// more than the activity's timeout after the start is a skewed clock and
// ignored; a worker clock a little ahead makes the timer fire early, and
// the loop arms it again for the rest (instants are fired only once come).
func (w *serviceRequest) timerBase() time.Time {
	now := w.now()
	if w.recorded.task.Equal(now) && w.recorded.done.After(now) && w.recorded.done.Sub(now) <= recordTimeout {
		return w.recorded.done
	}
	return now
}

func newWakeTimer(ctx workflow.Context, at, base time.Time, summary string) *wakeTimer {
	tctx, stop := workflow.WithCancel(ctx)
	d := at.Sub(base)
	if d < time.Millisecond {
		d = time.Millisecond
	}
	f := workflow.NewTimerWithOptions(tctx, d, workflow.TimerOptions{Summary: summary})
	return &wakeTimer{at: at, future: f, stop: stop}
}

func (t *wakeTimer) cancel() {
	if t != nil {
		t.stop()
	}
}

func (w *serviceRequest) wrongStage(action string, allowed ...string) error {
	return fmt.Errorf("request %s is in stage %s; %s is valid only in %s", WorkflowID(w.s.Request.RequestID), w.s.Stage, action, joinOr(allowed))
}

// contactsOf copies the routing result into the workflow's own contact type.
func contactsOf(groups map[string]activities.Contacts) map[string]Contact {
	out := make(map[string]Contact, len(groups))
	// Filling a map: the order of the range does not matter.
	//workflowcheck:ignore
	for name, g := range groups {
		out[name] = Contact(g)
	}
	return out
}
