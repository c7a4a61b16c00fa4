package cli

import (
	"errors"
	"fmt"
	"testing"

	"go.temporal.io/sdk/temporal"
)

func TestRequestIDArg(t *testing.T) {
	for in, want := range map[string]string{"42": "42", "sr-42": "42", " sr-a.b_c-1 ": "a.b_c-1"} {
		if got, err := RequestIDArg(in); err != nil || got != want {
			t.Errorf("RequestIDArg(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "sr-", "4 2", "a/b", string(make([]byte, 65))} {
		if _, err := RequestIDArg(in); err == nil {
			t.Errorf("RequestIDArg(%q) accepted", in)
		}
	}
}

func TestRejectionStripsSDKDecorations(t *testing.T) {
	reason := "request sr-42 is in stage analysis; deliver is valid only in in_progress or rework"
	err := fmt.Errorf("update failed: %w", temporal.NewNonRetryableApplicationError(reason, "Rejected", nil))
	if got, ok := Rejection(err); !ok || got != reason {
		t.Fatalf("Rejection = %q, %v; want %q (error text %q)", got, ok, reason, err)
	}
	if _, ok := Rejection(errors.New("connection refused")); ok {
		t.Fatal("a transport error counted as a rejection")
	}
}

func TestFailKeepsCode(t *testing.T) {
	var ee *ExitError
	if !errors.As(Fail(Usagef("x")), &ee) || ee.Code != ExitUsage {
		t.Fatal("Fail overrode a usage error")
	}
	if !errors.As(Fail(errors.New("x")), &ee) || ee.Code != ExitRejected {
		t.Fatal("Fail did not mark a plain error as a rejection")
	}
	if got := OneLine("a\nb\r\nc\n"); got != "a; b; c" {
		t.Fatalf("OneLine = %q", got)
	}
}
