package ics

import (
	"fmt"
	"strings"
	"time"

	ical "github.com/arran4/golang-ical"
)

// maxSpanDays bounds one event: longer is refused as a likely typo (a wrong
// DTEND year would otherwise close a whole year of SLA time).
const maxSpanDays = 366

// eventRef names one event in messages.
type eventRef struct {
	index   int // from 0, in file order
	line    int // of its BEGIN:VEVENT; 0 = unknown
	uid     string
	summary string // on one line
}

func newEventRef(ev *ical.VEvent, i int, begins []int) eventRef {
	ref := eventRef{index: i}
	if begins != nil {
		ref.line = begins[i]
	}
	if p := firstProp(ev.Properties, "UID"); p != nil {
		ref.uid = strings.TrimSpace(p.Value)
	}
	if p := firstProp(ev.Properties, "SUMMARY"); p != nil {
		ref.summary = strings.Join(strings.Fields(p.Value), " ")
	}
	return ref
}

// where is "FILE:LINE: event "SUMMARY" (UID U)", the prefix of its problems.
func (r eventRef) where(file string) string {
	if r.line > 0 {
		return fmt.Sprintf("%s:%d: event %s", file, r.line, r.name())
	}
	return fmt.Sprintf("%s: event #%d %s", file, r.index+1, r.name())
}

// at is how another message points at this event.
func (r eventRef) at() string {
	if r.line > 0 {
		return fmt.Sprintf("at line %d", r.line)
	}
	return fmt.Sprintf("#%d", r.index+1)
}

func (r eventRef) name() string {
	switch {
	case r.summary != "" && r.uid != "":
		return fmt.Sprintf("%q (UID %s)", clip(r.summary, 60), r.uid)
	case r.summary != "":
		return fmt.Sprintf("%q", clip(r.summary, 60))
	case r.uid != "":
		return fmt.Sprintf("(UID %s)", r.uid)
	default:
		return "(no SUMMARY, no UID)"
	}
}

// recurrence names the properties that make an event recurring.
var recurrence = []string{"RRULE", "RDATE", "EXDATE", "EXRULE", "RECURRENCE-ID"}

// workdayMarks in a SUMMARY say the event is a working day, not a holiday.
var workdayMarks = []string{"上班", "补班", "workday", "working day"}

// judge checks one event and returns the dates it closes, [start, end) at
// UTC midnights, or every problem found (one message each, without prefix).
func judge(props []ical.IANAProperty, summary string) (start, end time.Time, msgs []string) {
	bad := func(format string, args ...any) { msgs = append(msgs, fmt.Sprintf(format, args...)) }

	var rec []string
	for _, name := range recurrence {
		if firstProp(props, name) != nil {
			rec = append(rec, name)
		}
	}
	if len(rec) > 0 {
		bad("%s: recurring events are not supported (holidays move every year by notice); list each year's closed dates as their own all-day event", strings.Join(rec, ", "))
	}
	if p := firstProp(props, "STATUS"); p != nil && strings.EqualFold(strings.TrimSpace(p.Value), "CANCELLED") {
		bad("STATUS:CANCELLED: a cancelled event closes nothing; delete it from the file")
	}
	low := strings.ToLower(summary)
	for _, m := range workdayMarks {
		if strings.Contains(low, m) {
			bad("SUMMARY says %q, a working day: make-up working days belong in calendar.workdays, not in a holidays file", m)
			break
		}
	}

	starts := allProps(props, "DTSTART")
	switch len(starts) {
	case 0:
		bad("no DTSTART: want DTSTART;VALUE=DATE:YYYYMMDD")
		return start, end, msgs
	case 1:
	default:
		bad("DTSTART given %d times: want one", len(starts))
		return start, end, msgs
	}
	start, ok := dateValue(starts[0], &msgs)
	if !ok {
		return start, end, msgs
	}

	ends, durs := allProps(props, "DTEND"), allProps(props, "DURATION")
	switch {
	case len(ends) > 0 && len(durs) > 0:
		bad("both DTEND and DURATION: give one of them")
		return start, end, msgs
	case len(ends) > 1:
		bad("DTEND given %d times: want one", len(ends))
		return start, end, msgs
	case len(durs) > 1:
		bad("DURATION given %d times: want one", len(durs))
		return start, end, msgs
	case len(ends) == 1:
		if end, ok = dateValue(ends[0], &msgs); !ok {
			return start, end, msgs
		}
		if !end.After(start) {
			bad("DTEND %s is not after DTSTART %s: DTEND is exclusive, a one-day event ends the next day (%s) or has no DTEND",
				end.Format(icalDate), start.Format(icalDate), start.AddDate(0, 0, 1).Format(icalDate))
			return start, end, msgs
		}
	case len(durs) == 1:
		days, err := wholeDays(durs[0].Value)
		if err != nil {
			bad("DURATION %q: %v", durs[0].Value, err)
			return start, end, msgs
		}
		end = start.AddDate(0, 0, days)
	default:
		end = start.AddDate(0, 0, 1)
	}
	if days := int(end.Sub(start).Hours() / 24); days > maxSpanDays {
		bad("spans %d days (%s to %s): more than %d is refused as a likely mistake (check the year of DTEND)",
			days, start.Format(time.DateOnly), end.AddDate(0, 0, -1).Format(time.DateOnly), maxSpanDays)
	}
	return start, end, msgs
}

// dateValue reads DTSTART or DTEND as a date; a problem is appended to msgs.
func dateValue(p *ical.IANAProperty, msgs *[]string) (time.Time, bool) {
	d, err := parseDate(strings.ToUpper(p.IANAToken), p.Value, param(p, "VALUE"))
	if err != nil {
		*msgs = append(*msgs, fmt.Sprintf("%s %q %v", strings.ToUpper(p.IANAToken), p.Value, err))
		return time.Time{}, false
	}
	return d, true
}

func firstProp(props []ical.IANAProperty, name string) *ical.IANAProperty {
	for i := range props {
		if strings.EqualFold(props[i].IANAToken, name) {
			return &props[i]
		}
	}
	return nil
}

func allProps(props []ical.IANAProperty, name string) []*ical.IANAProperty {
	var out []*ical.IANAProperty
	for i := range props {
		if strings.EqualFold(props[i].IANAToken, name) {
			out = append(out, &props[i])
		}
	}
	return out
}

// param returns the first value of a property parameter ("" when absent);
// parameter names are case-insensitive.
func param(p *ical.IANAProperty, name string) string {
	for k, v := range p.ICalParameters {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}
