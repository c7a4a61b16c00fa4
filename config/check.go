package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/svcflow/svcflow/internal/policy"
)

// The sections that need checking but no parsing: temporal, postgres,
// routing, worker; and the checks they share.

func (c *Config) checkTemporal(ps *problems) {
	t := c.Temporal
	checkHostPort(ps, "temporal.address", t.Address, true)
	if strings.TrimSpace(t.Namespace) == "" {
		ps.add("temporal.namespace", t.Namespace, "must not be empty")
	}
	if strings.TrimSpace(t.TaskQueue) == "" {
		ps.add("temporal.task_queue", t.TaskQueue, "must not be empty")
	}
	if t.UIURL != "" {
		checkURL(ps, "temporal.ui_url", t.UIURL)
	}
	if (t.TLS.CertFile == "") != (t.TLS.KeyFile == "") {
		ps.add("temporal.tls", fmt.Sprintf("cert_file=%s key_file=%s", t.TLS.CertFile, t.TLS.KeyFile), "cert_file and key_file go together: set both or neither")
	}
	for _, f := range []struct{ key, path string }{
		{"temporal.tls.ca_file", t.TLS.CAFile},
		{"temporal.tls.cert_file", t.TLS.CertFile},
		{"temporal.tls.key_file", t.TLS.KeyFile},
	} {
		if f.path == "" {
			continue
		}
		if _, err := os.Stat(f.path); err != nil {
			ps.add(f.key, f.path, "cannot read file: %v", errors.Unwrap(err))
		}
	}
}

func (c *Config) checkPostgres(ps *problems) {
	p := c.Postgres
	if strings.TrimSpace(p.DSN) == "" {
		ps.add("postgres.dsn", p.DSN, "must not be empty")
	} else if _, err := pgx.ParseConfig(p.DSN); err != nil {
		ps.add("postgres.dsn", p.DSN, "not a valid PostgreSQL connection string: %s", dsnWhy(err, p.DSN))
	}
	if p.MaxConns < 1 {
		ps.add("postgres.max_conns", p.MaxConns, "must be at least 1")
	}
}

// dsnWhy words a DSN parse error without echoing the DSN (which may carry a
// password).
func dsnWhy(err error, dsn string) string {
	msg := err.Error()
	for e := err; e != nil; e = errors.Unwrap(e) {
		msg = e.Error()
	}
	msg = strings.ReplaceAll(msg, dsn, RedactDSN(dsn))
	if pw := dsnPassword(dsn); pw != "" {
		msg = strings.ReplaceAll(msg, pw, Redacted)
	}
	return msg
}

func (c *Config) checkRouting(ps *problems) {
	r := c.Routing
	if len(r.Groups) == 0 {
		ps.add("routing.groups", "", "at least one group is needed")
	}
	for _, name := range sortedKeys(r.Groups) {
		g := r.Groups[name]
		for _, f := range []struct{ field, addr string }{{"email", g.Email}, {"supervisor", g.Supervisor}, {"manager", g.Manager}} {
			if f.addr == "" {
				continue
			}
			if _, err := mail.ParseAddress(f.addr); err != nil {
				ps.add("routing.groups."+name+"."+f.field, f.addr, "not an email address")
			}
		}
	}
	if r.DefaultGroup == "" {
		ps.add("routing.default_group", r.DefaultGroup, "must name a group of routing.groups")
	} else if _, ok := r.Groups[r.DefaultGroup]; !ok {
		ps.add("routing.default_group", r.DefaultGroup, "no such group in routing.groups%s", caseHint(r.Groups, r.DefaultGroup))
	}
	for i, rule := range r.Rules {
		key := fmt.Sprintf("routing.rules[%d]", i)
		if _, ok := r.Groups[rule.Group]; !ok {
			ps.add(key+".group", rule.Group, "no such group in routing.groups%s", caseHint(r.Groups, rule.Group))
		}
		checkValues(ps, key+".match.tier", rule.Match.Tier, []string{policy.VIP, policy.Standard})
		checkValues(ps, key+".match.priority", rule.Match.Priority, []string{policy.Urgent, policy.Normal})
	}
}

// caseHint explains a miss caused by the file's keys being read in lower case.
func caseHint(groups map[string]Group, name string) string {
	if _, ok := groups[strings.ToLower(name)]; ok && name != strings.ToLower(name) {
		return " (group names are read in lower case: write " + strings.ToLower(name) + ")"
	}
	return ""
}

func (c *Config) checkWorker(ps *problems) {
	w := c.Worker
	if w.MetricsListen != "" {
		checkHostPort(ps, "worker.metrics_listen", w.MetricsListen, false)
	}
	for _, f := range []struct {
		key string
		n   int
	}{
		{"worker.cache_size", w.CacheSize},
		{"worker.max_concurrent_activities", w.MaxConcurrentActivities},
		{"worker.max_concurrent_workflow_tasks", w.MaxConcurrentWorkflowTasks},
		{"worker.workflow_pollers", w.WorkflowPollers},
		{"worker.activity_pollers", w.ActivityPollers},
	} {
		if f.n < 0 {
			ps.add(f.key, f.n, "must not be negative (0 = the SDK default)")
		}
	}
	switch w.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		ps.add("worker.log_level", w.LogLevel, "must be debug, info, warn or error")
	}
	if w.LogFormat != "text" && w.LogFormat != "json" {
		ps.add("worker.log_format", w.LogFormat, "must be text or json")
	}
}

// checkHostPort checks a host:port address. A dial address (dial) needs a
// host and a port 1-65535; a listen address may leave the host empty (all
// interfaces) and use port 0 (any free port).
func checkHostPort(ps *problems, key, addr string, dial bool) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		ps.add(key, addr, "not a host:port address")
		return
	}
	if dial && host == "" {
		ps.add(key, addr, "needs a host, e.g. 127.0.0.1:7233")
		return
	}
	min := 0
	if dial {
		min = 1
	}
	if n, err := strconv.Atoi(port); err != nil || n < min || n > 65535 {
		ps.add(key, addr, "port must be a number %d-65535", min)
	}
}

// checkURL requires an absolute http(s) URL.
func checkURL(ps *problems, key, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		ps.add(key, raw, "not an http(s) URL")
	}
}

// orderedKeys returns the map's keys: those in order first, in that order,
// then the rest sorted.
func orderedKeys[V any](m map[string]V, order []string) []string {
	out := make([]string, 0, len(m))
	for _, k := range order {
		if _, ok := m[k]; ok {
			out = append(out, k)
		}
	}
	var rest []string
	for k := range m {
		if !contains(order, k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
