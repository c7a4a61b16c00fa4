package chart

import "fmt"

// Bar is one bar: its value, colour and what its tooltip says after the
// value.
type Bar struct {
	Value int64
	Color string
	Title string // tooltip after the group label and value, e.g. "recorded"
}

// Group is one slot of a bar chart: its label, an optional grey note
// under it, and its bars side by side.
type Group struct {
	Label string
	Note  string
	Bars  []Bar
}

// Legend is one legend entry: a colour and its meaning.
type Legend struct{ Color, Text string }

// Bars draws vertical bars, one slot per group with its bars side by side,
// their values on top.
func Bars(title string, groups []Group, legend []Legend) string {
	const W, H, L, R, T, B = 1080, 300, 56, 20, 44, 60
	pw, ph := float64(W-L-R), float64(H-T-B)
	s := New(W, H, title)
	var top int64 = 1
	for _, g := range groups {
		for _, b := range g.Bars {
			top = max(top, b.Value)
		}
	}
	s.Add(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`, L, H-B, W-R, H-B, ColorAxis)
	lx := float64(L + 10)
	for _, l := range legend {
		s.Add(`<rect x="%.1f" y="12" width="12" height="12" fill="%s"/>`, lx, l.Color)
		s.Text(lx+18, 22, "start", "13", ColorAxis, l.Text)
		lx += max(200, 18+7.5*float64(len(l.Text))+30) // about 7.5 px a character at 13 px
	}
	if len(groups) == 0 {
		s.Text(W/2, H/2, "middle", "14", ColorAxis, "nothing to show")
		return s.String()
	}
	slot := pw / float64(len(groups))
	for i, g := range groups {
		cx := L + slot*(float64(i)+0.5)
		n := max(len(g.Bars), 1)
		width := min(slot*0.6, 80*float64(n))
		bw := width / float64(n)
		for j, b := range g.Bars {
			x := cx - width/2 + bw*float64(j)
			h := ph * float64(b.Value) / float64(top)
			tip := fmt.Sprintf("%s: %d", g.Label, b.Value)
			if b.Title != "" {
				tip += " " + b.Title
			}
			if g.Note != "" {
				tip += " " + g.Note
			}
			s.Add(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s</title></rect>`,
				x, float64(H-B)-h, bw, h, b.Color, Esc(tip))
			s.Text(x+bw/2, float64(H-B)-h-6, "middle", "12", ColorAxis, fmt.Sprint(b.Value))
		}
		s.Text(cx, H-B+18, "middle", "12", ColorAxis, g.Label)
		if g.Note != "" {
			s.Text(cx, H-B+34, "middle", "11", ColorCustomer, g.Note)
		}
	}
	return s.String()
}
