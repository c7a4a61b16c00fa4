package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/svcflow/svcflow/internal/cli"
	"github.com/svcflow/svcflow/workflows"
)

// flagKind is how a friendly flag's value goes into the payload.
type flagKind int

const (
	kindString flagKind = iota
	kindTime            // RFC 3339, or +DURATION from now
	kindInt
	kindBool
)

// actionFlag is a friendly flag standing for one payload field.
type actionFlag struct {
	name  string // flag name (kebab-case)
	field string // JSON field of workflows.Action
	kind  flagKind
	usage string
}

var reasonFlag = actionFlag{"reason", "reason", kindString, "reason"}

// actionFlags are the friendly flags of each action, beside --data.
var actionFlags = map[string][]actionFlag{
	workflows.ActionSubmitSheet: {
		{"description", "description", kindString, "what the customer needs"},
		{"goal", "goal", kindString, "goal of the work"},
		{"expected-delivery", "expected_delivery", kindTime, "committed delivery time (RFC 3339, or +DURATION from now)"},
		{"customer-duties", "customer_duties", kindString, "what the customer must provide"},
	},
	workflows.ActionRejectSheet:    {reasonFlag},
	workflows.ActionAnnounceDelay:  {{"new-delivery", "new_delivery", kindTime, "new delivery time (RFC 3339, or +DURATION from now)"}, reasonFlag},
	workflows.ActionRejectDelivery: {reasonFlag},
	workflows.ActionRecordFollowUp: {
		{"response-speed", "response_speed", kindInt, "score 1-5"},
		{"resolution", "resolution", kindInt, "score 1-5"},
		{"attitude", "attitude", kindInt, "score 1-5"},
		{"professionalism", "professionalism", kindInt, "score 1-5"},
		{"comment", "comment", kindString, "customer's comment"},
		{"solved", "solved", kindBool, "the problem is solved"},
	},
	workflows.ActionComplain: {reasonFlag},
	workflows.ActionResolveComplaint: {
		{"complaint-id", "complaint_id", kindInt, "complaint number (default: the oldest open one)"},
		{"resolution-text", "resolution_text", kindString, "how the complaint was resolved"},
	},
	workflows.ActionRequestInfo: {reasonFlag},
	workflows.ActionReassign: {
		{"group", "group", kindString, "service group"},
		{"assignee", "assignee", kindString, "assignee"},
	},
	workflows.ActionReprioritize: {{"priority", "priority", kindString, "urgent|normal"}},
	workflows.ActionCancel:       {reasonFlag},
}

// actionShort is the one-line help of each action command.
var actionShort = map[string]string{
	workflows.ActionRespond:          "Acknowledge the request to the customer (first response)",
	workflows.ActionSubmitSheet:      "Issue the requirement confirmation sheet",
	workflows.ActionConfirmSheet:     "Record the customer's confirmation of the sheet",
	workflows.ActionRejectSheet:      "Record the customer's rejection of the sheet",
	workflows.ActionApproveReview:    "Approve the cross-department review of a complex plan",
	workflows.ActionAgreePlan:        "Record the customer's agreement to the solution plan",
	workflows.ActionProgress:         "Note progress on the work",
	workflows.ActionAnnounceDelay:    "Announce a delay with a new delivery time",
	workflows.ActionDeliver:          "Deliver the work for acceptance",
	workflows.ActionAcceptDelivery:   "Record the customer's acceptance of the delivery",
	workflows.ActionRejectDelivery:   "Record the customer's rejection of the delivery (rework)",
	workflows.ActionRecordFollowUp:   "Record the follow-up visit: four scores 1-5 and a comment",
	workflows.ActionComplain:         "Open a complaint",
	workflows.ActionResolveComplaint: "Resolve a complaint",
	workflows.ActionRequestInfo:      "Ask the customer for information (pauses the agent-side clocks)",
	workflows.ActionProvideInfo:      "Record the customer's answer (resumes the clocks)",
	workflows.ActionReassign:         "Reassign to another group or assignee",
	workflows.ActionReprioritize:     "Change the priority (deadlines recomputed)",
	workflows.ActionCancel:           "Cancel the request",
	workflows.ActionNote:             "Add a note to the timeline",
}

// kebab is an action's command name: submit_sheet → submit-sheet.
func kebab(action string) string { return strings.ReplaceAll(action, "_", "-") }

// actionOptions are the common flags of an action command.
type actionOptions struct {
	actor    string
	note     string
	actionID string
	data     string
	signal   bool
}

func actionCommands(a *app) []*cobra.Command {
	var cmds []*cobra.Command
	for _, name := range workflows.ActionNames {
		cmds = append(cmds, newActionCmd(a, name))
	}
	return cmds
}

