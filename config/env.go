package config

import (
	"os"
	"sort"
	"strings"
)

// ProgramVariables are SVCFLOW_ environment variables that are not
// configuration keys: the programs, tests and build read them for
// themselves. Every other SVCFLOW_ variable must name a key.
var ProgramVariables = []string{
	EnvConfigFile,              // SVCFLOW_CONFIG: the config file
	"SVCFLOW_ACTOR",            // svcctl: who acts
	"SVCFLOW_TEMPORAL_BIN",     // tests and make: the temporal CLI to use
	"SVCFLOW_RECORD_HISTORIES", // tests: record workflow histories for the replay test
	"SVCFLOW_CHROMIUM",         // tests: the browser for the report screenshot test
	"SVCFLOW_REPORT_PNG",       // tests: where to keep the report screenshot
}

// ProgramVariablePrefixes start families of program variables (tests,
// benchmarks, drills).
var ProgramVariablePrefixes = []string{"SVCFLOW_TEST_", "SVCFLOW_BENCH_", "SVCFLOW_CHAOS_"}

// envName is the environment variable that overrides key.
func envName(key string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// unknownEnv reports every SVCFLOW_ variable of environ that names no key
// (keys as envKeys lists them) and is no program variable.
func unknownEnv(environ []string, keys []string) []Problem {
	known := map[string]bool{}
	for _, k := range keys {
		known[envName(k)] = true
	}
	var out []Problem
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, EnvPrefix+"_") || known[name] || isProgramVariable(name) {
			continue
		}
		why := "names no configuration key" + suggestEnv(name, known)
		out = append(out, Problem{Key: name, Value: redactUnknown(strings.ToLower(name), value), Why: why})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func isProgramVariable(name string) bool {
	for _, v := range ProgramVariables {
		if name == v {
			return true
		}
	}
	for _, p := range ProgramVariablePrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// suggestEnv names the known variable that differs only in underscores.
func suggestEnv(name string, known map[string]bool) string {
	squash := strings.ReplaceAll(name, "_", "")
	var hits []string
	for k := range known {
		if strings.ReplaceAll(k, "_", "") == squash {
			hits = append(hits, k)
		}
	}
	if len(hits) != 1 {
		return ""
	}
	return " (did you mean " + hits[0] + "?)"
}

func environ() []string { return os.Environ() }
