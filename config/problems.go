package config

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a configuration: the key (dotted path as
// written in the file, list items as [i]), its value (secrets redacted) and
// why it is wrong.
type Problem struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	Why   string `json:"why"`
}

// String renders the problem as "key: value: why".
func (p Problem) String() string {
	v := p.Value
	if v == "" {
		v = `""`
	}
	return p.Key + ": " + v + ": " + p.Why
}

// ValidationError lists every problem of a configuration at once.
type ValidationError struct {
	File     string // the file read ("" when only defaults applied)
	Problems []Problem
}

// Error lists the problems one per line, each "key: value: why".
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// problems collects problems with their values redacted.
type problems []Problem

func (ps *problems) add(key string, value any, format string, args ...any) {
	*ps = append(*ps, Problem{Key: key, Value: redactValue(key, fmt.Sprint(value)), Why: fmt.Sprintf(format, args...)})
}

// has reports whether a problem of key (or under it) is listed.
func (ps problems) has(key string) bool {
	for _, p := range ps {
		if p.Key == key || strings.HasPrefix(p.Key, key+".") || strings.HasPrefix(p.Key, key+"[") {
			return true
		}
	}
	return false
}