func newActionCmd(a *app, name string) *cobra.Command {
	var o actionOptions
	cmd := &cobra.Command{
		Use:   kebab(name) + " REQUEST",
		Short: actionShort[name],
		Long: actionShort[name] + ".\n\nSent as the update \"" + name + "\" (--signal: as a signal). The payload is\n" +
			"--data (JSON, @FILE or @- for stdin) with the flags below set over it.",
		Args: requestArg,
		RunE: cli.RunE(func(cmd *cobra.Command, args []string) error {
			id, _ := cli.RequestIDArg(args[0])
			act, err := buildAction(name, cmd.Flags(), o, cmd.InOrStdin())
			if err != nil {
				return err
			}
			return runAction(a, cmd, id, name, act, o.signal)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&o.actor, "actor", defaultActor(), "who acts, for the timeline ($USER when not given)")
	f.StringVar(&o.note, "note", "", "note for the timeline")
	f.StringVar(&o.actionID, "action-id", "", "idempotency key; a retry with the same ID is applied once (default: random)")
	f.StringVar(&o.data, "data", "", "payload JSON, @FILE, or @- for stdin")
	f.BoolVar(&o.signal, "signal", false, "send as a signal (fire and forget) instead of an update")
	for _, af := range actionFlags[name] {
		switch af.kind {
		case kindInt:
			f.Int(af.name, 0, af.usage)
		case kindBool:
			f.Bool(af.name, false, af.usage)
		default:
			f.String(af.name, "", af.usage)
		}
	}
	return cmd
}

// defaultActor is $USER, else the login name, else "svcctl".
func defaultActor() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "svcctl"
}

// buildAction assembles the payload: --data first, then the friendly flags
// that were set, then actor, note and action ID; workflows.DecodeAction
// checks the result strictly.
func buildAction(name string, flags *pflag.FlagSet, o actionOptions, stdin io.Reader) (workflows.Action, error) {
	payload, err := readData(o.data, stdin)
	if err != nil {
		return workflows.Action{}, err
	}
	for _, af := range actionFlags[name] {
		if !flags.Changed(af.name) {
			continue
		}
		v, err := flagValue(flags, af, time.Now())
		if err != nil {
			return workflows.Action{}, err
		}
		payload[af.field] = v
	}
	if _, ok := payload["actor"]; !ok || flags.Changed("actor") {
		payload["actor"] = o.actor
	}
	if flags.Changed("note") {
		payload["note"] = o.note
	}
	if flags.Changed("action-id") {
		payload["action_id"] = o.actionID
	} else if _, ok := payload["action_id"]; !ok {
		payload["action_id"] = uuid.NewString()
	}
	data, err := json.Marshal(payload)
	if err != nil {
		return workflows.Action{}, err
	}
	act, err := workflows.DecodeAction(name, data)
	if err != nil {
		return act, cli.Failf("%s: %w", kebab(name), err)
	}
	return act, nil
}

// readData decodes --data: inline JSON, @FILE, or @- (stdin); "" = {}.
func readData(data string, stdin io.Reader) (map[string]any, error) {
	payload := map[string]any{}
	if data == "" {
		return payload, nil
	}
	raw, src := []byte(data), "--data"
	if strings.HasPrefix(data, "@") {
		var err error
		if data == "@-" {
			raw, err = io.ReadAll(stdin)
			src = "--data @- (stdin)"
		} else {
			raw, err = os.ReadFile(data[1:])
			src = "--data " + data
		}
		if err != nil {
			return nil, cli.Failf("%s: %w", src, err)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&payload); err != nil {
		return nil, cli.Failf("%s: not a JSON object: %v", src, err)
	}
	if dec.More() {
		return nil, cli.Failf("%s: trailing data after the JSON object", src)
	}
	if payload == nil {
		payload = map[string]any{}
	}
	return payload, nil
}

// flagValue reads a friendly flag as its payload value.
func flagValue(flags *pflag.FlagSet, af actionFlag, now time.Time) (any, error) {
	switch af.kind {
	case kindInt:
		return flags.GetInt(af.name)
	case kindBool:
		return flags.GetBool(af.name)
	case kindTime:
		s, _ := flags.GetString(af.name)
		t, err := parseTimeArg(s, now)
		if err != nil {
			return nil, cli.Failf("--%s: %v", af.name, err)
		}
		return t.Format(time.RFC3339Nano), nil
	default:
		return flags.GetString(af.name)
	}
}

// parseTimeArg parses RFC 3339, or "+DURATION" meaning that long from now.
func parseTimeArg(s string, now time.Time) (time.Time, error) {
	if rest, ok := strings.CutPrefix(s, "+"); ok {
		d, err := time.ParseDuration(rest)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q: not +DURATION (e.g. +48h)", s)
		}
		return now.Add(d).Truncate(time.Second), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: not an RFC 3339 time (e.g. 2026-12-01T18:00:00+08:00) or +DURATION", s)
	}
	return t, nil
}

// runAction sends the action and prints the answer.
func runAction(a *app, cmd *cobra.Command, id, name string, act workflows.Action, signal bool) error {
	ctx, cancel := a.context(cmd)
	defer cancel()
	_, rq, err := a.dial(ctx, cmd)
	if err != nil {
		return err
	}
	defer rq.Client.Close()
	out := cmd.OutOrStdout()
	if signal {
		if err := rq.Signal(ctx, id, name, act); err != nil {
			return err
		}
		if a.json {
			return cli.PrintJSON(out, map[string]string{"result": "signalled", "workflow_id": workflows.WorkflowID(id), "action": name, "action_id": act.ActionID})
		}
		fmt.Fprintf(out, "signalled %s to %s (action %s)\n", name, workflows.WorkflowID(id), act.ActionID)
		return nil
	}
	res, err := rq.Update(ctx, id, name, act)
	if err != nil {
		return err
	}
	if a.json {
		return cli.PrintJSON(out, res)
	}
	if res.Duplicate || res.Result == "duplicate" {
		fmt.Fprintf(out, "duplicate: already applied (stage %s)\n", res.Stage)
		return nil
	}
	fmt.Fprintf(out, "accepted (stage %s)\n", res.Stage)
	return nil
}
