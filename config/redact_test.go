package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func secretConfig() *Config {
	c := Default()
	c.Postgres.DSN = "postgres://app:pg-pass-1@db:5432/svcflow?sslmode=disable"
	c.Temporal.APIKey = "temporal-key-2"
	c.Notify.Webhook.Secret = "webhook-secret-3"
	c.Notify.Webhook.URL = "https://hooks.example.com/svcflow"
	c.Notify.Email.Password = "smtp-pass-4"
	c.Intake.Token = "intake-token-5"
	return c
}

var secrets = []string{"pg-pass-1", "temporal-key-2", "webhook-secret-3", "smtp-pass-4", "intake-token-5"}

func TestRedactedHidesEverySecret(t *testing.T) {
	c := secretConfig()
	y, err := c.YAML()
	if err != nil {
		t.Fatal(err)
	}
	j, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	r, err := json.Marshal(c.Redacted())
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"YAML": string(y), "JSON": string(j), "Redacted": string(r)} {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s shows secret %q:\n%s", name, s, out)
			}
		}
		if n := strings.Count(out, Redacted); n != 5 {
			t.Errorf("%s has %d REDACTED, want 5:\n%s", name, n, out)
		}
	}
	rc := c.Redacted()
	if rc.Postgres.DSN != "postgres://app:REDACTED@db:5432/svcflow?sslmode=disable" {
		t.Errorf("redacted DSN = %q", rc.Postgres.DSN)
	}
	// The original is untouched and the copy is deep.
	if c.Intake.Token != "intake-token-5" || c.Postgres.DSN != secretConfig().Postgres.DSN {
		t.Fatal("Redacted changed the original")
	}
	rc.SLA.Deadlines["response"] = DeadlineEntry{}
	rc.Calendar.Hours["mon"][0] = "changed"
	if c.SLA.Deadlines["response"].Urgent != "5m" || c.Calendar.Hours["mon"][0] != "09:00-12:00" {
		t.Fatal("Redacted shares maps or slices with the original")
	}
}

func TestRedactedLeavesUnsetSecretsEmpty(t *testing.T) {
	r := Default().Redacted()
	if r.Intake.Token != "" || r.Temporal.APIKey != "" || r.Notify.Webhook.Secret != "" || r.Notify.Email.Password != "" {
		t.Fatalf("unset secrets must stay empty: %+v", r)
	}
	if !reflect.DeepEqual(r, Default()) {
		t.Fatal("Redacted of a config without secrets differs from it")
	}
}

func TestRedactDSNForms(t *testing.T) {
	cases := map[string]string{
		"postgres://u:p%40ss@h/db":                          "postgres://u:REDACTED@h/db",
		"postgres://u@h/db?password=qwerty&sslmode=disable": "postgres://u@h/db?password=REDACTED&sslmode=disable",
		"host=h user=u password=qwerty dbname=db":           "host=h user=u password=REDACTED dbname=db",
		"host=h password='q w e' dbname=db":                 "host=h password=REDACTED dbname=db",
		"postgres://postgres@127.0.0.1:5432/svcflow":        "postgres://postgres@127.0.0.1:5432/svcflow",
	}
	for in, want := range cases {
		if got := RedactDSN(in); got != want {
			t.Errorf("RedactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestYAMLLoadsBack(t *testing.T) {
	clearEnv(t)
	for _, f := range []string{"svcflow.yaml", "test.yaml", "demo.yaml"} {
		c, err := Load(f, nil)
		if err != nil {
			t.Fatal(err)
		}
		y, err := c.YAML()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "shown.yaml")
		if err := os.WriteFile(p, y, 0o600); err != nil {
			t.Fatal(err)
		}
		back, err := Load(p, nil)
		if err != nil {
			t.Fatalf("%s: shown YAML does not load:\n%v\n%s", f, err, y)
		}
		back.dir = c.dir // read from another folder
		if !reflect.DeepEqual(back, c) {
			t.Fatalf("%s: shown YAML loads as a different config:\n%s", f, y)
		}
	}
	// JSON keys are the file's keys.
	j, _ := Default().JSON()
	for _, k := range []string{`"task_queue"`, `"standard_day"`, `"acceptance_silence"`, `"max_body"`, `"default_locale"`} {
		if !strings.Contains(string(j), k) {
			t.Errorf("JSON lacks %s", k)
		}
	}
}

// Credentials inside URLs are never shown (svcctl config show).
func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://hooks.example.com/x":                          "https://hooks.example.com/x",
		"https://bob:hunter2@hooks.example.com/x":              "https://bob:REDACTED@hooks.example.com/x",
		"https://hooks.example.com/x?token=abc&team=ops":       "https://hooks.example.com/x?team=ops&token=REDACTED",
		"https://oapi.example.com/robot/send?access_token=abc": "https://oapi.example.com/robot/send?access_token=REDACTED",
		"https://example.com/h?sig=abc":                        "https://example.com/h?sig=REDACTED",
		"":                                                     "",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
	c := Default()
	c.Notify.Webhook.URL = "https://bob:hunter2@hooks.example.com/x?token=abc"
	out, err := c.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "hunter2") || strings.Contains(string(out), "token=abc") {
		t.Fatalf("config show prints URL credentials:\n%s", out)
	}
}
