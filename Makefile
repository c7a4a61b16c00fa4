# svcflow — `make run` starts the local stack, `make test` runs every test.

GO       ?= go
BIN      := bin
TEMPORAL := $(BIN)/temporal
# The real Temporal server (CONTRACT §11), its SQL schema tool and the UI server,
# pinned in tools/go.mod (the versions docker-compose.yml names; deploy/ tests it).
TEMPORAL_SERVER := $(BIN)/temporal-server
TEMPORAL_SQL    := $(BIN)/temporal-sql-tool
TEMPORAL_UI     := $(BIN)/temporal-ui-server
CLUSTER_BINS    := $(TEMPORAL_SERVER) $(TEMPORAL_SQL) $(TEMPORAL_UI)
LINTMOD  := tools/lint/go.mod
TESTFLAGS ?= -count=1 -timeout 30m

# The suites that run a second time against the real Temporal server.
CLUSTER_PKGS := ./e2e/ ./chaos/

.PHONY: all build temporal cluster-bins cluster run test test-dev test-cluster test-short lint bench demo chaos clean distclean help gobench

all: build

## build: the three programs into bin/
build:
	$(GO) build -o $(BIN)/ ./worker ./starter ./svcctl

## temporal: the Temporal CLI / dev server pinned in tools/go.mod, into bin/temporal
temporal: $(TEMPORAL)

$(TEMPORAL): tools/go.mod tools/go.sum
	@mkdir -p $(BIN)
	$(GO) build -modfile=tools/go.mod -o $@ github.com/temporalio/cli/cmd/temporal

## cluster-bins: temporal-server, temporal-sql-tool, temporal-ui-server pinned in tools/go.mod, into bin/
cluster-bins: $(CLUSTER_BINS)

$(TEMPORAL_SERVER): tools/go.mod tools/go.sum
	@mkdir -p $(BIN)
	$(GO) build -modfile=tools/go.mod -o $@ go.temporal.io/server/cmd/server

$(TEMPORAL_SQL): tools/go.mod tools/go.sum
	@mkdir -p $(BIN)
	$(GO) build -modfile=tools/go.mod -o $@ go.temporal.io/server/cmd/tools/sql

$(TEMPORAL_UI): tools/go.mod tools/go.sum
	@mkdir -p $(BIN)
	$(GO) build -modfile=tools/go.mod -o $@ github.com/temporalio/ui-server/v2/cmd/server

## cluster: the production shape on the local PostgreSQL (four server services, UI, two workers; scripts/cluster.sh)
cluster:
	scripts/cluster.sh

## run: local stack (dev server + PostgreSQL check) and the worker in the foreground
run:
	scripts/run.sh

## test: every test: test-dev and test-cluster side by side (output of each kept together)
# Side by side because the suites mostly wait on timers: measured warm on 2
# cores 2 min 45 s together against 4 min 16 s one after the other (README).
test: $(TEMPORAL) $(CLUSTER_BINS)
	$(MAKE) --no-print-directory -j2 --output-sync=target test-dev test-cluster

## test-dev: every package; integration tests on the dev server and their own databases
test-dev: $(TEMPORAL) $(CLUSTER_BINS)
	SVCFLOW_TEMPORAL_BIN=$(abspath $(TEMPORAL)) $(GO) test $(TESTFLAGS) ./...

## test-cluster: e2e and the reduced drills again, on the real server (four services on PostgreSQL)
test-cluster: $(TEMPORAL) $(CLUSTER_BINS)
	SVCFLOW_TEMPORAL_BIN=$(abspath $(TEMPORAL)) SVCFLOW_TEST_SERVER=cluster $(GO) test $(TESTFLAGS) $(CLUSTER_PKGS)

## test-short: unit, workflow (time-skipping) and replay tests only; needs nothing but Go
test-short:
	$(GO) test -short -count=1 ./...

## lint: go vet, staticcheck, workflowcheck (determinism of workflow code)
lint:
	$(GO) vet ./...
	$(GO) tool -modfile=$(LINTMOD) staticcheck ./...
	$(GO) tool -modfile=$(LINTMOD) workflowcheck -config tools/lint/workflowcheck.yaml ./...

## bench: headline (shipped config, webhook parties) and tuned runs on the dev and the real server, growth, timer precision, svcctl whatif (scripts/bench.sh; BENCH_N, BENCH_C, BENCH_SERVERS, BENCH_TUNED, BENCH_GROWTH, BENCH_FIRE, BENCH_FIRE_RATE, BENCH_WHATIF)
bench: build $(TEMPORAL) $(CLUSTER_BINS)
	scripts/bench.sh

## gobench: the Go micro-benchmarks only
gobench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

## demo: scripted walk through a request's life
demo: build $(TEMPORAL)
	scripts/demo.sh

## chaos: the full reliability drills on the dev and the real server (scripts/chaos.sh)
chaos: build $(TEMPORAL) $(CLUSTER_BINS)
	scripts/chaos.sh

## clean: the programs (bin/temporal and the server binaries are kept: they take minutes to build)
clean:
	rm -f $(BIN)/worker $(BIN)/starter $(BIN)/svcctl

## distclean: everything built or kept locally, including bin/temporal* and .data/
distclean:
	rm -rf $(BIN) .data

help:
	@grep -E '^## ' Makefile | sed 's/^## /  /'
