//go:build !chaos

package chaos

import "time"

// scale of the reduced drills that run in make test (< 2 min per server).
var scale = drillScale{
	killLifecycles: 20, killConcurrency: 20, killEvery: 3 * time.Second, kills: 1,
	twoWorkerLifecycles: 12,
	serviceLifecycles:   12,
	pgLifecycles:        6, pgOutage: 4 * time.Second,
	serverRequests: 4,
	strictLate:     false,
	dupRequests:    1,
}
