package proc

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
)

// Result is a finished program run: its exit code and what it printed.
type Result struct {
	Code           int
	Stdout, Stderr string
}

// Run runs bin once with env and stdin and waits for it. A non-zero exit is
// a Result, not an error; err is for a program that could not run at all.
func Run(ctx context.Context, bin string, env []string, stdin string, args ...string) (Result, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := Result{Stdout: out.String(), Stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.Code = ee.ExitCode()
	default:
		return r, err
	}
	return r, nil
}
