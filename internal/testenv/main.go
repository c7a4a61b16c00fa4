package testenv

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

// Integration skips t under go test -short with one line naming what the
// test needs (e.g. "PostgreSQL", "a Temporal server").
func Integration(t testing.TB, needs string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("integration test: needs %s; skipped under -short", needs)
	}
}

var atExit struct {
	mu    sync.Mutex
	funcs []func() error
}

// AtExit registers f to run when Main ends (last registered first): what a
// test binary shares — its server, its built programs — is released there.
func AtExit(f func() error) {
	atExit.mu.Lock()
	defer atExit.mu.Unlock()
	atExit.funcs = append(atExit.funcs, f)
}

// Main runs a test package: call it from TestMain. With dsn not nil, *dsn
// is a fresh database for the whole package, created before the tests and
// dropped after them (not under -short: *dsn stays "" and the tests that
// use it skip through Integration). After the tests it stops what the
// binary shared (AtExit: the shared Temporal server, built programs). It
// exits the process.
//
//	var dsn string
//	func TestMain(m *testing.M) { testenv.Main(m, &dsn) }
func Main(m *testing.M, dsn *string) {
	flag.Parse()
	if dsn != nil && !testing.Short() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		d, drop, err := CreateDatabase(ctx)
		cancel()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		*dsn = d
		AtExit(drop)
	}
	code := m.Run()
	atExit.mu.Lock()
	funcs := atExit.funcs
	atExit.funcs = nil
	atExit.mu.Unlock()
	for i := len(funcs) - 1; i >= 0; i-- {
		if err := funcs[i](); err != nil {
			fmt.Fprintln(os.Stderr, err)
			if code == 0 {
				code = 1
			}
		}
	}
	os.Exit(code)
}
