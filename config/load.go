package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/svcflow/svcflow/internal/policy"
)

// EnvPrefix starts every environment override: SVCFLOW_ + the key path in
// upper case with "_" for ".", e.g. SVCFLOW_SLA_DEADLINES_RESPONSE_URGENT.
const EnvPrefix = "SVCFLOW"

// EnvConfigFile names the config file when Load is given no path.
const EnvConfigFile = "SVCFLOW_CONFIG"

// flagKeys maps the common flag names to their configuration keys. Load
// applies every one of them that the flag set defines and the user set.
var flagKeys = []struct{ name, key, usage string }{
	{"temporal-address", "temporal.address", "Temporal frontend host:port"},
	{"namespace", "temporal.namespace", "Temporal namespace"},
	{"task-queue", "temporal.task_queue", "Temporal task queue"},
	{"postgres-dsn", "postgres.dsn", "PostgreSQL connection string"},
	{"ui-url", "temporal.ui_url", "Temporal UI base URL for links"},
	{"listen", "intake.listen", "intake API listen address host:port"},
	{"metrics-listen", "worker.metrics_listen", "/metrics and /healthz listen address host:port"},
	{"log-level", "worker.log_level", "log level: debug|info|warn|error"},
	{"log-format", "worker.log_format", "log format: text|json"},
}

// commonFlags are the flags BindFlags defines.
var commonFlags = []string{"temporal-address", "namespace", "task-queue", "postgres-dsn"}

// BindFlags defines the common configuration flags (--temporal-address,
// --namespace, --task-queue, --postgres-dsn) on fs, skipping any already
// defined. Pass the same flag set to Load: flags the user set override the
// file and the environment.
func BindFlags(fs *pflag.FlagSet) {
	for _, f := range flagKeys {
		if !contains(commonFlags, f.name) || fs.Lookup(f.name) != nil {
			continue
		}
		fs.String(f.name, "", f.usage+" (overrides "+f.key+")")
	}
}

// Load reads the YAML file at path (""= $SVCFLOW_CONFIG, else DefaultPath,
// which may be missing: then only defaults apply), applies environment
// overrides and the flags of flags (may be nil) that were set, and returns
// the validated configuration. A bad configuration gives a *ValidationError
// listing every problem.
func Load(path string, flags *pflag.FlagSet) (*Config, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	explicit := path != ""
	if !explicit {
		if env := os.Getenv(EnvConfigFile); env != "" {
			path, explicit = env, true
		} else {
			path = DefaultPath
		}
	}
	if _, err := os.Stat(path); err != nil {
		if explicit || !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("config file %s: %w", path, err)
		}
	} else {
		v.SetConfigFile(path)
		if err := v.ReadInConfig(); err != nil {
			return nil, fmt.Errorf("config file %s: %w", path, err)
		}
	}

	defaults, err := defaultKeys(v.InConfig)
	if err != nil {
		return nil, err
	}
	for k, val := range defaults {
		v.SetDefault(k, val)
	}

	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	keys := envKeys(v.AllKeys())
	for _, k := range keys {
		if err := v.BindEnv(k); err != nil {
			return nil, fmt.Errorf("config: bind env for %s: %w", k, err)
		}
	}

	if flags != nil {
		for _, f := range flagKeys {
			if fl := flags.Lookup(f.name); fl != nil && fl.Changed {
				v.Set(f.key, fl.Value.String())
			}
		}
	}

	settings := v.AllSettings()
	var problems []Problem
	problems = append(problems, unknownKeys(settings, reflect.TypeOf(Config{}), "")...)
	problems = append(problems, unknownEnv(environ(), keys)...)
	cfg, decodeProblems := decode(settings)
	problems = append(problems, decodeProblems...)
	if v.ConfigFileUsed() != "" {
		cfg.dir = filepath.Dir(path)
	}

	reported := map[string]bool{}
	for _, p := range problems {
		reported[p.Key] = true
	}
	if err := cfg.Validate(); err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return nil, err
		}
		for _, p := range ve.Problems {
			if !reported[p.Key] {
				problems = append(problems, p)
			}
		}
	}
	if len(problems) > 0 {
		ve := &ValidationError{Problems: problems}
		if v.ConfigFileUsed() != "" {
			ve.File = path
		}
		return nil, ve
	}
	return cfg, nil
}

// envKeys lists every key an environment variable may set: the keys viper
// knows from the file and the defaults, plus the map entries the shape
// allows but the file may leave out (weekdays, deadlines, VIP overrides,
// parties).
func envKeys(known []string) []string {
	set := map[string]bool{}
	for _, k := range known {
		set[k] = true
	}
	for _, d := range weekdayKeys {
		set["calendar.hours."+d] = true
	}
	for _, n := range policy.ConfigurableNames {
		for _, f := range []string{"clock", "urgent", "normal"} {
			set["sla.deadlines."+n+"."+f] = true
		}
		if n != policy.ProgressReport {
			set["sla.vip."+n+".urgent"] = true
			set["sla.vip."+n+".normal"] = true
		}
	}
	for _, p := range partyNames {
		set["notify.parties."+p] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// decode turns viper's settings into a Config, reporting every field that
// would not decode under its key.
func decode(settings map[string]any) (*Config, []Problem) {
	cfg := &Config{}
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		Result:           cfg,
		WeaklyTypedInput: true,
		DecodeHook: mapstructure.ComposeDecodeHookFunc(
			dateEntryHook,
			stringSliceHook,
		),
	})
	if err != nil {
		return cfg, []Problem{{Key: "config", Why: err.Error()}}
	}
	if err := dec.Decode(settings); err != nil {
		return cfg, decodeProblems(err, settings)
	}
	emptyToNil(reflect.ValueOf(cfg).Elem())
	return cfg, nil
}

