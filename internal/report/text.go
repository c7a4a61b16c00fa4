package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// periodLayout shows the period's bounds.
const periodLayout = time.RFC3339

// Mark is the pass/fail mark people see for a status.
func Mark(status string) string {
	switch status {
	case Pass:
		return "pass"
	case Fail:
		return "FAIL"
	case NoData:
		return "no data"
	default:
		return ""
	}
}

// ShowValue shows a figure's value for people ("-" when nothing measured).
func (f Figure) ShowValue() string {
	if f.Value == nil {
		return "-"
	}
	return formatValue(f.Unit, *f.Value)
}

// ShowTarget shows a figure's target for people ("-" without one).
func (f Figure) ShowTarget() string { return formatTarget(f.Unit, f.Target) }

func showShare(v *float64) string {
	if v == nil {
		return "-"
	}
	return formatValue(UnitShare, *v)
}

func orAll(s string) string {
	if s == "" {
		return "all"
	}
	return s
}

// Title names the report's scope in one line.
func (r *Report) Title() string { return "svcflow KPI report, " + r.Scope() }

// Scope is the period and the filters: "2026-11-01T00:00:00+08:00 to ..., group all, tier vip".
func (r *Report) Scope() string {
	loc, err := time.LoadLocation(r.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return r.Filter.Describe(loc)
}

// Describe is the period in loc and the filters: "2026-11-01T00:00:00+08:00
// to 2026-12-01T00:00:00+08:00, group all, tier vip".
func (f Filter) Describe(loc *time.Location) string {
	return fmt.Sprintf("%s to %s, group %s, tier %s",
		f.From.In(loc).Format(periodLayout), f.To.In(loc).Format(periodLayout), orAll(f.Group), orAll(f.Tier))
}

// WriteText writes the human tables.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(cols ...string) { fmt.Fprintln(tw, strings.Join(cols, "\t")) }
	fmt.Fprintln(tw, r.Title())
	fmt.Fprintf(tw, "generated %s\n\n", r.GeneratedAt.Format(time.RFC3339))
	row("FIGURE", "VALUE", "TARGET", "STATUS", "N")
	for _, f := range r.Figures {
		row(f.Label, f.ShowValue(), f.ShowTarget(), Mark(f.Status), strconv.FormatInt(f.N, 10))
	}
	fmt.Fprintln(tw)
	row("DEADLINE", "SIDE", "SETTLED", "MET", "BREACHED", "LATE MET", "WITHIN SLA", "TARGET", "STATUS")
	for _, d := range r.Deadlines {
		row(d.Name, d.Side, itoa(d.Settled), itoa(d.Met), itoa(d.Breached), itoa(d.LateMet), showShare(d.MetShare),
			formatTarget(UnitShare, d.Target), Mark(d.Status))
	}
	fmt.Fprintln(tw)
	row("GROUP", "TEAM BREACHES", "SHARE OF BREACHES")
	if len(r.BreachesByGroup) == 0 {
		row("(no team breaches)", "0", "")
	}
	for _, g := range r.BreachesByGroup {
		row(groupName(g.Group), itoa(g.Breached), showShare(&g.Share))
	}
	fmt.Fprintln(tw)
	row("SLA POLICY", "TEAM DEADLINES", "MET", "BREACHED", "WITHIN SLA")
	if len(r.ByPolicy) == 0 {
		row("(none settled)", "0", "0", "0", "-")
	}
	for _, p := range r.ByPolicy {
		row(p.Policy, itoa(p.Settled), itoa(p.Met), itoa(p.Breached), showShare(p.MetShare))
	}
	fmt.Fprintln(tw)
	row("WEEK", "TEAM DEADLINES", "WITHIN SLA", "SURVEYS", "SATISFIED")
	for _, wk := range r.Weekly {
		row(wk.Start.Format("2006-01-02"), itoa(wk.SLASettled), showShare(wk.SLAShare), itoa(wk.Surveys), showShare(wk.Satisfaction))
	}
	fmt.Fprintln(tw, "\nTeam SLA counts response, sheet, review, delay_notice, delivery, rework, follow_up and complaint;")
	fmt.Fprintln(tw, "confirmation and acceptance wait on the customer and carry no target. Weeks start on Monday;")
	fmt.Fprintln(tw, "the first and last may be cut by the period.")
	return tw.Flush()
}

// groupName shows a request not yet routed to a group.
func groupName(g string) string {
	if g == "" {
		return "(no group)"
	}
	return g
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// WriteJSON writes the whole report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// CSVHeader is the header row of WriteCSV.
var CSVHeader = []string{"key", "label", "unit", "value", "n", "target_op", "target", "status"}

// AllFigures is the headline figures followed by two per deadline kind:
// sla.<name>.met_share (share, with target for team deadlines) and
// sla.<name>.breaches (count).
func (r *Report) AllFigures() []Figure {
	out := append([]Figure(nil), r.Figures...)
	for _, d := range r.Deadlines {
		out = append(out,
			Figure{Key: "sla." + d.Name + ".met_share", Label: d.Name + " within SLA (" + d.Side + ")", Unit: UnitShare,
				Value: d.MetShare, N: d.Settled, Target: d.Target, Status: d.Status},
			Figure{Key: "sla." + d.Name + ".breaches", Label: d.Name + " breaches (" + d.Side + ")", Unit: UnitCount,
				Value: count(d.Breached), N: d.Settled, Status: NoTarget})
	}
	return out
}

// WriteCSV writes one row per figure (AllFigures): values in their unit
// (shares 0..1, durations in seconds), empty when nothing was measured.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for _, f := range r.AllFigures() {
		var value, op, target string
		if f.Value != nil {
			value = num(*f.Value)
		}
		if f.Target != nil {
			op, target = f.Target.Op, num(f.Target.Value)
		}
		if err := cw.Write([]string{f.Key, strings.TrimSpace(f.Label), f.Unit, value, itoa(f.N), op, target, f.Status}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
