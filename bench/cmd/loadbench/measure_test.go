package main

import (
	"testing"
	"time"
)

func TestLatencies(t *testing.T) {
	var d []time.Duration
	for i := 100; i >= 1; i-- {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	l := latencies(d)
	if l.p50 != 50*time.Millisecond || l.p99 != 99*time.Millisecond || l.max != 100*time.Millisecond {
		t.Errorf("latencies of 1..100 ms = %+v, want p50 50ms p99 99ms max 100ms", l)
	}
	if d[0] != 100*time.Millisecond {
		t.Error("latencies sorted its input in place")
	}
	if (latencies(nil) != latency{}) {
		t.Error("latencies(nil) not zero")
	}
}
