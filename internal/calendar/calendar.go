package calendar

import (
	"errors"
	"fmt"
	"slices"
	"time"

	_ "time/tzdata" // zones are always present, whatever the host has installed
)

const daySec = 86400

// Never is returned by Add and NextOpen when the calendar has no working time
// left after the instant asked about (only possible when no weekday has hours
// and the last dated working day has passed) or when the answer would lie
// beyond the year 9999: such a deadline cannot come due.
var Never = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

var (
	maxDay = Never.Unix() / daySec // last local day number ever scanned
	minSec = int64(-1) << 62       // stands for "since the beginning of time"
	maxSec = int64(1) << 62        // stands for "for ever"
)

// dayKeys are the config keys of the weekdays, indexed by time.Weekday.
var dayKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// exception is one dated day with its own windows (empty = closed).
type exception struct {
	day  int64 // local days since 1970-01-01
	wins []Window
}

// Calendar answers working-time questions for one Spec. It is immutable once
// built, so one *Calendar may be shared by any number of goroutines.
type Calendar struct {
	spec    Spec
	loc     *time.Location
	week    [7][]Window
	exc     []exception // sorted by day
	regular []Window
	stdDay  time.Duration
	hasWeek bool  // some weekday has hours
	weekSec int64 // working seconds in a regular week (no DST change, no dated day)
}

// Problem is one thing wrong with a Spec: the field, named as the config
// key it comes from (the key of the calendar, then e.g. ".hours.mon[0]" or
// ".holidays[1].date"), its value and why it is wrong.
type Problem struct {
	Key, Value, Why string
}

func (p Problem) String() string {
	if p.Value == "" {
		return p.Key + ": " + p.Why
	}
	return fmt.Sprintf("%s %q: %s", p.Key, p.Value, p.Why)
}

