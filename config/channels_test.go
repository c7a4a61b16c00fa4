package config

import (
	"encoding/json"
	"strings"
	"testing"
)

// Robot URLs as the vendors hand them out; the tokens are secrets.
const (
	wecomURL    = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-Token-1"
	dingtalkURL = "https://oapi.dingtalk.com/robot/send?access_token=dingtalk-Token-2"
	feishuURL   = "https://open.feishu.cn/open-apis/bot/v2/hook/feishu-Token-3"
	slackURL    = "https://hooks.slack.com/services/T0001/B0001/slack-Token-4"
)

var robotSecrets = []string{"wecom-Token-1", "dingtalk-Token-2", "feishu-Token-3", "slack-Token-4", "ding-Secret-5", "feishu-Secret-6"}

func robotConfig() *Config {
	c := Default()
	c.Notify.Parties["manager"] = []string{"log", "wecom", "dingtalk", "feishu", "slack"}
	c.Notify.WeCom.URL = wecomURL
	c.Notify.DingTalk = Robot{URL: dingtalkURL, Secret: "ding-Secret-5"}
	c.Notify.Feishu = Robot{URL: feishuURL, Secret: "feishu-Secret-6"}
	c.Notify.Slack.URL = slackURL
	return c
}

func TestRobotsValid(t *testing.T) {
	c := robotConfig()
	if err := c.Validate(); err != nil {
		t.Fatalf("robots rejected:\n%v", err)
	}
	// Both vendors let a robot go unsigned (keywords or an IP allow-list).
	c.Notify.DingTalk.Secret, c.Notify.Feishu.Secret = "", ""
	if err := c.Validate(); err != nil {
		t.Fatalf("unsigned dingtalk/feishu rejected:\n%v", err)
	}
}

func TestRobotProblems(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(c *Config)
		keys   []string
	}{
		{"wecom used without url", func(c *Config) { c.Notify.WeCom.URL = "" }, []string{"notify.wecom.url"}},
		{"dingtalk used without url", func(c *Config) { c.Notify.DingTalk.URL = " " }, []string{"notify.dingtalk.url"}},
		{"feishu used without url", func(c *Config) { c.Notify.Feishu.URL = "" }, []string{"notify.feishu.url"}},
		{"slack used without url", func(c *Config) { c.Notify.Slack.URL = "" }, []string{"notify.slack.url"}},
		{"url not http", func(c *Config) { c.Notify.Slack.URL = "hooks.slack.com/services/x" }, []string{"notify.slack.url"}},
		{"dingtalk url without token", func(c *Config) { c.Notify.DingTalk.URL = "https://oapi.dingtalk.com/robot/send" }, []string{"notify.dingtalk.url"}},
		{"wecom url without key", func(c *Config) {
			c.Notify.WeCom.URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?access_token=x"
		}, []string{"notify.wecom.url"}},
		{"wecom takes no secret", func(c *Config) { c.Notify.WeCom.Secret = "s" }, []string{"notify.wecom.secret"}},
		{"slack takes no secret", func(c *Config) { c.Notify.Slack.Secret = "s" }, []string{"notify.slack.secret"}},
		{"unused robot with a bad url", func(c *Config) {
			c.Notify.Parties["manager"] = []string{"log"}
			c.Notify.Feishu.URL = "ftp://x"
		}, []string{"notify.feishu.url"}},
		{"unknown channel", func(c *Config) { c.Notify.Parties["customer"] = []string{"lark"} }, []string{"notify.parties.customer[0]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := robotConfig()
			tc.break_(c)
			ps := problemsOf(t, c.Validate())
			for _, k := range tc.keys {
				if !hasKey(ps, k) {
					t.Errorf("%s not named:%s", k, dump(ps))
				}
			}
			if len(ps) != len(tc.keys) {
				t.Errorf("want %d problems, got %d:%s", len(tc.keys), len(ps), dump(ps))
			}
			for _, p := range ps {
				if p.Why == "" || strings.Contains(p.Why, "\n") {
					t.Errorf("problem %q: why must be one non-empty line", p.String())
				}
			}
		})
	}
	// Unused and unset robots are fine (the shipped defaults).
	if err := Default().Validate(); err != nil {
		t.Fatal(err)
	}
	// The unknown-channel message names the new channels.
	c := robotConfig()
	c.Notify.Parties["customer"] = []string{"lark"}
	if msg := c.Validate().Error(); !strings.Contains(msg, "wecom, dingtalk, feishu, slack") {
		t.Errorf("unknown channel message does not list the robots: %s", msg)
	}
}

func TestRobotProblemsHideTokens(t *testing.T) {
	c := robotConfig()
	c.Notify.WeCom.Secret = "wecom-Token-1"                                           // wrongly set
	c.Notify.DingTalk.URL = "https://oapi.dingtalk.com/robot/send?x=dingtalk-Token-2" // no access_token
	c.Notify.Feishu.URL = "ftp://open.feishu.cn/open-apis/bot/v2/hook/feishu-Token-3"
	err := c.Validate()
	ps := problemsOf(t, err)
	for _, k := range []string{"notify.wecom.secret", "notify.dingtalk.url", "notify.feishu.url"} {
		if !hasKey(ps, k) {
			t.Errorf("%s not named:%s", k, dump(ps))
		}
	}
	for _, s := range robotSecrets {
		if strings.Contains(err.Error(), s) {
			t.Errorf("problems show %q:\n%v", s, err)
		}
	}
	if !strings.Contains(err.Error(), "oapi.dingtalk.com") {
		t.Errorf("the redacted url should still name its host:\n%v", err)
	}
}

