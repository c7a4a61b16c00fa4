package workflows

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)

// decodeStrict decodes exactly one JSON object into v. Every problem names
// its field: unknown fields, duplicate keys, wrong types and times that are
// not RFC 3339; messages never show Go type names or layout strings.
func decodeStrict(r io.Reader, v any) error {
	data, err := io.ReadAll(io.LimitReader(r, maxBodySize+1))
	if err != nil {
		return fmt.Errorf("read input: %w", err)
	}
	if len(data) > maxBodySize {
		return &InputError{Problems: []string{fmt.Sprintf("body: larger than %d bytes", maxBodySize)}}
	}
	if !utf8.Valid(data) {
		return &InputError{Problems: []string{"body: not valid UTF-8"}}
	}
	if p := CheckJSONObject(data); len(p) > 0 {
		return &InputError{Problems: p}
	}
	if p := checkTimeFields(data, reflect.TypeOf(v).Elem(), ""); len(p) > 0 {
		return &InputError{Problems: p}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &InputError{Problems: []string{describeJSONError(err)}}
	}
	return nil
}

// CheckJSONObject checks that data is one JSON object with no key given
// twice at any depth; each problem names the key ("customer.tier:
// duplicate key"). It does not check the object's fields.
func CheckJSONObject(data []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	switch {
	case errors.Is(err, io.EOF):
		return []string{"body: empty input, expected a JSON object"}
	case err != nil:
		return []string{syntaxProblem(err)}
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return []string{"body: expected a JSON object, got " + tokenWord(tok)}
	}
	var problems []string
	if err := walkObject(dec, "", &problems); err != nil {
		return []string{syntaxProblem(err)}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return []string{"body: unexpected data after the JSON object"}
	}
	return problems
}

// walkObject reads the members of an object whose '{' was read.
func walkObject(dec *json.Decoder, path string, problems *[]string) error {
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		full := joinPath(path, key)
		if seen[key] {
			*problems = append(*problems, full+": duplicate key")
		}
		seen[key] = true
		if err := walkValue(dec, full, problems); err != nil {
			return err
		}
	}
	_, err := dec.Token() // '}'
	return err
}

func walkValue(dec *json.Decoder, path string, problems *[]string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	switch d {
	case '{':
		return walkObject(dec, path, problems)
	case '[':
		for i := 0; dec.More(); i++ {
			if err := walkValue(dec, fmt.Sprintf("%s[%d]", path, i), problems); err != nil {
				return err
			}
		}
		_, err := dec.Token() // ']'
		return err
	}
	return nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var timeType = reflect.TypeOf(time.Time{})

// checkTimeFields checks every field of t (a struct) that is a time: present
// and not null, it must be an RFC 3339 string. Nested structs are checked
// under their own path.
func checkTimeFields(data []byte, t reflect.Type, path string) []string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(data, &obj) != nil {
		return nil // not an object here: the decoder names the type problem
	}
	var problems []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		raw, ok := obj[name]
		if name == "" || name == "-" || !ok || string(raw) == "null" {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		full := joinPath(path, name)
		switch {
		case ft == timeType:
			var s string
			if json.Unmarshal(raw, &s) != nil {
				problems = append(problems, fmt.Sprintf("%s: expected an RFC 3339 time string (e.g. 2026-12-01T18:00:00+08:00), got %s", full, rawWord(raw)))
				continue
			}
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %q is not an RFC 3339 time (e.g. 2026-12-01T18:00:00+08:00)", full, clip(s)))
			}
		case ft.Kind() == reflect.Struct:
			problems = append(problems, checkTimeFields(raw, ft, full)...)
		}
	}
	return problems
}

// describeJSONError words a decoding error, naming the field.
func describeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return fmt.Sprintf("%s: expected %s, got %s", field, typeWord(typeErr.Type), valueWord(typeErr.Value))
	case errors.Is(err, io.EOF):
		return "body: empty input, expected a JSON object"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return name + ": unknown field"
	default:
		return syntaxProblem(err)
	}
}

func syntaxProblem(err error) string {
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return fmt.Sprintf("body: malformed JSON at byte %d: %s", syntaxErr.Offset, strings.TrimPrefix(syntaxErr.Error(), "json: "))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "body: malformed JSON: unexpected end of input"
	}
	return "body: malformed JSON: " + strings.TrimPrefix(err.Error(), "json: ")
}

// typeWord names a Go type as the JSON it expects.
func typeWord(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if t == timeType {
			return "an RFC 3339 time string"
		}
		return "an object"
	case reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "another type"
}

// valueWord is json's description of the value found ("number 1.5",
// "string", "object", ...), kept short.
func valueWord(v string) string {
	switch {
	case v == "":
		return "another type"
	case strings.HasPrefix(v, "number "):
		return "number " + clip(strings.TrimPrefix(v, "number "))
	}
	return v
}

func rawWord(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	switch {
	case s == "":
		return "nothing"
	case s[0] == '{':
		return "an object"
	case s[0] == '[':
		return "a list"
	case s == "true" || s == "false":
		return "a boolean"
	case s[0] == '"':
		return "a string"
	}
	return "number " + clip(s)
}

func tokenWord(tok json.Token) string {
	switch x := tok.(type) {
	case json.Delim:
		if x == '[' {
			return "a list"
		}
		return string(x)
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "another value"
}
