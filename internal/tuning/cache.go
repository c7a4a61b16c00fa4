package tuning

import (
	"github.com/KimMachineGun/automemlimit/memlimit"
	"go.temporal.io/sdk/worker"

	"github.com/svcflow/svcflow/config"
)

// The sticky cache holds the runs a worker has in memory; a task for a run
// not in it replays the run's whole history first. With 10 000 requests
// whose timers fall due in one minute, a cache of 1000 made every fire a
// replay: warnings p50 5.3 s late against 0.6 s with all 10 000 cached
// (bench/README). A cached ServiceRequest costs ~100 KB of RSS (10 000
// cached: 1020 MB), so cache_size 0 sizes the cache from the memory the
// process may use (its cgroup's limit, else the machine's): a quarter of it,
// between AutoCacheMin and AutoCacheMax (the SDK's own default) runs.
const (
	CachedRunBytes = 100 << 10
	AutoCacheMin   = 1000
	AutoCacheMax   = 10000
)

// CacheSize sets the process's sticky workflow cache from worker.cache_size
// (0: sized from memory, AutoCache) and returns the size set. Call it
// before the first worker is built.
func CacheSize(w config.Worker) int {
	n := w.CacheSize
	if n <= 0 {
		n = AutoCache(MemoryAvailable())
	}
	worker.SetStickyWorkflowCacheSize(n)
	return n
}

// AutoCache is the cache size for mem bytes of memory (0: unknown, the
// minimum): a quarter of it at CachedRunBytes a run, within the bounds.
func AutoCache(mem uint64) int {
	n := mem / 4 / CachedRunBytes
	switch {
	case n < AutoCacheMin:
		return AutoCacheMin
	case n > AutoCacheMax:
		return AutoCacheMax
	}
	return int(n)
}

// MemoryAvailable is the memory limit of the process's cgroup, else the
// machine's total memory; 0 when neither is known.
func MemoryAvailable() uint64 {
	mem, err := memlimit.ApplyFallback(memlimit.FromCgroup, memlimit.FromSystem)()
	if err != nil {
		return 0
	}
	return mem
}
