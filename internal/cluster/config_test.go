package cluster

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// fakeBinaries are executable files standing in for the programs.
func fakeBinaries(t *testing.T) Binaries {
	t.Helper()
	dir := t.TempDir()
	b := BinariesIn(dir)
	for _, p := range []string{b.Server, b.SQLTool, b.UIServer} {
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func validOptions(t *testing.T) Options {
	return Options{AdminDSN: "postgres://postgres:pw@127.0.0.1:5432/postgres?sslmode=disable", Dir: t.TempDir(), Binaries: fakeBinaries(t)}
}

func TestOptionsDefaults(t *testing.T) {
	o, err := validOptions(t).withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if o.MaxConns != 2 || o.HistoryShards != 4 || o.Namespace != "default" || o.LogLevel != "warn" || o.Retention.Hours() != 72 {
		t.Errorf("defaults: %+v", o)
	}
}

func TestOptionsRejectBadInputNamingTheField(t *testing.T) {
	cases := map[string]struct {
		edit func(*Options)
		want string
	}{
		"no dsn":          {func(o *Options) { o.AdminDSN = "" }, "AdminDSN is empty"},
		"no dir":          {func(o *Options) { o.Dir = "" }, "Dir is empty"},
		"no server":       {func(o *Options) { o.Binaries.Server = filepath.Join(t.TempDir(), "nope") }, "server"},
		"port too high":   {func(o *Options) { o.Ports.History.Membership = 40000 }, "Ports.History.Membership 40000"},
		"port twice":      {func(o *Options) { o.Ports.Frontend.GRPC, o.Ports.Matching.GRPC = 12000, 12000 }, "also given as"},
		"one db named":    {func(o *Options) { o.Databases.Main = "temporal" }, "name both databases or neither"},
		"bad db name":     {func(o *Options) { o.Databases = Databases{"Temporal-X", "vis"} }, `Databases.Main "Temporal-X"`},
		"same db":         {func(o *Options) { o.Databases = Databases{"t", "t"} }, "both"},
		"bad log level":   {func(o *Options) { o.LogLevel = "loud" }, `LogLevel "loud"`},
		"negative shards": {func(o *Options) { o.HistoryShards = -1 }, "must not be negative"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			o := validOptions(t)
			tc.edit(&o)
			_, err := o.withDefaults()
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want one line with %q", err, tc.want)
			}
		})
	}
}

func TestAdminDSNMustBeTCP(t *testing.T) {
	for dsn, want := range map[string]string{
		"host=/var/run/postgresql user=postgres":                      "Unix socket",
		"postgres://postgres@127.0.0.1:5432/postgres?sslmode=require": "TLS",
		"postgres://%zz": "AdminDSN",
	} {
		if _, _, err := parseAdminDSN(dsn); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", dsn, err, want)
		}
	}
	_, pg, err := parseAdminDSN("postgres://svc:s3cret@db.example:6543/postgres?sslmode=prefer")
	if err != nil {
		t.Fatal(err)
	}
	if pg != (pgTarget{Host: "db.example", Port: 6543, User: "svc", Password: "s3cret"}) {
		t.Errorf("target %+v", pg)
	}
}

func TestFreePortsStayBelowTheSmallintLimit(t *testing.T) {
	p := Ports{Frontend: ServicePorts{GRPC: 12345}}
	if err := fillPorts(&p); err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, s := range Services() {
		for _, port := range []int{p.of(s).GRPC, p.of(s).Membership} {
			if port < lowPortMin || port > MaxPort || seen[port] {
				t.Errorf("%s: port %d (seen before: %v)", s, port, seen[port])
			}
			seen[port] = true
		}
	}
	if p.Frontend.GRPC != 12345 {
		t.Errorf("a given port was replaced: %d", p.Frontend.GRPC)
	}
}

func TestServerConfig(t *testing.T) {
	o, err := validOptions(t).withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	o.Databases = Databases{"temporal_x", "temporal_visibility_x"}
	o.MaxConns = 3
	if err := fillPorts(&o.Ports); err != nil {
		t.Fatal(err)
	}
	b, err := renderServerConfig(o, pgTarget{"127.0.0.1", 5432, "postgres", "pw"}, "/d/dc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := yaml.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	at := func(path string) any {
		var cur any = got
		for _, k := range strings.Split(path, ".") {
			m, ok := cur.(map[string]any)
			if !ok {
				t.Fatalf("%s: no %s in\n%s", path, k, b)
			}
			cur = m[k]
		}
		return cur
	}
	want := map[string]any{
		"persistence.defaultStore":                             "default",
		"persistence.visibilityStore":                          "visibility",
		"persistence.numHistoryShards":                         4,
		"persistence.datastores.default.sql.pluginName":        "postgres12",
		"persistence.datastores.default.sql.databaseName":      "temporal_x",
		"persistence.datastores.visibility.sql.pluginName":     "postgres12",
		"persistence.datastores.visibility.sql.databaseName":   "temporal_visibility_x",
		"persistence.datastores.visibility.sql.maxConns":       3,
		"persistence.datastores.default.sql.connectAddr":       "127.0.0.1:5432",
		"persistence.datastores.default.sql.password":          "pw",
		"services.frontend.rpc.grpcPort":                       o.Ports.Frontend.GRPC,
		"services.history.rpc.membershipPort":                  o.Ports.History.Membership,
		"services.worker.rpc.grpcPort":                         o.Ports.Worker.GRPC,
		"clusterMetadata.clusterInformation.active.rpcAddress": "127.0.0.1:" + itoa(o.Ports.Frontend.GRPC),
		"dynamicConfigClient.filepath":                         "/d/dc.yaml",
	}
	for path, v := range want {
		if g := at(path); g != v {
			t.Errorf("%s = %v, want %v", path, g, v)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestDynamicConfigIsDeploysPlusClusterKeys(t *testing.T) {
	b, err := renderDynamicConfig(map[string]any{"history.maxAutoResetPoints": 5})
	if err != nil {
		t.Fatal(err)
	}
	var got map[string][]struct {
		Value       any            `yaml:"value"`
		Constraints map[string]any `yaml:"constraints"`
	}
	if err := yaml.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for key, v := range map[string]any{
		"limit.maxIDLength": 255, "system.forceSearchAttributesCacheRefreshOnRead": true, // deploy/dynamicconfig/development-sql.yaml
		"frontend.enableServerVersionCheck": false, "history.maxAutoResetPoints": 5,
	} {
		if len(got[key]) != 1 || got[key][0].Value != v {
			t.Errorf("%s = %+v, want %v\n%s", key, got[key], v, b)
		}
	}
}

func TestToolsGoModPinsThePrograms(t *testing.T) {
	gomod := filepath.Join("..", "..", "tools", "go.mod")
	tools, err := ToolLines(gomod)
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range []string{ServerPackage, SQLToolPackage, UIServerPackage} {
		if !slices.Contains(tools, pkg) {
			t.Errorf("tools/go.mod has no tool line %s (has %v)", pkg, tools)
		}
	}
	v, err := PinnedVersions(gomod)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(v.Server, "1.") || !strings.HasPrefix(v.UIServer, "2.") {
		t.Errorf("pinned versions %+v", v)
	}
	makefile, err := os.ReadFile(filepath.Join("..", "..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range []string{ServerPackage, SQLToolPackage, UIServerPackage} {
		if !strings.Contains(string(makefile), "-modfile=tools/go.mod -o $@ "+pkg+"\n") {
			t.Errorf("Makefile builds no %s from tools/go.mod", pkg)
		}
	}
}
