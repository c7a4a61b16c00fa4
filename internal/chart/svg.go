// Package chart draws the inline SVG charts and holds the page style of
// svcflow's self-contained HTML pages (the KPI report, the what-if): text
// only, escaped, no scripts and no external assets.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// Colours of the charts.
const (
	ColorSLA      = "#1f6feb"
	ColorSat      = "#d97706"
	ColorTeam     = "#c2410c"
	ColorWhatIf   = "#7c3aed"
	ColorCustomer = "#9ca3af"
	ColorGrid     = "#e5e7eb"
	ColorAxis     = "#374151"
	ColorTarget   = "#16a34a"
)

// SVG writes one inline SVG element (no xmlns needed inside HTML).
type SVG struct{ b strings.Builder }

// New starts an SVG of w×h pixels on a white background; title is its
// accessible name.
func New(w, h int, title string) *SVG {
	s := &SVG{}
	fmt.Fprintf(&s.b, `<svg width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`, w, h, w, h, Esc(title))
	fmt.Fprintf(&s.b, `<title>%s</title><rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`, Esc(title), w, h)
	return s
}

// Esc escapes text for the SVG.
func Esc(s string) string { return html.EscapeString(s) }

// Add writes markup; every text argument must be escaped with Esc.
func (s *SVG) Add(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }

// Text writes txt (escaped here) at (x, y).
func (s *SVG) Text(x, y float64, anchor, size, fill, txt string) {
	s.Add(`<text x="%.1f" y="%.1f" text-anchor="%s" font-size="%s" fill="%s">%s</text>`, x, y, anchor, size, fill, Esc(txt))
}

// String closes the element.
func (s *SVG) String() string { return s.b.String() + "</svg>" }

// Style is the style sheet of svcflow's HTML pages.
const Style template.CSS = `body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; color: #111827; background: #ffffff; margin: 0; }
main { max-width: 1120px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
p.meta { color: #4b5563; margin: 0 0 16px; font-size: 13px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 6px 10px; text-align: left; }
th { background: #f3f4f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.mark { display: inline-block; min-width: 52px; text-align: center; border-radius: 4px; padding: 1px 6px; font-weight: bold; }
.pass { background: #dcfce7; color: #166534; }
.fail { background: #fee2e2; color: #991b1b; }
.no_data { background: #f3f4f6; color: #6b7280; }
.chart { background: #fff; border: 1px solid #e5e7eb; padding: 8px; }
.note { color: #6b7280; font-size: 12px; }
`
