package deploy

import _ "embed"

// DynamicConfigSQL is the dynamic config of a Temporal server on SQL
// persistence and visibility: docker-compose.yml mounts the file, and
// internal/cluster writes it (plus its own keys) for the clusters it runs.
//
//go:embed dynamicconfig/development-sql.yaml
var DynamicConfigSQL []byte
