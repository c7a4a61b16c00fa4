package calendar

import "time"

// Window is a half-open working window [Start, End) in seconds since local
// midnight: 0 <= Start < End <= 86400 ("00:00-24:00" is a whole day).
type Window struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Day is one dated exception: a holiday (no Windows = closed all day, or its
// own windows for a half day) or a make-up working day (no Windows = the
// regular windows).
type Day struct {
	Date    string   `json:"date"` // YYYY-MM-DD in the calendar's zone
	Windows []Window `json:"windows,omitempty"`
}

// Spec is the plain, serialisable description of a business calendar. It is
// copied into workflow state, so it must stay JSON-stable.
type Spec struct {
	Zone        string        `json:"zone"`         // IANA name, e.g. Asia/Shanghai
	StandardDay time.Duration `json:"standard_day"` // length of one "wd"
	// Week holds the regular windows per weekday, indexed by time.Weekday
	// (0 = Sunday). An empty slice is a closed day.
	Week     [7][]Window `json:"week"`
	Holidays []Day       `json:"holidays,omitempty"`
	Workdays []Day       `json:"workdays,omitempty"`
}

// ClockKind says whether an SLA clock counts wall time or working time.
type ClockKind string

// The two clock kinds of CONTRACT §4.
const (
	Wall     ClockKind = "wall"
	Business ClockKind = "business"
)

// Pause is a span during which an SLA clock does not run. A zero To means the
// clock is still paused.
type Pause struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to,omitempty"`
}

// Clock is one SLA clock: it started at Start and is due when Target of
// active time (wall or working, minus pauses) has elapsed.
type Clock struct {
	Kind   ClockKind     `json:"kind"`
	Start  time.Time     `json:"start"`
	Target time.Duration `json:"target"`
	Pauses []Pause       `json:"pauses,omitempty"`
}
