package main

import (
	"fmt"
	"strings"
)

// A profile is the config both workers of a run get: a file and SVCFLOW_*
// settings on top (the stack already points temporal, postgres and
// notify.webhook at its own servers and its signing webhook receiver).
type profile struct {
	name, config, what string
	env                []string
}

var profiles = []profile{
	{
		name:   "shipped",
		config: "config/svcflow.yaml",
		what:   "the shipped config/svcflow.yaml (worker defaults: poller autoscaling, SDK slots), customer, supervisor and manager on webhook to a local signing receiver, assignee on log",
		env: []string{
			"SVCFLOW_NOTIFY_PARTIES_CUSTOMER=webhook",
			"SVCFLOW_NOTIFY_PARTIES_SUPERVISOR=webhook",
			"SVCFLOW_NOTIFY_PARTIES_MANAGER=webhook",
		},
	},
	{
		name:   "tuned",
		config: "bench/bench.yaml",
		what:   "bench/bench.yaml (32 fixed pollers, 200 slots, every party on log)",
	},
}

func profileNamed(name string) (profile, error) {
	for _, p := range profiles {
		if p.name == name {
			return p, nil
		}
	}
	var names []string
	for _, p := range profiles {
		names = append(names, p.name)
	}
	return profile{}, fmt.Errorf("-profile %q: want one of %s", name, strings.Join(names, ", "))
}
