package calendar

import "time"

// cals are the calendars of the table tests, by name.
var cals = map[string]*Calendar{
	// CONTRACT §4's office: Mon-Fri 09:00-12:00 and 13:00-18:00, Shanghai.
	"office": MustNew(officeSpec("Asia/Shanghai")),
	// The office with China's 2026 National Day run, make-up days, a
	// holiday on each side of a weekend and a half day on New Year's Eve.
	"cn": MustNew(Spec{
		Zone: "Asia/Shanghai",
		Week: weekdays(w("09:00-12:00", "13:00-18:00")),
		Holidays: []Day{
			{Date: "2026-10-01"}, {Date: "2026-10-02"}, {Date: "2026-10-05"}, {Date: "2026-10-06"}, {Date: "2026-10-07"},
			{Date: "2026-11-20"}, {Date: "2026-11-23"},
			{Date: "2026-12-31", Windows: w("09:00-12:00")},
			{Date: "2027-01-01"},
		},
		Workdays: []Day{
			{Date: "2026-09-27"},                            // Sunday, regular windows
			{Date: "2026-10-10"},                            // Saturday, regular windows
			{Date: "2026-10-11", Windows: w("10:00-15:00")}, // Sunday with its own hours
		},
	}),
	// Fractional hours: 08:30-12:15 and 13:45-17:40 (7h40m a day).
	"frac": MustNew(Spec{Zone: "Asia/Shanghai", Week: weekdays(w("08:30-12:15", "13:45-17:40"))}),
	// Round the clock, every day.
	"24x7": MustNew(Spec{Zone: "Asia/Shanghai", Week: everyDay(w("00:00-24:00"))}),
	// Different hours per weekday.
	"perday": MustNew(Spec{Zone: "Europe/Berlin", Week: [7][]Window{
		time.Monday:    w("08:00-16:00"),
		time.Tuesday:   w("10:00-18:00"),
		time.Wednesday: w("09:00-12:00"),
		time.Thursday:  w("12:00-20:00"),
		time.Friday:    w("07:00-13:00"),
	}}),
	// One working day a week: Wednesday 10:00-14:00.
	"wed": MustNew(Spec{Zone: "Asia/Shanghai", Week: [7][]Window{time.Wednesday: w("10:00-14:00")}}),
}

// Per zone: office hours, round the clock, and a Sunday (Saturday for
// Sao Paulo and Tehran too) night window placed on the DST changes.
func init() {
	for _, z := range []struct{ key, zone string }{
		{"ny", "America/New_York"}, {"berlin", "Europe/Berlin"}, {"sh", "Asia/Shanghai"},
		{"sp", "America/Sao_Paulo"}, {"tehran", "Asia/Tehran"}, {"lhi", "Australia/Lord_Howe"},
	} {
		cals[z.key+"-office"] = MustNew(officeSpec(z.zone))
		cals[z.key+"-24x7"] = MustNew(Spec{Zone: z.zone, Week: everyDay(w("00:00-24:00"))})
		cals[z.key+"-night"] = MustNew(Spec{Zone: z.zone, Week: everyDay(w("01:00-03:00"))})
	}
	cals["ny-0230"] = MustNew(Spec{Zone: "America/New_York", Week: everyDay(w("02:30-05:00"))})
	cals["berlin-0204"] = MustNew(Spec{Zone: "Europe/Berlin", Week: everyDay(w("02:00-04:00"))})
	cals["sp-0006"] = MustNew(Spec{Zone: "America/Sao_Paulo", Week: [7][]Window{time.Sunday: w("00:00-06:00")}})
	cals["sp-22"] = MustNew(Spec{Zone: "America/Sao_Paulo", Week: everyDay(w("22:00-24:00"))})
	cals["tehran-22"] = MustNew(Spec{Zone: "Asia/Tehran", Week: everyDay(w("22:00-24:00"))})
	cals["tehran-0002"] = MustNew(Spec{Zone: "Asia/Tehran", Week: everyDay(w("00:00-02:00"))})
	cals["lhi-0215"] = MustNew(Spec{Zone: "Australia/Lord_Howe", Week: everyDay(w("02:15-04:00"))})
}
