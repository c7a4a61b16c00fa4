// Package cli holds what starter and svcctl share: exit codes, one-line
// errors, config loading, request IDs and the Temporal calls on a request.
package cli

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/config"
)

// Exit codes of CONTRACT §8.
const (
	ExitOK       = 0
	ExitRejected = 1 // rejection or bad input
	ExitUsage    = 2 // usage error
)

// ExitError carries the exit code an error maps to.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// Usage marks err as a usage error (exit 2).
func Usage(err error) error { return &ExitError{Code: ExitUsage, Err: err} }

// Usagef is Usage(fmt.Errorf(...)).
func Usagef(format string, args ...any) error { return Usage(fmt.Errorf(format, args...)) }

// Fail marks err as a rejection or bad input (exit 1).
func Fail(err error) error {
	var ee *ExitError
	if errors.As(err, &ee) {
		return err
	}
	return &ExitError{Code: ExitRejected, Err: err}
}

// Failf is Fail(fmt.Errorf(...)).
func Failf(format string, args ...any) error { return Fail(fmt.Errorf(format, args...)) }

// RunE wraps a command body so that any error it returns is a rejection
// (exit 1) unless it already says otherwise. Errors cobra raises itself
// (unknown flags, wrong argument counts, unknown commands) stay usage errors.
func RunE(fn func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := fn(cmd, args); err != nil {
			return Fail(err)
		}
		return nil
	}
}

// Execute runs root and returns the process exit code, printing any error
// as one line "prog: reason" on stderr; a bad configuration is a header
// naming the file and the count, then one problem per line ("key: value:
// why"). A panic is reported as an internal error, exit 1.
func Execute(prog string, root *cobra.Command, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "%s: internal error: %v\n", prog, p)
			code = ExitRejected
		}
	}()
	root.SilenceErrors = true
	root.SilenceUsage = true
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if fe := FlagError(err); fe != err {
			return Fail(fe) // a bad value for a known flag is bad input (exit 1)
		}
		return Usage(err)
	})
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	code = ExitUsage
	var ee *ExitError
	if errors.As(err, &ee) {
		code = ee.Code
	}
	var ve *config.ValidationError
	if errors.As(err, &ve) {
		printProblems(stderr, prog, ve)
		return code
	}
	fmt.Fprintf(stderr, "%s: %s\n", prog, OneLine(err.Error()))
	if code == ExitUsage {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", root.CommandPath())
	}
	return code
}

// printProblems lists a bad configuration: a header, one problem a line.
func printProblems(w io.Writer, prog string, ve *config.ValidationError) {
	where := ""
	if ve.File != "" {
		where = " in " + ve.File
	}
	noun := "problems"
	if len(ve.Problems) == 1 {
		noun = "problem"
	}
	fmt.Fprintf(w, "%s: invalid configuration%s (%d %s):\n", prog, where, len(ve.Problems), noun)
	for _, p := range ve.Problems {
		fmt.Fprintf(w, "  %s\n", OneLine(p.String()))
	}
}

var badFlagValue = regexp.MustCompile(`^invalid argument "(.*)" for "(.+?)" flag: (.*)$`)

// FlagError words a flag parsing error for a person: pflag's
// `invalid argument "x" for "--n" flag: strconv.ParseInt: ...` becomes
// `--n: "x" is not a whole number`.
func FlagError(err error) error {
	m := badFlagValue.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	value, flag, cause := m[1], m[2], m[3]
	if i := strings.Index(flag, ", "); i >= 0 { // "-f, --file"
		flag = flag[i+2:]
	}
	why := "is not a valid value"
	switch {
	case strings.Contains(cause, "value out of range"):
		why = "is out of range"
	case strings.Contains(cause, "ParseInt"), strings.Contains(cause, "ParseUint"):
		why = "is not a whole number"
	case strings.Contains(cause, "ParseFloat"):
		why = "is not a number"
	case strings.Contains(cause, "ParseBool"):
		why = "is not true or false"
	case strings.Contains(cause, "invalid duration"), strings.Contains(cause, "unknown unit"), strings.Contains(cause, "missing unit"):
		why = "is not a duration (e.g. 30s, 5m, 2h)"
	}
	return fmt.Errorf("%s: %q %s", flag, value, why)
}

// OneLine folds a message onto one line.
func OneLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "\r\n", "; ")
	return strings.ReplaceAll(s, "\n", "; ")
}
