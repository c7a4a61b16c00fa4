package notify

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/svcflow/svcflow/activities"
)

var styles = map[string]mdStyle{ChannelWeCom: wecomStyle, ChannelDingTalk: dingtalkStyle, ChannelFeishu: feishuStyle, ChannelSlack: slackStyle}

// TestEveryKindRendersAsEveryRobotsMarkdown: each kind in each locale, with
// and without data, through each vendor's markdown: the template's text is
// all there, the link is a link, nothing is left unescaped.
func TestEveryKindRendersAsEveryRobotsMarkdown(t *testing.T) {
	full := map[string]string{"title": "TITLE <b>", "customer": "CUSTOMER & co", "group": "G", "assignee": "A",
		"stage": "STAGE", "deadline": "DL", "due_at": "DUE", "level": "2", "reason": "R", "summary": "line one\nline > two",
		"link": "http://ui.example/namespaces/default/workflows/sr-(1)", "month": "2026-11", "round": "2"}
	for _, kind := range allKinds {
		for _, loc := range []string{LocaleZhCN, LocaleEn} {
			for _, data := range []map[string]string{full, nil} {
				msg, err := Render(activities.Notification{DedupeKey: "k", RequestID: "RID", Party: "customer", Kind: kind, Data: data}, loc)
				if err != nil {
					t.Fatal(err)
				}
				for name, st := range styles {
					md := st.render(msg)
					where := kind + "." + loc + " as " + name
					if !utf8.ValidString(md) || strings.TrimSpace(md) == "" || strings.Contains(md, "<no value>") {
						t.Errorf("%s: %q", where, md)
					}
					if name != ChannelFeishu && !strings.Contains(md, st.escape(msg.Subject)) {
						t.Errorf("%s lacks the subject:\n%s", where, md)
					}
					for _, line := range strings.Split(strings.TrimRight(msg.Body, "\n"), "\n") {
						if _, isLink := lineURL(line); !isLink && !strings.Contains(md, st.escape(line)) {
							t.Errorf("%s lacks the body line %q:\n%s", where, line, md)
						}
					}
					if data == nil {
						continue
					}
					if strings.Contains(md, "<b>") || strings.Contains(md, "line > two") {
						t.Errorf("%s left the data's markup as it is:\n%s", where, md)
					}
					if strings.Contains(msg.Body, full["link"]) {
						safe := "http://ui.example/namespaces/default/workflows/sr-%281%29"
						want := "[" + safe + "](" + safe + ")"
						if name == ChannelSlack {
							want = "<" + safe + ">"
						}
						if !strings.Contains(md, want) {
							t.Errorf("%s: link not %s:\n%s", where, want, md)
						}
					}
				}
			}
		}
	}
}

func TestRobotMarkdownShapes(t *testing.T) {
	msg := Message{Subject: "S <@all>", Body: "a & b\n\nc\n"}
	for name, want := range map[string]string{
		ChannelWeCom:    "### S ＜@all＞\n\na & b\n\nc",
		ChannelDingTalk: "### S ＜@all＞  \n  \na & b  \n  \nc",
		ChannelFeishu:   "a & b\n\nc",
		ChannelSlack:    "*S &lt;@all&gt;*\n\na &amp; b\n\nc",
	} {
		if got := styles[name].render(msg); got != want {
			t.Errorf("%s:\n got %q\nwant %q", name, got, want)
		}
	}
	if got := neutral("[x](http://e) [Received] (R-1)"); got != "[x］(http://e) [Received] (R-1)" {
		t.Errorf("neutral = %q", got)
	}
}

func TestTruncate(t *testing.T) {
	s := strings.Repeat("服", 2000) // 6000 bytes
	got := truncate(s, wecomMaxContent)
	if len(got) > wecomMaxContent || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") {
		t.Fatalf("truncate: %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
	if truncate("short", 10) != "short" {
		t.Fatal("truncate changed a short text")
	}
}
