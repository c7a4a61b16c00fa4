package notifytest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func newToken(vendor string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return vendor + "-Token-" + hex.EncodeToString(b)
}

func hmacBase64(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// ---- WeCom group robot ----

// NewWeCom starts a fake WeCom group robot: POST /cgi-bin/webhook/send?key=KEY
// with {"msgtype":"markdown","markdown":{"content":...}} (at most 4096
// bytes), 20 a minute; success {"errcode":0,"errmsg":"ok"}.
func NewWeCom(t testing.TB, opts ...Option) *Receiver {
	token := newToken("wecom")
	limits := []limit{{n: 20, per: time.Minute, err: WeComError(45009, "api freq out of limit")}}
	return start(t, "wecom", "/cgi-bin/webhook/send", "key="+token, token, WeComError(0, "ok"), limits, checkWeCom, opts)
}

// WeComError is WeCom's answer with errcode (HTTP 200, as WeCom answers).
func WeComError(code int, msg string) Answer {
	return jsonAnswer(map[string]any{"errcode": code, "errmsg": msg})
}

func checkWeCom(r *Receiver, req *http.Request, body []byte) (Message, *refusal) {
	if req.URL.Path != "/cgi-bin/webhook/send" || req.URL.Query().Get("key") != r.Token {
		return Message{}, &refusal{"wrong path or key in " + req.URL.Path, WeComError(93000, "invalid webhook url")}
	}
	var m struct {
		MsgType  string `json:"msgtype"`
		Markdown *struct {
			Content string `json:"content"`
		} `json:"markdown"`
	}
	if err := decodeStrict(body, &m); err != nil || m.MsgType != "markdown" || m.Markdown == nil || m.Markdown.Content == "" {
		return Message{}, &refusal{"not a markdown message: " + string(body), WeComError(40008, "invalid message type")}
	}
	if len(m.Markdown.Content) > 4096 {
		return Message{}, &refusal{"markdown content over 4096 bytes", WeComError(40058, "markdown.content exceed max length 4096")}
	}
	return Message{Text: m.Markdown.Content}, nil
}

// ---- DingTalk custom robot ----

// NewDingTalk starts a fake DingTalk custom robot: POST
// /robot/send?access_token=TOKEN with {"msgtype":"markdown","markdown":
// {"title":...,"text":...}}, 20 a minute; with WithSecret the query also
// carries timestamp (ms, within an hour) and sign = URL-encoded base64
// HMAC-SHA256 keyed by the secret over timestamp + "\n" + secret. Success
// {"errcode":0,"errmsg":"ok"}.
func NewDingTalk(t testing.TB, opts ...Option) *Receiver {
	token := newToken("dingtalk")
	limits := []limit{{n: 20, per: time.Minute, err: DingTalkError(130101, "send too fast, exceed 20 times per minute")}}
	return start(t, "dingtalk", "/robot/send", "access_token="+token, token, DingTalkError(0, "ok"), limits, checkDingTalk, opts)
}

// DingTalkError is DingTalk's answer with errcode (HTTP 200).
func DingTalkError(code int, msg string) Answer {
	return jsonAnswer(map[string]any{"errcode": code, "errmsg": msg})
}

func checkDingTalk(r *Receiver, req *http.Request, body []byte) (Message, *refusal) {
	q := req.URL.Query()
	if req.URL.Path != "/robot/send" || q.Get("access_token") != r.Token {
		return Message{}, &refusal{"wrong path or access_token", DingTalkError(300001, "token is not exist")}
	}
	if r.secret != "" {
		ts := q.Get("timestamp")
		ms, err := strconv.ParseInt(ts, 10, 64)
		if err != nil || !withinHour(time.UnixMilli(ms), r.now()) {
			return Message{}, &refusal{"timestamp " + strconv.Quote(ts) + " is not ms within an hour", DingTalkError(310000, "invalid timestamp")}
		}
		if want := hmacBase64(r.secret, ts+"\n"+r.secret); !hmac.Equal([]byte(q.Get("sign")), []byte(want)) {
			return Message{}, &refusal{"sign does not match (raw query " + strings.ReplaceAll(req.URL.RawQuery, r.Token, "TOKEN") + ")",
				DingTalkError(310000, "sign not match")}
		}
	}
	var m struct {
		MsgType  string `json:"msgtype"`
		Markdown *struct {
			Title string `json:"title"`
			Text  string `json:"text"`
		} `json:"markdown"`
	}
	if err := decodeStrict(body, &m); err != nil || m.MsgType != "markdown" || m.Markdown == nil ||
		m.Markdown.Title == "" || m.Markdown.Text == "" {
		return Message{}, &refusal{"not a markdown message with title and text: " + string(body), DingTalkError(400105, "unsupported message")}
	}
	return Message{Title: m.Markdown.Title, Text: m.Markdown.Text}, nil
}

// ---- Feishu/Lark custom bot ----

// NewFeishu starts a fake Feishu custom bot: POST
// /open-apis/bot/v2/hook/TOKEN with msg_type "interactive" (a card with a
// plain_text header and markdown elements) or "text"; with WithSecret the
// body also carries timestamp (s, a JSON string, within an hour) and sign =
// base64 HMAC-SHA256 keyed by timestamp + "\n" + secret over an empty
// message. 5 a second and 100 a minute; body at most 20 KB; success
// {"code":0,"msg":"success","data":{}}.
func NewFeishu(t testing.TB, opts ...Option) *Receiver {
	token := newToken("feishu")
	busy := FeishuError(11232, "frequency limited")
	limits := []limit{{n: 5, per: time.Second, err: busy}, {n: 100, per: time.Minute, err: busy}}
	ok := jsonAnswer(map[string]any{"code": 0, "msg": "success", "data": map[string]any{}})
	return start(t, "feishu", "/open-apis/bot/v2/hook/"+token, "", token, ok, limits, checkFeishu, opts)
}

// FeishuError is Feishu's answer with code (HTTP 200).
func FeishuError(code int, msg string) Answer {
	return jsonAnswer(map[string]any{"code": code, "msg": msg, "data": map[string]any{}})
}

// FeishuLegacyError is the answer of older Feishu bots:
// {"Extra":null,"StatusCode":N,"StatusMessage":...}.
func FeishuLegacyError(code int, msg string) Answer {
	return jsonAnswer(map[string]any{"Extra": nil, "StatusCode": code, "StatusMessage": msg})
}

type feishuText struct {
	Tag     string `json:"tag"`
	Content string `json:"content"`
}

func checkFeishu(r *Receiver, req *http.Request, body []byte) (Message, *refusal) {
	if req.URL.Path != "/open-apis/bot/v2/hook/"+r.Token {
		return Message{}, &refusal{"wrong hook token", FeishuError(19001, "param invalid: incoming webhook access token invalid")}
	}
	if len(body) > 20<<10 {
		return Message{}, &refusal{"body over 20 KB", FeishuError(9499, "Bad Request")}
	}
	var m struct {
		Timestamp json.RawMessage `json:"timestamp"`
		Sign      string          `json:"sign"`
		MsgType   string          `json:"msg_type"`
		Content   *struct {
			Text string `json:"text"`
		} `json:"content"`
		Card *struct {
			Config *struct {
				WideScreenMode bool `json:"wide_screen_mode"`
			} `json:"config"`
			Header *struct {
				Title    feishuText `json:"title"`
				Template string     `json:"template"`
			} `json:"header"`
			Elements []feishuText `json:"elements"`
		} `json:"card"`
	}
	if err := decodeStrict(body, &m); err != nil {
		return Message{}, &refusal{"body: " + err.Error(), FeishuError(9499, "Bad Request")}
	}
	if r.secret != "" {
		var ts string
		if err := json.Unmarshal(m.Timestamp, &ts); err != nil {
			return Message{}, &refusal{"timestamp is not a JSON string: " + string(m.Timestamp), FeishuError(19021, "sign match fail or timestamp is not within one hour from current time")}
		}
		s, err := strconv.ParseInt(ts, 10, 64)
		want := hmacBase64(ts+"\n"+r.secret, "")
		if err != nil || !withinHour(time.Unix(s, 0), r.now()) || !hmac.Equal([]byte(m.Sign), []byte(want)) {
			return Message{}, &refusal{"timestamp " + strconv.Quote(ts) + " or sign does not match",
				FeishuError(19021, "sign match fail or timestamp is not within one hour from current time")}
		}
	}
	switch {
	case m.MsgType == "text" && m.Content != nil && m.Content.Text != "":
		return Message{Text: m.Content.Text}, nil
	case m.MsgType == "interactive" && m.Card != nil && m.Card.Header != nil && m.Card.Header.Title.Tag == "plain_text" &&
		m.Card.Header.Title.Content != "" && len(m.Card.Elements) > 0:
		var texts []string
		for _, e := range m.Card.Elements {
			if e.Tag != "markdown" || e.Content == "" {
				return Message{}, &refusal{"card element is not markdown: " + string(body), FeishuError(9499, "Bad Request")}
			}
			texts = append(texts, e.Content)
		}
		return Message{Title: m.Card.Header.Title.Content, Color: m.Card.Header.Template, Text: strings.Join(texts, "\n")}, nil
	}
	return Message{}, &refusal{"neither a text message nor a card with a plain_text header: " + string(body), FeishuError(9499, "Bad Request")}
}

// ---- Slack incoming webhook ----

// NewSlack starts a fake Slack incoming webhook: POST
// /services/T00000000/B00000000/TOKEN with {"text":...}; success HTTP 200
// "ok". No rate limit is kept (Slack answers 429 when it wants; Enqueue
// SlackAnswer to play that).
func NewSlack(t testing.TB, opts ...Option) *Receiver {
	token := newToken("slack")
	return start(t, "slack", "/services/T00000000/B00000000/"+token, "", token,
		Answer{Status: http.StatusOK, Body: "ok"}, nil, checkSlack, opts)
}

// SlackAnswer is a Slack answer: status, a body word such as
// "invalid_payload" or "no_service", and Retry-After when retryAfter > 0.
func SlackAnswer(status int, body string, retryAfter time.Duration) Answer {
	a := Answer{Status: status, Body: body, Header: http.Header{}}
	if retryAfter > 0 {
		a.Header.Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
	}
	return a
}

func checkSlack(r *Receiver, req *http.Request, body []byte) (Message, *refusal) {
	if req.URL.Path != "/services/T00000000/B00000000/"+r.Token {
		return Message{}, &refusal{"wrong hook token", SlackAnswer(http.StatusNotFound, "no_service", 0)}
	}
	var m struct {
		Text string `json:"text"`
	}
	if err := decodeStrict(body, &m); err != nil || m.Text == "" {
		return Message{}, &refusal{"not {\"text\": ...}: " + string(body), SlackAnswer(http.StatusBadRequest, "invalid_payload", 0)}
	}
	return Message{Text: m.Text}, nil
}