// New validates spec and builds a Calendar. Every problem found is reported,
// one per line, each naming its field as a key of the default calendar
// ("calendar.hours.mon"). A calendar with no working time at all (no weekday
// hours and no dated working day) is an error.
func New(spec Spec) (*Calendar, error) {
	c, problems := build(spec, "calendar")
	if len(problems) > 0 {
		errs := make([]error, len(problems))
		for i, p := range problems {
			errs[i] = errors.New(p.String())
		}
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// Check lists every problem of spec, naming fields under key (the config
// key of the calendar, e.g. "calendars.berlin"); nil means New accepts it.
func Check(spec Spec, key string) []Problem {
	_, problems := build(spec, key)
	return problems
}

// build checks spec and builds its Calendar (nil when there are problems).
func build(spec Spec, key string) (*Calendar, []Problem) {
	var problems []Problem
	bad := func(field, value, format string, args ...any) {
		problems = append(problems, Problem{Key: key + field, Value: value, Why: fmt.Sprintf(format, args...)})
	}

	c := &Calendar{spec: spec}
	switch spec.Zone {
	case "", "Local":
		bad(".timezone", spec.Zone, "want an IANA zone name such as Asia/Shanghai")
	default:
		loc, err := time.LoadLocation(spec.Zone)
		if err != nil {
			bad(".timezone", spec.Zone, "unknown IANA zone")
		}
		c.loc = loc
	}

	for wd := range 7 {
		wins, p := normalize(spec.Week[wd], key+".hours."+dayKeys[wd])
		problems = append(problems, p...)
		c.week[wd] = wins
		if len(wins) > 0 {
			c.hasWeek = true
		}
		c.weekSec += int64(total(wins) / time.Second)
	}
	c.regular = regularWindows(c.week)

	seen := map[int64]string{}
	add := func(field string, d Day, holiday bool) {
		day, err := parseDay(d.Date)
		if err != nil {
			bad(field+".date", d.Date, "want YYYY-MM-DD (a real date)")
			return
		}
		if prev, dup := seen[day]; dup {
			bad(field+".date", d.Date, "already listed as %s", prev)
			return
		}
		seen[day] = key + field
		wins, p := normalize(d.Windows, key+field+".hours")
		if len(p) > 0 {
			problems = append(problems, p...)
			return
		}
		if !holiday && len(wins) == 0 {
			if len(c.regular) == 0 {
				bad(field, d.Date, "no hours given and no Monday-Friday hours to copy")
				return
			}
			wins = c.regular
		}
		c.exc = append(c.exc, exception{day: day, wins: wins})
	}
	for i, d := range spec.Holidays {
		add(fmt.Sprintf(".holidays[%d]", i), d, true)
	}
	for i, d := range spec.Workdays {
		add(fmt.Sprintf(".workdays[%d]", i), d, false)
	}
	slices.SortFunc(c.exc, func(a, b exception) int { return int(a.day - b.day) })

	if len(problems) == 0 && !c.hasWeek && !slices.ContainsFunc(c.exc, func(e exception) bool { return len(e.wins) > 0 }) {
		bad(".hours", "", "no working time at all (no weekday has hours and no dated day is a working day)")
	}

	switch {
	case spec.StandardDay < 0:
		bad(".standard_day", spec.StandardDay.String(), "must not be negative")
	case spec.StandardDay > 0:
		c.stdDay = spec.StandardDay
	default:
		c.stdDay = defaultStandardDay(c.week, c.regular)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return c, nil
}

// MustNew is New for tests and fixed examples: it panics on a bad spec.
func MustNew(spec Spec) *Calendar {
	c, err := New(spec)
	if err != nil {
		panic(err)
	}
	return c
}

// Location is the calendar's zone. Instants returned by the calendar carry it.
func (c *Calendar) Location() *time.Location { return c.loc }

// Spec returns the spec the calendar was built from (do not modify its slices).
func (c *Calendar) Spec() Spec { return c.spec }

// StandardDay is the length of one "wd": Spec.StandardDay, or when that is
// zero the total of the regular windows.
func (c *Calendar) StandardDay() time.Duration { return c.stdDay }

// RegularWindows returns the regular windows: Monday's, else those of the
// first weekday Tuesday..Friday that has any (nil when none has). Make-up
// workdays without hours of their own use them.
func (c *Calendar) RegularWindows() []Window { return slices.Clone(c.regular) }

// WindowsOn returns the working windows of the local date of t, after
// holidays and make-up workdays are applied.
func (c *Calendar) WindowsOn(t time.Time) []Window {
	_, off := t.In(c.loc).Zone()
	day := floorDiv(t.Unix()+int64(off), daySec)
	x := c.searchExc(day)
	return slices.Clone(c.windowsFor(day, &x))
}

// windowsFor returns the windows of local day n. *x is an index into c.exc no
// further than the first exception on or after n; it is advanced in place so
// that a forward scan costs no search.
func (c *Calendar) windowsFor(n int64, x *int) []Window {
	for *x < len(c.exc) && c.exc[*x].day < n {
		*x++
	}
	if *x < len(c.exc) && c.exc[*x].day == n {
		return c.exc[*x].wins
	}
	return c.week[weekday(n)]
}

// searchExc returns the index of the first exception on or after day n.
func (c *Calendar) searchExc(n int64) int {
	lo, hi := 0, len(c.exc)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if c.exc[m].day < n {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// regularWindows picks Monday's windows, else the first of Tue..Fri with any.
func regularWindows(week [7][]Window) []Window {
	for wd := time.Monday; wd <= time.Friday; wd++ {
		if len(week[wd]) > 0 {
			return week[wd]
		}
	}
	return nil
}

// defaultStandardDay is the total of the regular windows, else of the first
// weekday (Mon..Sun) with hours, else 8h.
func defaultStandardDay(week [7][]Window, regular []Window) time.Duration {
	if len(regular) > 0 {
		return total(regular)
	}
	for i := 1; i <= 7; i++ {
		if w := week[i%7]; len(w) > 0 {
			return total(w)
		}
	}
	return 8 * time.Hour
}

func total(wins []Window) time.Duration {
	var s int
	for _, w := range wins {
		s += w.End - w.Start
	}
	return time.Duration(s) * time.Second
}

// normalize validates windows and returns a sorted copy; overlapping windows
// are a problem, touching ones (12:00-13:00, 13:00-18:00) are fine.
func normalize(in []Window, field string) ([]Window, []Problem) {
	if len(in) == 0 {
		return nil, nil
	}
	out := slices.Clone(in)
	var problems []Problem
	for i, w := range out {
		if w.Start < 0 || w.End > daySec || w.Start >= w.End {
			problems = append(problems, Problem{Key: fmt.Sprintf("%s[%d]", field, i), Value: w.String(), Why: "want 00:00 <= open < close <= 24:00"})
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	slices.SortFunc(out, func(a, b Window) int { return a.Start - b.Start })
	for i := 1; i < len(out); i++ {
		if out[i].Start < out[i-1].End {
			return nil, []Problem{{Key: field, Why: fmt.Sprintf("windows %s and %s overlap", out[i-1], out[i])}}
		}
	}
	return out, nil
}

// parseDay turns YYYY-MM-DD into a day number (days since 1970-01-01).
func parseDay(s string) (int64, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, err
	}
	return floorDiv(t.Unix(), daySec), nil
}

// weekday of local day number n (1970-01-01 was a Thursday).
func weekday(n int64) time.Weekday {
	return time.Weekday(((n % 7) + 7 + 4) % 7)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
