package main

import (
	"bufio"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// workerLatencies reads the worker's Prometheus /metrics and returns the
// mean of each SDK latency histogram (labels summed): where the time of a
// lifecycle goes inside the worker.
func workerLatencies(base string) (string, error) {
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	sums, counts := map[string]float64{}, map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || !strings.HasPrefix(line, "temporal_") {
			continue
		}
		name, rest, _ := strings.Cut(line, " ")
		if i := strings.IndexByte(name, '{'); i >= 0 {
			name = name[:i]
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			continue
		}
		v, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err != nil {
			continue
		}
		switch {
		case strings.HasSuffix(name, "_seconds_sum"):
			sums[strings.TrimSuffix(name, "_seconds_sum")] += v
		case strings.HasSuffix(name, "_seconds_count"):
			counts[strings.TrimSuffix(name, "_seconds_count")] += v
		}
	}
	var names []string
	for n := range counts {
		if counts[n] > 0 && (strings.Contains(n, "schedule_to_start") || strings.Contains(n, "execution_latency") || strings.Contains(n, "endtoend") || strings.Contains(n, "replay")) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "  %-55s mean %8.1f ms over %.0f\n", n, 1000*sums[n]/counts[n], counts[n])
	}
	return b.String(), sc.Err()
}
