// External test package: it imports internal/cluster, which imports deploy.
package deploy_test

import (
	"net"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/cluster"
	"github.com/svcflow/svcflow/internal/searchattr"
)

type composeFile struct {
	Services map[string]service `yaml:"services"`
	Volumes  map[string]any     `yaml:"volumes"`
}

type service struct {
	Image       string            `yaml:"image"`
	Build       any               `yaml:"build"`
	Command     any               `yaml:"command"`
	Entrypoint  any               `yaml:"entrypoint"`
	Environment map[string]string `yaml:"environment"`
	Ports       []string          `yaml:"ports"`
	Volumes     []string          `yaml:"volumes"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
}

// script is the service's command as one string.
func (s service) script() string {
	switch c := s.Command.(type) {
	case string:
		return c
	case []any:
		var parts []string
		for _, p := range c {
			parts = append(parts, p.(string))
		}
		return strings.Join(parts, " ")
	}
	return ""
}

func load(t *testing.T) composeFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return c
}

func TestComposeServicesAndImages(t *testing.T) {
	c := load(t)
	images := map[string]string{
		"postgresql":                 "postgres:16",
		"temporal-schema":            "temporalio/admin-tools:",
		"temporal":                   "temporalio/server:",
		"temporal-search-attributes": "temporalio/admin-tools:",
		"temporal-ui":                "temporalio/ui:",
		"worker":                     "svcflow:",
		"starter":                    "svcflow:",
		"prometheus":                 "prom/prometheus:",
		"grafana":                    "grafana/grafana:",
	}
	for name, prefix := range images {
		s, ok := c.Services[name]
		if !ok {
			t.Errorf("service %s missing", name)
			continue
		}
		if !strings.HasPrefix(s.Image, prefix) {
			t.Errorf("service %s: image %q, want %s...", name, s.Image, prefix)
		}
		if strings.Contains(s.Image, "auto-setup") {
			t.Errorf("service %s uses the deprecated auto-setup image", name)
		}
	}
	for name := range c.Services {
		if _, ok := images[name]; !ok {
			t.Errorf("service %s is not checked by this test; add it", name)
		}
	}
	if c.Services["worker"].Build != "." {
		t.Errorf("worker: build %v, want . (the Dockerfile)", c.Services["worker"].Build)
	}
	if got := c.Services["worker"].script(); got != "worker" {
		t.Errorf("worker: command %q", got)
	}
	if got := c.Services["starter"].script(); got != "starter serve" {
		t.Errorf("starter: command %q, want starter serve", got)
	}
	for _, dep := range []string{"postgresql", "temporal-search-attributes"} {
		if _, ok := c.Services["worker"].DependsOn[dep]; !ok {
			t.Errorf("worker does not depend on %s", dep)
		}
	}
	if c.Services["temporal"].DependsOn["temporal-schema"].Condition != "service_completed_successfully" {
		t.Error("temporal must wait for temporal-schema to complete")
	}
}

// imageTag is the tag of an image reference (after the last ':').
func imageTag(image string) string {
	i := strings.LastIndex(image, ":")
	if i < 0 || strings.Contains(image[i:], "/") {
		return ""
	}
	return image[i+1:]
}

// TestImagesAreThePinnedVersions keeps the compose images on the versions
// tools/go.mod pins (the ones the cluster tests run), literal tags only.
func TestImagesAreThePinnedVersions(t *testing.T) {
	c := load(t)
	pinned, err := cluster.PinnedVersions(filepath.Join("..", "tools", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range c.Services {
		if strings.Contains(s.Image, "$") {
			t.Errorf("service %s: image %q: use a literal tag (the pinned version), not a variable", name, s.Image)
		}
	}
	if got := imageTag(c.Services["temporal"].Image); got != pinned.Server {
		t.Errorf("temporal: image tag %q; tools/go.mod pins %s %s", got, cluster.ServerModule, pinned.Server)
	}
	// admin-tools tags carry the bundled CLIs' versions after the server's:
	// 1.29.1-tctl-1.18.4-cli-1.5.0. Its schema files are the server's.
	for _, name := range []string{"temporal-schema", "temporal-search-attributes"} {
		if got := imageTag(c.Services[name].Image); got != pinned.Server && !strings.HasPrefix(got, pinned.Server+"-") {
			t.Errorf("%s: image tag %q is not for server %s (tools/go.mod)", name, got, pinned.Server)
		}
	}
	if got := imageTag(c.Services["temporal-ui"].Image); got != pinned.UIServer {
		t.Errorf("temporal-ui: image tag %q; tools/go.mod pins %s %s", got, cluster.UIServerModule, pinned.UIServer)
	}
}

func TestImageTag(t *testing.T) {
	for image, want := range map[string]string{
		"temporalio/server:1.29.1": "1.29.1", "localhost:5000/ui": "", "postgres": "", "a/b:1.29.1-tctl-1.18.4-cli-1.5.0": "1.29.1-tctl-1.18.4-cli-1.5.0",
	} {
		if got := imageTag(image); got != want {
			t.Errorf("imageTag(%q) = %q, want %q", image, got, want)
		}
	}
}

func TestTemporalOnPostgres(t *testing.T) {
	c := load(t)
	tmp, schema, pg := c.Services["temporal"], c.Services["temporal-schema"], c.Services["postgresql"]
	want := map[string]string{
		"DB": "postgres12", "POSTGRES_SEEDS": "postgresql", "DB_PORT": "5432",
		"POSTGRES_USER": pg.Environment["POSTGRES_USER"], "POSTGRES_PWD": pg.Environment["POSTGRES_PASSWORD"],
		"DBNAME": "temporal", "VISIBILITY_DBNAME": "temporal_visibility",
	}
	for k, v := range want {
		if tmp.Environment[k] != v {
			t.Errorf("temporal: %s=%q, want %q", k, tmp.Environment[k], v)
		}
	}
	if schema.Environment["SQL_PLUGIN"] != "postgres12" || schema.Environment["SQL_HOST"] != "postgresql" ||
		schema.Environment["SQL_USER"] != pg.Environment["POSTGRES_USER"] || schema.Environment["SQL_PASSWORD"] != pg.Environment["POSTGRES_PASSWORD"] {
		t.Errorf("temporal-schema: SQL_* settings do not point at the postgresql service: %v", schema.Environment)
	}
	script := schema.script()
	for _, w := range []string{"temporal temporal_visibility", "create", "setup-schema -v 0.0", "update-schema", "postgresql/v12", "visibility"} {
		if !strings.Contains(script, w) {
			t.Errorf("temporal-schema script lacks %q", w)
		}
	}
	// The dynamic config file the server is told to read is mounted.
	dc := tmp.Environment["DYNAMIC_CONFIG_FILE_PATH"]
	mounted := false
	for _, v := range tmp.Volumes {
		host, ctr, _ := strings.Cut(v, ":")
		ctr, _, _ = strings.Cut(ctr, ":")
		if strings.HasSuffix(ctr, "/config/dynamicconfig") {
			if _, err := os.Stat(filepath.Join("..", host, filepath.Base(dc))); err != nil {
				t.Errorf("temporal: %s not found under %s: %v", dc, host, err)
			}
			mounted = true
		}
	}
	if !mounted {
		t.Error("temporal: no dynamic config volume")
	}
}

func TestPorts(t *testing.T) {
	c := load(t)
	has := func(svc, port string) {
		t.Helper()
		for _, p := range c.Services[svc].Ports {
			if p == port {
				return
			}
		}
		t.Errorf("service %s does not publish %s (has %v)", svc, port, c.Services[svc].Ports)
	}
	has("temporal", "7233:7233")
	has("temporal-ui", "8233:8080")
	has("postgresql", "5433:5432")
	for _, svc := range []string{"worker", "starter"} {
		env := c.Services[svc].Environment
		if addr := env["SVCFLOW_TEMPORAL_ADDRESS"]; addr != "temporal:7233" {
			t.Errorf("%s: SVCFLOW_TEMPORAL_ADDRESS=%q, want temporal:7233", svc, addr)
		}
		if u := env["SVCFLOW_TEMPORAL_UI_URL"]; u != "http://localhost:8233" {
			t.Errorf("%s: SVCFLOW_TEMPORAL_UI_URL=%q, want the published UI port", svc, u)
		}
	}
	_, mport, _ := net.SplitHostPort(c.Services["worker"].Environment["SVCFLOW_WORKER_METRICS_LISTEN"])
	has("worker", mport+":"+mport)
	_, iport, _ := net.SplitHostPort(c.Services["starter"].Environment["SVCFLOW_INTAKE_LISTEN"])
	has("starter", iport+":"+iport)
	if c.Services["temporal-ui"].Environment["TEMPORAL_ADDRESS"] != "temporal:7233" {
		t.Error("temporal-ui: TEMPORAL_ADDRESS must be temporal:7233")
	}
}

func TestPostgresDSNPointsAtTheService(t *testing.T) {
	c := load(t)
	pg := c.Services["postgresql"].Environment
	for _, svc := range []string{"worker", "starter"} {
		u, err := url.Parse(c.Services[svc].Environment["SVCFLOW_POSTGRES_DSN"])
		if err != nil {
			t.Fatalf("%s: SVCFLOW_POSTGRES_DSN: %v", svc, err)
		}
		pw, _ := u.User.Password()
		if u.Hostname() != "postgresql" || u.Port() != "5432" || u.User.Username() != pg["POSTGRES_USER"] ||
			pw != pg["POSTGRES_PASSWORD"] || strings.TrimPrefix(u.Path, "/") != pg["POSTGRES_DB"] {
			t.Errorf("%s: SVCFLOW_POSTGRES_DSN %s does not match the postgresql service %v", svc, u.Redacted(), pg)
		}
	}
}

// configEnvNames lists the SVCFLOW_ names of every configuration key
// (from the mapstructure tags); maps give a prefix ending in "_".
func configEnvNames(t reflect.Type, prefix string, out map[string]bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
		if tag == "" || tag == "-" {
			continue
		}
		name := prefix + "_" + strings.ToUpper(tag)
		switch f.Type.Kind() {
		case reflect.Struct:
			configEnvNames(f.Type, name, out)
		case reflect.Map:
			out[name+"_"] = true
		default:
			out[name] = true
		}
	}
}

func TestEnvNamesAreConfigKeys(t *testing.T) {
	c := load(t)
	known := map[string]bool{}
	configEnvNames(reflect.TypeOf(config.Config{}), config.EnvPrefix, known)
	known[config.EnvConfigFile] = true
	if !known["SVCFLOW_POSTGRES_DSN"] || !known["SVCFLOW_WORKER_METRICS_LISTEN"] || !known["SVCFLOW_SLA_DEADLINES_"] {
		t.Fatalf("config key derivation is broken: %v", known)
	}
	isKnown := func(name string) bool {
		if known[name] {
			return true
		}
		for k := range known {
			if strings.HasSuffix(k, "_") && strings.HasPrefix(name, k) {
				return true
			}
		}
		return false
	}
	for svcName, svc := range c.Services {
		for name := range svc.Environment {
			if strings.HasPrefix(name, config.EnvPrefix+"_") && !isKnown(name) {
				t.Errorf("service %s: %s is not a configuration key", svcName, name)
			}
		}
	}
}

// TestServiceEnvironmentIsAValidConfig loads the configuration each svcflow
// service would see (no file, its environment) and validates it.
func TestServiceEnvironmentIsAValidConfig(t *testing.T) {
	c := load(t)
	for _, svcName := range []string{"worker", "starter"} {
		t.Run(svcName, func(t *testing.T) {
			for _, kv := range os.Environ() {
				if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, config.EnvPrefix+"_") {
					t.Setenv(k, "")
					os.Unsetenv(k)
				}
			}
			for k, v := range c.Services[svcName].Environment {
				if strings.HasPrefix(k, config.EnvPrefix+"_") {
					t.Setenv(k, os.Expand(v, func(string) string { return "" }))
				}
			}
			// Defaults of ${VAR:-default} are not expanded by os.Expand; set the token plainly.
			if _, ok := c.Services[svcName].Environment["SVCFLOW_INTAKE_TOKEN"]; ok {
				t.Setenv("SVCFLOW_INTAKE_TOKEN", "change-me")
			}
			t.Chdir(t.TempDir()) // no config/svcflow.yaml: defaults + environment
			cfg, err := config.Load("", nil)
			if err != nil {
				t.Fatalf("config from the %s service's environment: %v", svcName, err)
			}
			if cfg.Temporal.Address != "temporal:7233" {
				t.Errorf("temporal.address = %q", cfg.Temporal.Address)
			}
		})
	}
}

var saPair = regexp.MustCompile(`--name\s+(\S+)\s+--type\s+(\S+)`)

func wantSearchAttributes() []string {
	var out []string
	for _, k := range searchattr.All() {
		out = append(out, k.GetName()+"="+searchattr.TypeName(k))
	}
	sort.Strings(out)
	return out
}

func TestSearchAttributesMatchCode(t *testing.T) {
	c := load(t)
	var got []string
	for _, m := range saPair.FindAllStringSubmatch(c.Services["temporal-search-attributes"].script(), -1) {
		got = append(got, m[1]+"="+m[2])
	}
	sort.Strings(got)
	if want := wantSearchAttributes(); !reflect.DeepEqual(got, want) {
		t.Errorf("docker-compose.yml registers\n  %v\ninternal/searchattr defines\n  %v", got, want)
	}
}

func TestRunScriptSearchAttributesMatchCode(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "scripts", "run.sh"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)SEARCH_ATTRIBUTES=\((.*?)\)`).FindSubmatch(b)
	if block == nil {
		t.Fatal("scripts/run.sh has no SEARCH_ATTRIBUTES=( ... )")
	}
	got := strings.Fields(string(block[1]))
	sort.Strings(got)
	if want := wantSearchAttributes(); !reflect.DeepEqual(got, want) {
		t.Errorf("scripts/run.sh registers\n  %v\ninternal/searchattr defines\n  %v", got, want)
	}
}

func TestDockerfileBuildsThePrograms(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	build := regexp.MustCompile(`go build [^\n]*`).FindString(strings.ReplaceAll(df, "\\\n", " "))
	for _, prog := range []string{"worker", "starter", "svcctl"} {
		if !strings.Contains(build, "./"+prog) {
			t.Errorf("Dockerfile's go build does not build ./%s: %q", prog, build)
		}
		if !regexp.MustCompile(`COPY --from=build [^\n]*/` + prog + `\b`).MatchString(df) {
			t.Errorf("Dockerfile does not copy %s into the image", prog)
		}
		if _, err := os.Stat(filepath.Join("..", prog)); err != nil {
			t.Errorf("program %s: %v", prog, err)
		}
	}
	gomod, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goVer := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	if goVer == nil || !strings.Contains(df, "FROM golang:"+string(goVer[1])) {
		t.Errorf("Dockerfile's Go image does not match go.mod's go %s", goVer[1])
	}
	if !strings.Contains(df, "config/svcflow.yaml") {
		t.Error("Dockerfile does not ship config/svcflow.yaml")
	}
}
