package notify

import (
	"context"
	"encoding/json"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
)

// WeCom group robot (企业微信群机器人), developer.work.weixin.qq.com
// document 99110: POST {"msgtype":"markdown","markdown":{"content":...}} to
// https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY (the key is the
// secret; nothing is signed); it answers {"errcode":0,"errmsg":"ok"}, and
// errors with HTTP 200 and a non-zero errcode.

// wecomMaxContent is the documented limit of a markdown message (UTF-8 bytes).
const wecomMaxContent = 4096

// wecomWindow: "每个机器人发送的消息不能超过20条/分钟" (20 messages a minute per
// robot), kept with a second of margin for the network between our clock
// and the vendor's count.
var wecomWindow = window{n: 20, per: time.Minute + time.Second}

type wecomSender struct{ *robot }

func newWeComSender(c config.Robot, timeout time.Duration) *wecomSender {
	return &wecomSender{newRobot(ChannelWeCom, c, timeout, wecomWindow)}
}

type wecomMessage struct {
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Content string `json:"content"`
	} `json:"markdown"`
}

func (w *wecomSender) send(ctx context.Context, _ activities.Notification, msg Message) error {
	m := wecomMessage{MsgType: "markdown"}
	m.Markdown.Content = truncate(wecomStyle.render(msg), wecomMaxContent)
	a, err := w.post(ctx, w.jsonBody(m))
	if err != nil {
		return err
	}
	return w.verdict(a, errcodeOf(a.body), wecomTransient)
}

// wecomTransient: the codes of WeCom's global table (document 90455) that
// retrying fixes: -1 系统繁忙 ("retry later"), 45009 接口调用超过限制 ("api freq
// out of limit": what a robot past 20 a minute answers), 45033 接口并发调用超过
// 限制 (concurrent calls). Everything else (93000 invalid webhook url, 40008
// bad msgtype, 40058 bad parameter, ...) needs a person.
func wecomTransient(vc vendorCode) bool {
	switch vc.code {
	case -1, 45009, 45033:
		return true
	}
	return false
}

// errcodeOf reads {"errcode":N,"errmsg":"..."} (WeCom and DingTalk).
func errcodeOf(body []byte) vendorCode {
	var a struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if json.Unmarshal(body, &a) != nil || a.ErrCode == nil {
		return vendorCode{}
	}
	return vendorCode{code: *a.ErrCode, msg: a.ErrMsg, found: true}
}
