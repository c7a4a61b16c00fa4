package searchattr

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
)

// EnsureRegistered creates the custom search attributes missing on
// namespace (through the operator service) and waits until the server lists
// them. An attribute already present with another type is an error naming it.
func EnsureRegistered(ctx context.Context, c client.Client, namespace string) error {
	if namespace == "" {
		namespace = "default"
	}
	missing, err := missingOn(ctx, c, namespace)
	if err != nil {
		return err
	}
	if len(missing) == 0 {
		return nil
	}
	_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace:        namespace,
		SearchAttributes: missing,
	})
	var exists *serviceerror.AlreadyExists
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("register search attributes on namespace %q: %w", namespace, err)
	}
	// Some servers apply the change asynchronously; wait until it shows.
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		missing, err = missingOn(ctx, c, namespace)
		if err != nil {
			return err
		}
		if len(missing) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("search attributes %v not visible on namespace %q: %w", names(missing), namespace, ctx.Err())
		case <-time.After(wait):
		}
	}
}

// missingOn returns the attributes namespace lacks, or an error when one
// exists with the wrong type.
func missingOn(ctx context.Context, c client.Client, namespace string) (map[string]enumspb.IndexedValueType, error) {
	resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return nil, fmt.Errorf("list search attributes of namespace %q: %w", namespace, err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for _, k := range All() {
		got, ok := resp.GetCustomAttributes()[k.GetName()]
		if !ok {
			if sys, isSys := resp.GetSystemAttributes()[k.GetName()]; isSys {
				return nil, fmt.Errorf("search attribute %s: clashes with a system attribute of type %s", k.GetName(), sys)
			}
			missing[k.GetName()] = k.GetValueType()
			continue
		}
		if got != k.GetValueType() {
			return nil, fmt.Errorf("search attribute %s: namespace %q has type %s, svcflow needs %s", k.GetName(), namespace, got, k.GetValueType())
		}
	}
	return missing, nil
}

func names(m map[string]enumspb.IndexedValueType) []string {
	var out []string
	for _, k := range All() {
		if _, ok := m[k.GetName()]; ok {
			out = append(out, k.GetName())
		}
	}
	return out
}
