package report

import (
	"html/template"
	"io"

	"github.com/svcflow/svcflow/internal/chart"
)

// pageTemplate is the one self-contained page: inline CSS and SVG only, no
// scripts, no external assets.
var pageTemplate = template.Must(template.New("page").Funcs(pageFuncs).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.R.Title}}</title>
<style>
{{.Style}}
</style>
</head>
<body>
<main>
<h1>svcflow KPI report</h1>
<p class="meta">{{.R.Scope}} · generated {{.Generated}} · {{.Passed}} of {{.Targeted}} targets met</p>

<h2>Figures against targets</h2>
<table>
<tr><th>Figure</th><th>Value</th><th>Target</th><th>Status</th><th>N</th></tr>
{{range .R.Figures}}<tr><td>{{.Label}}</td><td class="num">{{.ShowValue}}</td><td class="num">{{.ShowTarget}}</td><td>{{if .Target}}<span class="mark {{.Status}}">{{mark .Status}}</span>{{end}}</td><td class="num">{{.N}}</td></tr>
{{end}}</table>

<h2>Weekly trend</h2>
<div class="chart">{{.Trend}}</div>
<p class="note">Team deadlines settled each week (met, or breached when the breach happened) and surveys recorded each week. Weeks start on Monday; the first and last may be cut by the period.</p>

<h2>Breaches by deadline</h2>
<div class="chart">{{.ByDeadline}}</div>
<table>
<tr><th>Deadline</th><th>Side</th><th>Settled</th><th>Met</th><th>Breached</th><th>Late met</th><th>Within SLA</th><th>Target</th><th>Status</th></tr>
{{range .R.Deadlines}}<tr><td>{{.Name}}</td><td>{{.Side}}</td><td class="num">{{.Settled}}</td><td class="num">{{.Met}}</td><td class="num">{{.Breached}}</td><td class="num">{{.LateMet}}</td><td class="num">{{share .MetShare}}</td><td class="num">{{target .Target}}</td><td>{{if .Target}}<span class="mark {{.Status}}">{{mark .Status}}</span>{{end}}</td></tr>
{{end}}</table>
<p class="note">Team SLA figures count response, sheet, review, delay_notice, delivery, rework, follow_up and complaint deadlines. Confirmation and acceptance wait on the customer: shown in grey, no target.</p>

<h2>Breaches by group (team deadlines)</h2>
<div class="chart">{{.ByGroup}}</div>
</main>
</body>
</html>
`))

var pageFuncs = template.FuncMap{
	"mark":   Mark,
	"share":  showShare,
	"target": func(t *Target) string { return formatTarget(UnitShare, t) },
}

// WriteHTML writes one self-contained HTML page: the figures against their
// targets, the weekly trend of team SLA compliance and satisfaction, and
// the breaches by deadline and by group, as inline SVG charts.
func (r *Report) WriteHTML(w io.Writer) error {
	var byDeadline []chart.Group
	for _, d := range r.Deadlines {
		g := chart.Group{Label: d.Name, Bars: []chart.Bar{{Value: d.Breached, Color: chart.ColorTeam}}}
		if d.Side == SideCustomer {
			g.Bars[0].Color, g.Note = chart.ColorCustomer, "customer"
		}
		byDeadline = append(byDeadline, g)
	}
	var byGroup []bar
	for i, g := range r.BreachesByGroup {
		if i == maxGroupBars {
			break
		}
		byGroup = append(byGroup, bar{label: groupName(g.Group), value: g.Breached, color: chart.ColorTeam, note: showShare(&g.Share) + " of team breaches"})
	}
	passed, targeted := 0, 0
	for _, f := range r.AllFigures() {
		if f.Status == Pass || f.Status == Fail {
			targeted++
			if f.Status == Pass {
				passed++
			}
		}
	}
	data := struct {
		Style                      template.CSS
		R                          *Report
		Generated                  string
		Passed, Targeted           int
		Trend, ByDeadline, ByGroup template.HTML
	}{
		Style: chart.Style, R: r, Generated: r.GeneratedAt.Format("2006-01-02 15:04 MST"), Passed: passed, Targeted: targeted,
		// The charts are built from escaped text only (svg.go).
		Trend:      template.HTML(trendChart(r.Weekly, targetFor("sla.team"), targetFor("satisfaction_rate"))),
		ByDeadline: template.HTML(chart.Bars("Breaches by deadline", byDeadline, []chart.Legend{{Color: chart.ColorTeam, Text: "team deadline"}, {Color: chart.ColorCustomer, Text: "customer deadline (no target)"}})),
		ByGroup:    template.HTML(hbarChart("Breaches by group", byGroup)),
	}
	return pageTemplate.Execute(w, data)
}
