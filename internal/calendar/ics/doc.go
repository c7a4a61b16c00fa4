// Package ics reads the closed dates of a business calendar from an
// iCalendar (RFC 5545) file, the `holidays_ics` of a calendar in the config.
// It is pure: no config or viper, no network; LoadFile is its only I/O.
// Parsing is done by github.com/arran4/golang-ical; this package only judges
// the events.
//
// # Rules
//
//   - Every all-day VEVENT closes each date of [DTSTART, DTEND): DTEND is
//     exclusive (DTSTART;VALUE=DATE:20261001 with DTEND;VALUE=DATE:20261008
//     closes 1 to 7 October). Without DTEND, DURATION gives the length in
//     whole days or weeks (P3D, P1W); with neither, the event is one day.
//     Other components (VTIMEZONE, VTODO, VALARM...) are ignored.
//   - A date is written YYYYMMDD, with VALUE=DATE (a bare 8-digit value is
//     accepted too); it is a date, in no zone: TZID on it changes nothing. The
//     closed dates come out as YYYY-MM-DD, the convention of calendar.Day, to
//     be read in the zone of the calendar that lists the file.
//   - Refused, each by name: a timed event (DTSTART or DTEND with a time of
//     day: a holiday closes whole dates, and a timed event in a holiday file
//     is a mistake to fix, not something to guess at); a recurring event
//     (RRULE, RDATE, EXDATE, EXRULE, RECURRENCE-ID: mainland China's holidays
//     move every year by State Council notice, so a yearly rule would close
//     dates nobody announced; list each year's dates as their own events); a
//     cancelled event (STATUS:CANCELLED); an event whose SUMMARY says it is a
//     working day (上班, 补班, "workday", "working day": popular Chinese feeds
//     carry the make-up working days as all-day events too, and they must go
//     to calendar.workdays, never be closed); DTEND not after DTSTART; both
//     DTEND and DURATION; a DURATION that is not whole days or weeks; a span
//     over 366 days (a typo in a year would otherwise close a whole year); a
//     UID used by two events (a revised event must replace the old one).
//   - Dates closed by several events are listed once, with the distinct
//     SUMMARYs of those events joined by "; ". The result is sorted.
//   - A valid calendar with no VEVENT gives no dates and no error (next year's
//     notice may not be out yet). An empty file, a file that is not UTF-8 or
//     does not start with BEGIN:VCALENDAR and end with END:VCALENDAR, or one
//     the parser rejects, is an error.
//
// # Use
//
//	dates, err := ics.LoadFile("config/holidays/cn-2026.ics")
//	spec.Holidays = append(spec.Holidays, ics.Days(dates)...)
//
// calendar.New refuses a date listed twice, so a date both in the YAML
// holidays and in a file, or in two files, is for the caller to merge or
// report. Make-up working days stay in the YAML workdays.
//
// # Errors
//
// Every problem of the file is reported at once, one line each, naming the
// file, the line of the event's BEGIN:VEVENT, the event (SUMMARY and UID)
// and what is wrong:
//
//	cn.ics:12: event "国庆节" (UID cn-2026-10): DTSTART "20261001T090000" has a time of day: ...
//
// The error returned is an errors.Join of those lines; unwrap it with
// interface{ Unwrap() []error } to handle them one by one. A file the parser
// cannot read gives one line per content line it refuses (with its line
// number), or, for a structural fault such as an END without its BEGIN, one
// line with the parser's reason.
package ics
