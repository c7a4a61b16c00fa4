package main

import (
	"context"
	"testing"
	"time"
)

// A skipped warning (its breach was due first) is counted and misses the
// goal without failing the run; a missing breach or extra warnings fail it.
func TestFireOutcome(t *testing.T) {
	for _, tc := range []struct {
		name               string
		warnings, breaches int
		p99                time.Duration
		skipped            int
		met, fails         bool
	}{
		{"all on time", 100, 100, 900 * time.Millisecond, 0, true, false},
		{"all recorded, late", 100, 100, 2 * time.Second, 0, false, false},
		{"warnings skipped", 97, 100, 500 * time.Millisecond, 3, false, false},
		{"a breach missing", 100, 99, 500 * time.Millisecond, 0, false, true},
		{"more warnings than requests", 101, 100, 500 * time.Millisecond, -1, false, true},
	} {
		skipped, met, err := fireOutcome(100, tc.warnings, tc.breaches, tc.p99)
		if skipped != tc.skipped || met != tc.met || (err != nil) != tc.fails {
			t.Errorf("%s: skipped %d met %v err %v; want %d %v fails=%v", tc.name, skipped, met, err, tc.skipped, tc.met, tc.fails)
		}
	}
}

// -fire-rate 0 runs no lifecycles: the load ends at once, empty.
func TestRateLoadZeroRunsNothing(t *testing.T) {
	select {
	case res := <-rateLoad(context.Background(), nil, 0, 4, time.Now().Add(time.Hour)):
		if res.n != 0 || res.failures != 0 {
			t.Fatalf("rate 0 ran %d lifecycles (%d failed)", res.n, res.failures)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("rate 0 did not end at once")
	}
}
