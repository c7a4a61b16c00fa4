package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/svcflow/svcflow/internal/cli"
	"github.com/svcflow/svcflow/workflows"
	"github.com/svcflow/svcflow/workflows/requests"
)

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
	spec, _ := workflows.LookupAction(name)
	long := spec.Short + ".\n\nSent as the update \"" + name + "\" (--signal: as a signal). The payload is\n" +
		"--data (JSON, @FILE or @- for stdin) with the flags below set over it."
	if spec.NoteFills != "" {
		long += "\n--note fills " + spec.NoteFills + " when it is not given."
	}
	cmd := &cobra.Command{
		Use:   kebab(name) + " REQUEST",
		Short: spec.Short,
		Long:  long,
		Args:  requestArg,
		RunE: cli.RunE(func(cmd *cobra.Command, args []string) error {
			id, _ := requests.RequestIDArg(args[0])
			act, err := buildAction(name, cmd.Flags(), o, cmd.InOrStdin())
			if err != nil {
				return err
			}
			return runAction(a, cmd, id, name, act, o.signal)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&o.actor, "actor", defaultActor(), "who acts, for the timeline (default $"+ActorVariable+")")
	f.StringVar(&o.note, "note", "", "note for the timeline")
	f.StringVar(&o.actionID, "action-id", "", "idempotency key; a retry with the same ID is applied once (default: random)")
	f.StringVar(&o.data, "data", "", "payload JSON, @FILE, or @- for stdin")
	f.BoolVar(&o.signal, "signal", false, "send as a signal (fire and forget) instead of an update")
	for _, fd := range spec.Fields {
		switch fd.Kind {
		case workflows.FieldInt, workflows.FieldScore:
			f.Int(kebab(fd.Name), 0, fd.Usage)
		case workflows.FieldBool:
			f.Bool(kebab(fd.Name), false, fd.Usage)
		default:
			f.String(kebab(fd.Name), "", fd.Usage)
		}
	}
	return cmd
}

// ActorVariable names the agent when --actor is not given.
const ActorVariable = "SVCFLOW_ACTOR"

// defaultActor is $SVCFLOW_ACTOR: never the operating system's user (a
// shared machine's "root" must not become a request's assignee).
func defaultActor() string { return strings.TrimSpace(os.Getenv(ActorVariable)) }

// buildAction assembles the payload: --data first, then the friendly flags
// that were set, then actor, note and action ID; workflows.DecodeAction
// checks the result strictly.
func buildAction(name string, flags *pflag.FlagSet, o actionOptions, stdin io.Reader) (workflows.Action, error) {
	payload, err := readData(o.data, stdin)
	if err != nil {
		return workflows.Action{}, err
	}
	spec, _ := workflows.LookupAction(name)
	for _, fd := range spec.Fields {
		if !flags.Changed(kebab(fd.Name)) {
			continue
		}
		v, err := flagValue(flags, fd, time.Now())
		if err != nil {
			return workflows.Action{}, err
		}
		payload[fd.Name] = v
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
		return act, cli.Fail(err) // the message names the field
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
	if p := workflows.CheckJSONObject(raw); len(p) > 0 {
		for i := range p {
			p[i] = strings.TrimPrefix(p[i], "body: ")
		}
		return nil, cli.Failf("%s: %s", src, strings.Join(p, "; "))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&payload); err != nil {
		return nil, cli.Failf("%s: not a JSON object", src)
	}
	if payload == nil {
		payload = map[string]any{}
	}
	return payload, nil
}

// flagValue reads a friendly flag as its payload value.
func flagValue(flags *pflag.FlagSet, fd workflows.Field, now time.Time) (any, error) {
	name := kebab(fd.Name)
	switch fd.Kind {
	case workflows.FieldInt, workflows.FieldScore:
		return flags.GetInt(name)
	case workflows.FieldBool:
		return flags.GetBool(name)
	case workflows.FieldTime:
		s, _ := flags.GetString(name)
		t, err := parseTimeArg(s, now)
		if err != nil {
			return nil, cli.Failf("--%s: %v", name, err)
		}
		return t.Format(time.RFC3339Nano), nil
	default:
		return flags.GetString(name)
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
	if res.Result == workflows.ResultDuplicate {
		fmt.Fprintf(out, "duplicate: already applied (stage %s)\n", res.Stage)
		return nil
	}
	fmt.Fprintf(out, "accepted (stage %s)\n", res.Stage)
	return nil
}
