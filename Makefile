# svcflow — `make run` starts the local stack, `make test` runs every test.

GO       ?= go
BIN      := bin
TEMPORAL := $(BIN)/temporal
LINTMOD  := tools/lint/go.mod
TESTFLAGS ?= -count=1 -timeout 30m

.PHONY: all build temporal run test lint bench demo chaos clean distclean help gobench

all: build

## build: the three programs into bin/
build:
	$(GO) build -o $(BIN)/ ./worker ./starter ./svcctl

## temporal: the Temporal CLI / dev server pinned in tools/go.mod, into bin/temporal
temporal: $(TEMPORAL)

$(TEMPORAL): tools/go.mod tools/go.sum
	@mkdir -p $(BIN)
	$(GO) build -modfile=tools/go.mod -o $@ github.com/temporalio/cli/cmd/temporal

## run: local stack (dev server + PostgreSQL check) and the worker in the foreground
run:
	scripts/run.sh

## test: all tests, unit and integration (they start a dev server and make their own databases)
test: $(TEMPORAL)
	SVCFLOW_TEMPORAL_BIN=$(abspath $(TEMPORAL)) $(GO) test $(TESTFLAGS) ./...

## lint: go vet, staticcheck, workflowcheck (determinism of workflow code)
lint:
	$(GO) vet ./...
	$(GO) tool -modfile=$(LINTMOD) staticcheck ./...
	$(GO) tool -modfile=$(LINTMOD) workflowcheck -config tools/lint/workflowcheck.yaml ./...

## bench: the load benchmark (scripts/bench.sh; BENCH_N, BENCH_C, BENCH_PARK)
bench: build $(TEMPORAL)
	scripts/bench.sh

## gobench: the Go micro-benchmarks only
gobench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

## demo: scripted walk through a request's life
demo: build $(TEMPORAL)
	scripts/demo.sh

## chaos: kill/restart the worker and servers under load
chaos: build $(TEMPORAL)
	scripts/chaos.sh

## clean: the programs (bin/temporal is kept: it takes minutes to build)
clean:
	rm -f $(BIN)/worker $(BIN)/starter $(BIN)/svcctl

## distclean: everything built or kept locally, including bin/temporal and .data/
distclean:
	rm -rf $(BIN) .data

help:
	@grep -E '^## ' Makefile | sed 's/^## /  /'
