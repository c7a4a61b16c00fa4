package notify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/notify/notifytest"
	"github.com/svcflow/svcflow/internal/store"
)

const (
	dingSecret   = "ding-Secret-never-logged"
	feishuSecret = "feishu-Secret-never-logged"
)

// vendor is one robot channel under test.
type vendor struct {
	channel string
	start   func(t testing.TB, opts ...notifytest.Option) *notifytest.Receiver
	secret  string // the robot's signing secret, if the vendor signs
}

var vendors = []vendor{
	{ChannelWeCom, notifytest.NewWeCom, ""},
	{ChannelDingTalk, notifytest.NewDingTalk, dingSecret},
	{ChannelFeishu, notifytest.NewFeishu, feishuSecret},
	{ChannelSlack, notifytest.NewSlack, ""},
}

// start starts v's receiver, signed when v signs.
func (v vendor) receiver(t testing.TB, opts ...notifytest.Option) *notifytest.Receiver {
	if v.secret != "" {
		opts = append(opts, notifytest.WithSecret(v.secret))
	}
	return v.start(t, opts...)
}

// robotConfig sends the manager's notifications to the robot at url only.
func robotConfig(channel, url, secret string) config.Notify {
	n := config.Notify{Parties: map[string][]string{activities.PartyManager: {channel}}, Webhook: config.Webhook{Timeout: "2s"}}
	*n.Robot(channel) = config.Robot{URL: url, Secret: secret}
	return n
}

// escalation is a manager notification with a Temporal UI link and data
// that would mention everybody if it reached a robot's markdown as it is.
func escalation(id, key string) activities.Notification {
	return activities.Notification{DedupeKey: key, RequestID: id, Party: activities.PartyManager, Kind: activities.KindEscalation,
		Locale: "zh-CN", Data: map[string]string{"title": "打印机 <at id=all></at> <!channel> [点我](http://evil.example)",
			"level": "2", "deadline": "sheet", "due_at": "2026-11-03 18:00", "stage": "analysis",
			"link": "http://localhost:8233/namespaces/default/workflows/service-request-" + id}}
}

