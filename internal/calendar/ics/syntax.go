package ics

import (
	"fmt"

	ical "github.com/arran4/golang-ical"
)

// badLines locates what the parser refused: it unfolds the content lines
// (a line starting with a space or tab continues the previous one) and hands
// each to the parser's own property parser, returning one error per line it
// rejects, with the line number where that content line starts. It is only
// called after ParseCalendar failed, to point at the line; a structural
// problem (END without BEGIN, say) has no bad line, and the parser's own
// message is all there is.
func badLines(data []byte, name string) []error {
	var errs []error
	check := func(line int, text string) {
		if text == "" {
			return
		}
		p, err := ical.ParseProperty(ical.ContentLine(text))
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s:%d: %q is not a valid iCalendar line: %v", name, line, clip(text, 40), err))
		case p == nil:
			errs = append(errs, fmt.Errorf("%s:%d: %q is not a valid iCalendar line: want NAME[;PARAM=VALUE]:VALUE", name, line, clip(text, 40)))
		}
	}
	start, text := 0, ""
	for i, l := range physicalLines(data) {
		if l != "" && (l[0] == ' ' || l[0] == '\t') {
			text += l[1:]
			continue
		}
		check(start, text)
		start, text = i+1, l
	}
	check(start, text)
	return errs
}
