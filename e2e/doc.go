// Package e2e holds the end-to-end tests: the built worker, starter and
// svcctl run as processes (internal/teststack) against a Temporal server —
// the dev server, or the real one with SVCFLOW_TEST_SERVER=cluster (make
// test runs both) — and PostgreSQL.
package e2e
