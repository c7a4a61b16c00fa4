package metrics

// svcflow's own metrics (CONTRACT §12), beside the Temporal SDK's. The
// workflow records the deadline and action metrics through the SDK's
// metrics handler (never on replay); the notification dispatcher records
// its own. Names are as exported to Prometheus.
const (
	// DeadlineEvents counts deadline events by deadline, event (started,
	// warned, met, breached, escalated) and policy.
	DeadlineEvents = "svcflow_deadline_events_total"
	// FireDelay is the instant a warning, breach or escalation was recorded
	// minus its due instant, by deadline and step (warning, breach,
	// escalation), buckets 0.05 s to 60 s.
	FireDelay = "svcflow_deadline_fire_delay_seconds"
	// Notifications counts notification sends by channel and status (sent,
	// failed, skipped).
	Notifications = "svcflow_notifications_total"
	// Actions counts actions by action and result (accepted, duplicate,
	// rejected).
	Actions = "svcflow_actions_total"
)

// Instrument names as the code creates them: the Prometheus exporter adds
// the unit suffix (_seconds) and, for counters, _total.
const (
	DeadlineEventsInstrument = "svcflow_deadline_events"
	FireDelayInstrument      = "svcflow_deadline_fire_delay"
	NotificationsInstrument  = "svcflow_notifications"
	ActionsInstrument        = "svcflow_actions"
)

// FireDelayBuckets are the bucket bounds of FireDelay, in seconds.
var FireDelayBuckets = []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// Names lists every svcflow metric (the dashboard test checks its queries
// against the worker's /metrics and this list).
var Names = []string{DeadlineEvents, FireDelay, Notifications, Actions}
