package report

import (
	"fmt"
	"time"
)

// Target is the goal a figure is measured against.
type Target struct {
	Op     string  `json:"op"` // ">=" or "<="
	Value  float64 `json:"value"`
	Source string  `json:"source"` // where the goal comes from
}

// Target operators.
const (
	AtLeast = ">="
	AtMost  = "<="
)

// Met says whether v reaches the target.
func (t Target) Met(v float64) bool {
	if t.Op == AtMost {
		return v <= t.Value
	}
	return v >= t.Value
}

func hours(h float64) float64 { return h * float64(time.Hour/time.Second) }

// Targets is the table of goals by figure key. The handbook (CONTRACT §1) fixes
// satisfaction ≥ 90 % and complaints closed within 24 h; the others are the
// service managers' defaults, chosen here and shown in every report:
//
//	satisfaction_rate            >= 90 %   share of surveys averaging >= 4 (handbook)
//	complaints.in_time           >= 100 %  complaints closed within their 24 h deadline (handbook)
//	sla.response                 >= 95 %   first responses within SLA
//	sla.<other team deadline>    >= 90 %   sheet, review, delay_notice, delivery, rework, follow_up, complaint
//	sla.team                     >= 90 %   all team-side deadlines together
//	first_pass_rate              >= 80 %   accepted without rework among accepted
//	first_response.median        <= 15 min
//	first_response.p90           <= 30 min the normal-priority response SLA
//	confirmation_rounds.mean     <= 1.5    sheets per request that got one
//	resolution_work.median       <= 40 h   working time, 5 standard 8 h days
//	resolution_work.p90          <= 80 h   working time, 10 standard days
//	csat.<dimension>, csat.overall >= 4.0  mean score of 1..5
//	complaints.resolution.median <= 24 h   wall time opened→resolved
//
// Customer-side deadlines (confirmation, acceptance) have no target: the
// team does not control the customer's silence.
var Targets = map[string]Target{
	"satisfaction_rate":            {AtLeast, 0.90, "handbook"},
	"complaints.in_time":           {AtLeast, 1.00, "handbook"},
	"sla.response":                 {AtLeast, 0.95, "default"},
	"sla.sheet":                    {AtLeast, 0.90, "default"},
	"sla.review":                   {AtLeast, 0.90, "default"},
	"sla.delay_notice":             {AtLeast, 0.90, "default"},
	"sla.delivery":                 {AtLeast, 0.90, "default"},
	"sla.rework":                   {AtLeast, 0.90, "default"},
	"sla.follow_up":                {AtLeast, 0.90, "default"},
	"sla.complaint":                {AtLeast, 0.90, "default"},
	"sla.team":                     {AtLeast, 0.90, "default"},
	"first_pass_rate":              {AtLeast, 0.80, "default"},
	"first_response.median":        {AtMost, 15 * 60, "default"},
	"first_response.p90":           {AtMost, 30 * 60, "default"},
	"confirmation_rounds.mean":     {AtMost, 1.5, "default"},
	"resolution_work.median":       {AtMost, hours(40), "default"},
	"resolution_work.p90":          {AtMost, hours(80), "default"},
	"csat.response_speed":          {AtLeast, 4.0, "default"},
	"csat.resolution":              {AtLeast, 4.0, "default"},
	"csat.attitude":                {AtLeast, 4.0, "default"},
	"csat.professionalism":         {AtLeast, 4.0, "default"},
	"csat.overall":                 {AtLeast, 4.0, "default"},
	"complaints.resolution.median": {AtMost, hours(24), "handbook"},
}

// targetFor returns a copy of the key's target, or nil.
func targetFor(key string) *Target {
	t, ok := Targets[key]
	if !ok {
		return nil
	}
	return &t
}

// status is the mark of value v (nil: nothing measured) against t.
func status(t *Target, v *float64) string {
	switch {
	case t == nil:
		return NoTarget
	case v == nil:
		return NoData
	case t.Met(*v):
		return Pass
	default:
		return Fail
	}
}

// formatValue shows v in unit for people.
func formatValue(unit string, v float64) string {
	switch unit {
	case UnitShare:
		return fmt.Sprintf("%.1f %%", v*100)
	case UnitSeconds:
		return formatSeconds(v)
	case UnitScore, UnitRounds:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}

// formatSeconds shows a duration compactly: 45s, 12m30s, 3h05m, 26h10m.
func formatSeconds(s float64) string {
	d := time.Duration(s * float64(time.Second)).Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int64(d/time.Second))
	case d < time.Hour:
		m := d / time.Minute
		return fmt.Sprintf("%dm%02ds", int64(m), int64((d-m*time.Minute)/time.Second))
	default:
		h := d / time.Hour
		return fmt.Sprintf("%dh%02dm", int64(h), int64((d-h*time.Hour)/time.Minute))
	}
}

// formatTarget shows the target as "≥ 90.0 %".
func formatTarget(unit string, t *Target) string {
	if t == nil {
		return "-"
	}
	op := "≥"
	if t.Op == AtMost {
		op = "≤"
	}
	return op + " " + formatValue(unit, t.Value)
}
