package calendar

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseWindow parses "HH:MM-HH:MM" (seconds optional: "HH:MM:SS") into a
// half-open window [open, close). "24:00" is allowed as a closing time only,
// so "00:00-24:00" is a whole day.
func ParseWindow(s string) (Window, error) {
	open, close, found := strings.Cut(strings.TrimSpace(s), "-")
	if !found {
		return Window{}, fmt.Errorf("window %q: want HH:MM-HH:MM", s)
	}
	a, err := parseClock(strings.TrimSpace(open))
	if err != nil || a >= daySec {
		return Window{}, fmt.Errorf("window %q: bad opening time (want HH:MM, 00:00 to 23:59)", s)
	}
	b, err := parseClock(strings.TrimSpace(close))
	if err != nil {
		return Window{}, fmt.Errorf("window %q: bad closing time (want HH:MM, 00:01 to 24:00)", s)
	}
	if a >= b {
		return Window{}, fmt.Errorf("window %q: closing time must be after opening time", s)
	}
	return Window{Start: a, End: b}, nil
}

// parseClock parses HH:MM or HH:MM:SS into seconds since midnight (24:00 ok).
func parseClock(s string) (int, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, fmt.Errorf("bad clock time %q", s)
	}
	var v [3]int
	limits := [3]int{24, 59, 59}
	for i, p := range parts {
		if len(p) != 2 || p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' {
			return 0, fmt.Errorf("bad clock time %q", s)
		}
		v[i] = int(p[0]-'0')*10 + int(p[1]-'0')
		if v[i] > limits[i] {
			return 0, fmt.Errorf("bad clock time %q", s)
		}
	}
	sec := v[0]*3600 + v[1]*60 + v[2]
	if sec > daySec {
		return 0, fmt.Errorf("bad clock time %q", s)
	}
	return sec, nil
}

// String formats the window as it is written in the config ("09:00-12:00").
func (w Window) String() string { return clockString(w.Start) + "-" + clockString(w.End) }

func clockString(sec int) string {
	if sec%60 != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%02d:%02d", sec/3600, sec/60%60)
}

// ParseDuration parses a Go duration ("90s", "30m", "16h") or "Nwd", N
// standard working days of working time (N may have a fraction: "0.5wd");
// workdays reports whether the wd unit was used. Negative durations are
// rejected.
func ParseDuration(s string, standardDay time.Duration) (d time.Duration, workdays bool, err error) {
	t := strings.TrimSpace(s)
	if num, ok := strings.CutSuffix(t, "wd"); ok {
		if standardDay <= 0 {
			return 0, true, fmt.Errorf("duration %q: wd needs a positive standard working day", s)
		}
		n, err := strconv.ParseFloat(num, 64)
		if err != nil || num == "" || strings.ContainsAny(num, "eEinfINFxXpP_") || n < 0 {
			return 0, true, fmt.Errorf("duration %q: want N wd with N a non-negative number, e.g. 2wd", s)
		}
		f := math.Round(n * float64(standardDay))
		if f >= math.MaxInt64 {
			return 0, true, fmt.Errorf("duration %q: too long", s)
		}
		return time.Duration(f), true, nil
	}
	d, err = time.ParseDuration(t)
	if err != nil {
		return 0, false, fmt.Errorf("duration %q: want Go syntax (90s, 30m, 24h) or Nwd", s)
	}
	if d < 0 {
		return 0, false, fmt.Errorf("duration %q: must not be negative", s)
	}
	return d, false, nil
}

// FormatWorking formats a working duration with whole standard days as "wd":
// 2wd, 1wd4h0m0s, 90m → 1h30m0s (durations under a day use Go syntax).
func (c *Calendar) FormatWorking(d time.Duration) string {
	if d < c.stdDay || c.stdDay <= 0 {
		return d.String()
	}
	n, rest := d/c.stdDay, d%c.stdDay
	if rest == 0 {
		return fmt.Sprintf("%dwd", n)
	}
	return fmt.Sprintf("%dwd%s", n, rest)
}
