package notify

import (
	"strings"
	"testing"

	"github.com/svcflow/svcflow/activities"
)

var allKinds = []string{
	activities.KindReceipt, activities.KindAssignment, activities.KindSheet, activities.KindProgressReport,
	activities.KindDelayNotice, activities.KindDelivery, activities.KindAcceptanceReminder,
	activities.KindSurveyRequest, activities.KindCareLetter, activities.KindWarning, activities.KindBreach,
	activities.KindEscalation, activities.KindComplaint, activities.KindSheetRejected, activities.KindSheetVoid,
}

func TestEveryKindRendersInEveryLocale(t *testing.T) {
	if len(Kinds()) != len(allKinds) {
		t.Errorf("templates for %d kinds, want %d", len(Kinds()), len(allKinds))
	}
	full := map[string]string{"title": "TITLE", "customer": "CUSTOMER", "group": "G", "assignee": "A",
		"stage": "STAGE", "deadline": "DL", "due_at": "DUE", "level": "2", "reason": "R", "summary": "S",
		"link": "http://ui/x", "month": "2026-11", "round": "2"}
	for _, kind := range allKinds {
		for _, loc := range []string{LocaleZhCN, LocaleEn} {
			for _, data := range []map[string]string{full, nil} {
				n := activities.Notification{DedupeKey: "k", RequestID: "RID", Party: "customer", Kind: kind, Data: data}
				m, err := Render(n, loc)
				if err != nil {
					t.Fatalf("%s.%s: %v", kind, loc, err)
				}
				all := m.Subject + m.Body
				if m.Subject == "" || strings.TrimSpace(m.Body) == "" || strings.Contains(all, "<no value>") ||
					strings.ContainsAny(m.Subject, "\r\n") || m.Template != kind+"."+loc {
					t.Errorf("%s.%s rendered %+v", kind, loc, m)
				}
				if data != nil && kind != activities.KindCareLetter && !strings.Contains(all, "RID") {
					t.Errorf("%s.%s does not name the request: %q", kind, loc, all)
				}
			}
		}
	}
	if _, err := Render(activities.Notification{Kind: "nope"}, LocaleEn); err == nil {
		t.Error("unknown kind rendered")
	}
}

func TestSubjectIsOneLineWhateverTheData(t *testing.T) {
	n := activities.Notification{RequestID: "1", Kind: activities.KindReceipt,
		Data: map[string]string{"title": "evil\r\nBcc: victim@example.com"}}
	m, err := Render(n, LocaleEn)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		t.Fatalf("subject holds a line break: %q", m.Subject)
	}
}

func TestNormalizeLocale(t *testing.T) {
	for in, want := range map[string]string{"zh-CN": LocaleZhCN, "zh_cn": LocaleZhCN, "zh": LocaleZhCN,
		"zh-Hans-CN": LocaleZhCN, "en": LocaleEn, "en-US": LocaleEn, "EN_gb": LocaleEn, "fr": "", "": ""} {
		if got := NormalizeLocale(in); got != want {
			t.Errorf("NormalizeLocale(%q) = %q, want %q", in, got, want)
		}
	}
}
