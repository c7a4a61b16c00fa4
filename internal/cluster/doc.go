// Package cluster runs the production shape of Temporal (CONTRACT §11) on one
// machine: the real server's four services (frontend, history, matching,
// worker) as four processes on PostgreSQL with SQL visibility, and
// optionally the Temporal UI server, all built from tools/go.mod.
//
// Programs and tests use it alike (it imports no test package):
//
//	bins, err := cluster.Build(ctx, repoRoot, filepath.Join(repoRoot, "bin")) // or BinariesIn("bin") after make cluster-bins
//	c, err := cluster.Start(ctx, cluster.Options{
//		AdminDSN: "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
//		Dir:      dir, // config, dynamic config, logs/<service>.log
//		Binaries: bins,
//	})
//	defer c.Stop()             // stops every process; drops fresh databases
//	client.Dial(client.Options{HostPort: c.HostPort(), Namespace: c.Namespace()})
//	url, err := c.StartUI(ctx, 0) // optional
//	c.KillService(cluster.History) // SIGKILL, for fault drills
//	c.StartService(ctx, cluster.History)
//
// Start creates a fresh pair of databases (temporal_<suffix>,
// temporal_visibility_<suffix>) unless Options.Databases names persistent
// ones, sets their schema up with temporal-sql-tool (idempotent, so named
// databases are reused and upgraded), picks free ports below 32768 for
// every gRPC and membership port not given, starts the services, waits
// until they serve, registers the namespace (default "default") and the
// CONTRACT §7 search attributes of internal/searchattr, and returns once a
// workflow can run. Every process dies with its parent (Linux Pdeathsig).
//
// Pool sizes are small by default (Options.MaxConns, 2 per service and
// database) so several test clusters fit in PostgreSQL's 100 connections.
package cluster
