package store

import (
	"context"
	"testing"

	"github.com/svcflow/svcflow/activities"
)

func TestRecordCareLetterOncePerCustomerMonth(t *testing.T) {
	s, _ := newStore(t, 2)
	ctx := context.Background()
	l := activities.CareLetter{CustomerID: t.Name(), Month: "2026-11", RequestID: "r-9", DedupeKey: "care/" + t.Name() + "/2026-11"}
	for range 2 {
		if err := s.RecordCareLetter(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	l2 := l
	l2.Month, l2.DedupeKey = "2026-12", "care/"+t.Name()+"/2026-12"
	if err := s.RecordCareLetter(ctx, l2); err != nil {
		t.Fatal(err)
	}
	ls, err := s.CareLetters(ctx, t.Name())
	if err != nil || len(ls) != 2 || ls[0] != l || ls[1] != l2 {
		t.Fatalf("care letters = %+v, %v", ls, err)
	}
	for _, bad := range []activities.CareLetter{{Month: "2026-11"}, {CustomerID: "c", Month: "2026-13"}, {CustomerID: "c", Month: "Nov"}} {
		if err := s.RecordCareLetter(ctx, bad); !isNonRetryable(err) {
			t.Errorf("%+v: %v, want non-retryable", bad, err)
		}
	}
}
