package badinput

import (
	"errors"
	"strings"
	"testing"

	"github.com/svcflow/svcflow/workflows"
)

// validRequest is a good start input; cases change one thing in it.
const validRequest = `{"request_id":"bad-1","customer":{"id":"c-1","name":"Acme","email":"a@example.com","tier":"standard","locale":"en"},` +
	`"channel":"web","category":"printer","priority":"normal","title":"Printer jams","description":"Paper jams."}`

func withField(old, new string) string {
	if !strings.Contains(validRequest, old) {
		panic("corpus: " + old + " not in validRequest")
	}
	return strings.Replace(validRequest, old, new, 1)
}

// requestCases are start inputs DecodeRequest must refuse; want names the
// field or problem the one-line error must mention.
var requestCases = []struct {
	name, input, want string
}{
	{"truncated JSON", `{"request_id": "x",`, "body: malformed JSON: unexpected end of input"},
	{"malformed JSON", `{"request_id" "x"}`, "malformed JSON"},
	{"empty input", ``, "empty input"},
	{"not an object", `[1,2,3]`, "expected"},
	{"trailing data", validRequest + `{}`, "unexpected data after the JSON object"},
	{"oversized body", `{"request_id":"x","description":"` + strings.Repeat("a", 1<<20+10) + `"}`, "larger than"},
	{"unknown top-level field", withField(`"channel":"web"`, `"channel":"web","colour":"red"`), "colour: unknown field"},
	{"unknown customer field", withField(`"tier":"standard"`, `"tier":"standard","vip_since":"2020"`), "vip_since: unknown field"},
	{"resume from outside", withField(`"channel":"web"`, `"channel":"web","resume":{}`), "resume"},
	{"bad tier enum", withField(`"tier":"standard"`, `"tier":"gold"`), "customer.tier"},
	{"bad priority enum", withField(`"priority":"normal"`, `"priority":"asap"`), "priority"},
	{"priority wrong type", withField(`"priority":"normal"`, `"priority":5`), "priority"},
	{"complex wrong type", withField(`"channel":"web"`, `"channel":"web","complex":"yes"`), "complex"},
	{"bad locale", withField(`"locale":"en"`, `"locale":"fr-FR"`), "customer.locale"},
	{"request ID with space", withField(`"request_id":"bad-1"`, `"request_id":"bad 1"`), "request_id"},
	{"request ID too long", withField(`"request_id":"bad-1"`, `"request_id":"`+strings.Repeat("x", 65)+`"`), "request_id"},
	{"request ID empty", withField(`"request_id":"bad-1"`, `"request_id":""`), "request_id"},
	{"request ID with SQL", withField(`"request_id":"bad-1"`, `"request_id":"1'; DROP TABLE service_requests;--"`), "request_id"},
	{"request ID with path", withField(`"request_id":"bad-1"`, `"request_id":"../../etc/passwd"`), "request_id"},
	{"missing customer id", withField(`"id":"c-1",`, ``), "customer.id"},
	{"missing title", withField(`"title":"Printer jams",`, ``), "title"},
	{"blank title", withField(`"title":"Printer jams"`, `"title":"   "`), "title"},
	{"control characters in title", withField(`"title":"Printer jams"`, `"title":"Printer\u0000jams"`), "title"},
	{"title too long", withField(`"title":"Printer jams"`, `"title":"`+strings.Repeat("t", 201)+`"`), "title"},
	{"invalid UTF-8", withField(`"title":"Printer jams"`, "\"title\":\"Printer \xff\xfe jams\""), "UTF-8"},
	{"bad e-mail", withField(`"email":"a@example.com"`, `"email":"a@example.com'; --"`), "customer.email"},
	{"submitted_at not RFC 3339", withField(`"channel":"web"`, `"channel":"web","submitted_at":"yesterday"`), `submitted_at: "yesterday" is not an RFC 3339 time`},
	{"submitted_at a number", withField(`"channel":"web"`, `"channel":"web","submitted_at":1700000000`), "submitted_at: expected an RFC 3339 time string"},
	{"duplicate key", withField(`"tier":"standard"`, `"tier":"standard","tier":"vip"`), "customer.tier: duplicate key"},
	{"duplicate top-level key", withField(`"priority":"normal"`, `"priority":"normal","priority":"urgent"`), "priority: duplicate key"},
	{"customer not an object", withField(`"customer":{"id":"c-1","name":"Acme","email":"a@example.com","tier":"standard","locale":"en"}`, `"customer":"c-1"`), "customer: expected an object, got string"},
	{"title a number", withField(`"title":"Printer jams"`, `"title":42`), "title: expected a string, got number"},
}

func TestDecodeRequestRefuses(t *testing.T) {
	for _, tc := range requestCases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := workflows.DecodeRequest(strings.NewReader(tc.input))
			checkOneLine(t, err, tc.want)
		})
	}
}

// The base input of the request cases is itself valid (so every case fails
// for its own reason).
func TestValidRequestIsAccepted(t *testing.T) {
	if _, err := workflows.DecodeRequest(strings.NewReader(validRequest)); err != nil {
		t.Fatalf("valid request refused: %v", err)
	}
	sql := `Robert'); DROP TABLE service_requests;-- " \ % _ ; /* */`
	in := withField(`"title":"Printer jams"`, `"title":`+jsonString(sql))
	if r, err := workflows.DecodeRequest(strings.NewReader(in)); err != nil || r.Title != sql {
		t.Fatalf("SQL metacharacters in a text field must be kept verbatim: %q, %v", r.Title, err)
	}
}

