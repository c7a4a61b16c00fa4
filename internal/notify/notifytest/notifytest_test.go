package notifytest

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"
)

func TestFakeClock(t *testing.T) {
	start := time.Unix(1_800_000_000, 0)
	c := NewFakeClock(start)
	if got := <-c.After(0); !got.Equal(start) {
		t.Fatalf("After(0) = %v", got)
	}
	a, b := c.After(2*time.Second), c.After(time.Second)
	if c.Waiters() != 2 {
		t.Fatalf("waiters %d", c.Waiters())
	}
	if !c.AdvanceToNext() || !(<-b).Equal(start.Add(time.Second)) || c.Waiters() != 1 {
		t.Fatal("AdvanceToNext did not fire the earliest waiter alone")
	}
	select {
	case <-a:
		t.Fatal("the later waiter fired early")
	default:
	}
	c.Advance(time.Hour)
	if got := <-a; !got.Equal(start.Add(time.Hour+time.Second)) || c.AdvanceToNext() {
		t.Fatalf("Advance fired at %v", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go c.After(time.Minute)
	if err := c.AwaitWaiters(ctx, 1); err != nil {
		t.Fatal(err)
	}
}

func TestReceiverWaitAndRefusal(t *testing.T) {
	r := NewSlack(t, Lenient())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go func() {
		post := func(url, body string) {
			resp, err := http.Post(url, "application/json", bytes.NewReader([]byte(body)))
			if err == nil {
				resp.Body.Close()
			}
		}
		post(r.URL+"x", `{"text":"wrong token"}`)
		post(r.URL, `{"text":"hello"}`)
	}()
	msgs, err := r.Wait(ctx, 1)
	if err != nil || len(msgs) != 1 || msgs[0].Text != "hello" {
		t.Fatalf("Wait: %v %+v", err, msgs)
	}
	if rej := r.Rejected(); len(rej) != 1 || r.Calls() != 2 {
		t.Fatalf("rejected %q after %d calls", rej, r.Calls())
	}
}
