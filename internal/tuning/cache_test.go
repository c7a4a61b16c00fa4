package tuning

import "testing"

// cache_size 0 sizes the cache from memory: a quarter at ~100 KB a cached
// run, never below 1000 or above the SDK's 10 000.
func TestAutoCache(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		name string
		mem  uint64
		want int
	}{
		{"unknown memory", 0, AutoCacheMin},
		{"256 MiB container", 256 * mib, AutoCacheMin},
		{"1 GiB container", 1024 * mib, 2621},
		{"2 GiB machine", 2048 * mib, 5242},
		{"4 GiB: the SDK's default", 4096 * mib, AutoCacheMax},
		{"24 GiB machine", 24 * 1024 * mib, AutoCacheMax},
	} {
		if got := AutoCache(tc.mem); got != tc.want {
			t.Errorf("%s: AutoCache(%d) = %d, want %d", tc.name, tc.mem, got, tc.want)
		}
	}
}

// What the worker reads off this machine is a real amount.
func TestMemoryAvailable(t *testing.T) {
	if mem := MemoryAvailable(); mem < 64<<20 {
		t.Fatalf("MemoryAvailable() = %d bytes: neither the cgroup limit nor the machine's memory was read", mem)
	}
}
