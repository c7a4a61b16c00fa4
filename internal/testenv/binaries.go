package testenv

// This file finds the pinned Temporal binaries the servers run. Tests never
// build them: make test (make temporal, make cluster-bins) does.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/svcflow/svcflow/internal/cluster"
)

// TemporalBinEnv names the environment variable that points at a temporal
// CLI binary; unset, tests use <repo>/bin/temporal.
const TemporalBinEnv = "SVCFLOW_TEMPORAL_BIN"

// TemporalBin is the temporal CLI (dev server and client commands):
// $SVCFLOW_TEMPORAL_BIN, else <repo>/bin/temporal. Missing, the error says
// how to build it.
func TemporalBin() (string, error) {
	if p := os.Getenv(TemporalBinEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", TemporalBinEnv, p, errors.Unwrap(err))
		}
		return p, nil
	}
	dir, err := binDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "temporal")
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("temporal CLI %s missing: build it with make temporal (or set %s)", bin, TemporalBinEnv)
	}
	return bin, nil
}

// ClusterBinaries are the real server's programs in <repo>/bin (make
// cluster-bins); missing ones are named with that command.
func ClusterBinaries() (cluster.Binaries, error) {
	dir, err := binDir()
	if err != nil {
		return cluster.Binaries{}, err
	}
	bins := cluster.BinariesIn(dir)
	for _, p := range []string{bins.Server, bins.SQLTool} {
		if _, err := os.Stat(p); err != nil {
			return bins, fmt.Errorf("%s missing: build the server binaries with make cluster-bins", p)
		}
	}
	return bins, nil
}

func binDir() (string, error) {
	root := RepoRoot()
	if root == "" {
		return "", errors.New("cannot find the svcflow repository root (go.mod) above the working directory")
	}
	return filepath.Join(root, "bin"), nil
}
