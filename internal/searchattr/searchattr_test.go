package searchattr_test

import (
	"context"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/svcflow/svcflow/internal/searchattr"
	"github.com/svcflow/svcflow/internal/testenv"
)

func TestDefinitionsMatchSpec(t *testing.T) {
	want := "RequestId=Keyword CustomerId=Keyword CustomerTier=Keyword Priority=Keyword Stage=Keyword " +
		"AssignedGroup=Keyword SlaBreached=Bool NextDeadline=Datetime EscalationLevel=Int SlaPolicy=Keyword"
	var got []string
	for _, k := range searchattr.All() {
		got = append(got, k.GetName()+"="+searchattr.TypeName(k))
	}
	if strings.Join(got, " ") != want {
		t.Fatalf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	if flags := searchattr.CLIFlags(); len(flags) != 20 || flags[0] != "--search-attribute" || flags[1] != "RequestId=Keyword" {
		t.Fatalf("CLIFlags = %q", flags)
	}
}

func TestEnsureRegisteredCreatesMissingAndIsIdempotent(t *testing.T) {
	srv := testenv.NewServer(t, testenv.Dev, testenv.ServerOptions{NoSearchAttributes: true})
	c, err := client.Dial(client.Options{HostPort: srv.HostPort()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	list := func() map[string]enumspb.IndexedValueType {
		resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: "default"})
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetCustomAttributes()
	}
	if _, ok := list()["RequestId"]; ok {
		t.Fatal("fresh server already has RequestId; the test would prove nothing")
	}
	// One attribute present beforehand: only the others are added.
	if _, err := c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace:        "default",
		SearchAttributes: map[string]enumspb.IndexedValueType{"Stage": enumspb.INDEXED_VALUE_TYPE_KEYWORD},
	}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := searchattr.EnsureRegistered(ctx, c, "default"); err != nil {
			t.Fatal(err)
		}
	}
	got := list()
	for name, typ := range searchattr.Types() {
		if got[name] != typ {
			t.Errorf("%s: got %s, want %s", name, got[name], typ)
		}
	}
}

func TestEnsureRegisteredRejectsWrongType(t *testing.T) {
	srv := testenv.NewServer(t, testenv.Dev, testenv.ServerOptions{NoSearchAttributes: true})
	c, err := client.Dial(client.Options{HostPort: srv.HostPort()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace:        "default",
		SearchAttributes: map[string]enumspb.IndexedValueType{"EscalationLevel": enumspb.INDEXED_VALUE_TYPE_KEYWORD},
	}); err != nil {
		t.Fatal(err)
	}
	err = searchattr.EnsureRegistered(ctx, c, "default")
	if err == nil || !strings.Contains(err.Error(), "search attribute EscalationLevel") || !strings.Contains(err.Error(), "needs Int") {
		t.Fatalf("got %v", err)
	}
}
