package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/svcflow/svcflow/internal/chart"
)

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
	s := chart.New(W, H, "Weekly trend: team deadlines within SLA and satisfaction")
	lo, step := trendRange(weeks, slaTarget, satTarget)
	y := func(v float64) float64 { return T + ph*(1-(v-lo)/(1-lo)) }
	for p := lo; p <= 1.0001; p += step {
		yy := y(p)
		s.Add(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s"/>`, L, yy, W-R, yy, chart.ColorGrid)
		s.Text(L-8, yy+4, "end", "12", chart.ColorAxis, fmt.Sprintf("%.0f %%", p*100))
	}
	s.Add(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`, L, T, L, H-B, chart.ColorAxis)
	s.Add(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`, L, H-B, W-R, H-B, chart.ColorAxis)
	n := len(weeks)
	if n == 0 {
		s.Text(W/2, H/2, "middle", "14", chart.ColorAxis, "no weeks in the period")
		return s.String()
	}
	x := func(i int) float64 { return L + pw*(float64(i)+0.5)/float64(n) }
	every := (n + 15) / 16
	for i, wk := range weeks {
		if i%every == 0 {
			s.Text(x(i), H-B+18, "middle", "11", chart.ColorAxis, wk.Start.Format("01-02"))
		}
	}
	s.Text(L+pw/2, H-12, "middle", "12", chart.ColorAxis, "week starting (Monday)")
	seen := map[float64]bool{}
	for _, t := range []*Target{slaTarget, satTarget} {
		if t == nil || seen[t.Value] {
			continue
		}
		seen[t.Value] = true
		s.Add(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s" stroke-dasharray="6 4" stroke-width="1.5"/>`, L, y(t.Value), W-R, y(t.Value), chart.ColorTarget)
		s.Add(`<rect x="%d" y="%.1f" width="76" height="16" fill="#ffffff" opacity="0.85"/>`, L+4, y(t.Value)-18)
		s.Text(float64(L+8), y(t.Value)-6, "start", "11", chart.ColorTarget, fmt.Sprintf("target %.0f %%", t.Value*100))
	}
	series := []struct {
		name  string
		color string
		value func(Week) *float64
	}{
		{"team deadlines within SLA", chart.ColorSLA, func(w Week) *float64 { return w.SLAShare }},
		{"satisfaction (surveys averaging >= 4)", chart.ColorSat, func(w Week) *float64 { return w.Satisfaction }},
	}
	for k, ser := range series {
		var seg []string
		flush := func() {
			if len(seg) > 1 {
				s.Add(`<polyline fill="none" stroke="%s" stroke-width="2.5" points="%s"/>`, ser.color, strings.Join(seg, " "))
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
			s.Add(`<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s %s: %.1f %%</title></circle>`, x(i), y(*v), ser.color, chart.Esc(ser.name), wk.Start.Format("2006-01-02"), *v*100)
		}
		flush()
		lx := float64(L + 10 + k*300)
		s.Add(`<rect x="%.1f" y="14" width="18" height="6" fill="%s"/>`, lx, ser.color)
		s.Text(lx+24, 21, "start", "13", chart.ColorAxis, ser.name)
	}
	return s.String()
}

// bar is one line of the group chart.
type bar struct {
	label string
	value int64
	color string
	note  string
}

// maxGroupBars is how many groups the group chart shows (most breaches first).
const maxGroupBars = 20

// hbarChart draws horizontal bars, one line per group.
func hbarChart(title string, bars []bar) string {
	const W, L, R, T, rowH = 1080, 200, 300, 20, 28
	n := len(bars)
	H := T + max(n, 1)*rowH + 20
	s := chart.New(W, H, title)
	if n == 0 {
		s.Text(W/2, float64(T+20), "middle", "14", chart.ColorAxis, "no team breaches in the period")
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
		s.Text(L-10, yy+18, "end", "13", chart.ColorAxis, b.label)
		s.Add(`<rect x="%d" y="%.1f" width="%.1f" height="%d" fill="%s"><title>%s: %d breaches</title></rect>`, L, yy+4, w, rowH-8, b.color, chart.Esc(b.label), b.value)
		s.Text(L+w+8, yy+18, "start", "12", chart.ColorAxis, fmt.Sprintf("%d breaches, %s", b.value, b.note))
	}
	return s.String()
}
