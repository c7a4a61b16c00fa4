package notify

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
)

// Slack incoming webhook, docs.slack.dev "sending messages using incoming
// webhooks": POST {"text":...} (mrkdwn) to https://hooks.slack.com/services/
// T.../B.../TOKEN (the last segment is the secret; nothing is signed). It
// answers HTTP 200 "ok"; errors come as HTTP statuses with a word in the
// body (400 invalid_payload / no_text, 403 action_prohibited, 404
// channel_not_found / no_service, 410 channel_is_archived: permanent; 429
// with Retry-After, 5xx such as 500 rollup_error: retried). Slack allows
// about one message a second per webhook with short bursts and says so with
// 429s, so no limit is kept here: Retry-After becomes the activity's next
// retry delay.

// slackMaxText is Slack's limit on a message's text (characters; we count
// bytes, which is stricter).
const slackMaxText = 40000

type slackSender struct{ *robot }

func newSlackSender(c config.Robot, timeout time.Duration) *slackSender {
	return &slackSender{newRobot(ChannelSlack, c, timeout)}
}

func (s *slackSender) send(ctx context.Context, _ activities.Notification, msg Message) error {
	a, err := s.post(ctx, s.jsonBody(struct {
		Text string `json:"text"`
	}{truncate(slackStyle.render(msg), slackMaxText)}))
	if err != nil {
		return err
	}
	switch code := a.status; {
	case code/100 == 2:
		return nil
	case code == http.StatusTooManyRequests || code >= 500:
		return retryLater{fmt.Errorf("slack POST to %s: HTTP %d%s", s.recipient, code, s.said(a.body)), a.retryAfter}
	default:
		return permanent{fmt.Errorf("slack POST to %s: HTTP %d%s", s.recipient, code, s.said(a.body))}
	}
}