func TestRobotsSendOnceShapedAndSigned(t *testing.T) {
	for _, v := range vendors {
		t.Run(v.channel, func(t *testing.T) {
			rcv := v.receiver(t)
			ledger := newLedger(t)
			d, err := New(settingsOf(robotConfig(v.channel, rcv.URL, v.secret)), ledger, nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			n := escalation(t.Name(), t.Name()+"/escalation/1")
			for range 2 {
				if err := d.Send(ctx, n); err != nil {
					t.Fatal(err)
				}
			}
			msgs := rcv.Messages()
			if rcv.Calls() != 1 || len(msgs) != 1 {
				t.Fatalf("calls %d, messages %d: want 1 and 1 (the second Send is deduplicated)", rcv.Calls(), len(msgs))
			}
			m := msgs[0]
			subject := "【升级 2 级】打印机"
			if !strings.Contains(m.Title+m.Text, subject) || !strings.Contains(m.Text, "阶段：analysis") {
				t.Errorf("message lacks the rendered template:\n%s\n%s", m.Title, m.Text)
			}
			for _, raw := range []string{"<at id=all>", "<!channel>", "](http://evil"} {
				if strings.Contains(m.Text, raw) && !(v.channel == ChannelSlack && raw[0] == ']') { // Slack links are <url|text>
					t.Errorf("the data's %q reached the markdown as it is:\n%s", raw, m.Text)
				}
			}
			link := n.Data["link"]
			wantLink := "[" + link + "](" + link + ")"
			if v.channel == ChannelSlack {
				wantLink = "<" + link + ">"
			}
			if !strings.Contains(m.Text, wantLink) {
				t.Errorf("the UI link is not a link (%s):\n%s", wantLink, m.Text)
			}
			switch v.channel {
			case ChannelDingTalk:
				if !strings.Contains(m.Text, "  \n") || m.Title != "【升级 2 级】打印机 <at id=all></at> <!channel> [点我](http://evil.example)（"+t.Name()+"）" {
					t.Errorf("dingtalk title %q / text without hard breaks:\n%s", m.Title, m.Text)
				}
			case ChannelFeishu:
				if m.Color != "red" || !strings.HasPrefix(m.Title, subject) {
					t.Errorf("feishu card header %q colour %q", m.Title, m.Color)
				}
			case ChannelWeCom:
				if !strings.HasPrefix(m.Text, "### "+subject) {
					t.Errorf("wecom heading:\n%s", m.Text)
				}
			case ChannelSlack:
				if !strings.HasPrefix(m.Text, "*"+subject) || !strings.Contains(m.Text, "&lt;!channel&gt;") {
					t.Errorf("slack text:\n%s", m.Text)
				}
			}
			recs, err := ledger.Notifications(ctx, t.Name())
			if err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(rcv.URL)
			if len(recs) != 1 || recs[0].Status != store.StatusSent || recs[0].Attempts != 1 || recs[0].Channel != v.channel ||
				recs[0].Recipient != u.Host {
				t.Fatalf("records %+v, want one sent to %s", recs, u.Host)
			}
		})
	}
}

// TestRobotErrorCodes answers HTTP 200 with each vendor's error codes: a
// rate limit or a busy server is retried (and the retry delivers), any
// other code is Undeliverable.
func TestRobotErrorCodes(t *testing.T) {
	cases := []struct {
		v         vendor
		answer    notifytest.Answer
		retryable bool
		hint      time.Duration
	}{
		{vendors[0], notifytest.WeComError(45009, "api freq out of limit"), true, 0},
		{vendors[0], notifytest.WeComError(-1, "system busy"), true, 0},
		{vendors[0], notifytest.WeComError(93000, "invalid webhook url"), false, 0},
		{vendors[0], notifytest.WeComError(40058, "markdown.content exceed max length"), false, 0},
		{vendors[1], notifytest.DingTalkError(130101, "send too fast, exceed 20 times per minute"), true, 0},
		{vendors[1], notifytest.DingTalkError(410100, "send too fast"), true, 0},
		{vendors[1], notifytest.DingTalkError(310000, "keywords not in content"), false, 0},
		{vendors[1], notifytest.DingTalkError(400102, "robot stopped"), false, 0},
		{vendors[2], notifytest.FeishuError(11232, "frequency limited"), true, 0},
		{vendors[2], notifytest.FeishuError(9499, "too many request"), true, 0},
		{vendors[2], notifytest.FeishuError(9499, "Bad Request"), false, 0},
		{vendors[2], notifytest.FeishuError(19024, "Key Words Not Found"), false, 0},
		{vendors[2], notifytest.FeishuLegacyError(11232, "frequency limited"), true, 0},
		{vendors[2], notifytest.FeishuLegacyError(19022, "Ip Not Allowed"), false, 0},
		{vendors[2], func() notifytest.Answer {
			a := notifytest.FeishuError(99991400, "request trigger frequency limit")
			a.Status, a.Header = http.StatusTooManyRequests, http.Header{"X-Ogw-Ratelimit-Reset": {"52"}}
			return a
		}(), true, 52 * time.Second},
		{vendors[3], notifytest.SlackAnswer(http.StatusTooManyRequests, "rate_limited", 30*time.Second), true, 30 * time.Second},
		{vendors[3], notifytest.SlackAnswer(http.StatusInternalServerError, "rollup_error", 0), true, 0},
		{vendors[3], notifytest.SlackAnswer(http.StatusNotFound, "no_service", 0), false, 0},
		{vendors[3], notifytest.SlackAnswer(http.StatusGone, "channel_is_archived", 0), false, 0},
		{vendors[0], notifytest.Answer{Status: http.StatusOK, Body: "<html>captive portal</html>"}, false, 0},
		{vendors[1], notifytest.Answer{Status: http.StatusBadGateway, Body: "bad gateway"}, true, 0},
	}
	for i, tc := range cases {
		name := fmt.Sprintf("%s/%d/%s", tc.v.channel, i, tc.answer.Body)
		rcv := tc.v.receiver(t)
		rcv.Enqueue(tc.answer)
		d, err := New(settingsOf(robotConfig(tc.v.channel, rcv.URL, tc.v.secret)), newLedger(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		key := fmt.Sprintf("%s/%d", t.Name(), i)
		n := escalation(key, key)
		err = d.Send(context.Background(), n)
		switch {
		case err == nil:
			t.Errorf("%s: sent", name)
			continue
		case tc.retryable && !retryable(err), !tc.retryable && !nonRetryable(err):
			t.Errorf("%s: %v (want retryable %v)", name, err, tc.retryable)
			continue
		}
		var rl *RateLimitedError
		var delay time.Duration
		if errors.As(err, &rl) {
			delay = rl.After
		}
		if delay != tc.hint {
			t.Errorf("%s: next retry delay %v, want %v", name, delay, tc.hint)
		}
		if !strings.Contains(err.Error(), tc.v.channel) {
			t.Errorf("%s: error does not name the channel: %v", name, err)
		}
		// The activity's retry sends it.
		err = d.Send(context.Background(), n)
		if tc.retryable && (err != nil || len(rcv.Messages()) != 1) {
			t.Errorf("%s: retry: %v, %d messages", name, err, len(rcv.Messages()))
		}
	}
}

// TestRobotWrongSecretIsUndeliverable: a receiver that checks the
// signature refuses one made with another secret, and the send is not
// retried. (This is also the receivers' own test: they can fail.)
func TestRobotWrongSecretIsUndeliverable(t *testing.T) {
	for _, v := range vendors[1:3] {
		rcv := v.receiver(t, notifytest.Lenient())
		d, err := New(settingsOf(robotConfig(v.channel, rcv.URL, "another-secret")), newLedger(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		key := t.Name() + "/" + v.channel
		if err := d.Send(context.Background(), escalation(key, key)); !nonRetryable(err) {
			t.Errorf("%s: %v, want Undeliverable", v.channel, err)
		}
		if rej := rcv.Rejected(); len(rej) != 1 || !strings.Contains(rej[0], "sign") {
			t.Errorf("%s: receiver rejected %q", v.channel, rej)
		}
		// Unsigned while the robot wants a signature: refused too.
		d, err = New(settingsOf(robotConfig(v.channel, rcv.URL, "")), newLedger(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Send(context.Background(), escalation(key+"/unsigned", key+"/unsigned")); !nonRetryable(err) {
			t.Errorf("%s unsigned: %v, want Undeliverable", v.channel, err)
		}
	}
}

func TestSignFormulas(t *testing.T) {
	// Computed apart from this package (Python hmac/base64) from CONTRACT §12.
	if got := DingTalkSign("SECabc123", 1577000000000); got != "jl+9BJfpHAG+h6cdae76kBXTUbMQ9wpoOWWluXJp7FE=" {
		t.Errorf("DingTalkSign = %q", got)
	}
	if got := FeishuSign("SECabc123", 1599360473); got != "xrs26pQpFkxWovMDgzfslap3+aQh6l/XmjymasupLlI=" {
		t.Errorf("FeishuSign = %q", got)
	}
	d := &dingtalkSender{&robot{url: "https://oapi.dingtalk.com/robot/send?access_token=T", secret: "SECabc123"}}
	want := "https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1577000000000&sign=jl%2B9BJfpHAG%2Bh6cdae76kBXTUbMQ9wpoOWWluXJp7FE%3D"
	if got := d.signedURL(time.UnixMilli(1577000000000)); got != want {
		t.Errorf("signed URL\n got %s\nwant %s", got, want)
	}
	d.secret = ""
	if got := d.signedURL(time.Now()); got != d.url {
		t.Errorf("unsigned URL %s", got)
	}
}

// TestRobotsSecretsNeverLogged fails and then sends on every robot channel
// with tokens and secrets, and checks the logs, the errors and the ledger.
func TestRobotsSecretsNeverLogged(t *testing.T) {
	logger, logs := newLogger()
	ledger := newLedger(t)
	cfg := config.Notify{Parties: map[string][]string{activities.PartyManager: {}}, Webhook: config.Webhook{Timeout: "2s"}}
	var secrets []string
	var rcvs []*notifytest.Receiver
	for _, v := range vendors {
		rcv := v.receiver(t)
		rcv.Enqueue(transientAnswer(v.channel, rcv.Token+" "+v.secret)) // a vendor echoing them
		rcvs = append(rcvs, rcv)
		cfg.Parties[activities.PartyManager] = append(cfg.Parties[activities.PartyManager], v.channel)
		*cfg.Robot(v.channel) = config.Robot{URL: rcv.URL, Secret: v.secret}
		secrets = append(secrets, rcv.Token)
		if v.secret != "" {
			secrets = append(secrets, v.secret)
		}
	}
	d, err := New(settingsOf(cfg), ledger, logger)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n := escalation(t.Name(), t.Name()+"/esc")
	first := d.Send(ctx, n)
	if !retryable(first) {
		t.Fatalf("first send: %v, want retryable", first)
	}
	if err := d.Send(ctx, n); err != nil {
		t.Fatalf("retry: %v", err)
	}
	for i, rcv := range rcvs {
		if len(rcv.Messages()) != 1 {
			t.Errorf("%s: %d messages", vendors[i].channel, len(rcv.Messages()))
		}
	}
	recs, _ := ledger.Notifications(ctx, t.Name())
	var ledgerText []string
	for _, r := range recs {
		ledgerText = append(ledgerText, r.Recipient, r.LastError)
		if r.Status != store.StatusSent || r.Attempts != 2 {
			t.Errorf("record %+v, want sent after 2 attempts", r)
		}
	}
	everything := logs.String() + first.Error() + strings.Join(ledgerText, "\n")
	for _, s := range secrets {
		if strings.Contains(everything, s) {
			t.Errorf("secret %q shows in logs, errors or ledger:\n%s", s, everything)
		}
	}
	if strings.Count(logs.String(), "notification failed") != len(vendors) {
		t.Errorf("failures not logged once per channel:\n%s", logs)
	}
}

func transientAnswer(channel, echo string) notifytest.Answer {
	switch channel {
	case ChannelWeCom:
		return notifytest.WeComError(45009, "api freq out of limit "+echo)
	case ChannelDingTalk:
		return notifytest.DingTalkError(130101, "send too fast "+echo)
	case ChannelFeishu:
		return notifytest.FeishuError(11232, "frequency limited "+echo)
	}
	return notifytest.SlackAnswer(http.StatusServiceUnavailable, "unavailable "+echo, 0)
}
