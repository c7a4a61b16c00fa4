package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svcflow/svcflow/config"
)

func TestMigrateFromEmptyAndIdempotent(t *testing.T) {
	s, dsn := newFreshStore(t, 4) // migrated once already
	ctx := context.Background()
	all := embeddedVersions(t)
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != all[len(all)-1] {
		t.Fatalf("schema version = %d, %v; want %d", v, err, all[len(all)-1])
	}
	applied, err := s.MigrateVersions(ctx)
	if err != nil || len(applied) != 0 {
		t.Fatalf("second migrate applied %v, %v; want nothing", applied, err)
	}
	for _, table := range []string{"service_requests", "request_events", "sla_deadlines", "notifications", "surveys", "complaints", "care_letters"} {
		var ok bool
		if err := s.Pool().QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", table).Scan(&ok); err != nil || !ok {
			t.Errorf("table %s missing (%v)", table, err)
		}
	}
	// Several workers starting at once on one database, pools of one connection.
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, err := Open(ctx, config.Postgres{DSN: dsn, MaxConns: 1})
			if err != nil {
				errs <- err
				return
			}
			defer o.Close()
			errs <- o.Migrate(ctx)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent migrate: %v", err)
		}
	}
}

func TestMigrateFreshDatabaseFromZero(t *testing.T) {
	dsn := newDSN(t)
	ctx := context.Background()
	s, err := Open(ctx, config.Postgres{DSN: dsn, MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(ctx); err != nil || v != 0 {
		t.Fatalf("empty database version = %d, %v; want 0", v, err)
	}
	applied, err := s.MigrateVersions(ctx)
	if want := embeddedVersions(t); err != nil || !reflect.DeepEqual(applied, want) {
		t.Fatalf("migrate applied %v, %v; want %v", applied, err, want)
	}
}

func TestRecordTransitionTwiceLeavesOneRowEach(t *testing.T) {
	s, _ := newStore(t, 4)
	ctx := context.Background()
	tr := transition("r-1", 2, "responded")
	for i := range 2 {
		if err := s.RecordTransition(ctx, tr); err != nil {
			t.Fatalf("record #%d: %v", i+1, err)
		}
	}
	want := map[string]int{"service_requests": 1, "request_events": 2, "sla_deadlines": 2, "complaints": 1, "surveys": 1}
	if got := counts(t, s, "r-1"); !reflect.DeepEqual(got, want) {
		t.Fatalf("rows = %v, want %v", got, want)
	}

	got, err := s.Request(ctx, "r-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Stage != "responded" || got.Seq != 2 || got.CustomerName != "张三" || !got.Complex ||
		got.ResolutionWork != 90*time.Minute || got.FirstResponseAt == nil || !got.FirstResponseAt.Equal(t0.Add(time.Minute)) ||
		got.AcceptedAt != nil || got.Group != "general" || !got.CreatedAt.Equal(t0) {
		t.Fatalf("request row read back wrong: %+v", got)
	}
	tl, err := s.Timeline(ctx, "r-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(tl) != 2 || tl[0].Seq != 1 || tl[1].Seq != 2 || tl[0].Kind != "stage" ||
		!strings.Contains(string(tl[0].Payload), `"responded"`) || tl[1].Payload != nil || tl[1].Actor != "li" {
		t.Fatalf("timeline = %+v", tl)
	}
	ds, err := s.Deadlines(ctx, "r-1")
	if err != nil || len(ds) != 2 || ds[0].Name != "response" || ds[1].Paused != time.Hour || ds[0].MetAt == nil {
		t.Fatalf("deadlines = %+v, %v", ds, err)
	}
	cs, err := s.Complaints(ctx, "r-1")
	if err != nil || len(cs) != 1 || cs[0].Reason != "slow responded" {
		t.Fatalf("complaints = %+v, %v", cs, err)
	}
	sv, err := s.Survey(ctx, "r-1")
	if err != nil || sv.Average != 4.5 || sv.Solved == nil || !*sv.Solved {
		t.Fatalf("survey = %+v, %v", sv, err)
	}
}

func TestOlderSeqDoesNotOverwriteNewer(t *testing.T) {
	s, _ := newStore(t, 4)
	ctx := context.Background()
	if err := s.RecordTransition(ctx, transition("r-2", 6, "delivered")); err != nil {
		t.Fatal(err)
	}
	// A late retry of an older transition arrives after the newer one.
	if err := s.RecordTransition(ctx, transition("r-2", 4, "in_progress")); err != nil {
		t.Fatal(err)
	}
	r, err := s.Request(ctx, "r-2")
	if err != nil {
		t.Fatal(err)
	}
	if r.Stage != "delivered" || r.Seq != 6 {
		t.Fatalf("request = stage %q seq %d; want delivered 6", r.Stage, r.Seq)
	}
	ds, _ := s.Deadlines(ctx, "r-2")
	for _, d := range ds {
		if d.Name == "response" && d.State != "delivered" {
			t.Errorf("deadline response state %q overwritten by older seq", d.State)
		}
	}
	cs, _ := s.Complaints(ctx, "r-2")
	if len(cs) != 1 || cs[0].Reason != "slow delivered" {
		t.Errorf("complaint overwritten by older seq: %+v", cs)
	}
	if sv, _ := s.Survey(ctx, "r-2"); sv.Comment != "delivered" {
		t.Errorf("survey overwritten by older seq: %+v", sv)
	}
	// The older transition's own events are still appended (3, 4 besides 5, 6).
	tl, _ := s.Timeline(ctx, "r-2")
	var seqs []int64
	for _, e := range tl {
		seqs = append(seqs, e.Seq)
	}
	if !reflect.DeepEqual(seqs, []int64{3, 4, 5, 6}) {
		t.Errorf("timeline seqs = %v", seqs)
	}
	// A newer one does overwrite.
	if err := s.RecordTransition(ctx, transition("r-2", 8, "accepted")); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Request(ctx, "r-2"); r.Stage != "accepted" {
		t.Errorf("newer seq did not overwrite: %q", r.Stage)
	}
}

func TestConcurrentTransitionsOfDifferentRequests(t *testing.T) {
	s, _ := newStore(t, 8)
	ctx := context.Background()
	const requests, steps = 12, 10
	var wg sync.WaitGroup
	errs := make(chan error, requests*steps)
	for i := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("c-%02d", i)
			for step := 1; step <= steps; step++ {
				tr := transition(id, int64(2*step), fmt.Sprintf("step-%d", step))
				if err := s.RecordTransition(ctx, tr); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent record: %v", err)
	}
	for i := range requests {
		id := fmt.Sprintf("c-%02d", i)
		got := counts(t, s, id)
		want := map[string]int{"service_requests": 1, "request_events": 2 * steps, "sla_deadlines": 2, "complaints": 1, "surveys": 1}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s rows = %v, want %v", id, got, want)
		}
		if r, _ := s.Request(ctx, id); r.Stage != fmt.Sprintf("step-%d", steps) {
			t.Errorf("%s stage = %q", id, r.Stage)
		}
	}
}

func TestReadsOfUnknownRequestAreNotFound(t *testing.T) {
	s, _ := newStore(t, 2)
	ctx := context.Background()
	if _, err := s.Timeline(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("timeline: %v, want ErrNotFound", err)
	}
	if _, err := s.Request(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("request: %v, want ErrNotFound", err)
	}
	if _, err := s.Deadlines(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("deadlines: %v, want ErrNotFound", err)
	}
	// A request with no events yet has an empty timeline, not an error.
	tr := transition("quiet", 1, "received")
	tr.Events = nil
	if err := s.RecordTransition(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if tl, err := s.Timeline(ctx, "quiet"); err != nil || len(tl) != 0 {
		t.Errorf("timeline of quiet = %v, %v", tl, err)
	}
}

func TestBadTransitionsAreNonRetryable(t *testing.T) {
	s, _ := newStore(t, 2)
	ctx := context.Background()
	empty := transition("", 1, "x")
	if err := s.RecordTransition(ctx, empty); !isNonRetryable(err) || !strings.Contains(err.Error(), "request.request_id") {
		t.Errorf("empty request id: %v, want non-retryable naming request.request_id", err)
	}
	badJSON := transition("bad", 2, "x")
	badJSON.Events[0].Payload = []byte(`{not json`)
	err := s.RecordTransition(ctx, badJSON)
	if !isNonRetryable(err) {
		t.Errorf("invalid payload JSON: %v, want non-retryable", err)
	}
	if got := counts(t, s, "bad"); got["service_requests"] != 0 || got["request_events"] != 0 {
		t.Errorf("failed transition left rows: %v", got)
	}
}

func TestOpenUnreachableNamesHostNotPassword(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := Open(ctx, config.Postgres{DSN: "postgres://svc:Sup3rSecretPw@127.0.0.1:1/svcflow?sslmode=disable", MaxConns: 2})
	if err == nil {
		t.Fatal("open of a closed port succeeded")
	}
	if !strings.Contains(err.Error(), "127.0.0.1:1") || strings.Contains(err.Error(), "Sup3rSecretPw") {
		t.Fatalf("error must name the host and hide the password: %v", err)
	}
	_, err = Open(ctx, config.Postgres{DSN: "host=127.0.0.1 port=1 user=svc password=Sup3rSecretPw dbname=x sslmode=disable"})
	if err == nil || strings.Contains(err.Error(), "Sup3rSecretPw") {
		t.Fatalf("keyword DSN error leaks password or succeeded: %v", err)
	}
	if _, err := Open(ctx, config.Postgres{DSN: "postgres://svc:Sup3rSecretPw@127.0.0.1:1/x", MaxConns: -1}); err == nil || !strings.Contains(err.Error(), "postgres.max_conns") {
		t.Fatalf("negative max_conns: %v", err)
	}
	if _, err := Open(ctx, config.Postgres{DSN: "postgres://svc:Sup3rSecretPw@127.0.0.1:99999999/x"}); err == nil || strings.Contains(err.Error(), "Sup3rSecretPw") {
		t.Fatalf("bad DSN error leaks password or succeeded: %v", err)
	}
}

// embeddedVersions are the versions of the embedded migrations, ascending.
func embeddedVersions(t *testing.T) []int64 {
	t.Helper()
	entries, err := fs.ReadDir(Migrations(), ".")
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			t.Fatalf("migration file %q is not NNNNN_name.sql", e.Name())
		}
		out = append(out, v)
	}
	if len(out) == 0 || out[0] != 1 {
		t.Fatalf("migrations %v do not start at 1", out)
	}
	return out
}
