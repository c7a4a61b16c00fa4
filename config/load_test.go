package config

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func TestShippedFilesLoad(t *testing.T) {
	clearEnv(t)
	for _, f := range []string{"svcflow.yaml", "test.yaml", "demo.yaml"} {
		t.Run(f, func(t *testing.T) {
			c, err := Load(f, nil)
			if err != nil {
				t.Fatalf("Load(%s):\n%v", f, err)
			}
			if err := c.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}

		})
	}
}

func TestShippedFileIsTheDefaults(t *testing.T) {
	clearEnv(t)
	c, err := Load("svcflow.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	def := Default()
	def.Settings()  // Load parses: compare like with like
	def.dir = c.dir // and remembers the file's folder
	if !reflect.DeepEqual(c, def) {
		t.Fatalf("svcflow.yaml differs from Default():\n got %+v\nwant %+v", c, def)
	}
	empty, err := Load(writeFile(t, "{}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	def.dir = empty.dir
	if !reflect.DeepEqual(empty, def) {
		t.Fatalf("an empty file differs from Default():\n got %+v\nwant %+v", empty, def)
	}
	if err := Default().Validate(); err != nil {
		t.Fatalf("Default() does not validate: %v", err)
	}
}

func TestDefaultPathMayBeMissing(t *testing.T) {
	clearEnv(t)
	t.Chdir(t.TempDir()) // no config/svcflow.yaml here
	c, err := Load("", nil)
	if err != nil {
		t.Fatalf("Load(\"\") without the default file: %v", err)
	}
	if c.Temporal.TaskQueue != "svcflow" {
		t.Fatalf("task queue %q, want the default svcflow", c.Temporal.TaskQueue)
	}
}

func TestMissingExplicitFileIsAnError(t *testing.T) {
	clearEnv(t)
	_, err := Load("/nonexistent/svcflow.yaml", nil)
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/svcflow.yaml") {
		t.Fatalf("want an error naming the file, got %v", err)
	}
	t.Setenv(EnvConfigFile, "/nonexistent/other.yaml")
	if _, err := Load("", nil); err == nil || !strings.Contains(err.Error(), "other.yaml") {
		t.Fatalf("want an error naming $SVCFLOW_CONFIG's file, got %v", err)
	}
}

func TestPartialFileKeepsDefaults(t *testing.T) {
	clearEnv(t)
	c, err := Load(writeFile(t, `
sla:
  deadlines:
    response: {urgent: 1m}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := c.SLA.Deadlines["response"]
	if r.Urgent != "1m" || r.Normal != "30m" || r.Clock != "wall" {
		t.Fatalf("response = %+v, want urgent 1m with the default clock and normal", r)
	}
	if c.SLA.Deadlines["sheet"].Urgent != "2wd" {
		t.Fatalf("sheet lost its default: %+v", c.SLA.Deadlines["sheet"])
	}
}

func TestOwnHoursDropShippedHolidays(t *testing.T) {
	clearEnv(t)
	c, err := Load(writeFile(t, `
calendar:
  hours:
    mon: ["08:00-18:00"]
    tue: ["08:00-18:00"]
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Calendar.Hours) != 2 || len(c.Calendar.Holidays) != 0 || len(c.Calendar.Workdays) != 0 {
		t.Fatalf("calendar = %+v, want only the file's hours", c.Calendar)
	}
	spec := c.CalendarSpec()
	if spec.StandardDay.Hours() != 10 {
		t.Fatalf("standard day %v, want the regular day 10h", spec.StandardDay)
	}
}

func TestHolidaysBothForms(t *testing.T) {
	clearEnv(t)
	c, err := Load(writeFile(t, `
calendar:
  hours: {mon: ["09:00-17:00"]}
  holidays:
    - "2026-10-01"
    - 2026-10-02
    - {date: "2026-12-31", hours: ["09:00-12:00"]}
  workdays:
    - "2026-10-10"
    - {date: "2026-10-11", hours: ["10:00-12:00", "13:00-15:00"]}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []DateEntry{{Date: "2026-10-01"}, {Date: "2026-10-02"}, {Date: "2026-12-31", Hours: []string{"09:00-12:00"}}}
	if !reflect.DeepEqual(c.Calendar.Holidays, want) {
		t.Fatalf("holidays = %+v, want %+v", c.Calendar.Holidays, want)
	}
	wantW := []DateEntry{{Date: "2026-10-10"}, {Date: "2026-10-11", Hours: []string{"10:00-12:00", "13:00-15:00"}}}
	if !reflect.DeepEqual(c.Calendar.Workdays, wantW) {
		t.Fatalf("workdays = %+v, want %+v", c.Calendar.Workdays, wantW)
	}
	spec := c.CalendarSpec()
	if len(spec.Holidays) != 3 || len(spec.Holidays[2].Windows) != 1 || spec.Holidays[2].Windows[0].Start != 9*3600 {
		t.Fatalf("spec holidays = %+v", spec.Holidays)
	}
	if len(spec.Workdays[1].Windows) != 2 {
		t.Fatalf("spec workdays = %+v", spec.Workdays)
	}
}

func TestEnvOverride(t *testing.T) {
	clearEnv(t)
	t.Setenv("SVCFLOW_SLA_DEADLINES_RESPONSE_URGENT", "5s")
	t.Setenv("SVCFLOW_POSTGRES_DSN", "postgres://app:pw@db:5432/x")
	t.Setenv("SVCFLOW_TEMPORAL_ADDRESS", "temporal:7233")
	t.Setenv("SVCFLOW_TEMPORAL_TASK_QUEUE", "other")
	t.Setenv("SVCFLOW_SLA_WARN_AT", "0.5")
	t.Setenv("SVCFLOW_NOTIFY_PARTIES_MANAGER", "log, webhook")
	t.Setenv("SVCFLOW_NOTIFY_WEBHOOK_URL", "https://hooks.example.com/svcflow")
	t.Setenv("SVCFLOW_NOTIFY_WEBHOOK_SECRET", "s3cret")
	// keys the file does not mention
	t.Setenv("SVCFLOW_SLA_VIP_REVIEW_URGENT", "1wd")
	t.Setenv("SVCFLOW_CALENDAR_HOURS_SAT", "10:00-12:00")
	t.Setenv("SVCFLOW_WORKER_LOG_FORMAT", "json")
	t.Setenv("SVCFLOW_CALENDAR_HOLIDAYS", "2027-01-01, 2027-02-01")
	t.Setenv("SVCFLOW_INTAKE_TOKEN", "tok")
	c, err := Load("svcflow.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ got, want any }{
		{c.SLA.Deadlines["response"].Urgent, "5s"},
		{c.SLA.Deadlines["response"].Normal, "30m"},
		{c.Postgres.DSN, "postgres://app:pw@db:5432/x"},
		{c.Temporal.Address, "temporal:7233"},
		{c.Temporal.TaskQueue, "other"},
		{c.SLA.WarnAt, 0.5},
		{strings.Join(c.Notify.Parties["manager"], ","), "log,webhook"},
		{c.SLA.VIP["review"]["urgent"], "1wd"},
		{c.SLA.VIP["response"]["urgent"], "3m"},
		{strings.Join(c.Calendar.Hours["sat"], ","), "10:00-12:00"},
		{c.Worker.LogFormat, "json"},
		{len(c.Calendar.Holidays), 2},
		{c.Calendar.Holidays[1].Date, "2027-02-01"},
		{c.Intake.Token, "tok"},
	}
	for i, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("check %d: got %v, want %v", i, ch.got, ch.want)
		}
	}
	p := c.Policy()
	if _, target, _ := p.Resolve("response", "urgent", "standard"); target.String() != "5s" {
		t.Fatalf("policy response urgent = %v, want 5s", target)
	}
}

func TestEnvOverrideIsValidated(t *testing.T) {
	clearEnv(t)
	t.Setenv("SVCFLOW_SLA_DEADLINES_RESPONSE_URGENT", "soon")
	ps := problemsOf(t, loadErr(t, "svcflow.yaml"))
	if !hasKey(ps, "sla.deadlines.response.urgent") {
		t.Fatalf("want sla.deadlines.response.urgent named:%s", dump(ps))
	}
}

func loadErr(t *testing.T, path string) error {
	t.Helper()
	_, err := Load(path, nil)
	return err
}

func TestFlagsOverride(t *testing.T) {
	clearEnv(t)
	t.Setenv("SVCFLOW_TEMPORAL_ADDRESS", "from-env:7233")
	fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
	BindFlags(fs)
	BindFlags(fs) // twice is harmless
	fs.String("listen", "", "program's own flag")
	if err := fs.Parse([]string{"--temporal-address", "flag:7233", "--task-queue", "q2", "--namespace", "ns", "--postgres-dsn", "postgres://u@h/db", "--listen", "127.0.0.1:9999"}); err != nil {
		t.Fatal(err)
	}
	c, err := Load("svcflow.yaml", fs)
	if err != nil {
		t.Fatal(err)
	}
	if c.Temporal.Address != "flag:7233" || c.Temporal.TaskQueue != "q2" || c.Temporal.Namespace != "ns" ||
		c.Postgres.DSN != "postgres://u@h/db" || c.Intake.Listen != "127.0.0.1:9999" {
		t.Fatalf("flags not applied: %+v %+v %+v", c.Temporal, c.Postgres, c.Intake)
	}
	// Unset flags leave the file's values.
	fs2 := pflag.NewFlagSet("y", pflag.ContinueOnError)
	BindFlags(fs2)
	c2, err := Load("svcflow.yaml", fs2)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Temporal.Address != "from-env:7233" || c2.Temporal.TaskQueue != "svcflow" {
		t.Fatalf("unset flags changed values: %+v", c2.Temporal)
	}
}

func TestUnknownKeysNamed(t *testing.T) {
	clearEnv(t)
	ps := problemsOf(t, loadErr(t, writeFile(t, `
temporal:
  adress: 127.0.0.1:7233
sla:
  warnat: 0.5
  deadlines:
    response: {clock: wall, urgent: 5m, normal: 30m, vip: 1m}
routing:
  rules:
    - {match: {tier: vip, region: eu}, group: general}
  groups:
    general: {email: a@example.com, pager: "123"}
colour: blue
`)))
	for _, k := range []string{"temporal.adress", "sla.warnat", "sla.deadlines.response.vip", "routing.rules[0].match.region", "routing.groups.general.pager", "colour"} {
		if !hasKey(ps, k) {
			t.Errorf("unknown key %s not named:%s", k, dump(ps))
		}
	}
	if len(ps) != 6 {
		t.Errorf("want 6 problems, got %d:%s", len(ps), dump(ps))
	}
}

func TestWrongTypeNamed(t *testing.T) {
	clearEnv(t)
	ps := problemsOf(t, loadErr(t, writeFile(t, `
sla:
  warn_at: lots
  sheet_rounds: [1, 2]
postgres:
  max_conns: many
`)))
	for _, k := range []string{"sla.warn_at", "sla.sheet_rounds", "postgres.max_conns"} {
		if !hasKey(ps, k) {
			t.Errorf("%s not named:%s", k, dump(ps))
		}
	}
	if len(ps) != 3 {
		t.Errorf("want 3 problems (no follow-on complaints), got %d:%s", len(ps), dump(ps))
	}
}

func TestFiveMistakesFiveProblems(t *testing.T) {
	clearEnv(t)
	err := loadErr(t, writeFile(t, `
calendar:
  timezone: Mars/Olympus
sla:
  warn_at: 1.5
  deadlines:
    response: {clock: wall, urgent: 2wd, normal: 30m}
routing:
  default_group: nobody
notify:
  parties:
    manager: [pager]
`))
	ps := problemsOf(t, err)
	want := []string{"calendar.timezone", "sla.warn_at", "sla.deadlines.response.urgent", "routing.default_group", "notify.parties.manager[0]"}
	if len(ps) != 5 {
		t.Fatalf("want 5 problems, got %d:%s", len(ps), dump(ps))
	}
	for _, k := range want {
		if !hasKey(ps, k) {
			t.Errorf("%s not named:%s", k, dump(ps))
		}
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 5 {
		t.Fatalf("Error() has %d lines, want 5:\n%s", len(lines), err)
	}
	for _, l := range lines {
		if strings.Count(l, ": ") < 2 {
			t.Errorf("line %q is not key: value: why", l)
		}
	}
	if !strings.Contains(err.Error(), "calendar.timezone: Mars/Olympus: ") {
		t.Errorf("timezone line not in key: value: why form:\n%s", err)
	}
}

func TestUnknownKeyBesideASecretIsRedacted(t *testing.T) {
	clearEnv(t)
	err := loadErr(t, writeFile(t, `
intake:
  tokn: hunter3
notify:
  webhook: {secrt: hunter4}
postgres:
  dns: "postgres://u:hunter5@h/db"
temporal:
  apikey: hunter6
colour: blue
`))
	ps := problemsOf(t, err)
	if len(ps) != 5 {
		t.Fatalf("want 5 problems, got %d:%s", len(ps), dump(ps))
	}
	for _, s := range []string{"hunter3", "hunter4", "hunter5", "hunter6"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("secret-looking value %s printed:\n%v", s, err)
		}
	}
	if !strings.Contains(err.Error(), "colour: blue: unknown key") {
		t.Errorf("harmless value hidden:\n%v", err)
	}
}

// An SVCFLOW_ variable that names no key is a problem like a misspelt key
// (CONTRACT §4); the programs' own variables are left alone.
func TestUnknownEnvironmentVariablesNamed(t *testing.T) {
	clearEnv(t)
	t.Setenv("SVCFLOW_SLA_WARNAT", "0.5")
	t.Setenv("SVCFLOW_ROUTING_GROUPS_NOBODY_EMAIL", "x@example.com")
	t.Setenv("SVCFLOW_NOTIFY_WEBHOOK_SECRETZ", "hunter2")
	t.Setenv("SVCFLOW_ACTOR", "alice")
	t.Setenv("SVCFLOW_TEST_PG_ADMIN_DSN", "postgres://x")
	t.Setenv("SVCFLOW_TEMPORAL_BIN", "/bin/true")
	_, err := Load(filepath.Join("..", "config", "svcflow.yaml"), nil)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Load: %v, want a *ValidationError", err)
	}
	got := map[string]Problem{}
	for _, p := range ve.Problems {
		got[p.Key] = p
	}
	if p := got["SVCFLOW_SLA_WARNAT"]; !strings.Contains(p.Why, "names no configuration key (did you mean SVCFLOW_SLA_WARN_AT?)") {
		t.Errorf("SVCFLOW_SLA_WARNAT: %+v", p)
	}
	if _, ok := got["SVCFLOW_ROUTING_GROUPS_NOBODY_EMAIL"]; !ok {
		t.Errorf("a group the file does not have is not reported: %v", ve.Problems)
	}
	if p := got["SVCFLOW_NOTIFY_WEBHOOK_SECRETZ"]; p.Value != Redacted {
		t.Errorf("a misspelt secret variable shows its value: %+v", p)
	}
	for _, k := range []string{"SVCFLOW_ACTOR", "SVCFLOW_TEST_PG_ADMIN_DSN", "SVCFLOW_TEMPORAL_BIN"} {
		if _, ok := got[k]; ok {
			t.Errorf("program variable %s reported as a config problem", k)
		}
	}
	if len(ve.Problems) != 3 {
		t.Errorf("problems %v, want exactly the three unknown variables", ve.Problems)
	}
}
