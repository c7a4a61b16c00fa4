package cluster

import (
	"debug/buildinfo"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// The modules and main packages of the three programs, pinned in tools/go.mod.
const (
	ServerModule   = "go.temporal.io/server"
	UIServerModule = "github.com/temporalio/ui-server/v2"

	ServerPackage   = ServerModule + "/cmd/server"
	SQLToolPackage  = ServerModule + "/cmd/tools/sql"
	UIServerPackage = UIServerModule + "/cmd/server"
)

// Versions are the Temporal server and UI server versions without the
// leading "v" (as image tags write them: 1.29.1, 2.42.1).
type Versions struct {
	Server   string
	UIServer string
}

var requireLine = regexp.MustCompile(`(?m)^\s*(?:require\s+)?(\S+)\s+v(\S+)(?:\s*//.*)?$`)

// PinnedVersions reads the server and UI server versions that a go.mod
// file (tools/go.mod) requires: the one source of truth of the versions
// the cluster runs and docker-compose.yml names.
func PinnedVersions(goModPath string) (Versions, error) {
	b, err := os.ReadFile(goModPath)
	if err != nil {
		return Versions{}, fmt.Errorf("pinned versions: %w", err)
	}
	var v Versions
	for _, m := range requireLine.FindAllStringSubmatch(string(b), -1) {
		switch m[1] {
		case ServerModule:
			v.Server = m[2]
		case UIServerModule:
			v.UIServer = m[2]
		}
	}
	if v.Server == "" || v.UIServer == "" {
		return Versions{}, fmt.Errorf("pinned versions: %s requires no %s or no %s", goModPath, ServerModule, UIServerModule)
	}
	return v, nil
}

// ToolLines lists the `tool` directives of a go.mod file.
func ToolLines(goModPath string) ([]string, error) {
	b, err := os.ReadFile(goModPath)
	if err != nil {
		return nil, err
	}
	var out []string
	inBlock := false
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "tool (":
			inBlock = true
		case inBlock && line == ")":
			inBlock = false
		case inBlock && line != "":
			out = append(out, line)
		case strings.HasPrefix(line, "tool "):
			out = append(out, strings.TrimSpace(strings.TrimPrefix(line, "tool ")))
		}
	}
	return out, nil
}

// moduleVersion is the version of module a built binary was linked with
// (from its embedded build information), without the leading "v".
func moduleVersion(bin, module string) (string, error) {
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		return "", err
	}
	if info.Main.Path == module {
		return strings.TrimPrefix(info.Main.Version, "v"), nil
	}
	for _, d := range info.Deps {
		if d.Path == module {
			if d.Replace != nil {
				return strings.TrimPrefix(d.Replace.Version, "v"), nil
			}
			return strings.TrimPrefix(d.Version, "v"), nil
		}
	}
	return "", fmt.Errorf("%s was not built from %s", bin, module)
}
