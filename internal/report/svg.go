package report

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// Chart colours.
const (
	colorSLA      = "#1f6feb"
	colorSat      = "#d97706"
	colorTeam     = "#c2410c"
	colorCustomer = "#9ca3af"
	colorGrid     = "#e5e7eb"
	colorAxis     = "#374151"
	colorTarget   = "#16a34a"
)

// svgBuilder writes one inline SVG element (no xmlns needed inside HTML).
type svgBuilder struct{ b strings.Builder }

func newSVG(w, h int, title string) *svgBuilder {
	s := &svgBuilder{}
	fmt.Fprintf(&s.b, `<svg width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`, w, h, w, h, esc(title))
	fmt.Fprintf(&s.b, `<title>%s</title><rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`, esc(title), w, h)
	return s
}

func esc(s string) string { return html.EscapeString(s) }

func (s *svgBuilder) add(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }

func (s *svgBuilder) text(x, y float64, anchor, size, fill, txt string) {
	s.add(`<text x="%.1f" y="%.1f" text-anchor="%s" font-size="%s" fill="%s">%s</text>`, x, y, anchor, size, fill, esc(txt))
}

func (s *svgBuilder) String() string { return s.b.String() + "</svg>" }

// trendRange is the y axis of the trend: from a round share below every
// value and target (0 when the data go low) to 100 %, and its grid step.
func trendRange(weeks []Week, targets ...*Target) (lo, step float64) {
	low := 1.0
	for _, w := range weeks {
		for _, v := range []*float64{w.SLAShare, w.Satisfaction} {
			if v != nil {
				low = min(low, *v)
			}
		}
	}
	for _, t := range targets {
		if t != nil {
			low = min(low, t.Value)
		}
	}
	lo = math.Floor((low-0.02)*10) / 10
	switch {
	case lo <= 0.4:
		return 0, 0.2
	case lo <= 0.7:
		return lo, 0.1
	default:
		return lo, 0.05
	}
}

