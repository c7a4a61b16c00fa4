package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
)

// Feishu/Lark custom bot (自定义机器人), open.feishu.cn "custom bot guide":
// POST to https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN (the token is
// the secret part of the path); with 签名校验 (a secret) the body carries
// timestamp (s, as a string) and sign (CONTRACT §12). It answers
// {"code":0,"msg":"success"} (older bots {"StatusCode":0,"StatusMessage":
// "success"}), and errors with a non-zero code, mostly with HTTP 200.
//
// We send an interactive card (msg_type "interactive"): the subject is the
// card's plain-text header, coloured by the kind's urgency, and the body a
// card markdown element (feishuStyle). A text message could not show the
// subject apart nor make the Temporal UI link a link.

// feishuWindows: "单租户单机器人 100 次/分钟，5 次/秒" (100 a minute and 5 a
// second per bot), kept with some margin for the network.
var feishuWindows = []window{{n: 5, per: time.Second + 100*time.Millisecond}, {n: 100, per: time.Minute + time.Second}}

type feishuSender struct{ *robot }

func newFeishuSender(c config.Robot, timeout time.Duration) *feishuSender {
	return &feishuSender{newRobot(ChannelFeishu, c, timeout, feishuWindows...)}
}

type feishuText struct {
	Tag     string `json:"tag"`
	Content string `json:"content"`
}

type feishuMessage struct {
	Timestamp string `json:"timestamp,omitempty"`
	Sign      string `json:"sign,omitempty"`
	MsgType   string `json:"msg_type"`
	Card      struct {
		Config struct {
			WideScreenMode bool `json:"wide_screen_mode"`
		} `json:"config"`
		Header struct {
			Title    feishuText `json:"title"`
			Template string     `json:"template"`
		} `json:"header"`
		Elements []feishuText `json:"elements"`
	} `json:"card"`
}

// FeishuSign is the sign of a Feishu bot request at timestamp (Unix
// seconds): base64 HMAC-SHA256 keyed by timestamp + "\n" + secret over an
// empty message.
func FeishuSign(secret string, timestamp int64) string {
	m := hmac.New(sha256.New, []byte(strconv.FormatInt(timestamp, 10)+"\n"+secret))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// feishuColor is the card header's colour: red when something is late or
// a customer complained, orange for a warning, blue otherwise.
func feishuColor(kind string) string {
	switch kind {
	case activities.KindBreach, activities.KindEscalation, activities.KindComplaint:
		return "red"
	case activities.KindWarning, activities.KindDelayNotice:
		return "orange"
	}
	return "blue"
}

func (f *feishuSender) send(ctx context.Context, n activities.Notification, msg Message) error {
	m := feishuMessage{MsgType: "interactive"}
	m.Card.Config.WideScreenMode = true
	m.Card.Header.Title = feishuText{Tag: "plain_text", Content: msg.Subject}
	m.Card.Header.Template = feishuColor(n.Kind)
	m.Card.Elements = []feishuText{{Tag: "markdown", Content: truncate(feishuStyle.render(msg), maxMarkdown)}}
	a, err := f.post(ctx, func(now time.Time) (string, []byte, error) {
		if f.secret != "" {
			m.Timestamp = strconv.FormatInt(now.Unix(), 10)
			m.Sign = FeishuSign(f.secret, now.Unix())
		}
		b, err := json.Marshal(m)
		return f.url, b, err
	})
	if err != nil {
		return err
	}
	return f.verdict(a, feishuCodeOf(a.body), feishuTransient)
}

// feishuTransient: the codes retrying fixes. 11232 is the bot's rate limit
// ("可能出现因系统压力导致的 11232 限流错误", the custom bot guide) and
// 99991400 "request trigger frequency limit" the open platform's (its
// rate-limit page; with HTTP 429 or 400). 9499 is "Bad Request" (a body
// Feishu cannot read: permanent) unless its msg says "too many request",
// which we take as a rate limit from reports we could not verify in the
// vendor's docs. Everything else (19021 sign match fail or timestamp out of
// an hour, 19022 ip not allowed, 19024 key words not found, 19001 bad
// token, ...) needs a person.
func feishuTransient(vc vendorCode) bool {
	switch vc.code {
	case 11232, 99991400:
		return true
	case 9499:
		return strings.Contains(strings.ToLower(vc.msg), "too many request")
	}
	return false
}

// feishuCodeOf reads {"code":N,"msg":...} or the older
// {"StatusCode":N,"StatusMessage":...}.
func feishuCodeOf(body []byte) vendorCode {
	var a struct {
		Code          *int   `json:"code"`
		Msg           string `json:"msg"`
		StatusCode    *int   `json:"StatusCode"`
		StatusMessage string `json:"StatusMessage"`
	}
	if json.Unmarshal(body, &a) != nil {
		return vendorCode{}
	}
	switch {
	case a.Code != nil:
		return vendorCode{code: *a.Code, msg: a.Msg, found: true}
	case a.StatusCode != nil:
		return vendorCode{code: *a.StatusCode, msg: a.StatusMessage, found: true}
	}
	return vendorCode{}
}
