package notify

import (
	"fmt"
	"strings"
	"text/template"

	"github.com/svcflow/svcflow/activities"
)

// Supported locales.
const (
	LocaleZhCN = "zh-CN"
	LocaleEn   = "en"
)

// Message is a rendered notification.
type Message struct {
	Kind     string
	Locale   string
	Template string // kind.locale
	Subject  string
	Body     string
}

// Template fields come from Notification.Data plus request_id, party and
// kind. Fields the templates use: title, customer, group, assignee, stage,
// deadline, due_at, level, reason, summary, link, month, round. A missing
// field renders empty.
type tmplText struct{ subject, body string }

var templateTexts = map[string]map[string]tmplText{
	activities.KindReceipt: {
		LocaleZhCN: {"【受理通知】{{.title}}（{{.request_id}}）",
			"{{.customer}}，您好：\n\n我们已受理您的服务请求「{{.title}}」，编号 {{.request_id}}。\n{{with .group}}负责小组：{{.}}\n{{end}}{{with .due_at}}我们将在 {{.}} 前与您联系。\n{{end}}\n感谢您的耐心。"},
		LocaleEn: {"[Received] {{.title}} ({{.request_id}})",
			"Dear {{.customer}},\n\nWe have received your service request \"{{.title}}\", number {{.request_id}}.\n{{with .group}}Handled by: {{.}}\n{{end}}{{with .due_at}}We will contact you by {{.}}.\n{{end}}\nThank you for your patience."},
	},
	activities.KindAssignment: {
		LocaleZhCN: {"【派单】{{.title}}（{{.request_id}}）",
			"请求 {{.request_id}}「{{.title}}」已分派给{{with .assignee}} {{.}}{{else}}小组 {{.group}}{{end}}。\n客户：{{.customer}}\n{{with .due_at}}首次响应截止：{{.}}\n{{end}}{{with .link}}{{.}}\n{{end}}"},
		LocaleEn: {"[Assigned] {{.title}} ({{.request_id}})",
			"Request {{.request_id}} \"{{.title}}\" is assigned to {{with .assignee}}{{.}}{{else}}group {{.group}}{{end}}.\nCustomer: {{.customer}}\n{{with .due_at}}First response due: {{.}}\n{{end}}{{with .link}}{{.}}\n{{end}}"},
	},
	activities.KindSheet: {
		LocaleZhCN: {"【需求确认单】{{.title}}（{{.request_id}}）",
			"{{.customer}}，您好：\n\n请确认服务请求 {{.request_id}} 的需求确认单{{with .round}}（第 {{.}} 轮）{{end}}。\n{{with .summary}}\n{{.}}\n{{end}}{{with .due_at}}\n请于 {{.}} 前回复。{{end}}"},
		LocaleEn: {"[Please confirm] {{.title}} ({{.request_id}})",
			"Dear {{.customer}},\n\nPlease confirm the requirements sheet of request {{.request_id}}{{with .round}} (round {{.}}){{end}}.\n{{with .summary}}\n{{.}}\n{{end}}{{with .due_at}}\nPlease reply by {{.}}.{{end}}"},
	},
	activities.KindProgressReport: {
		LocaleZhCN: {"【进展报告】{{.title}}（{{.request_id}}）",
			"{{.customer}}，您好：\n\n服务请求 {{.request_id}}「{{.title}}」当前阶段：{{.stage}}。\n{{with .summary}}{{.}}\n{{end}}{{with .due_at}}预计交付：{{.}}\n{{end}}"},
		LocaleEn: {"[Progress] {{.title}} ({{.request_id}})",
			"Dear {{.customer}},\n\nRequest {{.request_id}} \"{{.title}}\" is now at stage: {{.stage}}.\n{{with .summary}}{{.}}\n{{end}}{{with .due_at}}Expected delivery: {{.}}\n{{end}}"},
	},
	activities.KindDelayNotice: {
		LocaleZhCN: {"【延期说明】{{.title}}（{{.request_id}}）",
			"{{.customer}}，您好：\n\n很抱歉，服务请求 {{.request_id}}「{{.title}}」无法按原定时间交付。\n{{with .reason}}原因：{{.}}\n{{end}}{{with .due_at}}新的交付时间：{{.}}\n{{end}}"},
		LocaleEn: {"[Delay] {{.title}} ({{.request_id}})",
			"Dear {{.customer}},\n\nWe are sorry: request {{.request_id}} \"{{.title}}\" cannot be delivered at the committed time.\n{{with .reason}}Reason: {{.}}\n{{end}}{{with .due_at}}New delivery time: {{.}}\n{{end}}"},
	},
	activities.KindDelivery: {
		LocaleZhCN: {"【交付通知】{{.title}}（{{.request_id}}）",
			"{{.customer}}，您好：\n\n服务请求 {{.request_id}}「{{.title}}」已交付，请验收。\n{{with .summary}}{{.}}\n{{end}}{{with .due_at}}请于 {{.}} 前确认验收结果。\n{{end}}"},
		LocaleEn: {"[Delivered] {{.title}} ({{.request_id}})",
			"Dear {{.customer}},\n\nRequest {{.request_id}} \"{{.title}}\" has been delivered; please review it.\n{{with .summary}}{{.}}\n{{end}}{{with .due_at}}Please accept or reject by {{.}}.\n{{end}}"},
	},
	activities.KindAcceptanceReminder: {
		LocaleZhCN: {"【验收提醒】{{.title}}（{{.request_id}}）",
			"{{.customer}}，您好：\n\n服务请求 {{.request_id}}「{{.title}}」尚待您验收。\n{{with .due_at}}验收截止：{{.}}\n{{end}}"},
		LocaleEn: {"[Reminder] Please review {{.title}} ({{.request_id}})",
			"Dear {{.customer}},\n\nRequest {{.request_id}} \"{{.title}}\" is waiting for your acceptance.\n{{with .due_at}}Acceptance due: {{.}}\n{{end}}"},
	},
	activities.KindSurveyRequest: {
		LocaleZhCN: {"【满意度回访】{{.title}}（{{.request_id}}）",
			"{{.customer}}，您好：\n\n服务请求 {{.request_id}}「{{.title}}」已完成。请就响应速度、解决效果、服务态度和专业水平为我们评分（1–5 分）。\n{{with .link}}{{.}}\n{{end}}"},
		LocaleEn: {"[Survey] How did we do? {{.title}} ({{.request_id}})",
			"Dear {{.customer}},\n\nRequest {{.request_id}} \"{{.title}}\" is complete. Please rate our response speed, resolution, attitude and professionalism (1-5).\n{{with .link}}{{.}}\n{{end}}"},
	},
	activities.KindCareLetter: {
		LocaleZhCN: {"【客户关怀】{{with .month}}{{.}} {{end}}服务回顾",
			"{{.customer}}，您好：\n\n感谢您一直以来的信任。{{with .summary}}\n{{.}}\n{{end}}\n如有任何需要，欢迎随时联系我们。"},
		LocaleEn: {"[Care] {{with .month}}{{.}} {{end}}service review",
			"Dear {{.customer}},\n\nThank you for your trust.{{with .summary}}\n{{.}}\n{{end}}\nPlease contact us any time you need us."},
	},
	activities.KindWarning: {
		LocaleZhCN: {"【SLA 预警】{{.deadline}} 即将到期：{{.title}}（{{.request_id}}）",
			"请求 {{.request_id}}「{{.title}}」的 {{.deadline}} 时限将于 {{.due_at}} 到期。\n阶段：{{.stage}}\n{{with .assignee}}处理人：{{.}}\n{{end}}{{with .link}}{{.}}\n{{end}}"},
		LocaleEn: {"[SLA warning] {{.deadline}} due soon: {{.title}} ({{.request_id}})",
			"The {{.deadline}} deadline of request {{.request_id}} \"{{.title}}\" is due at {{.due_at}}.\nStage: {{.stage}}\n{{with .assignee}}Assignee: {{.}}\n{{end}}{{with .link}}{{.}}\n{{end}}"},
	},
	activities.KindBreach: {
		LocaleZhCN: {"【SLA 超时】{{.deadline}} 已超时：{{.title}}（{{.request_id}}）",
			"请求 {{.request_id}}「{{.title}}」的 {{.deadline}} 时限已于 {{.due_at}} 超时。\n阶段：{{.stage}}\n{{with .assignee}}处理人：{{.}}\n{{end}}{{with .link}}{{.}}\n{{end}}"},
		LocaleEn: {"[SLA breached] {{.deadline}}: {{.title}} ({{.request_id}})",
			"The {{.deadline}} deadline of request {{.request_id}} \"{{.title}}\" was breached at {{.due_at}}.\nStage: {{.stage}}\n{{with .assignee}}Assignee: {{.}}\n{{end}}{{with .link}}{{.}}\n{{end}}"},
	},
	activities.KindEscalation: {
		LocaleZhCN: {"【升级 {{.level}} 级】{{.title}}（{{.request_id}}）",
			"请求 {{.request_id}}「{{.title}}」已升级至第 {{.level}} 级。\n{{with .deadline}}时限：{{.}}{{with $.due_at}}（{{.}}）{{end}}\n{{end}}{{with .reason}}原因：{{.}}\n{{end}}阶段：{{.stage}}\n{{with .link}}{{.}}\n{{end}}"},
		LocaleEn: {"[Escalation level {{.level}}] {{.title}} ({{.request_id}})",
			"Request {{.request_id}} \"{{.title}}\" is escalated to level {{.level}}.\n{{with .deadline}}Deadline: {{.}}{{with $.due_at}} ({{.}}){{end}}\n{{end}}{{with .reason}}Reason: {{.}}\n{{end}}Stage: {{.stage}}\n{{with .link}}{{.}}\n{{end}}"},
	},
	activities.KindSheetRejected: {
		LocaleZhCN: {"【确认单被拒】请重新沟通：{{.title}}（{{.request_id}}）",
			"客户拒绝了请求 {{.request_id}}「{{.title}}」的需求确认单{{with .round}}（第 {{.}} 轮）{{end}}。\n{{with .reason}}原因：{{.}}\n{{end}}请与客户重新沟通并提交新的确认单。\n{{with .due_at}}新确认单截止：{{.}}\n{{end}}{{with .link}}{{.}}\n{{end}}"},
		LocaleEn: {"[Sheet rejected] Talk to the customer again: {{.title}} ({{.request_id}})",
			"The customer rejected the requirements sheet of request {{.request_id}} \"{{.title}}\"{{with .round}} (round {{.}}){{end}}.\n{{with .reason}}Reason: {{.}}\n{{end}}Talk to the customer again and submit a new sheet.\n{{with .due_at}}New sheet due: {{.}}\n{{end}}{{with .link}}{{.}}\n{{end}}"},
	},
	activities.KindSheetVoid: {
		LocaleZhCN: {"【确认单失效】请重新沟通：{{.title}}（{{.request_id}}）",
			"请求 {{.request_id}}「{{.title}}」的需求确认单{{with .round}}（第 {{.}} 轮）{{end}}未在时限内得到客户确认，已失效。\n请与客户重新沟通并提交新的确认单。\n{{with .due_at}}新确认单截止：{{.}}\n{{end}}{{with .link}}{{.}}\n{{end}}"},
		LocaleEn: {"[Sheet void] Talk to the customer again: {{.title}} ({{.request_id}})",
			"The customer did not confirm the requirements sheet of request {{.request_id}} \"{{.title}}\"{{with .round}} (round {{.}}){{end}} in time; it is void.\nTalk to the customer again and submit a new sheet.\n{{with .due_at}}New sheet due: {{.}}\n{{end}}{{with .link}}{{.}}\n{{end}}"},
	},
	activities.KindComplaint: {
		LocaleZhCN: {"【客户投诉】{{.title}}（{{.request_id}}）",
			"请求 {{.request_id}}「{{.title}}」收到客户 {{.customer}} 的投诉。\n{{with .reason}}内容：{{.}}\n{{end}}{{with .due_at}}处理截止：{{.}}\n{{end}}{{with .link}}{{.}}\n{{end}}"},
		LocaleEn: {"[Complaint] {{.title}} ({{.request_id}})",
			"Customer {{.customer}} complained about request {{.request_id}} \"{{.title}}\".\n{{with .reason}}Complaint: {{.}}\n{{end}}{{with .due_at}}Resolve by: {{.}}\n{{end}}{{with .link}}{{.}}\n{{end}}"},
	},
}

