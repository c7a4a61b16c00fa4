package whatif

import (
	"errors"
	"fmt"
	"time"

	"github.com/valyala/fastjson"

	"github.com/svcflow/svcflow/internal/policy"
)

// payload holds every event payload field a replay reads.
type payload struct {
	Deadline         string
	Instance         int
	Customer         bool
	WithinLead       bool
	Priority         string
	Tier             string
	Group            string
	Channel          string
	Category         string
	ExpectedDelivery *time.Time
	NewDelivery      *time.Time
}

// decoder reads event payloads: a million of them in a month's replay, so
// with fastjson's reused parser instead of encoding/json's reflection. Not
// for concurrent use.
type decoder struct{ p fastjson.Parser }

// decode reads the fields of payload from raw, a JSON object; other keys
// and null values are ignored. An error names the field.
func (d *decoder) decode(raw []byte) (payload, error) {
	var p payload
	if len(raw) == 0 {
		return p, errors.New("payload: missing")
	}
	v, err := d.p.ParseBytes(raw)
	if err != nil {
		return p, fmt.Errorf("payload: %w", err)
	}
	o, err := v.Object()
	if err != nil {
		return p, fmt.Errorf("payload: %w", err)
	}
	var bad error
	o.Visit(func(k []byte, v *fastjson.Value) {
		if bad != nil || v.Type() == fastjson.TypeNull {
			return
		}
		var err error
		switch string(k) {
		case "deadline":
			p.Deadline, err = name(v)
		case "instance":
			p.Instance, err = v.Int()
		case "customer":
			p.Customer, err = v.Bool()
		case "within_lead":
			p.WithinLead, err = v.Bool()
		case "priority":
			p.Priority, err = str(v)
		case "tier":
			p.Tier, err = str(v)
		case "group":
			p.Group, err = str(v)
		case "channel":
			p.Channel, err = str(v)
		case "category":
			p.Category, err = str(v)
		case "expected_delivery":
			p.ExpectedDelivery, err = instant(v)
		case "new_delivery":
			p.NewDelivery, err = instant(v)
		}
		if err != nil {
			bad = fmt.Errorf("payload: %s: %w", k, err)
		}
	})
	return p, bad
}

func str(v *fastjson.Value) (string, error) {
	b, err := v.StringBytes()
	return string(b), err
}

// name is a deadline name, without a copy for the names of CONTRACT §8.
func name(v *fastjson.Value) (string, error) {
	b, err := v.StringBytes()
	if err != nil {
		return "", err
	}
	for _, n := range policy.DeadlineNames {
		if string(b) == n {
			return n, nil
		}
	}
	return string(b), nil
}

func instant(v *fastjson.Value) (*time.Time, error) {
	b, err := v.StringBytes()
	if err != nil {
		return nil, err
	}
	t, err := time.Parse(time.RFC3339, string(b))
	if err != nil {
		return nil, fmt.Errorf("%q: want RFC 3339", b)
	}
	return &t, nil
}
