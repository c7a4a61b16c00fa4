package report

import (
	"context"
	"os"
	"testing"
	"time"
)

// BenchReportEnv enables BenchmarkReport100k (generating its data takes a while).
const BenchReportEnv = "SVCFLOW_BENCH_REPORT"

// BenchmarkReport100k builds the report over 100 000 requests and 1 000 000
// events (DefaultGenSpec: a year of requests, about 560 000 deadlines): the
// default period (last 30 days), the whole year, and the year for one group
// and tier. Run it with
//
//	SVCFLOW_BENCH_REPORT=1 go test ./internal/report/ -run '^$' -bench Report100k -benchtime 10x
func BenchmarkReport100k(b *testing.B) {
	if os.Getenv(BenchReportEnv) != "1" {
		b.Skipf("set %s=1 to generate 100k requests / 1M events and benchmark the report", BenchReportEnv)
	}
	ctx := context.Background()
	pool := newDB(b)
	end := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	spec := DefaultGenSpec(end)
	t0 := time.Now()
	if err := Generate(ctx, pool, spec); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated in %v: %s", time.Since(t0).Round(time.Millisecond), tableCounts(b, pool))
	cases := []struct {
		name string
		f    Filter
	}{
		{"last30days", Filter{From: end.Add(-DefaultPeriod), To: end}},
		{"year", Filter{From: spec.Start, To: end}},
		{"year_group_vip", Filter{From: spec.Start, To: end, Group: "group-3", Tier: "vip"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var r *Report
			fastest, slowest := time.Duration(1<<62), time.Duration(0)
			for b.Loop() {
				t0 := time.Now()
				var err error
				if r, err = Build(ctx, pool, c.f, Options{Now: end}); err != nil {
					b.Fatal(err)
				}
				d := time.Since(t0)
				fastest, slowest = min(fastest, d), max(slowest, d)
			}
			// The machine may be shared: the fastest run is the report's own cost.
			b.ReportMetric(float64(fastest.Microseconds())/1000, "min-ms")
			b.ReportMetric(float64(slowest.Microseconds())/1000, "max-ms")
			if r.Figures[0].N == 0 {
				b.Fatalf("no requests received in %s", c.name)
			}
		})
	}
}