type compiled struct{ subject, body *template.Template }

// templates are parsed once; a parse error is a programming error caught by
// the package tests.
var templates = mustCompile()

func mustCompile() map[string]map[string]compiled {
	out := make(map[string]map[string]compiled, len(templateTexts))
	for kind, byLocale := range templateTexts {
		out[kind] = make(map[string]compiled, len(byLocale))
		for loc, tt := range byLocale {
			name := kind + "." + loc
			out[kind][loc] = compiled{
				subject: template.Must(template.New(name + ".subject").Option("missingkey=zero").Parse(tt.subject)),
				body:    template.Must(template.New(name + ".body").Option("missingkey=zero").Parse(tt.body)),
			}
		}
	}
	return out
}

// Kinds lists the kinds that have templates.
func Kinds() []string {
	out := make([]string, 0, len(templateTexts))
	for k := range templateTexts {
		out = append(out, k)
	}
	return out
}

// NormalizeLocale maps a locale tag to a supported locale ("" if none).
func NormalizeLocale(tag string) string {
	t := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"))
	switch {
	case t == "zh" || t == "zh-cn" || t == "zh-hans" || strings.HasPrefix(t, "zh-hans-") || t == "zh-sg":
		return LocaleZhCN
	case t == "en" || strings.HasPrefix(t, "en-"):
		return LocaleEn
	}
	return ""
}

