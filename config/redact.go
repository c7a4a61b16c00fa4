package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/svcflow/svcflow/internal/policy"
)

// Redacted replaces a secret that is set.
const Redacted = "REDACTED"

// secretKeys are the keys whose whole value is secret.
var secretKeys = map[string]bool{
	"temporal.api_key":      true,
	"notify.webhook.secret": true,
	"notify.email.password": true,
	"intake.token":          true,

	"notify.wecom.secret":    true, // the robot channels (channels.go)
	"notify.dingtalk.secret": true,
	"notify.feishu.secret":   true,
	"notify.slack.secret":    true,
}

// redactValue hides the secret part of a value reported under key.
func redactValue(key, value string) string {
	switch {
	case value == "":
		return ""
	case key == "postgres.dsn":
		return RedactDSN(value)
	case isRobotURLKey(key): // before the generic case: Feishu and Slack keep the token in the path
		return RedactRobotURL(value)
	case strings.HasSuffix(key, "url"):
		return RedactURL(value)
	case secretKeys[key], looksSecret(key):
		return Redacted
	}
	return value
}

// looksSecret catches misspelt secret keys (reported as unknown keys).
func looksSecret(key string) bool {
	k := strings.ToLower(key)
	for _, w := range []string{"pass", "secret", "token", "key", "pwd", "dsn", "auth"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// redactUnknown hides the value of an unknown key that may be a misspelt
// secret: one that looks secret or sits beside a secret key.
func redactUnknown(key, value string) string {
	if value == "" {
		return ""
	}
	parent := key[:max(strings.LastIndex(key, "."), 0)]
	if parent == "postgres" || looksSecret(key) {
		return Redacted
	}
	for k := range secretKeys {
		if strings.HasPrefix(k, parent+".") && !strings.Contains(k[len(parent)+1:], ".") {
			return Redacted
		}
	}
	return value
}

var kvPassword = regexp.MustCompile(`(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// RedactDSN returns dsn with its password (URL or key=value form) replaced
// by REDACTED.
func RedactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), Redacted)
		}
		q := u.Query()
		if q.Has("password") {
			q.Set("password", Redacted)
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	if strings.Contains(dsn, "://") {
		// Unparsable URL: keep only what cannot hold the password.
		if at := strings.LastIndex(dsn, "@"); at >= 0 {
			return dsn[:strings.Index(dsn, "://")+3] + Redacted + dsn[at:]
		}
	}
	return kvPassword.ReplaceAllString(dsn, "${1}"+Redacted)
}

// RedactURL hides the credentials a URL may carry: the password of
// user:pass@ and the value of every query parameter whose name looks secret
// (token, key, secret, sign, signature, password, auth, ...).
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if at := strings.LastIndex(raw, "@"); at >= 0 && strings.Contains(raw, "://") {
			return raw[:strings.Index(raw, "://")+3] + Redacted + raw[at:]
		}
		return raw
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), Redacted)
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		changed := false
		for k := range q {
			lk := strings.ToLower(k)
			if looksSecret(lk) || strings.Contains(lk, "sig") || lk == "code" {
				q.Set(k, Redacted)
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
}

// dsnPassword extracts the password of dsn, "" when none is found.
func dsnPassword(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			return pw
		}
	}
	if m := kvPassword.FindStringSubmatch(dsn); m != nil {
		return strings.Trim(m[2], "'")
	}
	return ""
}

// Redacted returns a deep copy of c with every secret that is set replaced
// by REDACTED: the DSN password, temporal.api_key, notify.webhook.secret,
// notify.email.password, intake.token, and the robot channels' secrets and
// URL tokens (RedactRobotURL).
func (c *Config) Redacted() *Config {
	raw, err := json.Marshal(c)
	if err != nil {
		panic(fmt.Sprintf("config: copy: %v", err)) // plain data: cannot fail
	}
	out := &Config{}
	if err := json.Unmarshal(raw, out); err != nil {
		panic(fmt.Sprintf("config: copy: %v", err))
	}
	out.Postgres.DSN = RedactDSN(out.Postgres.DSN)
	for _, u := range []*string{&out.Temporal.UIURL, &out.Notify.Webhook.URL} {
		*u = RedactURL(*u)
	}
	out.Notify.redactRobots()
	for _, s := range []*string{&out.Temporal.APIKey, &out.Notify.Webhook.Secret, &out.Notify.Email.Password, &out.Intake.Token} {
		if *s != "" {
			*s = Redacted
		}
	}
	return out
}

// JSON renders the configuration, secrets redacted, as indented JSON.
func (c *Config) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(c.Redacted(), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// YAML renders the configuration, secrets redacted, in the shape and key
// order of the file (CONTRACT §4); Load reads it back.
func (c *Config) YAML() ([]byte, error) {
	node := yamlNode(reflect.ValueOf(*c.Redacted()), false)
	for i := 1; i < len(node.Content); i += 2 {
		node.Content[i].Style = 0 // top-level sections as blocks
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(node); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// keyOrders sorts map keys the way people read them.
var keyOrders = [][]string{
	weekdayKeys[1:], // mon..sat, then sun below
	policy.ConfigurableNames,
	partyNames,
	{policy.Urgent, policy.Normal},
}

// yamlNode builds a YAML node for v, using the mapstructure keys. Items of
// a list may nest one-line collections and still go on one line.
func yamlNode(v reflect.Value, item bool) *yaml.Node {
	switch v.Kind() {
	case reflect.Struct:
		if d, ok := v.Interface().(DateEntry); ok && len(d.Hours) == 0 {
			return scalar(d.Date, "!!str")
		}
		n := &yaml.Node{Kind: yaml.MappingNode}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
			if strings.Contains(f.Tag.Get("json"), "omitempty") && v.Field(i).IsZero() {
				continue
			}
			n.Content = append(n.Content, scalar(name, "!!str"), yamlNode(v.Field(i), false))
		}
		flowIfFlat(n, item)
		return n
	case reflect.Map:
		n := &yaml.Node{Kind: yaml.MappingNode}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		for _, k := range orderKeys(keys) {
			n.Content = append(n.Content, scalar(k, "!!str"), yamlNode(v.MapIndex(reflect.ValueOf(k)), false))
		}
		flowIfFlat(n, item)
		return n
	case reflect.Slice:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for i := 0; i < v.Len(); i++ {
			n.Content = append(n.Content, yamlNode(v.Index(i), true))
		}
		flowIfFlat(n, item)
		return n
	case reflect.String:
		return scalar(v.String(), "!!str")
	case reflect.Int, reflect.Int32, reflect.Int64:
		return scalar(strconv.FormatInt(v.Int(), 10), "!!int")
	case reflect.Float64:
		f := strconv.FormatFloat(v.Float(), 'f', -1, 64)
		if !strings.ContainsAny(f, ".eEnN") {
			f += ".0"
		}
		return scalar(f, "!!float")
	case reflect.Bool:
		return scalar(strconv.FormatBool(v.Bool()), "!!bool")
	}
	return scalar(fmt.Sprint(v.Interface()), "!!str")
}

func scalar(s, tag string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s}
}

// flowIfFlat writes short collections of scalars on one line, as CONTRACT §4
// does; list items may also hold one-line collections.
func flowIfFlat(n *yaml.Node, item bool) {
	if len(n.Content) > 12 {
		return
	}
	for _, c := range n.Content {
		if c.Kind == yaml.ScalarNode || (item && c.Style == yaml.FlowStyle) {
			continue
		}
		return
	}
	n.Style = yaml.FlowStyle
}

// orderKeys sorts keys by the first known order that covers them all, else
// alphabetically.
func orderKeys(keys []string) []string {
	for _, order := range keyOrders {
		all := append(append([]string{}, order...), "sun")
		rank := map[string]int{}
		for i, k := range all {
			rank[k] = i
		}
		covered := len(keys) > 0
		for _, k := range keys {
			if _, ok := rank[k]; !ok {
				covered = false
				break
			}
		}
		if covered {
			sort.Slice(keys, func(i, j int) bool { return rank[keys[i]] < rank[keys[j]] })
			return keys
		}
	}
	sort.Strings(keys)
	return keys
}
