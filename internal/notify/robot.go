package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
)

// robot is what the chat-robot channels (wecom, dingtalk, feishu, slack)
// share: a webhook URL whose token is secret, the HTTP client and timeout
// (notify.webhook.timeout), and the vendor's per-robot rate limit.
type robot struct {
	channel   string
	url       string // secret in part: never logged, recorded or put in an error
	recipient string // host of the URL: all that is logged or recorded
	secret    string // secret: only ever an HMAC key
	timeout   time.Duration
	client    *http.Client
	clock     Clock
	windows   []window          // the vendor's limit per robot; none: only its 429s
	limit     *limiter          // shared by every Dispatcher in the process
	hide      *strings.Replacer // the token and secret, should a vendor echo them
}

// robotSender is one vendor's channel over a robot.
type robotSender interface {
	send(ctx context.Context, n activities.Notification, msg Message) error
	base() *robot
}

func (r *robot) base() *robot { return r }

// robotChannels are the chat-robot channels, and robotSenders how each is built.
var (
	robotChannels = []string{ChannelWeCom, ChannelDingTalk, ChannelFeishu, ChannelSlack}
	robotSenders  = map[string]func(config.Robot, time.Duration) robotSender{
		ChannelWeCom:    func(c config.Robot, t time.Duration) robotSender { return newWeComSender(c, t) },
		ChannelDingTalk: func(c config.Robot, t time.Duration) robotSender { return newDingTalkSender(c, t) },
		ChannelFeishu:   func(c config.Robot, t time.Duration) robotSender { return newFeishuSender(c, t) },
		ChannelSlack:    func(c config.Robot, t time.Duration) robotSender { return newSlackSender(c, t) },
	}
)

func newRobot(channel string, c config.Robot, timeout time.Duration, ws ...window) *robot {
	r := &robot{channel: channel, url: strings.TrimSpace(c.URL), secret: c.Secret, timeout: timeout, windows: ws}
	var secrets []string
	if u, err := url.Parse(r.url); err == nil {
		r.recipient = u.Host
		for _, vs := range u.Query() {
			secrets = append(secrets, vs...)
		}
		secrets = append(secrets, path.Base(u.Path))
	}
	var pairs []string
	for _, s := range append(secrets, r.secret) {
		if len(s) >= 8 { // shorter ones are no tokens ("send"), and would mangle the text
			pairs = append(pairs, s, config.Redacted)
		}
	}
	r.hide = strings.NewReplacer(pairs...)
	return r
}

// start gives r its client (no redirects: a POST must not turn into a GET
// elsewhere) and clock, and its process-wide limiter.
func (r *robot) start(client *http.Client, clock Clock) {
	r.client, r.clock = noRedirects(client), clock
	if len(r.windows) > 0 {
		r.limit = limiterFor(r.channel, r.url, clock, r.windows...)
	}
}

// answer is a vendor's reply to one POST.
type answer struct {
	status     int
	body       []byte
	retryAfter time.Duration // the vendor's hint: Retry-After or x-ogw-ratelimit-reset
}

// post waits until r's rate limit allows a send, then builds the request
// at that instant (signatures carry its timestamp) and POSTs it: build
// returns the target (r.url, or r.url signed) and the JSON body. Transport
// failures are retryable and never show the URL.
func (r *robot) post(ctx context.Context, build func(now time.Time) (target string, body []byte, err error)) (answer, error) {
	if r.limit != nil {
		if err := r.limit.wait(ctx, r.clock, r.timeout, r.channel, r.recipient); err != nil {
			return answer{}, err
		}
	}
	target, body, err := build(r.clock.Now())
	if err != nil {
		return answer{}, permanent{fmt.Errorf("%s body: %w", r.channel, err)}
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return answer{}, permanent{fmt.Errorf("%s request to %s: %v", r.channel, r.recipient, stripURL(err))}
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "svcflow")
	resp, err := r.client.Do(req)
	if err != nil {
		return answer{}, fmt.Errorf("%s POST to %s: %v", r.channel, r.recipient, stripURL(err))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		// The message may or may not be in the group: sending again is the
		// at-least-once choice.
		return answer{}, fmt.Errorf("%s POST to %s: HTTP %d, reading the answer: %v", r.channel, r.recipient, resp.StatusCode, stripURL(err))
	}
	return answer{status: resp.StatusCode, body: b, retryAfter: retryAfterOf(resp.Header, r.clock.Now())}, nil
}

