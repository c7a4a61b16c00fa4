package report

import (
	"sort"
	"time"

	"github.com/svcflow/svcflow/internal/policy"
)

func ptr(v float64) *float64 { return &v }

// share is num/den, nil when den is 0.
func share(num, den int64) *float64 {
	if den == 0 {
		return nil
	}
	return ptr(float64(num) / float64(den))
}

func count(n int64) *float64 { return ptr(float64(n)) }

// figure makes a figure with its target from the table.
func figure(key, label, unit string, v *float64, n int64) Figure {
	t := targetFor(key)
	return Figure{Key: key, Label: label, Unit: unit, Value: v, N: n, Target: t, Status: status(t, v)}
}

// Settled counts a set of settled deadlines: met in time, and breached
// (met late or not at all).
type Settled struct{ Met, Breached int64 }

// SLAFigures are the report's headline SLA figures, each beside its target:
// response within SLA (sla.response) and team deadlines within SLA
// (sla.team), from the settled response and team-side deadlines.
func SLAFigures(response, team Settled) []Figure {
	return []Figure{
		figure("sla.response", "response within SLA", UnitShare, share(response.Met, response.Met+response.Breached), response.Met+response.Breached),
		figure("sla.team", "team deadlines within SLA", UnitShare, share(team.Met, team.Met+team.Breached), team.Met+team.Breached),
	}
}

func (r *Report) assemble(rq requestFacts, dl deadlineFacts, gb map[string]int64, sv surveyFacts, cp complaintFacts, weekStarts []time.Time) {
	var team counts
	for _, name := range policy.DeadlineNames {
		c := dl.byName[name]
		side := SideTeam
		var t *Target
		if CustomerSide[name] {
			side = SideCustomer
		} else {
			t = targetFor("sla." + name)
			team.met += c.met
			team.breached += c.breached
		}
		s := share(c.met, c.met+c.breached)
		r.Deadlines = append(r.Deadlines, DeadlineStats{Name: name, Side: side, Settled: c.met + c.breached, Met: c.met,
			Breached: c.breached, LateMet: c.lateMet, MetShare: s, Target: t, Status: status(t, s)})
	}
	resp := dl.byName[policy.Response]
	r.Figures = []Figure{
		figure("requests.received", "requests received", UnitCount, count(rq.received), rq.received),
		figure("requests.closed", "requests closed (any outcome)", UnitCount, count(rq.closed), rq.closed),
		figure("requests.completed", "closed: completed", UnitCount, count(rq.completed), rq.completed),
		figure("requests.cancelled", "closed: cancelled", UnitCount, count(rq.cancelled), rq.cancelled),
		figure("requests.unconfirmed", "closed: unconfirmed", UnitCount, count(rq.unconfirmed), rq.unconfirmed),
	}
	r.Figures = append(r.Figures, SLAFigures(Settled{resp.met, resp.breached}, Settled{team.met, team.breached})...)
	r.Figures = append(r.Figures,
		figure("first_response.median", "first-response time, median", UnitSeconds, rq.responseMedian, rq.responded),
		figure("first_response.p90", "first-response time, p90", UnitSeconds, rq.responseP90, rq.responded),
		figure("confirmation_rounds.mean", "confirmation rounds, mean", UnitRounds, rq.roundsMean, rq.sheeted),
		figure("first_pass_rate", "first-pass acceptance", UnitShare, share(rq.firstPass, rq.accepted), rq.accepted),
		figure("resolution_work.median", "resolution working time, median", UnitSeconds, rq.workMedian, rq.accepted),
		figure("resolution_work.p90", "resolution working time, p90", UnitSeconds, rq.workP90, rq.accepted),
		figure("csat.response_speed", "CSAT response speed, mean", UnitScore, sv.speed, sv.n),
		figure("csat.resolution", "CSAT resolution, mean", UnitScore, sv.resolution, sv.n),
		figure("csat.attitude", "CSAT attitude, mean", UnitScore, sv.attitude, sv.n),
		figure("csat.professionalism", "CSAT professionalism, mean", UnitScore, sv.professionalism, sv.n),
		figure("csat.overall", "CSAT all dimensions, mean", UnitScore, sv.average, sv.n),
		figure("satisfaction_rate", "satisfaction (surveys averaging >= 4)", UnitShare, share(sv.satisfied, sv.n), sv.n),
		figure("complaints.opened", "complaints opened", UnitCount, count(cp.opened), cp.opened),
		figure("complaints.in_time", "complaints closed within 24 h deadline", UnitShare, share(cp.inTime, cp.opened-cp.undecided), cp.opened-cp.undecided),
		figure("complaints.resolution.median", "complaint resolution time, median", UnitSeconds, cp.resolveMedian, cp.resolved),
	)
	for g, n := range gb {
		r.BreachesByGroup = append(r.BreachesByGroup, GroupStats{Group: g, Breached: n, Share: float64(n) / float64(team.breached)})
	}
	sort.Slice(r.BreachesByGroup, func(i, j int) bool {
		a, b := r.BreachesByGroup[i], r.BreachesByGroup[j]
		if a.Breached != b.Breached {
			return a.Breached > b.Breached
		}
		return a.Group < b.Group
	})
	if r.BreachesByGroup == nil {
		r.BreachesByGroup = []GroupStats{}
	}
	r.Weekly = weeks(weekStarts, dl.byWeek, sv.byWeek)
}

// weeks lists the period's weeks (Monday 00:00 in the report's zone) with
// their team SLA and survey counts, gaps included.
func weeks(starts []time.Time, sla map[int]counts, sv map[int][2]int64) []Week {
	out := []Week{}
	for i := 0; i+1 < len(starts); i++ {
		c, s := sla[i], sv[i]
		out = append(out, Week{Start: starts[i], SLASettled: c.settled, SLAMet: c.met, SLAShare: share(c.met, c.settled),
			Surveys: s[0], Satisfied: s[1], Satisfaction: share(s[1], s[0])})
	}
	return out
}

// weekStart is Monday 00:00 of t's week in t's zone.
func weekStart(t time.Time) time.Time {
	back := (int(t.Weekday()) + 6) % 7
	return time.Date(t.Year(), t.Month(), t.Day()-back, 0, 0, 0, 0, t.Location())
}

// byPolicy lists the policies, the one with most settled deadlines first.
func byPolicy(m map[string]counts) []PolicyStats {
	out := []PolicyStats{}
	for p, c := range m {
		out = append(out, PolicyStats{Policy: p, Settled: c.settled, Met: c.met, Breached: c.breached, MetShare: share(c.met, c.settled)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Settled != out[j].Settled {
			return out[i].Settled > out[j].Settled
		}
		return out[i].Policy < out[j].Policy
	})
	return out
}
