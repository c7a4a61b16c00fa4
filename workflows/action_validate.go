package workflows

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Fields every action carries, beside its own.
var commonFields = []string{"action_id", "actor", "note"}

// DecodeAction reads an action payload strictly (unknown fields and
// duplicate keys rejected), lets the note fill the action's own text field
// when that is absent, and checks the fields for the named action.
func DecodeAction(name string, data []byte) (Action, error) {
	spec, ok := actionByName[name]
	if !ok {
		return Action{}, fmt.Errorf("unknown action %q", name)
	}
	var a Action
	if t := bytes.TrimSpace(data); len(t) == 0 || string(t) == "null" {
		data = []byte("{}")
	}
	if err := decodeStrict(bytes.NewReader(data), &a); err != nil {
		return Action{}, err
	}
	a.fillFromNote(*spec)
	return a, a.Validate(name)
}

// fillFromNote copies the note into the action's own text field when the
// field is empty (CONTRACT §3: "the note fills it").
func (a *Action) fillFromNote(spec ActionSpec) {
	if spec.NoteFills == "" || a.Note == "" {
		return
	}
	if v := actionField(a, spec.NoteFills); v.String() == "" {
		v.SetString(a.Note)
	}
}

// Validate checks the payload for action name: common fields, the action's
// required fields, and no field belonging to another action.
func (a Action) Validate(name string) error {
	spec, ok := actionByName[name]
	if !ok {
		return fmt.Errorf("unknown action %q", name)
	}
	var p Problems
	checkLine(&p, "action_id", a.ActionID, false, 128)
	checkLine(&p, "actor", a.Actor, false, maxLineLen)
	checkText(&p, "note", a.Note, spec.NoteRequired)
	for _, f := range a.setFields() {
		if _, own := spec.field(f); !own {
			p.add(f, "not a field of %s", name)
		}
	}
	for _, f := range spec.Fields {
		checkField(&p, f, actionField(&a, f.Name))
	}
	if name == ActionReassign && a.Group == "" && a.Assignee == "" {
		p.add("group", "give a group, an assignee or both")
	}
	return p.Err()
}

// checkField checks one of an action's own fields by its kind.
func checkField(p *Problems, f Field, v reflect.Value) {
	set := !v.IsZero()
	if !set {
		if f.Required {
			switch f.Kind {
			case FieldTime:
				p.add(f.Name, "required (RFC 3339)")
			case FieldScore:
				p.add(f.Name, "must be a score from 1 to 5 (got 0)")
			case FieldPriority:
				p.add(f.Name, "must be urgent or normal (got \"\")")
			default:
				p.add(f.Name, "required")
			}
		}
		return
	}
	switch f.Kind {
	case FieldText:
		checkText(p, f.Name, v.String(), f.Required)
	case FieldLine:
		checkLine(p, f.Name, v.String(), f.Required, maxLineLen)
	case FieldScore:
		if n := v.Int(); n < 1 || n > 5 {
			p.add(f.Name, "must be a score from 1 to 5 (got %d)", n)
		}
	case FieldInt:
		if v.Int() < 0 {
			p.add(f.Name, "must be positive")
		}
	case FieldPriority:
		if !validPriority(v.String()) {
			p.add(f.Name, "must be urgent or normal (got %q)", clip(v.String()))
		}
	case FieldTime:
		t := v.Elem().Interface().(time.Time)
		if t.Year() < 2000 || t.Year() > 9000 {
			p.add(f.Name, "%s is not a plausible time", t.Format(time.RFC3339))
		}
	}
}

// actionFieldIndex maps each JSON name of Action to its struct field.
var actionFieldIndex = func() map[string]int {
	m := map[string]int{}
	t := reflect.TypeOf(Action{})
	for i := 0; i < t.NumField(); i++ {
		m[strings.Split(t.Field(i).Tag.Get("json"), ",")[0]] = i
	}
	return m
}()

// actionField is the settable field of a named by its JSON name.
func actionField(a *Action, name string) reflect.Value {
	i, ok := actionFieldIndex[name]
	if !ok {
		panic("workflows: no action field " + name)
	}
	return reflect.ValueOf(a).Elem().Field(i)
}

// setFields names the action-specific fields that carry a value.
func (a Action) setFields() []string {
	var out []string
	v := reflect.ValueOf(a)
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		name := strings.Split(t.Field(i).Tag.Get("json"), ",")[0]
		if !v.Field(i).IsZero() && !isCommonField(name) {
			out = append(out, name)
		}
	}
	return out
}

func isCommonField(name string) bool {
	for _, f := range commonFields {
		if f == name {
			return true
		}
	}
	return false
}

// Fingerprint identifies "the same action" (CONTRACT §3): the action name and
// every payload field but the action ID, actor and note included, key order
// and time-zone spelling irrelevant.
func (a Action) Fingerprint(name string) string {
	a.ActionID = ""
	for _, p := range []**time.Time{&a.ExpectedDelivery, &a.NewDelivery} {
		if *p != nil {
			u := (*p).UTC()
			*p = &u
		}
	}
	b, _ := json.Marshal(a) // Action always encodes
	sum := sha256.Sum256(append([]byte(name+"\x00"), b...))
	return hex.EncodeToString(sum[:16])
}
