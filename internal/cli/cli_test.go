package cli

import (
	"errors"
	"testing"
)

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
