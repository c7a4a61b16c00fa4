package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// sizeUnits: binary with "i" (KiB, MiB, GiB) or bare (K, M, G), decimal
// with "B" (KB, MB, GB).
var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"k": 1 << 10, "kib": 1 << 10, "kb": 1000,
	"m": 1 << 20, "mib": 1 << 20, "mb": 1000 * 1000,
	"g": 1 << 30, "gib": 1 << 30, "gb": 1000 * 1000 * 1000,
}

// ParseSize parses a byte size such as "64KiB", "1MiB", "512", "10MB"
// (KiB/MiB/GiB and K/M/G are binary, KB/MB/GB decimal).
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("not a size like 64KiB or 1MiB")
	}
	n, err := strconv.ParseInt(t[:i], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("not a size like 64KiB or 1MiB")
	}
	unit, ok := sizeUnits[strings.ToLower(strings.TrimSpace(t[i:]))]
	if !ok {
		return 0, fmt.Errorf("unknown size unit %q: use B, KiB, MiB, GiB, KB, MB or GB", strings.TrimSpace(t[i:]))
	}
	if n > math.MaxInt64/unit {
		return 0, fmt.Errorf("size too large")
	}
	return n * unit, nil
}
