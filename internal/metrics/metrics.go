// Package metrics serves Prometheus metrics (Temporal SDK's included) and /healthz.
package metrics

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
)

// Metrics owns one Prometheus registry fed by Go runtime collectors and an
// OpenTelemetry meter provider (the Temporal SDK's metrics and svcflow's own).
type Metrics struct {
	Registry *prometheus.Registry
	provider *sdkmetric.MeterProvider
	temporal client.MetricsHandler
}

// New builds the registry. logger receives metric recording errors (the
// SDK's default would panic); nil = slog.Default().
func New(logger *slog.Logger) (*Metrics, error) {
	if logger == nil {
		logger = slog.Default()
	}
	reg := prometheus.NewRegistry()
	if err := reg.Register(collectors.NewGoCollector()); err != nil {
		return nil, fmt.Errorf("metrics: go collector: %w", err)
	}
	if err := reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})); err != nil {
		return nil, fmt.Errorf("metrics: process collector: %w", err)
	}
	exp, err := otelprom.New(otelprom.WithRegisterer(reg), otelprom.WithoutScopeInfo())
	if err != nil {
		return nil, fmt.Errorf("metrics: prometheus exporter: %w", err)
	}
	// OpenTelemetry's default buckets suit milliseconds; the SDK records
	// latencies in seconds. The fire delay has buckets of its own.
	sdkBuckets := []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}
	buckets := func(i sdkmetric.Instrument) (sdkmetric.Stream, bool) {
		switch {
		case i.Name == FireDelayInstrument:
			return sdkmetric.Stream{Name: i.Name, Description: i.Description, Unit: i.Unit,
				Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: FireDelayBuckets}}, true
		case i.Kind == sdkmetric.InstrumentKindHistogram && i.Unit == "s":
			return sdkmetric.Stream{Name: i.Name, Description: i.Description, Unit: i.Unit,
				Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: sdkBuckets}}, true
		}
		return sdkmetric.Stream{}, false
	}
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp), sdkmetric.WithView(buckets))
	th := temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{
		Meter: provider.Meter("temporal-sdk-go"),
		OnError: func(err error) {
			logger.Warn("temporal metric not recorded", "err", err)
		},
		// Counters as Prometheus counters (name_total), svcflow's and the SDK's.
		UseMonotonicCounters: true,
	})
	return &Metrics{Registry: reg, provider: provider, temporal: th}, nil
}

// TemporalHandler is the client.MetricsHandler to pass to the Temporal client.
func (m *Metrics) TemporalHandler() client.MetricsHandler { return m.temporal }

// Meter gives svcflow's own instruments, exported on the same /metrics.
func (m *Metrics) Meter(name string) metric.Meter { return m.provider.Meter(name) }

// Shutdown flushes and stops the meter provider.
func (m *Metrics) Shutdown(ctx context.Context) error { return m.provider.Shutdown(ctx) }
