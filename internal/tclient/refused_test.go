package tclient

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"go.temporal.io/api/serviceerror"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestRefusedVersusUnreachable(t *testing.T) {
	cases := []struct {
		err  error
		want bool
	}{
		{serviceerror.NewPermissionDenied("bad key", ""), true},
		{fmt.Errorf("failed reaching server: %w", status.Error(codes.Unauthenticated, "no key")), true},
		{serviceerror.NewNamespaceNotFound("nope"), true},
		{serviceerror.NewUnavailable("connection refused"), false},
		{fmt.Errorf("failed reaching server: %w", context.DeadlineExceeded), false},
		{errors.New("dial tcp: connection refused"), false},
	}
	for _, c := range cases {
		if got := refused(c.err); got != c.want {
			t.Errorf("refused(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
