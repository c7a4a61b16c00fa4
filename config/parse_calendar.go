package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	_ "time/tzdata" // zones work on machines without a zoneinfo database

	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/calendar/ics"
	"github.com/svcflow/svcflow/internal/policy"
)

// weekdayKeys are the keys of calendar.hours, indexed by time.Weekday.
var weekdayKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func weekdayIndex(day string) int {
	for i, d := range weekdayKeys {
		if d == day {
			return i
		}
	}
	return -1
}

// parseCalendar turns the calendar written under key into a calendar.Spec:
// the strings are parsed here, the structure (overlaps, real dates, a date
// listed twice, no working time at all) is checked by calendar.Check, the
// one place those rules live. An empty standard_day is the most common
// length of a regular working day.
func parseCalendar(ps *problems, key string, cal Calendar, dir string) calendar.Spec {
	spec := calendar.Spec{Zone: cal.Timezone}
	if strings.TrimSpace(cal.Timezone) == "" || cal.Timezone == "Local" {
		ps.add(key+".timezone", cal.Timezone, "must name an IANA time zone, e.g. Asia/Shanghai")
	} else if _, err := time.LoadLocation(cal.Timezone); err != nil {
		ps.add(key+".timezone", cal.Timezone, "unknown IANA time zone")
	}
	for _, day := range sortedKeys(cal.Hours) {
		i := weekdayIndex(day)
		if i < 0 {
			ps.add(key+".hours."+day, strings.Join(cal.Hours[day], ","), "unknown weekday: use mon, tue, wed, thu, fri, sat, sun")
			continue
		}
		spec.Week[i] = parseWindows(ps, key+".hours."+day, cal.Hours[day])
	}
	spec.Holidays = parseDays(ps, key+".holidays", cal.Holidays)
	spec.Holidays = append(spec.Holidays, icsHolidays(ps, key+".holidays_ics", cal.HolidaysICS, spec.Holidays, dir)...)
	spec.Workdays = parseDays(ps, key+".workdays", cal.Workdays)

	if cal.StandardDay != "" {
		d, err := time.ParseDuration(cal.StandardDay)
		switch {
		case err != nil:
			ps.add(key+".standard_day", cal.StandardDay, "not a duration (e.g. 8h, 7h30m)")
		case d <= 0 || d > 24*time.Hour:
			ps.add(key+".standard_day", cal.StandardDay, "must be more than 0 and at most 24h")
		default:
			spec.StandardDay = d
		}
	} else if spec.StandardDay = regularDay(spec.Week); spec.StandardDay == 0 && hasDatedWorkingDay(spec) {
		ps.add(key+".standard_day", "", "not set, and no weekday has working hours to take it from")
	}
	for _, p := range calendar.Check(spec, key) {
		if !ps.has(p.Key) {
			*ps = append(*ps, Problem{Key: p.Key, Value: p.Value, Why: p.Why})
		}
	}
	if spec.StandardDay == 0 {
		spec.StandardDay = 8 * time.Hour // only to read "wd" durations while listing problems
	}
	return spec
}

// icsHolidays reads the closed dates of iCalendar files (a relative path as
// given, else beside the config file); a date the YAML already lists (a
// half day, say) keeps its YAML entry.
func icsHolidays(ps *problems, key string, files []string, listed []calendar.Day, dir string) []calendar.Day {
	seen := map[string]bool{}
	for _, d := range listed {
		seen[d.Date] = true
	}
	var out []calendar.Day
	for i, f := range files {
		dates, err := ics.LoadFile(icsPath(f, dir))
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				ps.add(fmt.Sprintf("%s[%d]", key, i), f, "%s", line)
			}
			continue
		}
		for _, d := range ics.Days(dates) {
			if !seen[d.Date] {
				seen[d.Date] = true
				out = append(out, d)
			}
		}
	}
	return out
}

// parseCalendars parses calendar and every named calendar; the default is
// named policy.DefaultCalendar.
func parseCalendars(ps *problems, def Calendar, named map[string]Calendar, dir string) map[string]calendar.Spec {
	out := map[string]calendar.Spec{policy.DefaultCalendar: parseCalendar(ps, "calendar", def, dir)}
	for _, name := range sortedKeys(named) {
		key := "calendars." + name
		if name == policy.DefaultCalendar {
			ps.add(key, name, "the name %q is the top-level calendar's: choose another", name)
			continue
		}
		out[name] = parseCalendar(ps, key, named[name], dir)
	}
	return out
}

// parseWindows parses "09:00-12:00" windows; a bad one is a problem and left out.
func parseWindows(ps *problems, key string, list []string) []calendar.Window {
	var out []calendar.Window
	for i, s := range list {
		w, err := calendar.ParseWindow(s)
		if err != nil {
			ps.add(fmt.Sprintf("%s[%d]", key, i), s, "not a window like 09:00-12:00: %v", err)
			continue
		}
		out = append(out, w)
	}
	return out
}

// parseDays parses dated exceptions; calendar.Check checks their dates.
func parseDays(ps *problems, key string, list []DateEntry) []calendar.Day {
	var out []calendar.Day
	for j, d := range list {
		out = append(out, calendar.Day{Date: d.Date, Windows: parseWindows(ps, fmt.Sprintf("%s[%d].hours", key, j), d.Hours)})
	}
	return out
}

// regularDay is the most common non-zero length of a weekday's windows.
func regularDay(week [7][]calendar.Window) time.Duration {
	count := map[time.Duration]int{}
	for _, ws := range week {
		var total time.Duration
		for _, w := range ws {
			total += time.Duration(w.End-w.Start) * time.Second
		}
		if total > 0 {
			count[total]++
		}
	}
	var best time.Duration
	for d, n := range count {
		if n > count[best] || (n == count[best] && d > best) {
			best = d
		}
	}
	return best
}

func hasDatedWorkingDay(s calendar.Spec) bool {
	for _, d := range s.Holidays {
		if len(d.Windows) > 0 {
			return true
		}
	}
	for _, d := range s.Workdays {
		if len(d.Windows) > 0 {
			return true
		}
	}
	return false
}

// icsPath is where a holidays_ics entry is read: as written when that file
// exists (absolute, or relative to the working directory), else beside the
// configuration file (dir).
func icsPath(f, dir string) string {
	if filepath.IsAbs(f) || dir == "" {
		return f
	}
	if _, err := os.Stat(f); err == nil {
		return f
	}
	return filepath.Join(dir, f)
}

// ICSPath is where this configuration read a holidays_ics entry from.
func (c *Config) ICSPath(f string) string { return icsPath(f, c.dir) }
