package whatif

import (
	"html/template"
	"io"
	"time"

	"github.com/svcflow/svcflow/internal/chart"
	"github.com/svcflow/svcflow/internal/report"
)

// MaxHTMLChanges bounds the changes listed on the page (all are counted).
const MaxHTMLChanges = 1000

var pageTemplate = template.Must(template.New("whatif").Funcs(template.FuncMap{"mark": report.Mark, "due": showDueUTC}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
{{.Style}}
</style>
</head>
<body>
<main>
<h1>svcflow what-if</h1>
<p class="meta">{{.Line}} · {{.S.Requests}} requests, {{.S.Instances}} deadline instances · {{len .S.Changes}} outcomes change</p>

<h2>Headline figures</h2>
<table>
<tr><th>Figure</th><th>Recorded</th><th></th><th>What-if</th><th></th><th>Target</th></tr>
{{range .Figures}}<tr><td>{{.R.Label}}</td><td class="num">{{.R.ShowValue}}</td><td><span class="mark {{.R.Status}}">{{mark .R.Status}}</span></td><td class="num">{{.W.ShowValue}}</td><td><span class="mark {{.W.Status}}">{{mark .W.Status}}</span></td><td class="num">{{.R.ShowTarget}}</td></tr>
{{end}}</table>

<h2>Breaches by deadline: recorded and under the policy tried</h2>
<div class="chart">{{.Chart}}</div>
<table>
<tr><th>Deadline</th><th>Side</th><th>Settled</th><th>Breached (recorded)</th><th>Breached (what-if)</th></tr>
{{range .S.Deadlines}}<tr><td>{{.Name}}</td><td>{{.Side}}</td><td class="num">{{.Settled}}</td><td class="num">{{.BreachedRecorded}}</td><td class="num">{{.BreachedWhatIf}}</td></tr>
{{end}}</table>
<p class="note">Settled: met or breached as recorded. Confirmation and acceptance wait on the customer (grey). The replay applies the recorded actions at their recorded times: it never invents one.</p>

<h2>Outcomes that change</h2>
{{if .Changes}}<table>
<tr><th>Request</th><th>Deadline</th><th>#</th><th>Recorded</th><th>Due</th><th>What-if</th><th>Due</th></tr>
{{range .Changes}}<tr><td>{{.RequestID}}</td><td>{{.Name}}</td><td class="num">{{.Instance.Instance}}</td><td>{{.Recorded.Outcome}}</td><td>{{due .Recorded.Due}}</td><td>{{.WhatIf.Outcome}}</td><td>{{due .WhatIf.Due}}</td></tr>
{{end}}</table>{{if .More}}<p class="note">{{.More}} more changes are not listed: see --json or --csv.</p>{{end}}{{else}}<p>None.</p>{{end}}
</main>
</body>
</html>
`))

// WriteHTML writes one self-contained page: the headline figures both ways,
// the breaches per deadline recorded and under the policy tried as an
// inline SVG chart, and the changes (the first MaxHTMLChanges).
func (s *Summary) WriteHTML(w io.Writer, sc Scope) error {
	var groups []chart.Group
	for _, d := range s.Deadlines {
		rec, wi := chart.ColorTeam, chart.ColorWhatIf
		g := chart.Group{Label: d.Name}
		if d.Side() == report.SideCustomer {
			rec, wi, g.Note = chart.ColorCustomer, chart.ColorAxis, "customer"
		}
		g.Bars = []chart.Bar{{Value: d.BreachedRecorded, Color: rec, Title: "breached as recorded"}, {Value: d.BreachedWhatIf, Color: wi, Title: "breached under the policy tried"}}
		groups = append(groups, g)
	}
	type pair struct{ R, W report.Figure }
	var figures []pair
	for i, r := range s.Figures.Recorded {
		figures = append(figures, pair{r, s.Figures.WhatIf[i]})
	}
	changes, more := s.Changes, 0
	if len(changes) > MaxHTMLChanges {
		changes, more = changes[:MaxHTMLChanges], len(changes)-MaxHTMLChanges
	}
	data := map[string]any{
		"Title": sc.Title(), "Line": sc.Line(), "Style": chart.Style, "S": s, "Figures": figures, "Changes": changes, "More": more,
		// The chart is built from escaped text only (internal/chart).
		"Chart": template.HTML(chart.Bars("Breaches by deadline, recorded and what-if", groups, []chart.Legend{
			{Color: chart.ColorTeam, Text: "breached as recorded"}, {Color: chart.ColorWhatIf, Text: "breached under the policy tried"},
			{Color: chart.ColorCustomer, Text: "customer deadlines"}})),
	}
	page, err := pageTemplate.Clone()
	if err != nil {
		return err
	}
	loc := sc.loc()
	page.Funcs(template.FuncMap{"due": func(t *time.Time) string { return showDue(t, loc) }})
	return page.Execute(w, data)
}

// showDueUTC is the page's "due" until WriteHTML sets the zone.
func showDueUTC(t *time.Time) string { return showDue(t, time.UTC) }
