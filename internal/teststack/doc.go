// Package teststack runs one whole svcflow for end-to-end tests, drills and
// the load benchmark: a Temporal server of internal/testenv (the dev server
// or the real one, SVCFLOW_TEST_SERVER), a fresh PostgreSQL database, the
// programs built once per test binary (programs.go), worker processes
// (worker.go), the intake API (`starter serve`), a Temporal client and a
// request client, a fake notification sink (sink.go), and helpers to run a
// program or call the HTTP API (run.go) and to wait on a status or a
// database condition (wait.go). lifecycle.go holds the one happy path every
// suite drives.
//
//	func TestMain(m *testing.M) { testenv.Main(m, nil) } // releases the built programs and the shared server
//
//	s := teststack.New(t, teststack.Options{Workers: 1, Intake: true})
//	s.Requests.Start(ctx, teststack.Request(s.ID("a")))
//	r := s.Run(t, "", nil, "svcctl", "status", s.ID("a"))
//
// New ties the stack to a test (stopped when it ends, logs shown when it
// failed); Start and Close are for a stack shared by a package or run by a
// program (bench).
package teststack
