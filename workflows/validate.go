package workflows

import (
	"errors"
	"fmt"
	"io"
	"net/mail"
	"regexp"
	"strings"
	"time"
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

// ValidRequestID reports whether id is 1–64 of A-Za-z0-9._- (CONTRACT §8).
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
	return req, req.Validate()
}

// DecodeRequestAt is DecodeRequest plus the intake's rules at now
// (CheckIntake), every problem listed at once.
func DecodeRequestAt(r io.Reader, now time.Time, skew, backdate time.Duration) (Request, error) {
	req, err := DecodeRequest(r)
	var in *InputError
	switch {
	case err == nil:
		return req, req.CheckIntake(now, skew, backdate)
	case errors.As(err, &in) && req.RequestID != "":
		p := Problems(in.Problems)
		req.checkIntake(&p, now, skew, backdate)
		return req, p.Err()
	}
	return req, err
}

// CheckIntake applies the intake's rules beyond the input's shape: the
// request ID must not start with the workflow ID prefix (sr-900 would be
// workflow sr-sr-900, which "sr-900" cannot name), and submitted_at must lie
// within skew in the future and backdate in the past of now.
func (r Request) CheckIntake(now time.Time, skew, backdate time.Duration) error {
	var p Problems
	r.checkIntake(&p, now, skew, backdate)
	return p.Err()
}

func (r Request) checkIntake(p *Problems, now time.Time, skew, backdate time.Duration) {
	if strings.HasPrefix(r.RequestID, WorkflowIDPrefix) {
		p.add("request_id", "must not start with %q, the workflow ID prefix (send %q: its workflow is %s)", WorkflowIDPrefix, clip(strings.TrimPrefix(r.RequestID, WorkflowIDPrefix)), clip(r.RequestID))
	}
	if r.SubmittedAt == nil || r.SubmittedAt.IsZero() {
		return
	}
	switch at := *r.SubmittedAt; {
	case at.After(now.Add(skew)):
		p.add("submitted_at", "%s is in the future (more than intake.max_clock_skew %s ahead of now)", at.Format(time.RFC3339), shortDuration(skew))
	case at.Before(now.Add(-backdate)):
		p.add("submitted_at", "%s is more than intake.max_backdate %s in the past", at.Format(time.RFC3339), shortDuration(backdate))
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

// shortDuration writes 720h rather than 720h0m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	for _, z := range []string{"0s", "0m"} {
		if strings.HasSuffix(s, "m"+z) || strings.HasSuffix(s, "h"+z) {
			s = strings.TrimSuffix(s, z)
		}
	}
	return s
}