// emptyToNil makes every empty list and map nil, so that a key written
// empty ("holidays_ics: []") and a key left out decode alike.
func emptyToNil(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				emptyToNil(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Map:
		if v.Len() == 0 {
			if !v.IsNil() {
				v.Set(reflect.Zero(v.Type()))
			}
			return
		}
		if v.Kind() == reflect.Slice {
			for i := 0; i < v.Len(); i++ {
				emptyToNil(v.Index(i))
			}
		}
	}
}

// decodeProblems flattens mapstructure's joined errors into problems.
func decodeProblems(err error, settings map[string]any) []Problem {
	var out []Problem
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		if de, ok := e.(*mapstructure.DecodeError); ok {
			var inner *mapstructure.DecodeError
			if errors.As(de.Unwrap(), &inner) {
				walk(de.Unwrap()) // the innermost DecodeError names the field
				return
			}
			key := normalizeKey(de.Name())
			out = append(out, Problem{Key: key, Value: redactValue(key, lookup(settings, key)), Why: decodeWhy(de.Unwrap())})
			return
		}
		if u := errors.Unwrap(e); u != nil {
			walk(u)
			return
		}
		out = append(out, Problem{Key: "config", Why: e.Error()})
	}
	walk(err)
	return out
}

// decodeWhy words a decoding error for an operator.
func decodeWhy(err error) string {
	var pe *mapstructure.ParseError
	if errors.As(err, &pe) {
		return "not a valid " + pe.Expected.Type().String()
	}
	var ue *mapstructure.UnconvertibleTypeError
	if errors.As(err, &ue) {
		return "wrong type: want " + typeWord(ue.Expected.Type())
	}
	return err.Error()
}

// typeWord names a Go type the way the YAML file would show it.
func typeWord(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping"
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	}
	return t.String()
}

// normalizeKey turns mapstructure's "a.b[mon]" into "a.b.mon" and keeps list
// indexes as "a.b[0]".
func normalizeKey(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c != '[' {
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(name[i:], ']')
		if end < 0 {
			b.WriteString(name[i:])
			break
		}
		inner := name[i+1 : i+end]
		if isDigits(inner) {
			b.WriteString("[" + inner + "]")
		} else {
			b.WriteString("." + inner)
		}
		i += end
	}
	return b.String()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// lookup renders the value at key (dotted, with [i] for list items) in the
// settings tree, or "" when absent.
func lookup(settings map[string]any, key string) string {
	var cur any = settings
	for _, part := range strings.Split(key, ".") {
		name, idx := part, -1
		if i := strings.IndexByte(part, '['); i >= 0 && strings.HasSuffix(part, "]") {
			name = part[:i]
			fmt.Sscanf(part[i+1:len(part)-1], "%d", &idx)
		}
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[name]
		if idx >= 0 {
			l, ok := cur.([]any)
			if !ok || idx >= len(l) {
				return ""
			}
			cur = l[idx]
		}
	}
	return render(cur)
}

// render shows a raw value on one line.
func render(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case time.Time:
		return x.Format(time.DateOnly)
	case map[string]any:
		return "{...}"
	}
	return fmt.Sprint(v)
}

// unknownKeys walks the settings against the Config shape and reports every
// key that has no field.
func unknownKeys(v any, t reflect.Type, prefix string) []Problem {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	var out []Problem
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return nil // a type problem: decode reports it
		}
		fields := map[string]reflect.Type{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			fields[strings.Split(f.Tag.Get("mapstructure"), ",")[0]] = f.Type
		}
		for _, k := range sortedKeys(m) {
			ft, ok := fields[k]
			if !ok {
				out = append(out, Problem{Key: join(k), Value: redactUnknown(join(k), render(m[k])), Why: "unknown key" + suggest(k, fields)})
				continue
			}
			out = append(out, unknownKeys(m[k], ft, join(k))...)
		}
	case reflect.Map:
		if m, ok := v.(map[string]any); ok {
			for _, k := range sortedKeys(m) {
				out = append(out, unknownKeys(m[k], t.Elem(), join(k))...)
			}
		}
	case reflect.Slice:
		if l, ok := v.([]any); ok {
			for i, x := range l {
				out = append(out, unknownKeys(x, t.Elem(), fmt.Sprintf("%s[%d]", prefix, i))...)
			}
		}
	}
	return out
}

// suggest names the closest known key, when one is close.
func suggest(k string, fields map[string]reflect.Type) string {
	squash := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", "") }
	for f := range fields {
		if squash(f) == squash(k) {
			return " (did you mean " + f + "?)"
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var dateEntryType = reflect.TypeOf(DateEntry{})

// dateEntryHook lets a date entry be written as a plain date string, and a
// list of them as one comma-separated string (for environment overrides).
func dateEntryHook(from, to reflect.Type, data any) (any, error) {
	switch {
	case to == dateEntryType:
		switch x := data.(type) {
		case string:
			return DateEntry{Date: strings.TrimSpace(x)}, nil
		case time.Time:
			return DateEntry{Date: x.Format(time.DateOnly)}, nil
		}
	case to == reflect.SliceOf(dateEntryType) && from.Kind() == reflect.String:
		var out []DateEntry
		for _, s := range splitList(data.(string)) {
			out = append(out, DateEntry{Date: s})
		}
		return out, nil
	}
	return data, nil
}

// stringSliceHook lets a list of strings be given as one comma-separated
// string (for environment overrides such as SVCFLOW_NOTIFY_PARTIES_MANAGER=log,email).
func stringSliceHook(from, to reflect.Type, data any) (any, error) {
	if from.Kind() == reflect.String && to == reflect.TypeOf([]string(nil)) {
		return splitList(data.(string)), nil
	}
	return data, nil
}

func splitList(s string) []string {
	out := []string{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
