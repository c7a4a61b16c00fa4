package config

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Parties and channels of notify.parties.
var (
	partyNames   = []string{"customer", "assignee", "supervisor", "manager"}
	channelNames = append([]string{"log", "email", "webhook"}, RobotChannels...)
)

// parseNotify checks notify.* and the settings of every channel a party
// uses; groups are routing.groups, whose addresses e-mail needs.
func parseNotify(ps *problems, n Notify, groups map[string]Group) NotifySettings {
	s := NotifySettings{Parties: map[string][]string{}, DefaultLocale: n.DefaultLocale, Email: n.Email, Webhook: n.Webhook, Robots: map[string]Robot{}}
	used := map[string]bool{}
	for _, party := range orderedKeys(n.Parties, partyNames) {
		key := "notify.parties." + party
		chans := n.Parties[party]
		if !contains(partyNames, party) {
			ps.add(key, strings.Join(chans, ","), "unknown party: use %s", strings.Join(partyNames, ", "))
			continue
		}
		if len(chans) == 0 {
			ps.add(key, "", "needs at least one channel (%s)", strings.Join(channelNames, ", "))
		}
		var list []string
		for i, ch := range chans {
			switch {
			case !contains(channelNames, ch):
				ps.add(fmt.Sprintf("%s[%d]", key, i), ch, "unknown channel: use %s", strings.Join(channelNames, ", "))
			case contains(list, ch):
				ps.add(fmt.Sprintf("%s[%d]", key, i), ch, "channel listed twice")
			default:
				list = append(list, ch)
				used[ch] = true
				if ch == "email" {
					checkGroupAddresses(ps, groups, party, key)
				}
			}
		}
		s.Parties[party] = list
	}
	for _, party := range partyNames {
		if _, ok := n.Parties[party]; !ok {
			ps.add("notify.parties."+party, "", "missing: every party needs a channel (%s)", strings.Join(channelNames, ", "))
		}
	}

	e := n.Email
	if e.TLS != "starttls" && e.TLS != "tls" && e.TLS != "none" {
		ps.add("notify.email.tls", e.TLS, "must be starttls, tls or none")
	}
	if e.Port < 1 || e.Port > 65535 {
		ps.add("notify.email.port", e.Port, "must be a port number 1-65535")
	}
	if e.From != "" {
		if _, err := mail.ParseAddress(e.From); err != nil {
			ps.add("notify.email.from", e.From, "not an email address")
		}
	}
	if e.Password != "" && e.Username == "" {
		ps.add("notify.email.username", "", "required while notify.email.password is set")
	}
	if used["email"] {
		if e.Host == "" {
			ps.add("notify.email.host", e.Host, "required: a party uses the email channel")
		}
		if e.From == "" {
			ps.add("notify.email.from", e.From, "required: a party uses the email channel")
		}
	}

	w := n.Webhook
	if d, err := time.ParseDuration(w.Timeout); err != nil {
		ps.add("notify.webhook.timeout", w.Timeout, "not a duration (e.g. 5s)")
	} else if d <= 0 {
		ps.add("notify.webhook.timeout", w.Timeout, "must be more than 0")
	} else {
		s.HTTPTimeout = d
	}
	if w.URL != "" {
		checkURL(ps, "notify.webhook.url", w.URL)
	}
	if used["webhook"] {
		if w.URL == "" {
			ps.add("notify.webhook.url", w.URL, "required: a party uses the webhook channel")
		}
		if w.Secret == "" {
			ps.add("notify.webhook.secret", w.Secret, "required: a party uses the webhook channel")
		}
	}
	for _, name := range RobotChannels {
		r := *n.Robot(name)
		*ps = append(*ps, RobotProblems(name, r, used[name])...)
		r.URL = strings.TrimSpace(r.URL)
		s.Robots[name] = r
	}
	if n.DefaultLocale != "en" && n.DefaultLocale != "zh-CN" {
		ps.add("notify.default_locale", n.DefaultLocale, "must be en or zh-CN")
	}
	return s
}

// ParseNotify checks the notify section alone (routing.groups for the
// addresses e-mail needs), as Parse does: for tests and tools.
func ParseNotify(n Notify, groups map[string]Group) (NotifySettings, error) {
	var ps problems
	s := parseNotify(&ps, n, groups)
	if len(ps) > 0 {
		return s, &ValidationError{Problems: ps}
	}
	return s, nil
}

// checkGroupAddresses requires every group to have the address an email to
// party goes to (the customer's address comes with the request).
func checkGroupAddresses(ps *problems, groups map[string]Group, party, partyKey string) {
	field := map[string]string{"assignee": "email", "supervisor": "supervisor", "manager": "manager"}[party]
	if field == "" {
		return
	}
	for _, name := range sortedKeys(groups) {
		g := groups[name]
		addr := map[string]string{"email": g.Email, "supervisor": g.Supervisor, "manager": g.Manager}[field]
		if addr == "" {
			ps.add("routing.groups."+name+"."+field, "", "required: %s uses email", partyKey)
		}
	}
}
