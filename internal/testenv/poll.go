package testenv

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// PollEvery is how often Poll asks again.
const PollEvery = 200 * time.Millisecond

// Poll calls cond until it reports true, fails, or ctx ends: a condition
// awaited with a deadline, never a fixed sleep. cond's detail describes
// the last state seen and ends up in the error.
func Poll(ctx context.Context, what string, cond func(ctx context.Context) (ok bool, detail string, err error)) error {
	var detail string
	for {
		ok, d, err := cond(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if ok {
			return nil
		}
		detail = d
		select {
		case <-ctx.Done():
			if detail == "" {
				detail = ctx.Err().Error()
			}
			return fmt.Errorf("%s: not so in time: %s", what, detail)
		case <-time.After(PollEvery):
		}
	}
}

// lastLine is the last non-empty line of a program's output, shortened.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if len(last) > 300 {
		last = last[:300] + "…"
	}
	return last
}
