package ics

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	ical "github.com/arran4/golang-ical"
)

// maxFileSize bounds what is read: a year of holidays is a few kilobytes.
const maxFileSize = 4 << 20

var utf8BOM = []byte("\ufeff")

// LoadFile reads the iCalendar file at path and returns its closed dates, as
// ClosedDates does; errors name the file by path.
func LoadFile(path string) ([]Date, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *fs.PathError: "open PATH: why"
	}
	defer f.Close()
	return ClosedDates(f, path)
}

// ClosedDates reads an iCalendar file and returns the dates its all-day
// events close, sorted and de-duplicated (see the package doc for the rules).
// name is the file's name for the error messages. On any problem it returns
// no dates and an error listing every problem, one line each.
func ClosedDates(r io.Reader, name string) ([]Date, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s: larger than %d MiB: not a holidays calendar", name, maxFileSize>>20)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if err := checkFrame(data, name); err != nil {
		return nil, err
	}

	begins, problems := veventLines(data, name)
	cal, err := ical.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		if bad := badLines(data, name); len(bad) > 0 {
			return nil, errors.Join(append(problems, bad...)...)
		}
		return nil, errors.Join(append(problems, fmt.Errorf("%s: not a valid iCalendar file: %v", name, err))...)
	}
	events := cal.Events()
	switch {
	case len(begins) > len(events):
		problems = append(problems, fmt.Errorf("%s: %d BEGIN:VEVENT lines, %d of them at the top level: a VEVENT inside another component is not read; move it out", name, len(begins), len(events)))
		begins = nil
	case len(begins) < len(events):
		begins = nil // a folded BEGIN line: cannot tell which line holds which event, name them by number
	}

	closed := map[string][]string{} // date -> distinct summaries, file order
	uids := map[string]string{}     // UID -> where first seen
	for i, ev := range events {
		ref := newEventRef(ev, i, begins)
		bad := func(format string, args ...any) {
			problems = append(problems, fmt.Errorf("%s: %s", ref.where(name), fmt.Sprintf(format, args...)))
		}
		if ref.uid != "" {
			if prev, dup := uids[ref.uid]; dup {
				bad("UID %q is also the UID of the event %s: each event needs its own UID (a revised event replaces the old one)", ref.uid, prev)
			} else {
				uids[ref.uid] = ref.at()
			}
		}
		start, end, msgs := judge(ev.Properties, ref.summary)
		for _, m := range msgs {
			bad("%s", m)
		}
		if len(msgs) > 0 {
			continue
		}
		for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
			key := d.Format(time.DateOnly)
			if !slices.Contains(closed[key], ref.summary) {
				closed[key] = append(closed[key], ref.summary)
			}
		}
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}

	out := make([]Date, 0, len(closed))
	for date, sums := range closed {
		out = append(out, Date{Date: date, Summary: joinSummaries(sums)})
	}
	slices.SortFunc(out, func(a, b Date) int { return strings.Compare(a.Date, b.Date) })
	return out, nil
}

// joinSummaries joins the non-empty summaries with "; ".
func joinSummaries(sums []string) string {
	return strings.Join(slices.DeleteFunc(slices.Clone(sums), func(s string) bool { return s == "" }), "; ")
}

// checkFrame refuses what is plainly no iCalendar file: an empty file, bytes
// that are not UTF-8, a first line other than BEGIN:VCALENDAR, a last line
// other than END:VCALENDAR (a truncated download would lose events).
func checkFrame(data []byte, name string) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return fmt.Errorf("%s: empty file: not an iCalendar file (want BEGIN:VCALENDAR ... END:VCALENDAR)", name)
	}
	if !utf8.Valid(data) {
		n := 1 + bytes.Count(data[:invalidUTF8At(data)], []byte("\n"))
		return fmt.Errorf("%s:%d: not UTF-8 text: not an iCalendar file", name, n)
	}
	lines := physicalLines(data)
	first, last := -1, -1
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if !strings.EqualFold(strings.TrimSpace(lines[first]), "BEGIN:VCALENDAR") {
		return fmt.Errorf("%s:%d: not an iCalendar file: want BEGIN:VCALENDAR first, got %q", name, first+1, clip(lines[first], 40))
	}
	if !strings.EqualFold(strings.TrimSpace(lines[last]), "END:VCALENDAR") {
		return fmt.Errorf("%s:%d: truncated iCalendar file: want END:VCALENDAR last, got %q", name, last+1, clip(lines[last], 40))
	}
	return nil
}

// veventLines returns the line numbers (from 1) of the BEGIN:VEVENT lines, in
// file order: the parser keeps events in that order, so the i-th event began
// on the i-th of them. A BEGIN:VEVENT not in upper case is a problem: the
// parser would not see an event there and its dates would be lost silently.
func veventLines(data []byte, name string) ([]int, []error) {
	var lines []int
	var problems []error
	for i, l := range physicalLines(data) {
		switch {
		case l == "BEGIN:VEVENT":
			lines = append(lines, i+1)
		case strings.EqualFold(strings.TrimSpace(l), "BEGIN:VEVENT"):
			problems = append(problems, fmt.Errorf("%s:%d: %q: write BEGIN:VEVENT exactly, in upper case with nothing around it; the parser would skip this event", name, i+1, l))
		}
	}
	return lines, problems
}

// physicalLines splits data into lines without their CR LF or LF.
func physicalLines(data []byte) []string {
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

func invalidUTF8At(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(data)
}

// clip shortens s to n runes for an error message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "..."
}
