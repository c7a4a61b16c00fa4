package ics

import (
	"slices"
	"strings"
	"testing"
)

func TestClosedDates(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // "YYYY-MM-DD summary"
	}{
		{"single day, no DTEND", cal(ev("UID:a", "SUMMARY:元旦", "DTSTART;VALUE=DATE:20260101")),
			[]string{"2026-01-01 元旦"}},
		{"single day, DTEND the next day", cal(ev("UID:a", "SUMMARY:元旦", "DTSTART;VALUE=DATE:20260101", "DTEND;VALUE=DATE:20260102")),
			[]string{"2026-01-01 元旦"}},
		{"multi-day range, DTEND exclusive", cal(ev("UID:a", "SUMMARY:国庆节", "DTSTART;VALUE=DATE:20261001", "DTEND;VALUE=DATE:20261008")),
			[]string{"2026-10-01 国庆节", "2026-10-02 国庆节", "2026-10-03 国庆节", "2026-10-04 国庆节", "2026-10-05 国庆节", "2026-10-06 国庆节", "2026-10-07 国庆节"}},
		{"DURATION in days", cal(ev("UID:a", "SUMMARY:清明节", "DTSTART;VALUE=DATE:20260404", "DURATION:P3D")),
			[]string{"2026-04-04 清明节", "2026-04-05 清明节", "2026-04-06 清明节"}},
		{"DURATION in weeks", cal(ev("UID:a", "SUMMARY:shutdown", "DTSTART;VALUE=DATE:20261228", "DURATION:P1W")),
			[]string{"2026-12-28 shutdown", "2026-12-29 shutdown", "2026-12-30 shutdown", "2026-12-31 shutdown", "2027-01-01 shutdown", "2027-01-02 shutdown", "2027-01-03 shutdown"}},
		{"crossing a year boundary", cal(ev("UID:a", "SUMMARY:New Year", "DTSTART;VALUE=DATE:20261231", "DTEND;VALUE=DATE:20270103")),
			[]string{"2026-12-31 New Year", "2027-01-01 New Year", "2027-01-02 New Year"}},
		{"duplicates across events are listed once, with each distinct summary",
			cal(
				ev("UID:a", "SUMMARY:国庆节", "DTSTART;VALUE=DATE:20251001", "DTEND;VALUE=DATE:20251004"),
				ev("UID:b", "SUMMARY:中秋节", "DTSTART;VALUE=DATE:20251003", "DTEND;VALUE=DATE:20251005"),
				ev("UID:c", "SUMMARY:国庆节", "DTSTART;VALUE=DATE:20251001"),
			),
			[]string{"2025-10-01 国庆节", "2025-10-02 国庆节", "2025-10-03 国庆节; 中秋节", "2025-10-04 中秋节"}},
		{"sorted whatever the event order",
			cal(
				ev("UID:a", "SUMMARY:late", "DTSTART;VALUE=DATE:20261225"),
				ev("UID:b", "SUMMARY:early", "DTSTART;VALUE=DATE:20260101"),
			),
			[]string{"2026-01-01 early", "2026-12-25 late"}},
		{"empty calendar: no dates, no error", cal(), []string{}},
		{"other components ignored, VALARM inside an event fine",
			head + "BEGIN:VTIMEZONE\nTZID:Asia/Shanghai\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0800\nTZOFFSETTO:+0800\nEND:STANDARD\nEND:VTIMEZONE\n" +
				"BEGIN:VTODO\nUID:t\nDTSTART:20260301T090000\nEND:VTODO\n" +
				"BEGIN:VEVENT\nUID:a\nSUMMARY:端午节\nDTSTART;VALUE=DATE:20260619\nBEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:-PT15M\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n",
			[]string{"2026-06-19 端午节"}},
		{"CRLF and folded lines",
			"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//svcflow//test//EN\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:国庆\r\n 节 National\r\n  Day\r\nDTST\r\n ART;VALUE=DATE:2026\r\n\t1001\r\nDTEND;VALUE=DATE:20261003\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
			[]string{"2026-10-01 国庆节 National Day", "2026-10-02 国庆节 National Day"}},
		{"UTF-8 BOM accepted", "\ufeff" + cal(ev("UID:a", "SUMMARY:国庆节", "DTSTART;VALUE=DATE:20261001")),
			[]string{"2026-10-01 国庆节"}},
		{"escaped text in SUMMARY", cal(ev("UID:a", `SUMMARY:Mid-Autumn\, National Day\; 中秋节`, "DTSTART;VALUE=DATE:20261001")),
			[]string{"2026-10-01 Mid-Autumn, National Day; 中秋节"}},
		{"bare 8-digit date without VALUE=DATE, TZID on a date changes nothing",
			cal(ev("UID:a", "SUMMARY:x", "DTSTART:20260501", "DTEND;TZID=America/New_York;VALUE=DATE:20260503")),
			[]string{"2026-05-01 x", "2026-05-02 x"}},
		{"no SUMMARY: the date still closes", cal(ev("UID:a", "DTSTART;VALUE=DATE:20260501")),
			[]string{"2026-05-01"}},
		{"lower-case property and parameter names", cal(ev("uid:a", "summary:x", "dtstart;value=date:20260501", "duration:p2d")),
			[]string{"2026-05-01 x", "2026-05-02 x"}},
		{"366 days is the longest span", cal(ev("UID:a", "SUMMARY:year", "DTSTART;VALUE=DATE:20280101", "DURATION:P366D")),
			nil}, // checked by count below
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ClosedDates(strings.NewReader(tt.in), "t.ics")
			if err != nil {
				t.Fatalf("ClosedDates: %v", err)
			}
			if tt.want == nil {
				if len(got) != 366 || got[0].Date != "2028-01-01" || got[365].Date != "2028-12-31" {
					t.Fatalf("got %d dates %v .. %v, want 366 from 2028-01-01 to 2028-12-31", len(got), got[0], got[len(got)-1])
				}
				return
			}
			if g := dates(got); !slices.Equal(g, tt.want) {
				t.Errorf("got  %q\nwant %q", g, tt.want)
			}
		})
	}
}

