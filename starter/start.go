package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/svcflow/svcflow/internal/cli"
	"github.com/svcflow/svcflow/workflows"
	"github.com/svcflow/svcflow/workflows/requests"
)

// startOptions are the flags of the start command.
type startOptions struct {
	file        string
	json        bool
	timeout     time.Duration
	submittedAt string
	req         workflows.Request
}

// requestFlags name the flags that build a Request instead of --file.
var requestFlags = []string{"request-id", "customer-id", "customer-name", "customer-email", "customer-phone", "tier", "locale", "channel", "category", "priority", "complex", "title", "description", "submitted-at"}

func (o *startOptions) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVarP(&o.file, "file", "f", "", "request JSON file (CONTRACT §8), - for stdin")
	f.BoolVar(&o.json, "json", false, "print {workflow_id, run_id, ui_url, created} as JSON")
	f.DurationVar(&o.timeout, "timeout", 30*time.Second, "give up after this long")
	f.StringVar(&o.req.RequestID, "request-id", "", "request ID (1-64 of A-Za-z0-9._-)")
	f.StringVar(&o.req.Customer.ID, "customer-id", "", "customer ID")
	f.StringVar(&o.req.Customer.Name, "customer-name", "", "customer name")
	f.StringVar(&o.req.Customer.Email, "customer-email", "", "customer e-mail")
	f.StringVar(&o.req.Customer.Phone, "customer-phone", "", "customer phone")
	f.StringVar(&o.req.Customer.Tier, "tier", "standard", "customer tier: vip|standard")
	f.StringVar(&o.req.Customer.Locale, "locale", "", "customer locale: zh-CN|en")
	f.StringVar(&o.req.Channel, "channel", "", "channel the request came in by")
	f.StringVar(&o.req.Category, "category", "", "request category (routing)")
	f.StringVar(&o.req.Priority, "priority", "normal", "priority: urgent|normal")
	f.BoolVar(&o.req.Complex, "complex", false, "complex request (plan needs a cross-department review)")
	f.StringVar(&o.req.Title, "title", "", "short title")
	f.StringVar(&o.req.Description, "description", "", "description")
	f.StringVar(&o.submittedAt, "submitted-at", "", "submission time (RFC 3339)")
}

// request builds the Request from --file or from the flags and checks it,
// submitted_at against now within the intake's bounds.
func (o *startOptions) request(flags *pflag.FlagSet, stdin io.Reader, skew, backdate time.Duration) (workflows.Request, error) {
	var byFlag []string
	for _, name := range requestFlags {
		if flags.Changed(name) {
			byFlag = append(byFlag, "--"+name)
		}
	}
	if o.file != "" {
		if len(byFlag) > 0 {
			return workflows.Request{}, cli.Usagef("give either --file or request flags, not both (%s given)", byFlag[0])
		}
		return readRequest(o.file, stdin, skew, backdate)
	}
	if !flags.Changed("request-id") {
		return workflows.Request{}, cli.Usagef("give --file FILE (- for stdin) or --request-id with the other request flags")
	}
	req := o.req
	if o.submittedAt != "" {
		t, err := time.Parse(time.RFC3339, o.submittedAt)
		if err != nil {
			return req, cli.Failf("--submitted-at %q: not an RFC 3339 time (e.g. 2026-12-01T09:30:00+08:00)", o.submittedAt)
		}
		req.SubmittedAt = &t
	}
	if err := req.Validate(); err != nil {
		return req, cli.Fail(err)
	}
	if err := req.CheckIntake(time.Now(), skew, backdate); err != nil {
		return req, cli.Fail(err)
	}
	return req, nil
}

// readRequest decodes and validates the JSON request in file (- = stdin).
func readRequest(file string, stdin io.Reader, skew, backdate time.Duration) (workflows.Request, error) {
	r := stdin
	name := "stdin"
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return workflows.Request{}, cli.Fail(err)
		}
		defer f.Close()
		r, name = f, file
	}
	req, err := workflows.DecodeRequestAt(r, time.Now(), skew, backdate)
	if err != nil {
		return req, cli.Failf("%s: %w", name, err)
	}
	return req, nil
}

func runStart(cmd *cobra.Command, o *startOptions) error {
	cfg, err := cli.LoadConfig(cmd)
	if err != nil {
		return err
	}
	in := cfg.Settings().Intake
	skew, backdate := in.MaxClockSkew, in.MaxBackdate
	req, err := o.request(cmd.Flags(), cmd.InOrStdin(), skew, backdate)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), o.timeout)
	defer cancel()
	rq, err := requests.Dial(ctx, cfg)
	if err != nil {
		return err
	}
	defer rq.Client.Close()
	res, err := rq.Start(ctx, req)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if o.json {
		return cli.PrintJSON(out, res)
	}
	what := "created"
	if !res.Created {
		what = "already existed"
	}
	fmt.Fprintf(out, "%s %s (run %s)\n%s\n", res.WorkflowID, what, res.RunID, res.UIURL)
	return nil
}
