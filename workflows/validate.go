package workflows

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/svcflow/svcflow/internal/policy"
)

// Limits on start-input and action text fields.
const (
	maxIDLen    = 64
	maxLineLen  = 200
	maxTextLen  = 10000
	maxBodySize = 1 << 20
)

var idPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// ValidRequestID reports whether id is 1–64 of A-Za-z0-9._- (SPEC §8).
func ValidRequestID(id string) bool { return idPattern.MatchString(id) }

// Problems collects every problem with an input, one per field.
type Problems []string

func (p *Problems) add(field, format string, args ...any) {
	*p = append(*p, field+": "+fmt.Sprintf(format, args...))
}

// Err returns nil when there is no problem, else a *InputError.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &InputError{Problems: p}
}

// InputError lists every bad field of an input; Error() is one line.
type InputError struct{ Problems []string }

func (e *InputError) Error() string { return strings.Join(e.Problems, "; ") }

// DecodeRequest reads a start input strictly: unknown fields, trailing data,
// wrong types and bad values are rejected, each field named.
func DecodeRequest(r io.Reader) (Request, error) {
	var req Request
	if err := decodeStrict(r, &req); err != nil {
		return Request{}, err
	}
	if req.Resume != nil {
		return Request{}, &InputError{Problems: []string{"resume: set only by the workflow itself"}}
	}
	return req, req.Validate()
}

// decodeStrict decodes exactly one JSON object into v, naming the field of
// any type error and rejecting unknown fields.
func decodeStrict(r io.Reader, v any) error {
	data, err := io.ReadAll(io.LimitReader(r, maxBodySize+1))
	if err != nil {
		return fmt.Errorf("read input: %w", err)
	}
	if len(data) > maxBodySize {
		return &InputError{Problems: []string{fmt.Sprintf("body: larger than %d bytes", maxBodySize)}}
	}
	if !utf8.Valid(data) {
		return &InputError{Problems: []string{"body: not valid UTF-8"}}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &InputError{Problems: []string{describeJSONError(err)}}
	}
	if dec.More() {
		return &InputError{Problems: []string{"body: unexpected data after the JSON object"}}
	}
	return nil
}

func describeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return fmt.Sprintf("%s: expected %s, got %s", field, typeErr.Type.String(), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("body: malformed JSON at byte %d: %v", syntaxErr.Offset, syntaxErr)
	case errors.Is(err, io.EOF):
		return "body: empty input, expected a JSON object"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return name + ": unknown field"
	case strings.Contains(err.Error(), "parsing time"):
		return "time field: not RFC 3339: " + err.Error()
	default:
		return "body: " + err.Error()
	}
}

// Validate checks every field of a start input and names each bad one.
func (r Request) Validate() error {
	var p Problems
	if !ValidRequestID(r.RequestID) {
		p.add("request_id", "must be 1-64 characters of A-Za-z0-9._- (got %q)", clip(r.RequestID))
	}
	checkLine(&p, "customer.id", r.Customer.ID, true, maxIDLen)
	checkLine(&p, "customer.name", r.Customer.Name, true, maxLineLen)
	if r.Customer.Email != "" {
		if a, err := mail.ParseAddress(r.Customer.Email); err != nil || a.Address != r.Customer.Email {
			p.add("customer.email", "not a plain e-mail address (got %q)", clip(r.Customer.Email))
		}
	}
	checkLine(&p, "customer.phone", r.Customer.Phone, false, 32)
	switch r.Customer.Tier {
	case policy.VIP, policy.Standard:
	default:
		p.add("customer.tier", "must be vip or standard (got %q)", clip(r.Customer.Tier))
	}
	switch r.Customer.Locale {
	case "", "zh-CN", "en":
	default:
		p.add("customer.locale", "must be zh-CN or en (got %q)", clip(r.Customer.Locale))
	}
	checkLine(&p, "channel", r.Channel, false, maxIDLen)
	checkLine(&p, "category", r.Category, false, maxIDLen)
	if !validPriority(r.Priority) {
		p.add("priority", "must be urgent or normal (got %q)", clip(r.Priority))
	}
	checkLine(&p, "title", r.Title, true, maxLineLen)
	checkText(&p, "description", r.Description, false)
	if r.SubmittedAt != nil && r.SubmittedAt.IsZero() {
		p.add("submitted_at", "must be an RFC 3339 time")
	}
	return p.Err()
}

func validPriority(s string) bool { return s == policy.Urgent || s == policy.Normal }

// checkLine validates a single-line text field.
func checkLine(p *Problems, field, v string, required bool, max int) {
	checkString(p, field, v, required, max, unicode.IsControl)
}

// checkText validates a multi-line text field (newlines and tabs allowed).
func checkText(p *Problems, field, v string, required bool) {
	checkString(p, field, v, required, maxTextLen, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r'
	})
}

// checkString checks presence, UTF-8, length, blankness and the characters
// bad reports.
func checkString(p *Problems, field, v string, required bool, max int, bad func(rune) bool) {
	if v == "" {
		if required {
			p.add(field, "required")
		}
		return
	}
	if !utf8.ValidString(v) {
		p.add(field, "not valid UTF-8")
		return
	}
	if utf8.RuneCountInString(v) > max {
		p.add(field, "longer than %d characters", max)
	}
	if strings.TrimSpace(v) == "" {
		p.add(field, "blank")
	}
	if strings.IndexFunc(v, bad) >= 0 {
		p.add(field, "contains control characters")
	}
}

func clip(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}