// jsonBody is a build for post that sends v to r.url as it is.
func (r *robot) jsonBody(v any) func(time.Time) (string, []byte, error) {
	return func(time.Time) (string, []byte, error) {
		b, err := json.Marshal(v)
		return r.url, b, err
	}
}

// maxMarkdown bounds the markdown of a message where the vendor documents
// a smaller limit for the whole request (Feishu: 20 KB) or none we could
// find (DingTalk).
const maxMarkdown = 16 << 10

// vendorCode is the error code in a vendor's JSON answer.
type vendorCode struct {
	code  int
	msg   string
	found bool // the answer carried a code at all
}

// verdict turns an answer into the send's outcome. The vendors answer most
// errors with HTTP 200 and a non-zero code: a failed send, retried when
// transient(code) says retrying can fix it (rate limits, busy servers),
// else permanent. Without a code, 429 and 5xx are retryable, anything else
// (a 2xx that is no answer of the vendor's included) is permanent.
func (r *robot) verdict(a answer, vc vendorCode, transient func(vendorCode) bool) error {
	what := fmt.Sprintf("%s POST to %s: HTTP %d", r.channel, r.recipient, a.status)
	busy := a.status == http.StatusTooManyRequests || a.status >= 500
	switch {
	case vc.found && vc.code == 0 && a.status/100 == 2:
		return nil
	case vc.found && vc.code != 0:
		err := fmt.Errorf("%s, code %d%s", what, vc.code, r.said([]byte(vc.msg)))
		if busy || transient(vc) {
			return retryLater{err, a.retryAfter}
		}
		return permanent{err}
	case busy:
		return retryLater{fmt.Errorf("%s%s", what, r.said(a.body)), a.retryAfter}
	case a.status/100 == 2:
		return permanent{fmt.Errorf("%s but no %s robot answer (is the url right?)%s", what, r.channel, r.said(a.body))}
	default:
		return permanent{fmt.Errorf("%s%s", what, r.said(a.body))}
	}
}

// said is the start of what the vendor said, for an error, without the
// robot's token or secret.
func (r *robot) said(b []byte) string { return r.hide.Replace(brief(b)) }

// retryLater is a retryable failure, with the vendor's hint of when to try
// again (0: the retry policy decides).
type retryLater struct {
	err   error
	after time.Duration
}

func (e retryLater) Error() string             { return e.err.Error() }
func (e retryLater) Unwrap() error             { return e.err }
func (e retryLater) retryAfter() time.Duration { return e.after }

// maxRetryAfter bounds a vendor's hint.
const maxRetryAfter = time.Hour

// retryAfterOf reads Retry-After (seconds or an HTTP date; Slack and most
// gateways) or x-ogw-ratelimit-reset (seconds; Feishu's gateway).
func retryAfterOf(h http.Header, now time.Time) time.Duration {
	var d time.Duration
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if s, err := strconv.Atoi(v); err == nil {
			d = time.Duration(s) * time.Second
		} else if t, err := http.ParseTime(v); err == nil {
			d = t.Sub(now)
		}
	} else if s, err := strconv.Atoi(strings.TrimSpace(h.Get("X-Ogw-Ratelimit-Reset"))); err == nil {
		d = time.Duration(s) * time.Second
	}
	return min(max(d, 0), maxRetryAfter)
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const mark = "\n…"
	cut := n - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}
