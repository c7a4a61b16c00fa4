package config

import (
	"net/url"
	"strings"
)

// Robot is one chat-robot channel of CONTRACT §12: notify.wecom, notify.dingtalk,
// notify.feishu or notify.slack. Its HTTP timeout is notify.webhook.timeout.
type Robot struct {
	URL    string `mapstructure:"url" json:"url"`       // secret in part: the token rides in its query or path
	Secret string `mapstructure:"secret" json:"secret"` // secret: signing key (dingtalk, feishu)
}

// RobotChannels are the chat-robot channels, each configured under
// notify.<name>.
var RobotChannels = []string{"wecom", "dingtalk", "feishu", "slack"}

// Robot returns the settings of robot channel name (one of RobotChannels).
func (n *Notify) Robot(name string) *Robot {
	switch name {
	case "wecom":
		return &n.WeCom
	case "dingtalk":
		return &n.DingTalk
	case "feishu":
		return &n.Feishu
	case "slack":
		return &n.Slack
	}
	return nil
}

// robotSigned says which robots take a secret; an empty one is allowed for
// both (the vendors let a robot be secured by keywords or an IP allow-list
// instead of a signature).
var robotSigned = map[string]bool{"dingtalk": true, "feishu": true}

// robotTokenQuery is the query parameter that must carry the robot's token
// (the URL the vendor hands out); feishu and slack keep it in the path.
var robotTokenQuery = map[string]string{"dingtalk": "access_token", "wecom": "key"}

// RobotProblems checks the settings r of robot channel name; used says a
// party uses the channel. Values are redacted.
func RobotProblems(name string, r Robot, used bool) []Problem {
	var ps problems
	prefix := "notify." + name
	raw := strings.TrimSpace(r.URL)
	switch {
	case raw == "" && used:
		ps.add(prefix+".url", r.URL, "required: a party uses the %s channel", name)
	case raw != "":
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			ps.add(prefix+".url", r.URL, "not an http(s) URL")
		} else if q := robotTokenQuery[name]; q != "" && u.Query().Get(q) == "" {
			ps.add(prefix+".url", r.URL, "has no %s query: give the robot's webhook URL as the vendor shows it", q)
		}
	}
	if r.Secret != "" && !robotSigned[name] {
		ps.add(prefix+".secret", r.Secret, "%s robots take no secret (the token is in the url): leave it empty", name)
	}
	return ps
}

// isRobotURLKey reports whether key is notify.<robot>.url.
func isRobotURLKey(key string) bool {
	for _, name := range RobotChannels {
		if key == "notify."+name+".url" {
			return true
		}
	}
	return false
}

// RedactRobotURL hides the token of a robot URL: every query value, the last
// path segment (Feishu and Slack keep the token there) and any password.
// An unparsable URL is wholly redacted.
func RedactRobotURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return Redacted
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), Redacted)
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q[k] = []string{Redacted}
		}
		u.RawQuery = q.Encode()
	}
	u.Fragment, u.RawFragment = "", ""
	if p := strings.TrimRight(u.EscapedPath(), "/"); p != "" {
		u.RawPath = p[:strings.LastIndexByte(p, '/')+1] + Redacted
		u.Path, _ = url.PathUnescape(u.RawPath) // p was a valid escaped path
	}
	return u.String()
}

// redactRobots replaces the tokens and secrets of every robot channel.
func (n *Notify) redactRobots() {
	for _, name := range RobotChannels {
		r := n.Robot(name)
		r.URL = RedactRobotURL(r.URL)
		if r.Secret != "" {
			r.Secret = Redacted
		}
	}
}
