// Package testenv gives tests their real dependencies:
//
//   - PostgreSQL (postgres.go): a fresh database per test (NewDatabase) or
//     per test package (Main), on the machine's server at AdminDSN
//     (SVCFLOW_TEST_PG_ADMIN_DSN); a private cluster of its own
//     (pgcluster.go) for tests that stop PostgreSQL;
//   - a Temporal server (server.go), one per test binary (StartTemporal,
//     SharedServer) or per test (NewServer): the dev server
//     (devserver.go, `temporal server start-dev`) or the real server of
//     CONTRACT §11 (clusterserver.go, internal/cluster: four service processes
//     on PostgreSQL), chosen by SVCFLOW_TEST_SERVER=dev|cluster (default
//     dev);
//   - the repository root (RepoRoot) and the pinned binaries the servers
//     run (binaries.go): built by make, never by a test.
//
// Under go test -short every integration helper skips its test with one
// line saying why, and Main creates nothing: the unit, workflow and replay
// tests run with nothing installed but Go.
//
// The running svcflow on top of these (built programs, worker, intake,
// clients, the happy path, a fake notification sink) is internal/teststack.
package testenv
