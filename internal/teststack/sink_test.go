package teststack

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/notify"
)

// send delivers body to the sink as the webhook channel does, signed with secret.
func send(k *Sink, secret string, body []byte) (int, error) {
	ts := time.Now().Unix()
	req, err := http.NewRequest("POST", k.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set(notify.HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(notify.HeaderSignature, notify.Sign(secret, ts, body))
	req.Header.Set(notify.HeaderIdempotencyKey, "k-1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func post(t *testing.T, k *Sink, secret string, body []byte) int {
	t.Helper()
	code, err := send(k, secret, body)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestSinkKeepsSignedDeliveriesAndRefusesOthers(t *testing.T) {
	k := NewSink("s3cret")
	defer k.Close()
	body := []byte(`{"dedupe_key":"k-1","request_id":"r-1","party":"customer","kind":"receipt","subject":"s","body":"b"}`)
	if code := post(t, k, "wrong", body); code != http.StatusBadRequest {
		t.Fatalf("badly signed delivery: %d, want 400", code)
	}
	if code := post(t, k, "s3cret", []byte(`not json`)); code != http.StatusBadRequest {
		t.Fatalf("malformed delivery: %d, want 400", code)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sent := make(chan error, 1)
	go func() {
		code, err := send(k, "s3cret", body)
		if err == nil && code != http.StatusOK {
			err = errors.New("signed delivery answered " + strconv.Itoa(code))
		}
		sent <- err
	}()
	got, err := k.Wait(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].DedupeKey != "k-1" || got[0].IdempotencyKey != "k-1" || got[0].Kind != "receipt" {
		t.Fatalf("deliveries %+v", got)
	}
	if n := len(k.Refused()); n != 2 {
		t.Fatalf("%d refused, want 2", n)
	}
	short, cancel2 := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel2()
	if _, err := k.Wait(short, 2); err == nil {
		t.Fatal("Wait for a delivery that never comes returned no error")
	}
}

func TestHappyPathEndsClosedWithUniqueActionIDs(t *testing.T) {
	steps := HappyPath("r-1")
	seen := map[string]bool{}
	for _, s := range steps {
		if s.Action.ActionID == "" || seen[s.Action.ActionID] {
			t.Errorf("step %s: action ID %q empty or repeated", s.Name, s.Action.ActionID)
		}
		seen[s.Action.ActionID] = true
	}
	if last := steps[len(steps)-1]; last.Stage != "closed" {
		t.Errorf("the happy path ends in %s, want closed", last.Stage)
	}
	if len(HappyEvents()) != len(steps) {
		t.Errorf("HappyEvents has %d kinds for %d steps", len(HappyEvents()), len(steps))
	}
}
