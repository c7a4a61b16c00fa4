//go:build chaos

package chaos

import "time"

// scale of the drills under -tags chaos (make chaos).
var scale = drillScale{
	killLifecycles: 200, killConcurrency: 50, killEvery: 3 * time.Second, kills: 0,
	twoWorkerLifecycles: 100,
	serviceLifecycles:   100,
	pgLifecycles:        40, pgOutage: 20 * time.Second,
	serverRequests: 30,
	strictLate:     true,
	dupRequests:    5,
}
