package recorded_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/store"
	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/internal/whatif"

	"github.com/svcflow/svcflow/internal/report"
	"github.com/svcflow/svcflow/internal/whatif/recorded"
)

// The generator's data replay to exactly their records under the
// configuration they were generated with, and a faster response target
// changes outcomes: the generator is what the benchmark measures on.
func TestGeneratedDataReplayToTheirRecords(t *testing.T) {
	testenv.Integration(t, "PostgreSQL")
	st := newStore(t)
	cfg := loadConfig(t, "testdata/ran.yaml")
	ctx := context.Background()
	taken := monthEnd.AddDate(0, 1, 0)
	spec := genSpec{Requests: 2000, Start: monthStart, Span: 28 * 24 * time.Hour, Seed: 7, Now: taken}
	n, err := generate(ctx, st.Pool(), recorded.PolicyOf(cfg), spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %d requests, %d events, %d deadline rows", n.requests, n.events, n.deadlines)
	f := report.Filter{From: monthStart, To: monthEnd}
	read, events := 0, 0
	err = recorded.Each(ctx, st.Pool(), f, func(h *whatif.History) error {
		read++
		for i, e := range h.Events {
			if i > 0 && e.Seq <= h.Events[i-1].Seq || !slices.Contains(whatif.Kinds, e.Kind) {
				return fmt.Errorf("request %s: event %d (%s) out of order or not read by a replay", h.Request.RequestID, e.Seq, e.Kind)
			}
		}
		events += len(h.Events)
		return nil
	})
	if err != nil || read != spec.Requests || events == 0 || events >= n.events {
		t.Fatalf("Each: %d requests, %d of %d events: %v", read, events, n.events, err)
	}
	var progress [][2]int
	s, err := recorded.Run(ctx, st.Pool(), f, recorded.PolicyOf(cfg), recorded.Options{Until: taken, Progress: func(done, total int) {
		progress = append(progress, [2]int{done, total})
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(progress) != 1 || progress[0] != [2]int{spec.Requests, spec.Requests} {
		t.Errorf("progress %v, want once at the end", progress)
	}
	for _, d := range s.FirstDifferences {
		t.Errorf("%s %s #%d: recorded %s, replayed %s", d.RequestID, d.Name, d.Instance.Instance, show(d.Recorded), show(d.WhatIf))
	}
	if s.Requests != spec.Requests || s.Differences != 0 {
		t.Errorf("%d requests replayed, %d differences", s.Requests, s.Differences)
	}
	faster, err := recorded.Run(ctx, st.Pool(), f, recorded.PolicyOf(loadConfig(t, "testdata/faster.yaml")), recorded.Options{Until: taken})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("under faster.yaml: %d outcome changes, %d due times moved", len(faster.Changes), faster.Moved)
	if len(faster.Changes) == 0 {
		t.Error("a 20 min response target changes nothing")
	}
}

// BenchWhatIfEnv enables BenchmarkWhatIf100k (generating its data takes a
// minute).
const BenchWhatIfEnv = "SVCFLOW_BENCH_WHATIF"

// BenchmarkWhatIf100k measures `svcctl whatif` over 100 000 requests of
// the last 30 days (about 1.6 M events, 330 000 deadline instances),
// generated shaped like the workflow's records: the svcctl binary is built
// and run as its own process, so its wall time and peak resident memory
// are what a user gets (SVCFLOW_BENCH_WHATIF_REQUESTS=N tries a smaller
// data set). Beforehand the replay under the configuration the
// data were generated with must reproduce every record (the self-check at
// scale). Run it with
//
//	SVCFLOW_BENCH_WHATIF=1 go test ./internal/whatif/recorded/ -run '^$' -bench WhatIf100k -benchtime 1x
func BenchmarkWhatIf100k(b *testing.B) {
	if os.Getenv(BenchWhatIfEnv) != "1" {
		b.Skipf("set %s=1 to generate 100k requests and benchmark svcctl whatif", BenchWhatIfEnv)
	}
	ctx := context.Background()
	dsn := testenv.NewDatabase(b)
	st, err := store.Open(ctx, config.Postgres{DSN: dsn, MaxConns: 4})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	ran := benchConfig(b, "testdata/ran.yaml")
	now := time.Now().Truncate(time.Second)
	requests := 100_000
	if v := os.Getenv(BenchWhatIfEnv + "_REQUESTS"); v != "" { // a smaller trial
		if requests, err = strconv.Atoi(v); err != nil || requests <= 0 {
			b.Fatalf("%s_REQUESTS: %q: want a positive whole number", BenchWhatIfEnv, v)
		}
	}
	spec := genSpec{Requests: requests, Start: now.Add(-30 * 24 * time.Hour), Span: 30*24*time.Hour - time.Hour, Seed: 42, Now: now}
	t0 := time.Now()
	n, err := generate(ctx, st.Pool(), recorded.PolicyOf(ran), spec)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d requests, %d events, %d deadline rows in %v", n.requests, n.events, n.deadlines, time.Since(t0).Round(time.Millisecond))

	f := report.Filter{From: spec.Start, To: now.Add(time.Hour)}
	t0 = time.Now()
	self, err := recorded.Run(ctx, st.Pool(), f, recorded.PolicyOf(ran), recorded.Options{Until: now})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("self-check: %d requests, %d deadline instances, %d differences (in-process, %v)", self.Requests, self.Instances, self.Differences, time.Since(t0).Round(time.Millisecond))
	if self.Requests != spec.Requests || self.Differences != 0 {
		b.Fatalf("self-check: %d requests, %d differences; first %v", self.Requests, self.Differences, firstOf(self))
	}

	bin := buildSvcctl(b)
	cfgFile := filepath.Join(b.TempDir(), "svcflow.yaml")
	if err := os.WriteFile(cfgFile, []byte("calendar: {timezone: Asia/Shanghai}\npostgres: {dsn: \""+dsn+"\", max_conns: 4}\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	args := []string{"whatif", "--config", cfgFile, "--policy", "testdata/faster.yaml", "--from", f.From.Format(time.RFC3339), "--to", f.To.Format(time.RFC3339), "--json", "--timeout", "5m"}
	var wall time.Duration
	var rss int64
	var out []byte
	for b.Loop() {
		cmd := exec.Command(bin, args...)
		cmd.Env = cleanEnv()
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		t0 := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		peak := watchPeak(cmd.Process.Pid)
		err := cmd.Wait()
		wall = time.Since(t0)
		rss = peak()
		if err != nil {
			b.Fatalf("svcctl whatif: %v\n%s", err, stderr.String())
		}
		out = stdout.Bytes()
	}
	var s struct {
		Changes []json.RawMessage `json:"changes"`
	}
	if err := json.Unmarshal(out, &s); err != nil || len(s.Changes) == 0 {
		b.Fatalf("svcctl whatif --json: %v, %d changes", err, len(s.Changes))
	}
	b.ReportMetric(wall.Seconds(), "wall-s")
	b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MiB")
	b.ReportMetric(float64(n.events), "events")
	b.ReportMetric(float64(len(s.Changes)), "changes")
	b.Logf("svcctl whatif --policy faster.yaml over %d requests / %d events: %v, peak RSS %.0f MiB, %d outcome changes",
		n.requests, n.events, wall.Round(time.Millisecond), float64(rss)/(1<<20), len(s.Changes))
}

// benchConfig loads a testdata configuration.
func benchConfig(b *testing.B, path string) *config.Config {
	cfg, err := config.Load(path, nil)
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}

// buildSvcctl builds the svcctl binary for the benchmark.
func buildSvcctl(b *testing.B) string {
	dir := b.TempDir()
	cmd := exec.Command("go", "build", "-o", dir+string(filepath.Separator), "./svcctl")
	cmd.Dir = testenv.RepoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build ./svcctl: %v\n%s", err, out)
	}
	return filepath.Join(dir, "svcctl")
}

// cleanEnv is the environment without SVCFLOW_ settings.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SVCFLOW_") {
			out = append(out, kv)
		}
	}
	return out
}

// watchPeak follows the peak resident memory of process pid (VmHWM of
// /proc/pid/status, its own since exec: the rusage of a child forked from a
// big test process counts the parent's pages too) until it exits; the
// function returned stops and gives the peak in bytes.
func watchPeak(pid int) func() int64 {
	var peak atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	path := fmt.Sprintf("/proc/%d/status", pid)
	go func() {
		defer close(done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			if raw, err := os.ReadFile(path); err == nil {
				for _, line := range strings.Split(string(raw), "\n") {
					if kb, ok := strings.CutPrefix(line, "VmHWM:"); ok {
						if n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")), 10, 64); err == nil && n*1024 > peak.Load() {
							peak.Store(n * 1024)
						}
					}
				}
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	return func() int64 {
		close(stop)
		<-done
		return peak.Load()
	}
}
