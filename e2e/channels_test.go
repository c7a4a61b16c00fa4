package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/svcflow/svcflow/internal/metrics"
	"github.com/svcflow/svcflow/internal/notify/notifytest"
	"github.com/svcflow/svcflow/internal/teststack"
	"github.com/svcflow/svcflow/workflows"
)

// TestChatChannels sends one breaching VIP request's notifications through
// the real worker to fake WeCom, DingTalk (signed), Feishu (signed) and
// Slack robots that check every request as the vendor would (path and
// token, message shape, signature): customer on WeCom, assignee on
// DingTalk, supervisor on Feishu, manager on Slack. Then the worker's
// /metrics must show what happened under the CONTRACT §12 names.
func TestChatChannels(t *testing.T) {
	wecom := notifytest.NewWeCom(t)
	ding := notifytest.NewDingTalk(t, notifytest.WithSecret("SECe2e-dingtalk-secret"))
	feishu := notifytest.NewFeishu(t, notifytest.WithSecret("e2e-feishu-secret"))
	slack := notifytest.NewSlack(t)
	path := writeConfig(t, func(cfg yamlMap) {
		n := section(cfg, "notify")
		n["parties"] = yamlMap{"customer": []string{"wecom"}, "assignee": []string{"dingtalk"},
			"supervisor": []string{"feishu"}, "manager": []string{"slack"}}
		n["wecom"] = yamlMap{"url": wecom.URL}
		n["dingtalk"] = yamlMap{"url": ding.URL, "secret": "SECe2e-dingtalk-secret"}
		n["feishu"] = yamlMap{"url": feishu.URL, "secret": "e2e-feishu-secret"}
		n["slack"] = yamlMap{"url": slack.URL}
	})
	ts := teststack.New(t, teststack.Options{Config: path, Workers: 1, Prefix: "chat",
		Env: []string{"SVCFLOW_ACTOR=e2e-agent"}})
	s := &stack{Stack: ts}

	// VIP urgent: response 2 s, escalation at 4 s (config/test.yaml).
	id := s.startRequest(t, "robots", map[string]any{"tier": "vip", "priority": "urgent"})
	s.waitStatus(t, id, "response escalated", 30*time.Second, func(st workflows.Status) bool {
		d, ok := deadline(st, "response", 1)
		return ok && d.EscalationLevel >= 2
	})
	s.act(t, "analysis", "respond", id, "--note", "on it")

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for _, c := range []struct {
		name string
		r    *notifytest.Receiver
		n    int // at least: receipt; assignment, warning; breach; escalation
	}{{"wecom", wecom, 1}, {"dingtalk", ding, 2}, {"feishu", feishu, 1}, {"slack", slack, 1}} {
		msgs, err := c.r.Wait(ctx, c.n)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		for _, m := range msgs {
			if !strings.Contains(m.Text+m.Title, id) {
				t.Errorf("%s: a message without the request ID: %q", c.name, m.Text)
			}
		}
		if rej := c.r.Rejected(); len(rej) > 0 {
			t.Errorf("%s refused %d request(s): %v", c.name, len(rej), rej)
		}
	}
	s.waitDB(t, "each notice sent on its party's channel, once", func(ctx context.Context) (bool, string, error) {
		rows, err := s.DB.Query(ctx, `SELECT kind || '/' || party || '/' || channel, status, count(*) OVER (PARTITION BY dedupe_key, channel)
			FROM notifications WHERE request_id = $1`, id)
		if err != nil {
			return false, "", err
		}
		defer rows.Close()
		got := map[string]string{}
		for rows.Next() {
			var key, status string
			var n int
			if err := rows.Scan(&key, &status, &n); err != nil {
				return false, "", err
			}
			if n != 1 {
				return false, "", fmt.Errorf("%s: %d rows for one dedupe key and channel", key, n)
			}
			got[key] = status
		}
		for _, k := range []string{"receipt/customer/wecom", "assignment/assignee/dingtalk", "warning/assignee/dingtalk",
			"breach/supervisor/feishu", "escalation/manager/slack"} {
			if got[k] != "sent" {
				return false, fmt.Sprint(got), rows.Err()
			}
		}
		return true, "", rows.Err()
	})

	// The worker's own metrics, as Prometheus scrapes them.
	fams := scrape(t, s.Worker().Metrics()+"/metrics")
	for _, c := range []struct {
		metric string
		labels map[string]string
	}{
		{metrics.DeadlineEvents, map[string]string{"deadline": "response", "event": "breached", "policy": "default"}},
		{metrics.DeadlineEvents, map[string]string{"deadline": "response", "event": "escalated", "policy": "default"}},
		{metrics.FireDelay, map[string]string{"deadline": "response", "step": "breach"}},
		{metrics.Actions, map[string]string{"action": "respond", "result": "accepted"}},
		{metrics.Notifications, map[string]string{"channel": "wecom", "status": "sent"}},
		{metrics.Notifications, map[string]string{"channel": "dingtalk", "status": "sent"}},
		{metrics.Notifications, map[string]string{"channel": "feishu", "status": "sent"}},
		{metrics.Notifications, map[string]string{"channel": "slack", "status": "sent"}},
	} {
		if v := sample(fams[c.metric], c.labels); v < 1 {
			t.Errorf("%s%v = %v, want at least 1", c.metric, c.labels, v)
		}
	}
}

// scrape reads a /metrics page into metric families.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("parse %s: %v", url, err)
	}
	return fams
}

// sample sums the counter values (or histogram counts) of a family's
// series that carry every one of labels.
func sample(f *dto.MetricFamily, labels map[string]string) float64 {
	if f == nil {
		return 0
	}
	var sum float64
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		match := true
		for k, v := range labels {
			match = match && have[k] == v
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			sum += m.GetCounter().GetValue()
		case m.Histogram != nil:
			sum += float64(m.GetHistogram().GetSampleCount())
		}
	}
	return sum
}
