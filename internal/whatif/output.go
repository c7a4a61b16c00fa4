package whatif

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/svcflow/svcflow/internal/report"
)

// Scope names what a summary covers, for people.
type Scope struct {
	PolicyFile string        // the configuration tried
	Filter     report.Filter // requests created in [From, To), of the group and tier
	Location   *time.Location
}

func (sc Scope) loc() *time.Location {
	if sc.Location == nil {
		return time.UTC
	}
	return sc.Location
}

// Title is one line naming the policy tried and the requests.
func (sc Scope) Title() string { return "svcflow what-if: " + sc.Line() }

// Line names the policy tried and the requests.
func (sc Scope) Line() string {
	return fmt.Sprintf("%s on the requests created %s", sc.PolicyFile, sc.Filter.Describe(sc.loc()))
}

// timeLayout shows due times in RFC 3339 in the zone, as svcctl does.
const timeLayout = time.RFC3339

func showDue(t *time.Time, loc *time.Location) string {
	if t == nil {
		return "-"
	}
	return t.In(loc).Format(timeLayout)
}

// signed shows a change of count: "+3", "-1", "0".
func signed(n int64) string {
	if n > 0 {
		return "+" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// WriteText writes the human tables: the counts per deadline, the headline
// figures both ways, then every instance whose outcome changes.
func (s *Summary) WriteText(w io.Writer, sc Scope) error {
	loc := sc.loc()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(cols ...string) { fmt.Fprintln(tw, strings.Join(cols, "\t")) }
	fmt.Fprintln(tw, sc.Title())
	fmt.Fprintf(tw, "%d requests replayed, %d deadline instances: %d change outcome, %d more keep it at another due time\n\n",
		s.Requests, s.Instances, len(s.Changes), s.Moved)
	row("DEADLINE", "SIDE", "SETTLED", "BREACHED (RECORDED)", "BREACHED (WHAT-IF)", "CHANGE")
	for _, d := range s.Deadlines {
		row(d.Name, d.Side(), strconv.FormatInt(d.Settled, 10), strconv.FormatInt(d.BreachedRecorded, 10),
			strconv.FormatInt(d.BreachedWhatIf, 10), signed(d.BreachedWhatIf-d.BreachedRecorded))
	}
	fmt.Fprintln(tw)
	row("FIGURE", "RECORDED", "", "WHAT-IF", "", "TARGET")
	for i, rec := range s.Figures.Recorded {
		wi := s.Figures.WhatIf[i]
		row(rec.Label, rec.ShowValue(), report.Mark(rec.Status), wi.ShowValue(), report.Mark(wi.Status), rec.ShowTarget())
	}
	fmt.Fprintln(tw)
	if len(s.Changes) == 0 {
		fmt.Fprintln(tw, "No outcome changes.")
	} else {
		row("REQUEST", "DEADLINE", "#", "RECORDED", "DUE", "WHAT-IF", "DUE")
		for _, c := range s.Changes {
			row(c.RequestID, c.Name, strconv.Itoa(c.Instance.Instance), c.Recorded.Outcome, showDue(c.Recorded.Due, loc), c.WhatIf.Outcome, showDue(c.WhatIf.Due, loc))
		}
	}
	fmt.Fprintln(tw, "\nSettled: met or breached as recorded. Team figures count response, sheet, review, delay_notice,")
	fmt.Fprintln(tw, "delivery, rework, follow_up and complaint; confirmation and acceptance wait on the customer.")
	fmt.Fprintln(tw, "The replay applies the recorded actions at their recorded times: it never invents one.")
	return tw.Flush()
}

// WriteJSON writes {"deadlines", "changes", "figures"} (CONTRACT §10).
func (s *Summary) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// CSVHeader is the header of WriteCSV.
var CSVHeader = []string{"section", "request_id", "name", "instance", "settled", "recorded", "whatif", "recorded_due_at", "whatif_due_at"}

// WriteCSV writes one table: a "deadline" row per deadline name (settled,
// breaches recorded and under the policy), a "figure" row per headline
// figure (values 0..1, empty when nothing was measured), a "change" row per
// instance whose outcome changes (outcomes, RFC 3339 due times).
func (s *Summary) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	rows := [][]string{CSVHeader}
	for _, d := range s.Deadlines {
		rows = append(rows, []string{"deadline", "", d.Name, "", itoa(d.Settled), itoa(d.BreachedRecorded), itoa(d.BreachedWhatIf), "", ""})
	}
	for i, rec := range s.Figures.Recorded {
		rows = append(rows, []string{"figure", "", rec.Key, "", "", value(rec), value(s.Figures.WhatIf[i]), "", ""})
	}
	for _, c := range s.Changes {
		rows = append(rows, []string{"change", c.RequestID, c.Name, strconv.Itoa(c.Instance.Instance), "", c.Recorded.Outcome, c.WhatIf.Outcome, rfc3339(c.Recorded.Due), rfc3339(c.WhatIf.Due)})
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func value(f report.Figure) string {
	if f.Value == nil {
		return ""
	}
	return strconv.FormatFloat(*f.Value, 'f', -1, 64)
}

func rfc3339(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
