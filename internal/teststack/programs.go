package teststack

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/svcflow/svcflow/internal/testenv"
)

// Build runs go build -o dir/ for the packages (e.g. "./worker") in the
// repository root.
func Build(ctx context.Context, dir string, pkgs ...string) error {
	root := testenv.RepoRoot()
	if root == "" {
		return fmt.Errorf("go build %s: not inside the svcflow repository", strings.Join(pkgs, " "))
	}
	cmd := exec.CommandContext(ctx, "go", append([]string{"build", "-o", dir + string(filepath.Separator)}, pkgs...)...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v: %s", strings.Join(pkgs, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

var programs struct {
	once sync.Once
	dir  string
	err  error
}

// Programs is the directory of worker, starter and svcctl, built once per
// test binary and removed when testenv.Main ends.
func Programs(ctx context.Context) (string, error) {
	programs.once.Do(func() {
		dir, err := os.MkdirTemp("", "svcflow-programs-")
		if err != nil {
			programs.err = fmt.Errorf("programs: %w", err)
			return
		}
		testenv.AtExit(func() error { return os.RemoveAll(dir) })
		if programs.err = Build(ctx, dir, "./worker", "./starter", "./svcctl"); programs.err == nil {
			programs.dir = dir
		}
	})
	return programs.dir, programs.err
}
