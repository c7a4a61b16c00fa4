// Package chaos holds svcflow's reliability drills: lifecycles under worker SIGKILLs, a PostgreSQL outage, a dev server restart and duplicate deliveries, each ending with an accounting pass over PostgreSQL and visibility (full size with -tags chaos, reduced in make test).
package chaos
