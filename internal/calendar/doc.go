// Package calendar computes business time and SLA due times: working windows
// per weekday in an IANA zone, holidays, make-up workdays, and SLA clocks with
// pauses. It is pure (no I/O besides the embedded zone database) and every
// deadline in svcflow goes through it.
//
// # Working time
//
//   - A window is half-open [open, close) in local wall-clock time; several
//     windows per weekday give lunch breaks; "00:00-24:00" is the whole day.
//   - An instant is working time exactly when the wall clock of the calendar's
//     zone shows a time inside a window of that local date. Zone rules come
//     from the IANA database (embedded with time/tzdata), never fixed offsets.
//   - A skipped local hour (DST forward) has no instants: a window opening
//     inside it opens at the first valid instant after it (the transition);
//     the day simply has less working time. A repeated hour (DST back) counts
//     as often as it really elapses: a window 01:00-03:00 on a fall-back night
//     holds 3 real hours. The same holds for midnight transitions (Sao Paulo
//     2018-11-04, where 00:00 never happened) and 30-minute shifts (Lord Howe).
//   - Holidays close the whole date, or give it its own windows (half day).
//     Make-up workdays use their own windows, else the regular windows:
//     Monday's, else those of the first weekday Tuesday..Friday with any.
//   - Add(start, d) counts working time only. A start outside working hours
//     counts from the next opening; d == 0 returns start unchanged. A target
//     landing exactly on closing time stays there (17:59:59 + 1s = 18:00:00);
//     one second more rolls to the next opening. Between(a, b) is the working
//     time in [a, b), so Between(s, Add(s, d)) == d.
//   - New rejects malformed or overlapping windows, bad dates, a date listed
//     twice, an unknown zone and a calendar with no working time at all. Scans
//     never loop for ever: without weekday hours working time ends with the
//     last dated workday, and nothing is scanned past the year 9999; where no
//     working time is left, Add and NextOpen return Never (the deadline cannot
//     come due) instead of failing.
//   - "Nwd" is N standard working days of working time; the standard day is
//     configured, by default the total of the regular windows.
//
// # SLA clocks
//
//   - A Clock starts at Start and counts wall time (Wall) or working time
//     (Business); time inside a pause (customer wait) never counts. A pause
//     outside working hours therefore adds nothing to a Business clock, and
//     one straddling closing time adds only its working part.
//   - When(clk, x) is the instant the clock has counted x: the due time at
//     x = Target, the warning at Target × warn_at, the escalation at
//     Target × escalate_at (use Scale). While a pause that began before x was
//     reached is open, the instant is unknown (ok = false); on resume every
//     later instant moves by the paused (working) time.
//   - A breach is never undone: resuming after the original due time leaves a
//     breach that already fired in place (the workflow records it once) while
//     the instants still ahead, such as the escalation, move by the pause.
//   - Reprioritize: recompute from the original Start with the new Target,
//     keeping elapsed and paused time (the same Clock with Target replaced).
//     A due time already in the past means breach at once; the caller
//     compares with now.
//
// A *Calendar is immutable after New and safe for concurrent use: there is
// no cache. Day windows are computed arithmetically (day number → weekday or
// dated exception, found by a forward pointer), zone offsets come segment by
// segment from time.Time.ZoneBounds, and whole regular weeks inside one zone
// segment are skipped in one step. Add, Between, NextOpen and IsOpen never
// allocate; Add over a 30-day span takes a few hundred nanoseconds.
package calendar
