package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestRecordTransitionLatency measures RecordTransition against the local
// PostgreSQL: a typical transition (request row, two events, two deadlines)
// per call, sequentially, after a warm-up. It logs p50/p99 (run with -v) and
// fails only on a pathological p99, as the machine is shared.
func TestRecordTransitionLatency(t *testing.T) {
	if testing.Short() {
		t.Skip("latency measurement in -short mode")
	}
	s, _ := newStore(t, 4)
	ctx := context.Background()
	const n = 400
	lat := make([]time.Duration, 0, n)
	for i := range n + 50 {
		tr := transition(fmt.Sprintf("lat-%d", i%40), int64(2*(i/40+1)), "step")
		tr.Complaints, tr.Survey = nil, nil
		start := time.Now()
		if err := s.RecordTransition(ctx, tr); err != nil {
			t.Fatal(err)
		}
		if i >= 50 {
			lat = append(lat, time.Since(start))
		}
	}
	slices.Sort(lat)
	p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
	t.Logf("RecordTransition over %d calls: p50 %v, p99 %v, max %v", n, p50, p99, lat[len(lat)-1])
	if p99 > 100*time.Millisecond {
		t.Errorf("p99 %v is pathological (goal < 5ms)", p99)
	}
}

func BenchmarkRecordTransition(b *testing.B) {
	s, _ := newStore(b, 4)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		tr := transition(fmt.Sprintf("bench-%d", i%100), int64(2*(i/100+1)), "step")
		if err := s.RecordTransition(ctx, tr); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
