package testenv

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
)

var root struct {
	once sync.Once
	dir  string
}

// RepoRoot is the directory of svcflow's go.mod, found upwards from the
// working directory ("" when not inside the repository).
func RepoRoot() string {
	root.once.Do(func() {
		dir, err := os.Getwd()
		if err != nil {
			return
		}
		for {
			b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
			if err == nil && strings.HasPrefix(strings.TrimSpace(string(b)), "module github.com/svcflow/svcflow\n") {
				root.dir = dir
				return
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				return
			}
			dir = parent
		}
	})
	return root.dir
}
