package cluster

// This file runs the Temporal UI server in front of the cluster.

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/svcflow/svcflow/internal/proc"
)

// uiConfig is the part of the UI server's config the cluster sets.
type uiConfig struct {
	TemporalGRPCAddress string `yaml:"temporalGrpcAddress"`
	Host                string `yaml:"host"`
	Port                int    `yaml:"port"`
	EnableUI            bool   `yaml:"enableUi"`
	DefaultNamespace    string `yaml:"defaultNamespace"`
	NotifyOnNewVersion  bool   `yaml:"notifyOnNewVersion"`
	CORS                struct {
		CookieInsecure bool `yaml:"cookieInsecure"` // plain http on localhost
	} `yaml:"cors"`
}

// StartUI starts the UI server (Options.Binaries.UIServer) on 127.0.0.1
// at port (0: a free one), pointing at the frontend, waits until it
// answers and returns its base URL, e.g. http://127.0.0.1:8233. Stop stops
// it. Calling it again returns the running one's URL.
func (c *Cluster) StartUI(ctx context.Context, port int) (string, error) {
	c.mu.Lock()
	if c.ui != nil && !c.ui.Exited() {
		defer c.mu.Unlock()
		return c.uiURL, nil
	}
	c.mu.Unlock()
	if err := checkExecutable("UI server", c.opts.Binaries.UIServer); err != nil {
		return "", err
	}
	if port < 0 || port > 65535 {
		return "", fmt.Errorf("cluster: UI port %d: want 0..65535", port)
	}
	if port == 0 {
		var err error
		if port, err = proc.FreePort(); err != nil {
			return "", err
		}
	}
	root := filepath.Join(c.opts.Dir, "ui")
	if err := os.MkdirAll(filepath.Join(root, "config"), 0o755); err != nil {
		return "", fmt.Errorf("cluster: UI: %w", err)
	}
	cfg := uiConfig{TemporalGRPCAddress: c.HostPort(), Host: "127.0.0.1", Port: port, EnableUI: true, DefaultNamespace: c.opts.Namespace}
	cfg.CORS.CookieInsecure = true
	b, err := yaml.Marshal(&cfg)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(root, "config", configEnv+".yaml"), b, 0o644); err != nil {
		return "", fmt.Errorf("cluster: UI config: %w", err)
	}
	args := []string{"--root", root, "--config", "config", "--env", configEnv, "start"}
	p, err := proc.Start("ui-server", c.opts.Binaries.UIServer, args, os.Environ(), filepath.Join(c.opts.Dir, "logs", "ui-server.log"))
	if err != nil {
		return "", fmt.Errorf("cluster: start UI server: %w", err)
	}
	url := "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	c.mu.Lock()
	c.ui, c.uiURL = p, url
	stopped := c.stopped
	c.mu.Unlock()
	if stopped {
		p.Kill()
		return "", fmt.Errorf("cluster: start UI server: the cluster is stopped")
	}
	limit := c.opts.ReadyTimeout
	if d, ok := ctx.Deadline(); ok {
		limit = min(limit, time.Until(d))
	}
	if err := p.WaitHTTP(url+"/healthz", limit); err != nil {
		p.Kill()
		return "", fmt.Errorf("cluster: UI server: %w", err)
	}
	return url, nil
}

// UIURL is the UI server's base URL ("" until StartUI).
func (c *Cluster) UIURL() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.uiURL
}