func TestClosedDatesRefuses(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // one substring per error line, in order
	}{
		{"timed event, named by SUMMARY, UID and line",
			cal(ev("UID:cn-1", "SUMMARY:国庆节", "DTSTART:20261001T090000", "DTEND:20261001T180000")),
			[]string{`t.ics:4: event "国庆节" (UID cn-1): DTSTART "20261001T090000" has a time of day: only all-day events close dates; write DTSTART;VALUE=DATE:20261001 or remove the event`}},
		{"timed event with TZID",
			cal(ev("UID:a", "DTSTART;TZID=Asia/Shanghai:20261001T000000", "DTEND;TZID=Asia/Shanghai:20261002T000000")),
			[]string{`t.ics:4: event (UID a): DTSTART "20261001T000000" has a time of day`}},
		{"all-day start, timed end",
			cal(ev("SUMMARY:x", "DTSTART;VALUE=DATE:20261001", "DTEND:20261002T120000Z")),
			[]string{`t.ics:4: event "x": DTEND "20261002T120000Z" has a time of day`}},
		{"malformed date", cal(ev("UID:a", "SUMMARY:x", "DTSTART;VALUE=DATE:2026-10-01")),
			[]string{`t.ics:4: event "x" (UID a): DTSTART "2026-10-01" is not a date: want DTSTART;VALUE=DATE:YYYYMMDD`}},
		{"not a real date", cal(ev("UID:a", "SUMMARY:x", "DTSTART;VALUE=DATE:20260230")),
			[]string{`DTSTART "20260230" is not a real date`}},
		{"VALUE=DATE with a time", cal(ev("UID:a", "DTSTART;VALUE=DATE:20261001T000000")),
			[]string{`DTSTART "20261001T000000" is not a date`}},
		{"VALUE=DATE-TIME without a time", cal(ev("UID:a", "DTSTART;VALUE=DATE-TIME:20261001")),
			[]string{`DTSTART "20261001" has VALUE=DATE-TIME but no time of day: write DTSTART;VALUE=DATE:20261001`}},
		{"VALUE=PERIOD", cal(ev("UID:a", "DTSTART;VALUE=PERIOD:20261001")),
			[]string{`has VALUE=PERIOD: want DTSTART;VALUE=DATE:YYYYMMDD`}},
		{"no DTSTART", cal(ev("UID:a", "SUMMARY:x")),
			[]string{`t.ics:4: event "x" (UID a): no DTSTART`}},
		{"two DTSTART", cal(ev("UID:a", "DTSTART;VALUE=DATE:20261001", "DTSTART;VALUE=DATE:20261002")),
			[]string{`DTSTART given 2 times`}},
		{"DTEND equal to DTSTART", cal(ev("UID:a", "DTSTART;VALUE=DATE:20261001", "DTEND;VALUE=DATE:20261001")),
			[]string{`DTEND 20261001 is not after DTSTART 20261001: DTEND is exclusive, a one-day event ends the next day (20261002) or has no DTEND`}},
		{"DTEND before DTSTART", cal(ev("UID:a", "DTSTART;VALUE=DATE:20261008", "DTEND;VALUE=DATE:20261001")),
			[]string{`DTEND 20261001 is not after DTSTART 20261008`}},
		{"DTEND and DURATION", cal(ev("UID:a", "DTSTART;VALUE=DATE:20261001", "DTEND;VALUE=DATE:20261002", "DURATION:P1D")),
			[]string{`both DTEND and DURATION`}},
		{"DURATION with hours", cal(ev("UID:a", "DTSTART;VALUE=DATE:20261001", "DURATION:PT24H")),
			[]string{`DURATION "PT24H": an all-day event lasts whole days or weeks: want P<n>D or P<n>W`}},
		{"negative DURATION", cal(ev("UID:a", "DTSTART;VALUE=DATE:20261001", "DURATION:-P1D")),
			[]string{`DURATION "-P1D": an all-day event lasts whole days`}},
		{"zero DURATION", cal(ev("UID:a", "DTSTART;VALUE=DATE:20261001", "DURATION:P0D")),
			[]string{`DURATION "P0D": zero length`}},
		{"huge DURATION", cal(ev("UID:a", "DTSTART;VALUE=DATE:20261001", "DURATION:P99999999999999999999D")),
			[]string{`DURATION "P99999999999999999999D": more than 366 days is refused`}},
		{"span over 366 days (a typo in the year)", cal(ev("UID:a", "SUMMARY:国庆节", "DTSTART;VALUE=DATE:20261001", "DTEND;VALUE=DATE:20271008")),
			[]string{`spans 372 days (2026-10-01 to 2027-10-07): more than 366 is refused as a likely mistake (check the year of DTEND)`}},
		{"yearly RRULE refused by name", cal(ev("UID:ny", "SUMMARY:New Year", "DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY")),
			[]string{`t.ics:4: event "New Year" (UID ny): RRULE: recurring events are not supported (holidays move every year by notice); list each year's closed dates as their own all-day event`}},
		{"RDATE and EXDATE refused", cal(ev("UID:a", "DTSTART;VALUE=DATE:20260101", "RDATE;VALUE=DATE:20270101", "EXDATE;VALUE=DATE:20260101")),
			[]string{`RDATE, EXDATE: recurring events are not supported`}},
		{"cancelled event", cal(ev("UID:a", "SUMMARY:x", "STATUS:CANCELLED", "DTSTART;VALUE=DATE:20260101")),
			[]string{`STATUS:CANCELLED: a cancelled event closes nothing; delete it from the file`}},
		{"make-up working day in a holidays file", cal(ev("UID:a", "SUMMARY:上班(补春节假期)", "DTSTART;VALUE=DATE:20260214", "DTEND;VALUE=DATE:20260215")),
			[]string{`t.ics:4: event "上班(补春节假期)" (UID a): SUMMARY says "上班", a working day: make-up working days belong in calendar.workdays, not in a holidays file`}},
		{"make-up working day in English", cal(ev("UID:a", "SUMMARY:Adjusted Working Day", "DTSTART;VALUE=DATE:20260214")),
			[]string{`SUMMARY says "working day"`}},
		{"UID used twice",
			cal(
				ev("UID:same", "SUMMARY:a", "DTSTART;VALUE=DATE:20261001"),
				ev("UID:same", "SUMMARY:b", "DTSTART;VALUE=DATE:20261002"),
			),
			[]string{`t.ics:9: event "b" (UID same): UID "same" is also the UID of the event at line 4: each event needs its own UID`}},
		{"every problem of the file at once, one line each, in file order",
			cal(
				ev("UID:ok", "SUMMARY:fine", "DTSTART;VALUE=DATE:20261001"),                                                          // lines 4-8
				ev("UID:t", "SUMMARY:meeting", "DTSTART:20261002T090000"),                                                            // lines 9-13
				ev("UID:r", "SUMMARY:rule", "DTSTART;VALUE=DATE:20261003", "RRULE:FREQ=YEARLY;COUNT=3", "DTEND;VALUE=DATE:20261003"), // lines 14-20
				ev("UID:m", "SUMMARY:bad", "DTSTART;VALUE=DATE:2026103"),                                                             // lines 21-25
			),
			[]string{
				`t.ics:9: event "meeting" (UID t): DTSTART "20261002T090000" has a time of day`,
				`t.ics:14: event "rule" (UID r): RRULE: recurring events are not supported`,
				`t.ics:14: event "rule" (UID r): DTEND 20261003 is not after DTSTART 20261003`,
				`t.ics:21: event "bad" (UID m): DTSTART "2026103" is not a date`,
			}},
		{"a VEVENT nested in another component would be skipped",
			head + "BEGIN:VTODO\nUID:t\nBEGIN:VEVENT\nUID:x\nDTSTART;VALUE=DATE:20261001\nEND:VEVENT\nEND:VTODO\n" + ev("UID:a", "DTSTART:20261001T090000") + "END:VCALENDAR\n",
			[]string{
				`t.ics: 2 BEGIN:VEVENT lines, 1 of them at the top level: a VEVENT inside another component is not read; move it out`,
				`t.ics: event #1 (UID a): DTSTART "20261001T090000" has a time of day`,
			}},
		{"a folded BEGIN:VEVENT: events named by number",
			head + "BEGIN:VEV\n ENT\nUID:a\nDTSTART:20261001T090000\nEND:VEVENT\nEND:VCALENDAR\n",
			[]string{`t.ics: event #1 (UID a): DTSTART "20261001T090000" has a time of day`}},
		{"lower-case BEGIN:VEVENT would be skipped by the parser",
			head + "begin:vevent\nUID:a\nDTSTART;VALUE=DATE:20261001\nend:vevent\nEND:VCALENDAR\n",
			[]string{`t.ics:4: "begin:vevent": write BEGIN:VEVENT exactly`}},
		{"lower-case BEGIN:VEVENT reported beside a parser error",
			head + "begin:vevent\nUID:a\nend:vevent\nBEGIN:VEVENT\nDTSTART;VALUE\nEND:VEVENT\nEND:VCALENDAR\n",
			[]string{`t.ics:4: "begin:vevent": write BEGIN:VEVENT exactly`, `t.ics:8: "DTSTART;VALUE" is not a valid iCalendar line`}},
		{"empty file", "", []string{`t.ics: empty file: not an iCalendar file (want BEGIN:VCALENDAR ... END:VCALENDAR)`}},
		{"blank file", "\r\n  \n", []string{`t.ics: empty file`}},
		{"not a calendar: text", "holidays:\n  - 2026-10-01\n", []string{`t.ics:1: not an iCalendar file: want BEGIN:VCALENDAR first, got "holidays:"`}},
		{"not a calendar: JSON", "\n{\"2026-10-01\": \"国庆节\"}\n", []string{`t.ics:2: not an iCalendar file: want BEGIN:VCALENDAR first, got "{\"2026-10-01\": \"国庆节\"}"`}},
		{"not a calendar: binary", "BEGIN:VCALENDAR\n\xff\xfe\x00\x01\nEND:VCALENDAR\n", []string{`t.ics:2: not UTF-8 text: not an iCalendar file`}},
		{"not a calendar: a vCard", "BEGIN:VCARD\nVERSION:4.0\nFN:x\nEND:VCARD\n", []string{`t.ics:1: not an iCalendar file: want BEGIN:VCALENDAR first, got "BEGIN:VCARD"`}},
		{"truncated file", head + "BEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20261001\n", []string{`t.ics:6: truncated iCalendar file: want END:VCALENDAR last, got "DTSTART;VALUE=DATE:20261001"`}},
		{"syntax errors the parser refuses, every line named",
			cal(ev("UID:a", "DTSTART;VALUE=DATE"), ev("UID:b", "SUMMARY no colon", "DTSTART;VALUE=DATE:20261001")),
			[]string{
				`t.ics:6: "DTSTART;VALUE=DATE" is not a valid iCalendar line: parsing property DTSTART: unexpected end of property DTSTART`,
				`t.ics:10: "SUMMARY no colon" is not a valid iCalendar line: want NAME[;PARAM=VALUE]:VALUE`,
			}},
		{"a bad folded line is named by the line it starts on",
			head + "BEGIN:VEVENT\nUID:a\nDTSTART;VA\n LUE=DATE\nEND:VEVENT\nEND:VCALENDAR\n",
			[]string{`t.ics:6: "DTSTART;VALUE=DATE" is not a valid iCalendar line`}},
		{"mismatched END: the parser's reason", head + "BEGIN:VEVENT\nUID:a\nEND:VTODO\nEND:VCALENDAR\n", []string{`t.ics: not a valid iCalendar file: failed to parse event: unbalanced end`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ClosedDates(strings.NewReader(tt.in), "t.ics")
			if got != nil {
				t.Errorf("dates = %v, want none on error", got)
			}
			lines := errLines(t, err)
			if len(lines) != len(tt.want) {
				t.Fatalf("got %d error lines, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.Contains(lines[i], w) {
					t.Errorf("error line %d:\n got  %s\n want ...%s...", i+1, lines[i], w)
				}
			}
		})
	}
}

func TestClosedDatesUnwrap(t *testing.T) {
	_, err := ClosedDates(strings.NewReader(cal(
		ev("UID:a", "DTSTART:20261001T090000"),
		ev("UID:b", "DTSTART:20261002T090000"),
	)), "t.ics")
	u, ok := err.(interface{ Unwrap() []error })
	if !ok || len(u.Unwrap()) != 2 {
		t.Fatalf("err = %#v, want a joined error of 2 problems", err)
	}
}

func TestLoadFile(t *testing.T) {
	_, err := LoadFile("testdata/missing.ics")
	if err == nil || !strings.Contains(err.Error(), "testdata/missing.ics") {
		t.Fatalf("LoadFile(missing) = %v, want an error naming the file", err)
	}
}

func TestDays(t *testing.T) {
	got := Days([]Date{{Date: "2026-10-01", Summary: "国庆节"}, {Date: "2026-10-02"}})
	if len(got) != 2 || got[0].Date != "2026-10-01" || got[1].Date != "2026-10-02" || got[0].Windows != nil {
		t.Fatalf("Days = %+v", got)
	}
}
