package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// table writes aligned columns.
type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer, header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	t.row(header...)
	return t
}

func (t *table) row(cols ...string) { fmt.Fprintln(t.tw, strings.Join(cols, "\t")) }

func (t *table) flush() error { return t.tw.Flush() }

// timeLayout is RFC 3339 with the offset: the same instant reads the same
// in svcctl, the timer summaries and the JSON.
const timeLayout = time.RFC3339

// fmtTime shows t in loc; nil or zero as "-".
func fmtTime(t *time.Time, loc *time.Location) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return t.In(loc).Format(timeLayout)
}

// orDash shows "" as "-".
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// roundDuration drops sub-second noise for display.
func roundDuration(d time.Duration) time.Duration {
	if d >= time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(100 * time.Millisecond)
}

// cut shortens s to n characters with an ellipsis.
func cut(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}

// detailWords shows an event's payload in words, long values cut: "response
// #1, due 2026-…", "analysis → awaiting_confirmation", "note: called …".
func detailWords(kind string, payload []byte) string {
	var m map[string]any
	if len(payload) == 0 || json.Unmarshal(payload, &m) != nil || len(m) == 0 {
		return "-"
	}
	str := func(k string) string {
		v, ok := m[k]
		if !ok {
			return ""
		}
		delete(m, k)
		if f, ok := v.(float64); ok {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
		return fmt.Sprint(v)
	}
	var parts []string
	switch {
	case kind == "stage":
		parts = append(parts, str("from")+" → "+str("to"))
	case strings.HasPrefix(kind, "deadline."):
		parts = append(parts, str("deadline")+" #"+str("instance"))
	}
	delete(m, "action_id") // an action's key, not its content
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := str(k)
		if v == "" || v == "false" {
			continue
		}
		if v == "true" {
			parts = append(parts, strings.ReplaceAll(k, "_", " "))
			continue
		}
		parts = append(parts, strings.ReplaceAll(k, "_", " ")+": "+cut(v, 60))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}
