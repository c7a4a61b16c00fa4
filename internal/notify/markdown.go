package notify

import (
	"net/url"
	"strings"
)

// mdStyle is how one vendor's markdown shows a rendered Message. The
// templates (templates.go) are plain text with the request's data in them,
// so all of it is escaped for the vendor first; then the subject becomes a
// heading, each body line keeps its break, and a line that is one URL (the
// Temporal UI link) becomes a link.
type mdStyle struct {
	escape  func(string) string
	heading func(escapedSubject string) string // "" for vendors that show the subject elsewhere
	lineEnd string                             // joins body lines
	link    func(safeURL string) string
}

// neutral defuses the markdown of WeCom, DingTalk and Feishu, which document
// no escape syntax: "<" starts their mentions (<@userid>, <at id=all>) and
// tags (<font>), "](" a link with any text. The fullwidth forms read the
// same and trigger nothing.
var neutral = strings.NewReplacer("<", "＜", ">", "＞", "](", "］(").Replace

// slackEscape is Slack's documented escaping for mrkdwn: &, < and > only
// (so "<!channel>" in a title pings nobody).
var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

var (
	// WeCom markdown: "#" headings, "[text](url)" links, "\n" breaks lines.
	wecomStyle = mdStyle{escape: neutral, heading: func(s string) string { return "### " + s }, lineEnd: "\n", link: mdLink}
	// DingTalk markdown wants a hard break ("  \n") where a line ends.
	dingtalkStyle = mdStyle{escape: neutral, heading: func(s string) string { return "### " + s }, lineEnd: "  \n", link: mdLink}
	// Feishu: the subject is the card's plain-text header; the body is a
	// card markdown element.
	feishuStyle = mdStyle{escape: neutral, lineEnd: "\n", link: mdLink}
	// Slack mrkdwn: *bold*, <url> links.
	slackStyle = mdStyle{escape: slackEscape, heading: func(s string) string { return "*" + s + "*" }, lineEnd: "\n",
		link: func(u string) string { return "<" + u + ">" }}
)

func mdLink(u string) string { return "[" + u + "](" + u + ")" }

// render is the whole markdown text of msg: heading, blank line, body.
func (s mdStyle) render(msg Message) string {
	body := s.body(msg)
	if s.heading == nil {
		return body
	}
	return s.heading(s.escape(msg.Subject)) + s.lineEnd + s.lineEnd + body
}

// body is the markdown of msg.Body alone.
func (s mdStyle) body(msg Message) string {
	lines := strings.Split(strings.TrimRight(msg.Body, "\n"), "\n")
	for i, line := range lines {
		if u, ok := lineURL(line); ok {
			lines[i] = s.link(u)
		} else {
			lines[i] = s.escape(line)
		}
	}
	return strings.Join(lines, s.lineEnd)
}

// lineURL reports whether line is one absolute http(s) URL, and returns it
// with the characters that would end a markdown or Slack link escaped.
func lineURL(line string) (string, bool) {
	line = strings.TrimSpace(line)
	if strings.ContainsAny(line, " \t") {
		return "", false
	}
	u, err := url.Parse(line)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return linkSafe.Replace(line), true
}

var linkSafe = strings.NewReplacer("(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "|", "%7C")
