package cluster

// This file renders the server's static config (YAML) and its dynamic config file.

import (
	"fmt"
	"net"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/svcflow/svcflow/deploy"
)

// configEnv is the server's --env: it reads <root>/config/<configEnv>.yaml.
const configEnv = "cluster"

// pgTarget is where and as whom the server connects to PostgreSQL.
type pgTarget struct {
	Host     string
	Port     int
	User     string
	Password string
}

func (t pgTarget) addr() string { return net.JoinHostPort(t.Host, strconv.Itoa(t.Port)) }

type sqlStore struct {
	PluginName      string `yaml:"pluginName"`
	DatabaseName    string `yaml:"databaseName"`
	ConnectAddr     string `yaml:"connectAddr"`
	ConnectProtocol string `yaml:"connectProtocol"`
	User            string `yaml:"user"`
	Password        string `yaml:"password,omitempty"`
	MaxConns        int    `yaml:"maxConns"`
	MaxIdleConns    int    `yaml:"maxIdleConns"`
	MaxConnLifetime string `yaml:"maxConnLifetime"`
}

type rpc struct {
	GRPCPort        int  `yaml:"grpcPort"`
	MembershipPort  int  `yaml:"membershipPort"`
	BindOnLocalHost bool `yaml:"bindOnLocalHost"`
}

type state struct {
	State string `yaml:"state"`
}

type dataStore struct {
	SQL sqlStore `yaml:"sql"`
}

type serviceRPC struct {
	RPC rpc `yaml:"rpc"`
}

type clusterInfo struct {
	Enabled                bool   `yaml:"enabled"`
	InitialFailoverVersion int    `yaml:"initialFailoverVersion"`
	RPCName                string `yaml:"rpcName"`
	RPCAddress             string `yaml:"rpcAddress"`
}

type serverConfig struct {
	Log struct {
		Stdout bool   `yaml:"stdout"`
		Level  string `yaml:"level"`
	} `yaml:"log"`
	Persistence struct {
		DefaultStore     string               `yaml:"defaultStore"`
		VisibilityStore  string               `yaml:"visibilityStore"`
		NumHistoryShards int                  `yaml:"numHistoryShards"`
		DataStores       map[string]dataStore `yaml:"datastores"`
	} `yaml:"persistence"`
	Global struct {
		Membership struct {
			MaxJoinDuration  string `yaml:"maxJoinDuration"`
			BroadcastAddress string `yaml:"broadcastAddress"`
		} `yaml:"membership"`
	} `yaml:"global"`
	Services        map[string]serviceRPC `yaml:"services"`
	ClusterMetadata struct {
		EnableGlobalNamespace    bool                   `yaml:"enableGlobalNamespace"`
		FailoverVersionIncrement int                    `yaml:"failoverVersionIncrement"`
		MasterClusterName        string                 `yaml:"masterClusterName"`
		CurrentClusterName       string                 `yaml:"currentClusterName"`
		ClusterInformation       map[string]clusterInfo `yaml:"clusterInformation"`
	} `yaml:"clusterMetadata"`
	DCRedirectionPolicy struct {
		Policy string `yaml:"policy"`
	} `yaml:"dcRedirectionPolicy"`
	Archival struct {
		History    state `yaml:"history"`
		Visibility state `yaml:"visibility"`
	} `yaml:"archival"`
	NamespaceDefaults struct {
		Archival struct {
			History    state `yaml:"history"`
			Visibility state `yaml:"visibility"`
		} `yaml:"archival"`
	} `yaml:"namespaceDefaults"`
	PublicClient struct {
		HostPort string `yaml:"hostPort"`
	} `yaml:"publicClient"`
	DynamicConfigClient struct {
		Filepath     string `yaml:"filepath"`
		PollInterval string `yaml:"pollInterval"`
	} `yaml:"dynamicConfigClient"`
}

// renderServerConfig is the static config all four processes read: SQL
// persistence and SQL visibility on PostgreSQL (plugin postgres12), the
// ports of every service, the dynamic config file at dynamicConfigPath.
func renderServerConfig(o Options, pg pgTarget, dynamicConfigPath string) ([]byte, error) {
	var c serverConfig
	c.Log.Stdout, c.Log.Level = true, o.LogLevel

	store := func(db string) dataStore {
		return dataStore{sqlStore{
			PluginName: "postgres12", DatabaseName: db, ConnectAddr: pg.addr(), ConnectProtocol: "tcp",
			User: pg.User, Password: pg.Password,
			MaxConns: o.MaxConns, MaxIdleConns: o.MaxConns, MaxConnLifetime: "1h",
		}}
	}
	p := &c.Persistence
	p.DefaultStore, p.VisibilityStore, p.NumHistoryShards = "default", "visibility", o.HistoryShards
	p.DataStores = map[string]dataStore{"default": store(o.Databases.Main), "visibility": store(o.Databases.Visibility)}

	c.Global.Membership.MaxJoinDuration = "30s"
	c.Global.Membership.BroadcastAddress = "127.0.0.1"
	c.Services = map[string]serviceRPC{}
	for _, s := range Services() {
		sp := o.Ports.of(s)
		if sp.GRPC == 0 || sp.Membership == 0 {
			return nil, fmt.Errorf("cluster: config: %s has no ports", s)
		}
		c.Services[string(s)] = serviceRPC{rpc{GRPCPort: sp.GRPC, MembershipPort: sp.Membership, BindOnLocalHost: true}}
	}
	frontend := net.JoinHostPort("127.0.0.1", strconv.Itoa(o.Ports.Frontend.GRPC))
	m := &c.ClusterMetadata
	m.FailoverVersionIncrement, m.MasterClusterName, m.CurrentClusterName = 10, "active", "active"
	m.ClusterInformation = map[string]clusterInfo{"active": {Enabled: true, InitialFailoverVersion: 1, RPCName: "frontend", RPCAddress: frontend}}
	c.DCRedirectionPolicy.Policy = "noop"
	c.Archival.History.State, c.Archival.Visibility.State = "disabled", "disabled"
	c.NamespaceDefaults.Archival.History.State, c.NamespaceDefaults.Archival.Visibility.State = "disabled", "disabled"
	c.PublicClient.HostPort = frontend
	c.DynamicConfigClient.Filepath, c.DynamicConfigClient.PollInterval = dynamicConfigPath, "10s"
	return yaml.Marshal(&c)
}

// clusterDynamicConfig are the keys a cluster adds to deploy's file: no
// call home for a version check.
var clusterDynamicConfig = map[string]any{
	"frontend.enableServerVersionCheck": false,
}

// renderDynamicConfig is deploy/dynamicconfig/development-sql.yaml (the
// file docker-compose.yml mounts) with clusterDynamicConfig and extra set.
func renderDynamicConfig(extra map[string]any) ([]byte, error) {
	doc := map[string]any{}
	if err := yaml.Unmarshal(deploy.DynamicConfigSQL, &doc); err != nil {
		return nil, fmt.Errorf("cluster: deploy/dynamicconfig/development-sql.yaml: %w", err)
	}
	for _, m := range []map[string]any{clusterDynamicConfig, extra} {
		for k, v := range m {
			doc[k] = []map[string]any{{"value": v, "constraints": map[string]any{}}}
		}
	}
	return yaml.Marshal(doc)
}
