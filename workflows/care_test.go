package workflows

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

// careFakes also records care letters.
type careFakes struct {
	fakes
	letters []activities.CareLetter
}

func (f *careFakes) RecordCareLetter(_ context.Context, l activities.CareLetter) error {
	f.letters = append(f.letters, l)
	return nil
}

// runCareMonth runs one CustomerCare run; it returns the continued input,
// or nil when the run ended.
func runCareMonth(t *testing.T, start time.Time, in CareInput, f *careFakes, stopAfter time.Duration) (*CareInput, CareResult) {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	f.env = env
	env.RegisterWorkflowWithOptions(CustomerCare, workflow.RegisterOptions{Name: CareWorkflowType})
	env.RegisterActivity(activities.New(f, f, policy.SetOf(testPolicy()), testRouting()))
	if stopAfter > 0 {
		env.RegisterDelayedCallback(func() {
			env.SignalWorkflow(ActionStopCare, json.RawMessage(`{"actor":"ada"}`))
		}, stopAfter)
	}
	env.ExecuteWorkflow(CareWorkflowType, in)
	var can *workflow.ContinueAsNewError
	if errors.As(env.GetWorkflowError(), &can) {
		var next CareInput
		if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
			t.Fatal(err)
		}
		return &next, CareResult{}
	}
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res CareResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	return nil, res
}

func TestCareLettersOverFourteenMonths(t *testing.T) {
	pol := testPolicy()
	// New Year: Jan 1-3 2027 are holidays and Jan 2-3 a weekend anyway;
	// 2027-05-01 (Saturday) is in a May Day run to Wednesday the 5th.
	pol.Calendar.Holidays = append(pol.Calendar.Holidays,
		calendar.Day{Date: "2027-01-01"}, calendar.Day{Date: "2027-05-03"}, calendar.Day{Date: "2027-05-04"}, calendar.Day{Date: "2027-05-05"})
	in := CareInput{Customer: Customer{ID: "vip-1", Name: "Grace", Email: "grace@example.com", Tier: "vip", Locale: "zh-CN"}, RequestID: "42", Calendar: pol.Calendar}
	f := &careFakes{}
	now := at("2026-11-23 15:00:00")
	var sentAt []time.Time
	for month := 0; month < 14; month++ {
		next, _ := runCareMonth(t, now, in, f, 0)
		if next == nil {
			t.Fatalf("month %d: care ended", month)
		}
		sentAt = append(sentAt, f.notes[len(f.notes)-1].At)
		now = f.env.Now()
		in = *next
	}
	want := []string{
		"2026-12-01 10:00:00", "2027-01-04 10:00:00", "2027-02-01 10:00:00", "2027-03-01 10:00:00",
		"2027-04-01 10:00:00", "2027-05-06 10:00:00", "2027-06-01 10:00:00", "2027-07-01 10:00:00",
		"2027-08-02 10:00:00", "2027-09-01 10:00:00", "2027-10-01 10:00:00", "2027-11-01 10:00:00",
		"2027-12-01 10:00:00", "2028-01-03 10:00:00",
	}
	for i, w := range want {
		eqTime(t, "letter "+w, sentAt[i], at(w))
	}
	if len(f.letters) != 14 || f.letters[0].Month != "2026-12" || f.letters[13].Month != "2028-01" || in.Letters != 14 {
		t.Errorf("letters %d (%v…), carried %d", len(f.letters), f.letters[0], in.Letters)
	}
	for _, n := range f.notes {
		if n.Kind != activities.KindCareLetter || n.Locale != "zh-CN" || n.To != "grace@example.com" {
			t.Errorf("notification %+v", n.Notification)
		}
	}
	// stop_care ends it before the next letter.
	next, res := runCareMonth(t, now, in, f, 24*time.Hour)
	if next != nil || !res.Stopped || res.Letters != 14 || res.By != "ada" {
		t.Errorf("after stop: next=%v result=%+v", next, res)
	}
}

func TestCareFirstLetterThisMonthWhenStillAhead(t *testing.T) {
	cal := calendar.MustNew(testPolicy().Calendar)
	month, when := nextCareLetter(cal, at("2026-12-01 09:00:00"), "")
	if month != "2026-12" || !when.Equal(at("2026-12-01 10:00:00")) {
		t.Errorf("got %s %s", month, when)
	}
	month, _ = nextCareLetter(cal, at("2026-12-01 09:00:00"), "2026-12")
	if month != "2027-01" {
		t.Errorf("already sent this month: got %s", month)
	}
}
