package deploy_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/svcflow/svcflow/internal/metrics"
)

// The Grafana dashboard loads, every panel queries Prometheus, and every
// metric its queries name is one the worker really exports: svcflow's own
// (recorded here through the worker's metrics code and scraped from its
// /metrics) or the Temporal SDK's.
func TestDashboardQueriesExportedMetrics(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("grafana", "dashboards", "svcflow-sla.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		UID    string `json:"uid"`
		Title  string `json:"title"`
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("dashboard JSON: %v", err)
	}
	if dash.UID == "" || len(dash.Panels) < 6 {
		t.Fatalf("dashboard %q has %d panels", dash.Title, len(dash.Panels))
	}

	// What the worker exports: record one of each svcflow metric the way the
	// worker does and scrape /metrics.
	m, err := metrics.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Shutdown(context.Background())
	th := m.TemporalHandler()
	th.WithTags(map[string]string{"deadline": "response", "event": "breached", "policy": "default"}).Counter(metrics.DeadlineEventsInstrument).Inc(1)
	th.WithTags(map[string]string{"deadline": "response", "step": "breach"}).Timer(metrics.FireDelayInstrument).Record(time.Second)
	th.WithTags(map[string]string{"action": "respond", "result": "accepted"}).Counter(metrics.ActionsInstrument).Inc(1)
	c, err := m.Meter("svcflow").Int64Counter(metrics.NotificationsInstrument)
	if err != nil {
		t.Fatal(err)
	}
	c.Add(context.Background(), 1)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	exported := rec.Body.String()

	name := regexp.MustCompile(`\b(svcflow_[a-z_]+|temporal_[a-z_]+)\b`)
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, q := range p.Targets {
			for _, n := range name.FindAllString(q.Expr, -1) {
				base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(n, "_bucket"), "_sum"), "_count")
				switch {
				case strings.HasPrefix(base, "svcflow_"):
					if !slices.Contains(metrics.Names, base) || !strings.Contains(exported, "\n"+n) {
						t.Errorf("panel %q queries %s, which the worker does not export", p.Title, n)
					}
				case !temporalSDKMetric(base):
					t.Errorf("panel %q queries %s, not a Temporal SDK metric", p.Title, n)
				}
			}
		}
	}
	for _, n := range metrics.Names {
		if !strings.Contains(string(b), n) {
			t.Errorf("the dashboard shows nothing of %s", n)
		}
	}

	// Compose provisions it: Grafana mounts the dashboards and the data
	// source Prometheus, which scrapes the worker.
	var prov struct {
		Datasources []struct{ UID, URL string } `yaml:"datasources"`
	}
	pb, err := os.ReadFile(filepath.Join("grafana", "provisioning", "datasources", "prometheus.yaml"))
	if err != nil || yaml.Unmarshal(pb, &prov) != nil || len(prov.Datasources) != 1 || prov.Datasources[0].UID != "prometheus" {
		t.Fatalf("data source provisioning: %v %+v", err, prov)
	}
	sb, err := os.ReadFile(filepath.Join("prometheus", "prometheus.yml"))
	if err != nil || !strings.Contains(string(sb), "worker:9090") {
		t.Fatalf("prometheus does not scrape the worker: %v", err)
	}
}

// temporalSDKMetric names the SDK metrics the dashboard may use.
func temporalSDKMetric(name string) bool {
	return slices.Contains([]string{"temporal_workflow_task_execution_latency_seconds", "temporal_activity_execution_latency_seconds",
		"temporal_workflow_task_schedule_to_start_latency_seconds", "temporal_request_total", "temporal_request_failure_total"}, name)
}
