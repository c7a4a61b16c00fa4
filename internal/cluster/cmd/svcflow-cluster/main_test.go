package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestWithDatabase(t *testing.T) {
	for dsn, want := range map[string]string{
		"postgres://postgres@127.0.0.1:5432/svcflow?sslmode=disable": "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
		"postgresql://u:p@db/x":         "postgresql://u:p@db/postgres",
		"host=127.0.0.1 dbname=svcflow": "host=127.0.0.1 dbname=svcflow dbname=postgres",
	} {
		got, err := withDatabase(dsn, "postgres")
		if err != nil || got != want {
			t.Errorf("withDatabase(%q) = %q, %v; want %q", dsn, got, err, want)
		}
	}
	if _, err := withDatabase("postgres://u:s3cret@db:x/y", "postgres"); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("bad URL: %v (want an error without the password)", err)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{{"--no-such-flag"}, {"extra"}, {"--workers", "-1"}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 || errb.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a reason", args, code, errb.String())
		}
	}
}

func TestBadConfigExits1WithOneLine(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"--config", t.TempDir() + "/missing.yaml"}, &out, &errb)
	if code != 1 || strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 || !strings.Contains(errb.String(), "missing.yaml") {
		t.Errorf("exit %d, stderr %q; want 1 and one line naming the file", code, errb.String())
	}
}