// trendChart draws weekly team SLA compliance and satisfaction with the
// targets as dashed lines; weeks without data leave gaps.
func trendChart(weeks []Week, slaTarget, satTarget *Target) string {
	const W, H, L, R, T, B = 1080, 340, 56, 20, 44, 56
	pw, ph := float64(W-L-R), float64(H-T-B)
	s := newSVG(W, H, "Weekly trend: team deadlines within SLA and satisfaction")
	lo, step := trendRange(weeks, slaTarget, satTarget)
	y := func(v float64) float64 { return T + ph*(1-(v-lo)/(1-lo)) }
	for p := lo; p <= 1.0001; p += step {
		yy := y(p)
		s.add(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s"/>`, L, yy, W-R, yy, colorGrid)
		s.text(L-8, yy+4, "end", "12", colorAxis, fmt.Sprintf("%.0f %%", p*100))
	}
	s.add(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`, L, T, L, H-B, colorAxis)
	s.add(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`, L, H-B, W-R, H-B, colorAxis)
	n := len(weeks)
	if n == 0 {
		s.text(W/2, H/2, "middle", "14", colorAxis, "no weeks in the period")
		return s.String()
	}
	x := func(i int) float64 { return L + pw*(float64(i)+0.5)/float64(n) }
	every := (n + 15) / 16
	for i, wk := range weeks {
		if i%every == 0 {
			s.text(x(i), H-B+18, "middle", "11", colorAxis, wk.Start.Format("01-02"))
		}
	}
	s.text(L+pw/2, H-12, "middle", "12", colorAxis, "week starting (Monday)")
	seen := map[float64]bool{}
	for _, t := range []*Target{slaTarget, satTarget} {
		if t == nil || seen[t.Value] {
			continue
		}
		seen[t.Value] = true
		s.add(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s" stroke-dasharray="6 4" stroke-width="1.5"/>`, L, y(t.Value), W-R, y(t.Value), colorTarget)
		s.add(`<rect x="%d" y="%.1f" width="76" height="16" fill="#ffffff" opacity="0.85"/>`, L+4, y(t.Value)-18)
		s.text(float64(L+8), y(t.Value)-6, "start", "11", colorTarget, fmt.Sprintf("target %.0f %%", t.Value*100))
	}
	series := []struct {
		name  string
		color string
		value func(Week) *float64
	}{
		{"team deadlines within SLA", colorSLA, func(w Week) *float64 { return w.SLAShare }},
		{"satisfaction (surveys averaging >= 4)", colorSat, func(w Week) *float64 { return w.Satisfaction }},
	}
	for k, ser := range series {
		var seg []string
		flush := func() {
			if len(seg) > 1 {
				s.add(`<polyline fill="none" stroke="%s" stroke-width="2.5" points="%s"/>`, ser.color, strings.Join(seg, " "))
			}
			seg = nil
		}
		for i, wk := range weeks {
			v := ser.value(wk)
			if v == nil {
				flush()
				continue
			}
			seg = append(seg, fmt.Sprintf("%.1f,%.1f", x(i), y(*v)))
			s.add(`<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s %s: %.1f %%</title></circle>`, x(i), y(*v), ser.color, esc(ser.name), wk.Start.Format("2006-01-02"), *v*100)
		}
		flush()
		lx := float64(L + 10 + k*300)
		s.add(`<rect x="%.1f" y="14" width="18" height="6" fill="%s"/>`, lx, ser.color)
		s.text(lx+24, 21, "start", "13", colorAxis, ser.name)
	}
	return s.String()
}

// bar is one bar of a bar chart.
type bar struct {
	label string
	value int64
	color string
	note  string
}

// barChart draws vertical bars with their values on top.
func barChart(title string, bars []bar, legend [][2]string) string {
	const W, H, L, R, T, B = 1080, 300, 56, 20, 44, 60
	pw, ph := float64(W-L-R), float64(H-T-B)
	s := newSVG(W, H, title)
	var top int64 = 1
	for _, b := range bars {
		top = max(top, b.value)
	}
	s.add(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`, L, H-B, W-R, H-B, colorAxis)
	for k, l := range legend {
		lx := float64(L + 10 + k*200)
		s.add(`<rect x="%.1f" y="12" width="12" height="12" fill="%s"/>`, lx, l[0])
		s.text(lx+18, 22, "start", "13", colorAxis, l[1])
	}
	if len(bars) == 0 {
		s.text(W/2, H/2, "middle", "14", colorAxis, "nothing to show")
		return s.String()
	}
	slot := pw / float64(len(bars))
	bw := min(slot*0.6, 80)
	for i, b := range bars {
		cx := L + slot*(float64(i)+0.5)
		h := ph * float64(b.value) / float64(top)
		s.add(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %d %s</title></rect>`,
			cx-bw/2, float64(H-B)-h, bw, h, b.color, esc(b.label), b.value, esc(b.note))
		s.text(cx, float64(H-B)-h-6, "middle", "12", colorAxis, fmt.Sprint(b.value))
		s.text(cx, H-B+18, "middle", "12", colorAxis, b.label)
		if b.note != "" {
			s.text(cx, H-B+34, "middle", "11", colorCustomer, b.note)
		}
	}
	return s.String()
}

// maxGroupBars is how many groups the group chart shows (most breaches first).
const maxGroupBars = 20

// hbarChart draws horizontal bars, one line per group.
func hbarChart(title string, bars []bar) string {
	const W, L, R, T, rowH = 1080, 200, 300, 20, 28
	n := len(bars)
	H := T + max(n, 1)*rowH + 20
	s := newSVG(W, H, title)
	if n == 0 {
		s.text(W/2, float64(T+20), "middle", "14", colorAxis, "no team breaches in the period")
		return s.String()
	}
	var top int64 = 1
	for _, b := range bars {
		top = max(top, b.value)
	}
	pw := float64(W - L - R)
	for i, b := range bars {
		yy := float64(T + i*rowH)
		w := pw * float64(b.value) / float64(top)
		s.text(L-10, yy+18, "end", "13", colorAxis, b.label)
		s.add(`<rect x="%d" y="%.1f" width="%.1f" height="%d" fill="%s"><title>%s: %d breaches</title></rect>`, L, yy+4, w, rowH-8, b.color, esc(b.label), b.value)
		s.text(L+w+8, yy+18, "start", "12", colorAxis, fmt.Sprintf("%d breaches, %s", b.value, b.note))
	}
	return s.String()
}
