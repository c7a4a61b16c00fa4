package ics

import (
	"slices"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
)

// sampleFile is the shipped sample of mainland China's 2026 public holidays.
const sampleFile = "../../../config/holidays/cn-2026.ics"

// cn2026 are the closed dates of the State Council notice on the 2026
// holidays (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04).
var cn2026 = []struct{ first, last, summary string }{
	{"2026-01-01", "2026-01-03", "元旦 New Year's Day"},
	{"2026-02-15", "2026-02-23", "春节 Spring Festival"},
	{"2026-04-04", "2026-04-06", "清明节 Qingming Festival"},
	{"2026-05-01", "2026-05-05", "劳动节 Labour Day"},
	{"2026-06-19", "2026-06-21", "端午节 Dragon Boat Festival"},
	{"2026-09-25", "2026-09-27", "中秋节 Mid-Autumn Festival"},
	{"2026-10-01", "2026-10-07", "国庆节 National Day"},
}

// cn2026Workdays are that notice's make-up working days (调休上班), all on a
// weekend; they are not in the .ics file but in calendar.workdays.
var cn2026Workdays = []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}

func TestSampleCN2026(t *testing.T) {
	got, err := LoadFile(sampleFile)
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	var want []string
	for _, h := range cn2026 {
		first, _ := time.Parse(time.DateOnly, h.first)
		last, _ := time.Parse(time.DateOnly, h.last)
		for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
			want = append(want, d.Format(time.DateOnly)+" "+h.summary)
		}
	}
	if g := dates(got); !slices.Equal(g, want) {
		t.Fatalf("closed dates:\n got  %q\n want %q", g, want)
	}
	if len(got) != 33 {
		t.Errorf("%d closed dates, want 33 (3+9+3+5+3+3+7)", len(got))
	}
	for _, w := range cn2026Workdays {
		if slices.ContainsFunc(got, func(d Date) bool { return d.Date == w }) {
			t.Errorf("make-up working day %s is closed by the sample", w)
		}
	}
}

// TestSampleCN2026Calendar builds the calendar the config will build: the
// sample's dates as holidays, the make-up days as workdays, Mon-Fri hours.
func TestSampleCN2026Calendar(t *testing.T) {
	got, err := LoadFile(sampleFile)
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	day := []calendar.Window{{Start: 9 * 3600, End: 18 * 3600}}
	spec := calendar.Spec{Zone: "Asia/Shanghai", Holidays: Days(got)}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		spec.Week[wd] = day
	}
	for _, w := range cn2026Workdays {
		spec.Workdays = append(spec.Workdays, calendar.Day{Date: w})
	}
	c, err := calendar.New(spec)
	if err != nil {
		t.Fatalf("calendar.New: %v", err)
	}
	at := func(date string) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, date, c.Location())
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(10 * time.Hour)
	}
	for _, tc := range []struct {
		date string
		open bool
	}{
		{"2026-01-02", false}, // Friday, New Year
		{"2026-01-04", true},  // Sunday, make-up working day
		{"2026-02-23", false}, // Monday, last day of Spring Festival
		{"2026-02-24", true},  // Tuesday, back to work
		{"2026-02-28", true},  // Saturday, make-up working day
		{"2026-04-06", false}, // Monday, Qingming
		{"2026-05-05", false}, // Tuesday, Labour Day
		{"2026-05-09", true},  // Saturday, make-up working day
		{"2026-06-19", false}, // Friday, Dragon Boat
		{"2026-09-20", true},  // Sunday, make-up working day
		{"2026-09-25", false}, // Friday, Mid-Autumn
		{"2026-10-07", false}, // Wednesday, National Day
		{"2026-10-08", true},  // Thursday, back to work
		{"2026-10-10", true},  // Saturday, make-up working day
	} {
		if got := c.IsOpen(at(tc.date)); got != tc.open {
			t.Errorf("%s %s 10:00 open = %v, want %v", tc.date, at(tc.date).Weekday(), got, tc.open)
		}
	}
	for _, w := range cn2026Workdays {
		if wd := at(w).Weekday(); wd != time.Saturday && wd != time.Sunday {
			t.Errorf("make-up working day %s is a %s, want a weekend day", w, wd)
		}
	}
}
