package cluster

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"time"
)

// Service is one of the four Temporal server services, each run as its own
// process.
type Service string

// The services, in the order Start launches them.
const (
	History  Service = "history"
	Matching Service = "matching"
	Frontend Service = "frontend"
	Worker   Service = "worker"
)

// Services lists the four services.
func Services() []Service { return []Service{History, Matching, Frontend, Worker} }

func (s Service) valid() bool { return slices.Contains(Services(), s) }

// MaxPort bounds the gRPC and membership ports: the server stores the
// membership port in a SMALLINT column (cluster_membership.rpc_port).
const MaxPort = 32767

// ServicePorts are the two ports of one service; zero picks a free one
// below MaxPort.
type ServicePorts struct {
	GRPC       int
	Membership int
}

// Ports are the ports of the four services.
type Ports struct {
	Frontend, History, Matching, Worker ServicePorts
}

func (p *Ports) of(s Service) *ServicePorts {
	switch s {
	case Frontend:
		return &p.Frontend
	case History:
		return &p.History
	case Matching:
		return &p.Matching
	default:
		return &p.Worker
	}
}

// Databases names the two databases of a cluster.
type Databases struct {
	Main       string // persistence (default store)
	Visibility string // SQL visibility
}

// Options configure Start. AdminDSN, Dir and Binaries are required; every
// other field has a default.
type Options struct {
	// AdminDSN is a PostgreSQL URL or keyword/value DSN over TCP whose role
	// may create and drop databases, e.g.
	// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
	AdminDSN string
	// Dir receives the server's config, the dynamic config file and one
	// log file per process (logs/<service>.log); created if missing.
	Dir string
	// Binaries are the programs (BinariesIn("bin") after make cluster-bins,
	// or Build).
	Binaries Binaries

	// Databases names the databases. Empty: a fresh pair
	// temporal_<suffix> and temporal_visibility_<suffix> with a random
	// suffix, dropped by Stop unless KeepDatabases. Named ones are created
	// when missing, their schema brought up to date, and never dropped.
	Databases     Databases
	KeepDatabases bool

	// Ports of the services; zero ones are picked free below MaxPort.
	Ports Ports
	// MaxConns is the connection pool size of each service for each of
	// the two databases (default 2: an idle cluster then holds at most
	// 4 services × 2 databases × 2 connections).
	MaxConns int
	// HistoryShards is the number of history shards (default 4). It is
	// fixed for the life of the databases.
	HistoryShards int
	// Namespace is registered by Start with the CONTRACT §7 search attributes
	// (default "default"); Retention is its retention (default 72h).
	Namespace string
	Retention time.Duration
	// LogLevel of the server processes: debug, info, warn, error (default warn).
	LogLevel string
	// DynamicConfig adds or overrides dynamic config keys (values apply
	// without constraints), e.g. {"history.defaultActivityRetryPolicy": ...}.
	DynamicConfig map[string]any
	// ReadyTimeout bounds Start's and StartService's waiting for the
	// services to serve (default 2m).
	ReadyTimeout time.Duration
}

var dbName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// withDefaults validates o and fills in the defaults; errors name the field.
func (o Options) withDefaults() (Options, error) {
	if o.AdminDSN == "" {
		return o, fmt.Errorf("cluster: options: AdminDSN is empty")
	}
	if o.Dir == "" {
		return o, fmt.Errorf("cluster: options: Dir is empty")
	}
	dir, err := filepath.Abs(o.Dir) // the processes and their config name files by it
	if err != nil {
		return o, fmt.Errorf("cluster: options: Dir: %w", err)
	}
	o.Dir = dir
	if err := checkExecutable("server", o.Binaries.Server); err != nil {
		return o, err
	}
	if err := checkExecutable("sql tool", o.Binaries.SQLTool); err != nil {
		return o, err
	}
	if (o.Databases.Main == "") != (o.Databases.Visibility == "") {
		return o, fmt.Errorf("cluster: options: Databases: name both databases or neither")
	}
	for field, name := range map[string]string{"Databases.Main": o.Databases.Main, "Databases.Visibility": o.Databases.Visibility} {
		if name != "" && !dbName.MatchString(name) {
			return o, fmt.Errorf("cluster: options: %s %q: want lower-case letters, digits and _ (at most 63)", field, name)
		}
	}
	if o.Databases.Main != "" && o.Databases.Main == o.Databases.Visibility {
		return o, fmt.Errorf("cluster: options: Databases: Main and Visibility are both %q", o.Databases.Main)
	}
	seen := map[int]string{}
	for _, s := range Services() {
		p := o.Ports.of(s)
		for kind, port := range map[string]int{"GRPC": p.GRPC, "Membership": p.Membership} {
			field := fmt.Sprintf("Ports.%s.%s", title(s), kind)
			if port < 0 || port > MaxPort {
				return o, fmt.Errorf("cluster: options: %s %d: want 1..%d (the server keeps membership ports in a SMALLINT)", field, port, MaxPort)
			}
			if port == 0 {
				continue
			}
			if other, dup := seen[port]; dup {
				return o, fmt.Errorf("cluster: options: %s %d: also given as %s", field, port, other)
			}
			seen[port] = field
		}
	}
	if o.MaxConns < 0 || o.HistoryShards < 0 || o.Retention < 0 || o.ReadyTimeout < 0 {
		return o, fmt.Errorf("cluster: options: MaxConns, HistoryShards, Retention and ReadyTimeout must not be negative")
	}
	switch o.LogLevel {
	case "":
		o.LogLevel = "warn"
	case "debug", "info", "warn", "error":
	default:
		return o, fmt.Errorf("cluster: options: LogLevel %q: want debug, info, warn or error", o.LogLevel)
	}
	if o.MaxConns == 0 {
		o.MaxConns = 2
	}
	if o.HistoryShards == 0 {
		o.HistoryShards = 4
	}
	if o.Namespace == "" {
		o.Namespace = "default"
	}
	if o.Retention == 0 {
		o.Retention = 72 * time.Hour
	}
	if o.ReadyTimeout == 0 {
		o.ReadyTimeout = 2 * time.Minute
	}
	return o, nil
}

func title(s Service) string { return string(s[0]-'a'+'A') + string(s[1:]) }
