package config

import (
	"strings"
	"testing"
)

func TestNotifyProblemsNamedWithoutSecrets(t *testing.T) {
	cfg := Notify{
		Parties:       map[string][]string{"customer": {"email", "pigeon"}, "boss": {"log"}, "manager": {"webhook"}},
		Email:         Email{Port: 70000, Password: "smtp-Secret-xyz", From: "not an address", TLS: "ssl"},
		Webhook:       Webhook{URL: "ftp://hooks.example/x?token=url-Secret-xyz", Timeout: "soon"},
		DefaultLocale: "fr",
	}
	_, err := ParseNotify(cfg, nil)
	if err == nil {
		t.Fatal("bad config accepted")
	}
	msg := err.Error()
	for _, key := range []string{"notify.parties.customer", "notify.parties.boss", "notify.email.host",
		"notify.email.port", "notify.email.from", "notify.email.tls", "notify.email.username",
		"notify.webhook.url", "notify.webhook.secret", "notify.webhook.timeout", "notify.default_locale"} {
		if !strings.Contains(msg, key) {
			t.Errorf("error does not name %s:\n%s", key, msg)
		}
	}
	if strings.Contains(msg, "Secret-xyz") {
		t.Errorf("error shows a secret:\n%s", msg)
	}
	// The shipped defaults (log only, empty email and webhook) are valid.
	def := Notify{Parties: map[string][]string{"customer": {"log"}, "assignee": {"log"}, "supervisor": {"log"}, "manager": {"log"}},
		Email: Email{Port: 587, TLS: "starttls"}, Webhook: Webhook{Timeout: "5s"}, DefaultLocale: "en"}
	if _, err := ParseNotify(def, nil); err != nil {
		t.Fatalf("defaults rejected: %v", err)
	}
}

func TestRobotProblemsNameKeysNotSecrets(t *testing.T) {
	cfg := Notify{
		Parties:  map[string][]string{"manager": {"wecom", "dingtalk", "feishu", "slack"}},
		WeCom:    Robot{URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?access_token=url-Secret-xyz", Secret: "wecom-Secret-xyz"},
		DingTalk: Robot{URL: "ftp://oapi.dingtalk.com/robot/send?access_token=url-Secret-xyz"},
		Slack:    Robot{Secret: "slack-Secret-xyz"},
		Webhook:  Webhook{Timeout: "soon"},
	}
	_, err := ParseNotify(cfg, nil)
	if err == nil {
		t.Fatal("bad robot config accepted")
	}
	msg := err.Error()
	for _, key := range []string{"notify.wecom.url", "notify.wecom.secret", "notify.dingtalk.url", "notify.feishu.url",
		"notify.slack.url", "notify.slack.secret", "notify.webhook.timeout"} {
		if !strings.Contains(msg, key) {
			t.Errorf("error does not name %s:\n%s", key, msg)
		}
	}
	if strings.Contains(msg, "Secret-xyz") {
		t.Errorf("error shows a secret:\n%s", msg)
	}
	if c := strings.Count(msg, "notify.webhook.timeout"); c != 1 {
		t.Errorf("timeout named %d times:\n%s", c, msg)
	}
}
