package testenv

// This file runs the real Temporal server (internal/cluster) as a test
// server.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/svcflow/svcflow/internal/cluster"
)

// ClusterServer is the real server: four service processes on PostgreSQL
// with fresh databases, dropped by Stop. Its Cluster method reaches the
// services (KillService, StartService).
type ClusterServer struct {
	c    *cluster.Cluster
	dir  string
	temp bool
}

func startClusterServer(ctx context.Context, o ServerOptions) (*ClusterServer, error) {
	bins, err := ClusterBinaries()
	if err != nil {
		return nil, err
	}
	dir, temp, err := serverDir(o, Cluster)
	if err != nil {
		return nil, fmt.Errorf("cluster server: %w", err)
	}
	admin := o.AdminDSN
	if admin == "" {
		admin = AdminDSN()
	}
	c, err := cluster.Start(ctx, cluster.Options{AdminDSN: admin, Dir: dir, Binaries: bins, MaxConns: o.MaxConns})
	if err != nil {
		if temp {
			err = errors.Join(err, os.RemoveAll(dir))
		}
		return nil, err
	}
	return &ClusterServer{c: c, dir: dir, temp: temp}, nil
}

// Kind is Cluster.
func (s *ClusterServer) Kind() Kind { return Cluster }

// HostPort is the frontend's address.
func (s *ClusterServer) HostPort() string { return s.c.HostPort() }

// Namespace is the registered namespace.
func (s *ClusterServer) Namespace() string { return s.c.Namespace() }

// Cluster is the running cluster, for drills on one service.
func (s *ClusterServer) Cluster() *cluster.Cluster { return s.c }

// Logs are the services' log files.
func (s *ClusterServer) Logs() []string {
	var out []string
	for _, svc := range cluster.Services() {
		out = append(out, s.c.LogPath(svc))
	}
	return out
}

// Restart kills and restarts each service in turn, waiting until it serves
// before the next.
func (s *ClusterServer) Restart(ctx context.Context) error {
	for _, svc := range cluster.Services() {
		if err := s.c.KillService(svc); err != nil {
			return err
		}
		if err := s.c.StartService(ctx, svc); err != nil {
			return err
		}
	}
	return nil
}

// Usage is the services' CPU time and RSS, summed.
func (s *ClusterServer) Usage() (time.Duration, int64) { return s.c.Usage() }

// Stop stops the services, drops the databases and removes a temporary
// directory.
func (s *ClusterServer) Stop() error {
	err := s.c.Stop()
	if s.temp {
		if rerr := os.RemoveAll(s.dir); rerr != nil {
			err = errors.Join(err, fmt.Errorf("cluster server: remove %s: %w", filepath.Clean(s.dir), rerr))
		}
	}
	return err
}
