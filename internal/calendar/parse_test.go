package calendar

import (
	"strings"
	"testing"
	"time"
)

func TestParseWindow(t *testing.T) {
	cases := []struct {
		in         string
		start, end int
		err        string
	}{
		{"09:00-12:00", 9 * 3600, 12 * 3600, ""},
		{" 13:00 - 18:00 ", 13 * 3600, 18 * 3600, ""},
		{"00:00-24:00", 0, daySec, ""},
		{"08:30:15-12:15:45", 8*3600 + 30*60 + 15, 12*3600 + 15*60 + 45, ""},
		{"12:00-09:00", 0, 0, "closing time must be after opening time"},
		{"09:00-09:00", 0, 0, "closing time must be after opening time"},
		{"24:00-24:00", 0, 0, "bad opening time"},
		{"09:00-24:01", 0, 0, "bad closing time"},
		{"9:00-12:00", 0, 0, "bad opening time"},
		{"09:60-12:00", 0, 0, "bad opening time"},
		{"09:00", 0, 0, "want HH:MM-HH:MM"},
		{"", 0, 0, "want HH:MM-HH:MM"},
		{"ab:cd-ef:gh", 0, 0, "bad opening time"},
	}
	for _, tc := range cases {
		got, err := ParseWindow(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseWindow(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != (Window{tc.start, tc.end}) {
			t.Errorf("ParseWindow(%q) = %v, %v", tc.in, got, err)
		}
		if again, _ := ParseWindow(got.String()); again != got {
			t.Errorf("String round trip of %q: %q", tc.in, got.String())
		}
	}
}

func TestParseDuration(t *testing.T) {
	cases := []struct {
		in   string
		want time.Duration
		wd   bool
		err  string
	}{
		{"90s", 90 * time.Second, false, ""},
		{"30m", 30 * time.Minute, false, ""},
		{"168h", 168 * time.Hour, false, ""},
		{"1h30m", 90 * time.Minute, false, ""},
		{"0", 0, false, ""},
		{"2wd", 16 * time.Hour, true, ""},
		{"1wd", 8 * time.Hour, true, ""},
		{"0.5wd", 4 * time.Hour, true, ""},
		{" 3wd ", 24 * time.Hour, true, ""},
		{"-1h", 0, false, "must not be negative"},
		{"-2wd", 0, true, "non-negative"},
		{"wd", 0, true, "non-negative"},
		{"1e3wd", 0, true, "non-negative"},
		{"2 days", 0, false, "want Go syntax"},
		{"", 0, false, "want Go syntax"},
	}
	for _, tc := range cases {
		got, wd, err := ParseDuration(tc.in, 8*time.Hour)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseDuration(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want || wd != tc.wd {
			t.Errorf("ParseDuration(%q) = %v, %v, %v; want %v, %v", tc.in, got, wd, err, tc.want, tc.wd)
		}
	}
	if _, _, err := ParseDuration("2wd", 0); err == nil {
		t.Error("wd without a standard day accepted")
	}
	if _, _, err := ParseDuration("1e300wd", 8*time.Hour); err == nil {
		t.Error("overflowing wd accepted")
	}
}

func TestFormatWorking(t *testing.T) {
	c := cals["office"]
	for d, want := range map[time.Duration]string{
		16 * time.Hour: "2wd", 12 * time.Hour: "1wd4h0m0s", 90 * time.Minute: "1h30m0s", 0: "0s",
	} {
		if got := c.FormatWorking(d); got != want {
			t.Errorf("FormatWorking(%v) = %q, want %q", d, got, want)
		}
	}
}
