package calendar

import "time"

// STUB: the calendar helper replaces this file with the real implementation.

// Calendar answers working-time questions for one Spec. Build it with New.
type Calendar struct{ spec Spec }

// New validates spec and builds a Calendar (error when it has no working time at all).
func New(spec Spec) (*Calendar, error) { panic("todo") }

// ParseWindow parses "09:00-12:00" ("00:00-24:00" = whole day).
func ParseWindow(s string) (Window, error) { panic("todo") }

// ParseDuration parses Go durations plus "Nwd" (N standard working days);
// workdays reports whether the wd unit was used.
func ParseDuration(s string, standardDay time.Duration) (d time.Duration, workdays bool, err error) {
	panic("todo")
}

// Add returns the instant d of working time after start.
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time { panic("todo") }

// Between returns the working time in [a, b).
func (c *Calendar) Between(a, b time.Time) time.Duration { panic("todo") }

// NextOpen returns t if open, else the next opening instant.
func (c *Calendar) NextOpen(t time.Time) time.Time { panic("todo") }

// IsOpen reports whether t lies inside a working window.
func (c *Calendar) IsOpen(t time.Time) bool { panic("todo") }

// Location is the calendar's zone.
func (c *Calendar) Location() *time.Location { panic("todo") }

// When returns the instant at which clk has counted x of active time (wall
// or working, pauses excluded); ok is false while the clock is paused before
// reaching x.
func (c *Calendar) When(clk Clock, x time.Duration) (t time.Time, ok bool) { panic("todo") }

// Elapsed returns the active time clk has counted by at.
func (c *Calendar) Elapsed(clk Clock, at time.Time) time.Duration { panic("todo") }