func TestRobotsRedacted(t *testing.T) {
	c := robotConfig()
	y, err := c.YAML()
	if err != nil {
		t.Fatal(err)
	}
	j, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"YAML": string(y), "JSON": string(j)} {
		for _, s := range robotSecrets {
			if strings.Contains(out, s) {
				t.Errorf("%s shows %q:\n%s", name, s, out)
			}
		}
		for _, host := range []string{"qyapi.weixin.qq.com", "oapi.dingtalk.com", "open.feishu.cn", "hooks.slack.com"} {
			if !strings.Contains(out, host) {
				t.Errorf("%s lost the host %s:\n%s", name, host, out)
			}
		}
	}
	r := c.Redacted()
	if r.Notify.DingTalk.Secret != Redacted || r.Notify.Feishu.Secret != Redacted || r.Notify.WeCom.Secret != "" {
		t.Errorf("redacted secrets: %+v", r.Notify)
	}
	if c.Notify.DingTalk.URL != dingtalkURL || c.Notify.Feishu.Secret != "feishu-Secret-6" {
		t.Fatal("Redacted changed the original")
	}
	// svcctl config show --json decodes to the same shape.
	var back Config
	if err := json.Unmarshal(j, &back); err != nil || back.Notify.Slack.URL == "" {
		t.Fatalf("JSON: %v %+v", err, back.Notify.Slack)
	}
}

func TestRedactRobotURL(t *testing.T) {
	for in, want := range map[string]string{
		wecomURL:    "https://qyapi.weixin.qq.com/cgi-bin/webhook/REDACTED?key=REDACTED",
		dingtalkURL: "https://oapi.dingtalk.com/robot/REDACTED?access_token=REDACTED",
		feishuURL:   "https://open.feishu.cn/open-apis/bot/v2/hook/REDACTED",
		slackURL:    "https://hooks.slack.com/services/T0001/B0001/REDACTED",
		"https://u:pw@chat.example.com/hooks/abc%2Fdef/?t=1#frag": "https://u:REDACTED@chat.example.com/hooks/REDACTED?t=REDACTED",
		"https://chat.example.com":                                "https://chat.example.com",
		"http://[::1":                                             Redacted,
		"not a url":                                               Redacted,
		"":                                                        "",
	} {
		if got := RedactRobotURL(in); got != want {
			t.Errorf("RedactRobotURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRobotsFromFileAndEnv(t *testing.T) {
	clearEnv(t)
	p := writeFile(t, `
notify:
  parties: {customer: [log], assignee: [log, wecom], supervisor: [log], manager: [log]}
  wecom: {url: "`+wecomURL+`"}
  dingtalk: {url: "https://oapi.dingtalk.com/robot/send?access_token=file-token", secrte: "typo-Secret-7"}
`)
	_, err := Load(p, nil)
	ps := problemsOf(t, err)
	if !hasKey(ps, "notify.dingtalk.secrte") || len(ps) != 1 {
		t.Fatalf("want the misspelt key alone:%s", dump(ps))
	}
	if strings.Contains(err.Error(), "typo-Secret-7") {
		t.Fatalf("the value beside a secret key is shown:\n%v", err)
	}

	p = writeFile(t, "notify:\n  wecom: {url: \""+wecomURL+"\"}\n")
	t.Setenv("SVCFLOW_NOTIFY_PARTIES_MANAGER", "log,dingtalk,feishu,slack")
	t.Setenv("SVCFLOW_NOTIFY_DINGTALK_URL", dingtalkURL)
	t.Setenv("SVCFLOW_NOTIFY_DINGTALK_SECRET", "ding-Secret-5")
	t.Setenv("SVCFLOW_NOTIFY_FEISHU_URL", feishuURL)
	t.Setenv("SVCFLOW_NOTIFY_FEISHU_SECRET", "feishu-Secret-6")
	t.Setenv("SVCFLOW_NOTIFY_SLACK_URL", slackURL)
	c, err := Load(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := robotConfig().Notify
	for _, name := range RobotChannels {
		if got := *c.Notify.Robot(name); got != *want.Robot(name) {
			t.Errorf("%s = %+v, want %+v", name, got, *want.Robot(name))
		}
	}
	if got := strings.Join(c.Notify.Parties["manager"], ","); got != "log,dingtalk,feishu,slack" {
		t.Errorf("manager channels %q", got)
	}
	// Used but missing: the environment names the channel, nothing gives the url.
	t.Setenv("SVCFLOW_NOTIFY_SLACK_URL", "")
	_, err = Load(p, nil)
	if ps := problemsOf(t, err); !hasKey(ps, "notify.slack.url") || len(ps) != 1 {
		t.Fatalf("want notify.slack.url alone:%s", dump(ps))
	}
}