// actionCases are action payloads DecodeAction must refuse.
var actionCases = []struct {
	name, action, input, want string
}{
	{"unknown action", "teleport", `{}`, "unknown action"},
	{"malformed action JSON", "respond", `{"actor" 1}`, "malformed JSON"},
	{"unknown action field", "respond", `{"actor":"a","mood":"happy"}`, "mood: unknown field"},
	{"field of another action", "respond", `{"reason":"why not"}`, "reason: not a field of respond"},
	{"score above range", "record_follow_up", `{"response_speed":6,"resolution":5,"attitude":5,"professionalism":5}`, "response_speed"},
	{"score below range", "record_follow_up", `{"response_speed":5,"resolution":0,"attitude":5,"professionalism":5}`, "resolution"},
	{"negative score", "record_follow_up", `{"response_speed":5,"resolution":5,"attitude":-1,"professionalism":5}`, "attitude"},
	{"score wrong type", "record_follow_up", `{"response_speed":"five","resolution":5,"attitude":5,"professionalism":5}`, "response_speed"},
	{"sheet without delivery", "submit_sheet", `{"description":"d","goal":"g"}`, "expected_delivery"},
	{"delivery not RFC 3339", "submit_sheet", `{"description":"d","goal":"g","expected_delivery":"next tuesday"}`, "RFC 3339"},
	{"reject without reason", "reject_delivery", `{}`, "reason"},
	{"progress without note", "progress", `{}`, "note"},
	{"reassign to nobody", "reassign", `{}`, "group"},
	{"bad reprioritize enum", "reprioritize", `{"priority":"critical"}`, "priority"},
	{"action ID with control characters", "respond", `{"action_id":"a\u0007b"}`, "action_id"},
	{"invalid UTF-8 in note", "note", "{\"note\":\"bad \xc3\x28 byte\"}", "UTF-8"},
	{"negative complaint ID", "resolve_complaint", `{"complaint_id":-3,"resolution_text":"done"}`, "complaint_id"},
	{"complaint ID not whole", "resolve_complaint", `{"complaint_id":1.5,"resolution_text":"done"}`, "complaint_id: expected a whole number, got number 1.5"},
	{"duplicate action key", "note", `{"note":"a","note":"b"}`, "note: duplicate key"},
	{"expected_delivery a number", "submit_sheet", `{"description":"d","goal":"g","expected_delivery":20261201}`, "expected_delivery: expected an RFC 3339 time string"},
	{"new_delivery not RFC 3339", "announce_delay", `{"new_delivery":"2026-12-01 18:00"}`, `new_delivery: "2026-12-01 18:00" is not an RFC 3339 time`},
	{"delivery in year 9999", "submit_sheet", `{"description":"d","goal":"g","expected_delivery":"9999-12-31T00:00:00Z"}`, "expected_delivery: 9999-12-31T00:00:00Z is not a plausible time"},
	{"resolution without text or note", "resolve_complaint", `{}`, "resolution_text: required"},
}

func TestDecodeActionRefuses(t *testing.T) {
	for _, tc := range actionCases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := workflows.DecodeAction(tc.action, []byte(tc.input))
			checkOneLine(t, err, tc.want)
		})
	}
}

// checkOneLine asserts err is a one-line error mentioning want.
func checkOneLine(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want an error mentioning %q", want)
	}
	msg := err.Error()
	if strings.Contains(strings.TrimSpace(msg), "\n") {
		t.Errorf("error is not one line: %q", msg)
	}
	noGoInternals(t, msg)
	if !strings.Contains(msg, want) {
		t.Errorf("error %q does not mention %q", clip(msg), want)
	}
	var ie *workflows.InputError
	if strings.Contains(want, "unknown action") {
		return
	}
	if !errors.As(err, &ie) {
		t.Errorf("error %T is not a *workflows.InputError", err)
	}
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

func jsonString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// goInternals are words of Go's own error messages that a user should never
// see: type names, time layouts, parser names.
var goInternals = []string{"workflows.", "config.", "2006-01-02", "UnmarshalJSON", "strconv.", "json: cannot", "json: unknown", "Go struct", "reflect."}

func noGoInternals(t *testing.T, msg string) {
	t.Helper()
	for _, w := range goInternals {
		if strings.Contains(msg, w) {
			t.Errorf("message shows Go internals (%q): %q", w, clip(msg))
		}
	}
}

// The note fills an action's own text field when that is absent.
func TestNoteFillsTheActionsText(t *testing.T) {
	for action, field := range map[string]func(workflows.Action) string{
		"resolve_complaint": func(a workflows.Action) string { return a.ResolutionText },
		"reject_sheet":      func(a workflows.Action) string { return a.Reason },
		"complain":          func(a workflows.Action) string { return a.Reason },
		"cancel":            func(a workflows.Action) string { return a.Reason },
	} {
		a, err := workflows.DecodeAction(action, []byte(`{"note":"apologised"}`))
		if err != nil || field(a) != "apologised" {
			t.Errorf("%s with only a note: %+v, %v", action, a, err)
		}
		b, err := workflows.DecodeAction(action, []byte(`{"note":"apologised","reason":"own","resolution_text":"own"}`))
		if err == nil && field(b) != "own" {
			t.Errorf("%s: the note overwrote the action's own text: %+v", action, b)
		}
	}
}
