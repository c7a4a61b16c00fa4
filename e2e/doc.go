// Package e2e holds the end-to-end tests: the built worker, starter and
// svcctl run as processes against a Temporal dev server and PostgreSQL.
package e2e
