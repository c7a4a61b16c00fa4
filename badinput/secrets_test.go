package badinput

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestSQLMetacharactersStoredVerbatim starts a request over HTTP with SQL
// metacharacters in every free-text field: it is accepted and stored as
// given (parameterised queries), and the tables are intact.
func TestSQLMetacharactersStoredVerbatim(t *testing.T) {
	s := getStack(t)
	evil := `'); DROP TABLE service_requests;-- " \ % _ ; /* */ $1`
	body := strings.NewReplacer(
		`"bad-1"`, `"bi-sql"`,
		`"name":"Acme"`, `"name":`+jsonString("Acme "+evil),
		`"channel":"web"`, `"channel":`+jsonString("web"+evil),
		`"category":"printer"`, `"category":`+jsonString("printer"+evil),
		`"title":"Printer jams"`, `"title":`+jsonString("Printer "+evil),
		`"description":"Paper jams."`, `"description":`+jsonString("Paper "+evil),
	).Replace(validRequest)
	if code, raw := s.http(t, "POST", "/requests", secretToken, []byte(body)); code != 201 {
		t.Fatalf("POST /requests with SQL metacharacters: %d %s", code, raw)
	}
	if code, raw := s.http(t, "POST", "/requests/bi-sql/actions/respond", secretToken, []byte(`{"actor":`+jsonString("agent"+evil)+`,"note":`+jsonString(evil)+`}`)); code != 200 {
		t.Fatalf("respond with SQL metacharacters: %d %s", code, raw)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var name, title, channel, category string
	if err := s.DB.QueryRow(ctx, `SELECT customer_name, title, channel, category FROM service_requests WHERE request_id = 'bi-sql'`).Scan(&name, &title, &channel, &category); err != nil {
		t.Fatal(err)
	}
	if name != "Acme "+evil || title != "Printer "+evil || channel != "web"+evil || category != "printer"+evil {
		t.Errorf("stored %q %q %q %q, want the input verbatim", name, title, channel, category)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		var n int
		if err := s.DB.QueryRow(ctx, `SELECT count(*) FROM request_events WHERE request_id = 'bi-sql' AND kind = 'action.respond' AND actor = $1`, "agent"+evil).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("respond event with the hostile actor: %d rows, want 1", n)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestSecretsNeverPrinted runs the programs with distinctive secrets (DSN
// password, webhook secret, SMTP password, intake token, Temporal API key)
// through success and failure paths, then greps everything they printed.
func TestSecretsNeverPrinted(t *testing.T) {
	s := getStack(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	// A request whose response deadline breaches: the supervisor's e-mail
	// fails against a closed SMTP port; the assignee's webhook is signed.
	id := "bi-secret"
	body := strings.Replace(validRequest, `"bad-1"`, `"`+id+`"`, 1)
	if r := s.run(t, body, nil, "starter", "--file", "-", "--json"); r.code != 0 {
		t.Fatalf("starter: %s", r)
	}
	for {
		var n int
		if err := s.DB.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE request_id = $1 AND channel = 'email'`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("no e-mail notification attempt recorded within 90s")
		}
		time.Sleep(300 * time.Millisecond)
	}
	if len(s.Sink.Deliveries()) == 0 {
		t.Error("the webhook was never called: the webhook secret was not exercised")
	}
	if refused := s.Sink.Refused(); len(refused) > 0 {
		t.Errorf("the webhook receiver refused %d deliveries, first: %v", len(refused), refused[0])
	}

	// Successful runs that touch every secret's configuration.
	for _, args := range [][]string{
		{"svcctl", "config", "show"},
		{"svcctl", "config", "show", "--json"},
		{"svcctl", "status", id},
		{"svcctl", "report", "--json"},
		{"svcctl", "timeline", id},
	} {
		if r := s.run(t, "", nil, args[0], args[1:]...); r.code != 0 {
			t.Errorf("%s: %s", strings.Join(args, " "), r)
		}
	}
	// Failures whose messages could carry a secret.
	badDSN := "SVCFLOW_POSTGRES_DSN=postgres://svcflow:" + secretDBPassword + "@127.0.0.1:1/nowhere?sslmode=disable&connect_timeout=1"
	for _, f := range []struct {
		extra []string
		args  []string
	}{
		{[]string{badDSN}, []string{"worker", "--connect-wait", "1s"}},
		{[]string{badDSN}, []string{"svcctl", "report", "--timeout", "3s"}},
		{[]string{"SVCFLOW_POSTGRES_DSN=postgres://svcflow:" + secretDBPassword + "@127.0.0.1:notaport/x"}, []string{"worker", "--connect-wait", "1s"}},
		{[]string{"SVCFLOW_TEMPORAL_API_KEY=" + secretAPIKey}, []string{"svcctl", "status", id, "--timeout", "3s"}},
		{[]string{"SVCFLOW_TEMPORAL_API_KEY=" + secretAPIKey}, []string{"starter", "--file", "-", "--timeout", "3s"}},
		{[]string{"SVCFLOW_TEMPORAL_API_KEY=" + secretAPIKey}, []string{"worker", "--connect-wait", "1s"}},
		{[]string{"SVCFLOW_NOTIFY_WEBHOOK_URL=not a url"}, []string{"worker", "--connect-wait", "1s"}},
		{[]string{"SVCFLOW_NOTIFY_EMAIL_PORT=99999"}, []string{"svcctl", "config", "show"}},
		{[]string{"SVCFLOW_INTAKE_MAX_BODY=huge"}, []string{"starter", "serve"}},
	} {
		r := s.run(t, body, f.extra, f.args[0], f.args[1:]...)
		if r.code == 0 {
			t.Errorf("%s with %v succeeded; want a failure", strings.Join(f.args, " "), f.extra)
		}
		if strings.TrimSpace(r.stderr) == "" {
			t.Errorf("%s with %v failed silently", strings.Join(f.args, " "), f.extra)
		}
	}
	// The intake API refusing a wrong token must not echo the right one.
	s.http(t, "GET", "/requests/"+id, "nope", nil)

	// Give the worker a moment to log the failed e-mail retries, then grep.
	s.mu.Lock()
	files := append([]string{}, s.outputs...)
	s.mu.Unlock()
	var printed int
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		printed += len(b)
		for _, secret := range allSecrets {
			if i := strings.Index(string(b), secret); i >= 0 {
				lo, hi := max(0, i-120), min(len(b), i+len(secret)+40)
				t.Errorf("secret %q printed in %s: …%s…", secret, f, b[lo:hi])
			}
		}
	}
	if printed < 1000 {
		t.Errorf("only %d bytes of program output checked; the grep proves nothing", printed)
	}
	t.Logf("checked %d files, %d bytes of program output for %d secrets", len(files), printed, len(allSecrets))
}
