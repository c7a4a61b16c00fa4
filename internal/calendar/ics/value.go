package ics

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// icalDate is the layout of an iCalendar DATE value.
const icalDate = "20060102"

var (
	dateRe     = regexp.MustCompile(`^[0-9]{8}$`)
	dateTimeRe = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z?$`)
	daysRe     = regexp.MustCompile(`(?i)^\+?P([0-9]+)([DW])$`)
)

// parseDate reads the DATE value v (YYYYMMDD) of property prop as UTC
// midnight. valueType is its VALUE parameter ("" when absent). A DATE-TIME is
// refused as timed. The error reads after the property and its value:
// `DTSTART "x" <error>`.
func parseDate(prop, v, valueType string) (time.Time, error) {
	v = strings.TrimSpace(v)
	vt := strings.ToUpper(valueType)
	switch {
	case vt != "" && vt != "DATE" && vt != "DATE-TIME":
		return time.Time{}, fmt.Errorf("has VALUE=%s: want %s;VALUE=DATE:YYYYMMDD", valueType, prop)
	case dateTimeRe.MatchString(v) && vt != "DATE":
		return time.Time{}, fmt.Errorf("has a time of day: only all-day events close dates; write %s;VALUE=DATE:%s or remove the event", prop, v[:8])
	case dateRe.MatchString(v) && vt == "DATE-TIME":
		return time.Time{}, fmt.Errorf("has VALUE=DATE-TIME but no time of day: write %s;VALUE=DATE:%s", prop, v)
	case dateRe.MatchString(v):
		d, err := time.Parse(icalDate, v)
		if err != nil {
			return time.Time{}, errors.New("is not a real date")
		}
		return d, nil
	}
	return time.Time{}, fmt.Errorf("is not a date: want %s;VALUE=DATE:YYYYMMDD such as 20261001", prop)
}

// wholeDays reads a DURATION of whole days or weeks (P3D, P1W) as a number
// of days, at least 1.
func wholeDays(v string) (int, error) {
	m := daysRe.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return 0, errors.New("an all-day event lasts whole days or weeks: want P<n>D or P<n>W such as P3D")
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n > 10*maxSpanDays {
		return 0, fmt.Errorf("more than %d days is refused as a likely mistake", maxSpanDays)
	}
	if strings.EqualFold(m[2], "W") {
		n *= 7
	}
	if n == 0 {
		return 0, errors.New("zero length: an event lasts at least one day (P1D)")
	}
	return n, nil
}
