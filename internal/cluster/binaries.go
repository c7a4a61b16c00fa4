package cluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// Binaries are the paths of the three programs a cluster runs.
type Binaries struct {
	Server   string // temporal-server (go.temporal.io/server/cmd/server)
	SQLTool  string // temporal-sql-tool (go.temporal.io/server/cmd/tools/sql)
	UIServer string // temporal-ui-server (github.com/temporalio/ui-server/v2/cmd/server); only for StartUI
}

// BinariesIn names the programs as `make cluster-bins` builds them into dir.
func BinariesIn(dir string) Binaries {
	return Binaries{
		Server:   filepath.Join(dir, "temporal-server"),
		SQLTool:  filepath.Join(dir, "temporal-sql-tool"),
		UIServer: filepath.Join(dir, "temporal-ui-server"),
	}
}

// program is one binary with what it is built from.
type program struct {
	field, path, pkg, module string
}

func (b Binaries) programs() []program {
	return []program{
		{"server", b.Server, ServerPackage, ServerModule},
		{"sql tool", b.SQLTool, SQLToolPackage, ServerModule},
		{"UI server", b.UIServer, UIServerPackage, UIServerModule},
	}
}

// checkExecutable reports a missing or non-executable program by its role.
func checkExecutable(role, path string) error {
	if path == "" {
		return fmt.Errorf("cluster: binaries: no path for the %s (build it with make cluster-bins)", role)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("cluster: binaries: %s %s: %v (build it with make cluster-bins)", role, path, errors.Unwrap(err))
	}
	if fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("cluster: binaries: %s %s is not an executable file", role, path)
	}
	return nil
}

// Build makes sure dir holds the three programs at the versions that
// root/tools/go.mod pins: it builds (like make cluster-bins) those that are
// missing or were built from another version. Several processes may call it
// at once; a file lock in dir lets one build while the others wait.
func Build(ctx context.Context, root, dir string) (Binaries, error) {
	want, err := PinnedVersions(filepath.Join(root, "tools", "go.mod"))
	if err != nil {
		return Binaries{}, fmt.Errorf("cluster: build: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Binaries{}, fmt.Errorf("cluster: build: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, ".cluster-bins.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return Binaries{}, fmt.Errorf("cluster: build: %w", err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return Binaries{}, fmt.Errorf("cluster: build: lock %s: %w", lock.Name(), err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)

	bins := BinariesIn(dir)
	for _, p := range bins.programs() {
		version := want.Server
		if p.module == UIServerModule {
			version = want.UIServer
		}
		if got, err := moduleVersion(p.path, p.module); err == nil && got == version {
			continue
		}
		tmp := p.path + ".tmp"
		cmd := exec.CommandContext(ctx, "go", "build", "-modfile=tools/go.mod", "-o", tmp, p.pkg)
		cmd.Dir = root
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return Binaries{}, fmt.Errorf("cluster: build %s (make cluster-bins): %v: %s", p.pkg, err, strings.TrimSpace(out.String()))
		}
		if err := os.Rename(tmp, p.path); err != nil {
			return Binaries{}, fmt.Errorf("cluster: build: %w", err)
		}
	}
	return bins, nil
}
