package calendar

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNewRejects(t *testing.T) {
	good := officeSpec("Asia/Shanghai")
	cases := []struct {
		name   string
		mutate func(*Spec)
		want   string // substring of the error
	}{
		{"unknown zone", func(s *Spec) { s.Zone = "Mars/Olympus" }, `calendar.timezone "Mars/Olympus": unknown IANA zone`},
		{"empty zone", func(s *Spec) { s.Zone = "" }, "calendar.timezone"},
		{"local zone", func(s *Spec) { s.Zone = "Local" }, "calendar.timezone"},
		{"overlap", func(s *Spec) { s.Week[time.Monday] = w("09:00-12:00", "11:00-18:00") }, "calendar.hours.mon: windows 09:00-12:00 and 11:00-18:00 overlap"},
		{"inverted window", func(s *Spec) { s.Week[time.Tuesday] = []Window{{Start: 3600, End: 60}} }, `calendar.hours.tue[0] "01:00-00:01"`},
		{"window past midnight", func(s *Spec) { s.Week[time.Tuesday] = []Window{{Start: 3600, End: daySec + 1}} }, "calendar.hours.tue[0]"},
		{"bad holiday date", func(s *Spec) { s.Holidays = []Day{{Date: "2026-02-30"}} }, `calendar.holidays[0].date "2026-02-30"`},
		{"malformed workday date", func(s *Spec) { s.Workdays = []Day{{Date: "10/10/2026"}} }, `calendar.workdays[0].date "10/10/2026"`},
		{"holiday listed twice", func(s *Spec) { s.Holidays = []Day{{Date: "2026-10-01"}, {Date: "2026-10-01"}} }, "already listed as calendar.holidays[0]"},
		{"holiday and workday", func(s *Spec) {
			s.Holidays = []Day{{Date: "2026-10-10"}}
			s.Workdays = []Day{{Date: "2026-10-10"}}
		}, "calendar.workdays[0].date"},
		{"bad half day", func(s *Spec) { s.Holidays = []Day{{Date: "2026-12-31", Windows: w("09:00-12:00", "10:00-11:00")}} }, "calendar.holidays[0].hours"},
		{"no working time", func(s *Spec) { s.Week = [7][]Window{} }, "no working time at all"},
		{"only holidays", func(s *Spec) { s.Week = [7][]Window{}; s.Holidays = []Day{{Date: "2026-10-01"}} }, "no working time at all"},
		{"workday with nothing to copy", func(s *Spec) {
			s.Week = [7][]Window{time.Saturday: w("10:00-12:00")}
			s.Workdays = []Day{{Date: "2026-10-11"}}
		}, "no hours given and no Monday-Friday hours to copy"},
		{"negative standard day", func(s *Spec) { s.StandardDay = -time.Hour }, "calendar.standard_day"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := good
			s.Week = good.Week
			tc.mutate(&s)
			c, err := New(s)
			if err == nil {
				t.Fatalf("New accepted the spec: %+v", c)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestNewListsEveryProblem(t *testing.T) {
	s := officeSpec("Nowhere/Town")
	s.Holidays = []Day{{Date: "2026-13-01"}}
	s.Week[time.Friday] = w("09:00-12:00", "10:00-11:00")
	_, err := New(s)
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"calendar.timezone", "calendar.holidays[0]", "calendar.hours.fri"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q misses %q", err, want)
		}
	}
}

func TestNewAccepts(t *testing.T) {
	// Touching windows, unsorted windows, a workday-only calendar.
	s := Spec{Zone: "UTC", Week: [7][]Window{time.Monday: w("13:00-18:00", "09:00-12:00", "12:00-13:00")}}
	c, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.StandardDay(); got != 9*time.Hour {
		t.Errorf("default standard day = %v, want 9h", got)
	}
	if got := c.RegularWindows(); len(got) != 3 || got[0] != (Window{9 * 3600, 12 * 3600}) {
		t.Errorf("regular windows = %v, want sorted", got)
	}
	if _, err := New(Spec{Zone: "Asia/Shanghai", Workdays: []Day{{Date: "2026-10-10", Windows: w("09:00-10:00")}}}); err != nil {
		t.Errorf("workday-only calendar rejected: %v", err)
	}
	if got := cals["office"].StandardDay(); got != 8*time.Hour {
		t.Errorf("office standard day = %v, want 8h (the regular windows)", got)
	}
	spec := officeSpec("Asia/Shanghai")
	spec.StandardDay = 7 * time.Hour
	if got := MustNew(spec).StandardDay(); got != 7*time.Hour {
		t.Errorf("configured standard day = %v, want 7h", got)
	}
	if c.Location().String() != "UTC" || c.Spec().Zone != "UTC" {
		t.Errorf("Location/Spec do not reflect the spec")
	}
}

func TestRegularWindowsFallBackToFirstWeekday(t *testing.T) {
	c := MustNew(Spec{Zone: "Asia/Shanghai", Week: [7][]Window{
		time.Wednesday: w("10:00-14:00"), time.Thursday: w("08:00-09:00"),
	}, Workdays: []Day{{Date: "2026-10-10"}}})
	if got := c.WindowsOn(at(t, "2026-10-10T12:00:00+08:00")); len(got) != 1 || got[0].String() != "10:00-14:00" {
		t.Errorf("make-up Saturday windows = %v, want Wednesday's", got)
	}
	if got := c.WindowsOn(at(t, "2026-10-09T12:00:00+08:00")); len(got) != 0 {
		t.Errorf("Friday windows = %v, want none", got)
	}
}

// A calendar made only of dated workdays runs out of working time: the scan
// stops at once and answers Never instead of looping.
func TestRunsOutOfWorkingTime(t *testing.T) {
	c := MustNew(Spec{Zone: "Europe/Berlin", Workdays: []Day{
		{Date: "2026-10-10", Windows: w("09:00-10:00")},
		{Date: "2027-10-09", Windows: w("09:00-10:00")},
	}})
	start := at(t, "2026-01-01T00:00:00+01:00")
	if got := c.Add(start, 90*time.Minute); got.Format(time.RFC3339) != "2027-10-09T09:30:00+02:00" {
		t.Errorf("Add across the two days = %s", got.Format(time.RFC3339))
	}
	if got := c.Add(start, 3*time.Hour); !got.Equal(Never) {
		t.Errorf("Add past the last working day = %s, want Never", got)
	}
	if got := c.NextOpen(at(t, "2027-10-09T10:00:00+02:00")); !got.Equal(Never) {
		t.Errorf("NextOpen after the last working day = %s, want Never", got)
	}
	if got := c.Between(start, at(t, "2090-01-01T00:00:00Z")); got != 2*time.Hour {
		t.Errorf("Between = %v, want 2h", got)
	}
	// A huge target on a tiny calendar still ends (at the year 9999 cap).
	tiny := MustNew(Spec{Zone: "UTC", Week: [7][]Window{time.Monday: w("09:00-09:01")}})
	if got := tiny.Add(start, 1<<62); !got.Equal(Never) {
		t.Errorf("Add beyond year 9999 = %s, want Never", got)
	}
}

func TestConcurrentUse(t *testing.T) {
	c := cals["cn"]
	start := at(t, "2026-09-01T10:00:00+08:00")
	want := c.Add(start, 30*8*time.Hour)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if got := c.Add(start, 30*8*time.Hour); !got.Equal(want) {
					t.Errorf("concurrent Add = %s, want %s", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestZeroAllocations(t *testing.T) {
	c := cals["cn"]
	start := at(t, "2026-09-25T16:00:00+08:00")
	end := at(t, "2026-11-25T16:00:00+08:00")
	if n := testing.AllocsPerRun(100, func() { sinkTime = c.Add(start, 22*8*time.Hour) }); n != 0 {
		t.Errorf("Add allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { sinkDur = c.Between(start, end) }); n != 0 {
		t.Errorf("Between allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { sinkTime = c.NextOpen(start) }); n != 0 {
		t.Errorf("NextOpen allocates %v times", n)
	}
}
