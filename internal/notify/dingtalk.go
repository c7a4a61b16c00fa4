package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
)

// DingTalk custom robot (钉钉自定义机器人), open.dingtalk.com "custom robots
// send group messages": POST {"msgtype":"markdown","markdown":{"title":...,
// "text":...}} to https://oapi.dingtalk.com/robot/send?access_token=TOKEN;
// with 加签 (a secret) the URL also carries timestamp (ms) and sign
// (CONTRACT §12). It answers {"errcode":0,"errmsg":"ok"}, and errors with HTTP 200
// and a non-zero errcode.

// dingtalkWindow: "每个机器人每分钟最多发送20条消息到群里，如果超过20条，会限流10分钟"
// (20 a minute per robot; past that the robot is muted for ten minutes), kept
// with a second of margin for the network between our clock and DingTalk's.
var dingtalkWindow = window{n: 20, per: time.Minute + time.Second}

type dingtalkSender struct{ *robot }

func newDingTalkSender(c config.Robot, timeout time.Duration) *dingtalkSender {
	return &dingtalkSender{newRobot(ChannelDingTalk, c, timeout, dingtalkWindow)}
}

type dingtalkMessage struct {
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Title string `json:"title"` // the preview in the chat list: plain text
		Text  string `json:"text"`
	} `json:"markdown"`
}

// DingTalkSign is the sign of a DingTalk robot request at timestampMs:
// base64 HMAC-SHA256 keyed by the secret over timestamp + "\n" + secret (not
// yet URL-encoded).
func DingTalkSign(secret string, timestampMs int64) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(timestampMs, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// signedURL appends timestamp and the URL-encoded sign to the robot URL's
// own query (which carries access_token).
func (d *dingtalkSender) signedURL(now time.Time) string {
	if d.secret == "" {
		return d.url
	}
	ms := now.UnixMilli()
	sep := "&"
	if u, err := url.Parse(d.url); err == nil && u.RawQuery == "" {
		sep = "?"
	}
	return d.url + sep + "timestamp=" + strconv.FormatInt(ms, 10) + "&sign=" + url.QueryEscape(DingTalkSign(d.secret, ms))
}

func (d *dingtalkSender) send(ctx context.Context, _ activities.Notification, msg Message) error {
	m := dingtalkMessage{MsgType: "markdown"}
	m.Markdown.Title = msg.Subject
	m.Markdown.Text = truncate(dingtalkStyle.render(msg), maxMarkdown)
	a, err := d.post(ctx, func(now time.Time) (string, []byte, error) {
		b, err := json.Marshal(m)
		return d.signedURL(now), b, err
	})
	if err != nil {
		return err
	}
	return d.verdict(a, errcodeOf(a.body), dingtalkTransient)
}

// dingtalkTransient: the codes retrying fixes. 130101 "send too fast,
// exceed 20 times per minute" is what DingTalk answers past the limit
// (quoted from a real answer; DingTalk then mutes the robot for ten
// minutes, which the activity's backoff outlasts); -1 系统繁忙 is DingTalk's
// "busy, retry later" across its open APIs. 410100 发送速度太快而限流 is listed
// for robots in DingTalk's error table as we remember it, but we could not
// reach that table to verify it. Everything else (310000 sign not match /
// keywords not in content / ip not in whitelist, 300001 token missing,
// 400101/400102 token or robot gone, 430101-430104 content refused, ...)
// needs a person.
func dingtalkTransient(vc vendorCode) bool {
	switch vc.code {
	case -1, 130101, 410100:
		return true
	}
	return false
}