// Render renders the template of kind in locale (a supported locale) with
// data plus the notification's request_id, party and kind.
func Render(n activities.Notification, locale string) (Message, error) {
	byLocale, ok := templates[n.Kind]
	if !ok {
		return Message{}, fmt.Errorf("notification kind %q: no template", n.Kind)
	}
	c, ok := byLocale[locale]
	if !ok {
		return Message{}, fmt.Errorf("notification kind %q: no template for locale %q", n.Kind, locale)
	}
	data := make(map[string]string, len(n.Data)+3)
	for k, v := range n.Data {
		data[k] = v
	}
	data["request_id"], data["party"], data["kind"] = n.RequestID, n.Party, n.Kind
	var subj, body strings.Builder
	if err := c.subject.Execute(&subj, data); err != nil {
		return Message{}, fmt.Errorf("render %s.%s subject: %w", n.Kind, locale, err)
	}
	if err := c.body.Execute(&body, data); err != nil {
		return Message{}, fmt.Errorf("render %s.%s body: %w", n.Kind, locale, err)
	}
	// A subject is one line whatever the data holds.
	subject := strings.Join(strings.Fields(subj.String()), " ")
	return Message{Kind: n.Kind, Locale: locale, Template: n.Kind + "." + locale,
		Subject: subject, Body: strings.TrimRight(body.String(), "\n") + "\n"}, nil
}
