# syntax=docker/dockerfile:1
# svcflow's three programs (worker, starter, svcctl) in one small image.
# Build: docker build -t svcflow .   Run: docker compose up (see docker-compose.yml)

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/root/go/pkg/mod go mod download
COPY . .
# timetzdata embeds the IANA zones the business calendar needs.
RUN --mount=type=cache,target=/root/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -tags timetzdata -ldflags="-s -w" -o /out/ ./worker ./starter ./svcctl

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/worker /out/starter /out/svcctl /usr/local/bin/
COPY config/svcflow.yaml /etc/svcflow/svcflow.yaml
ENV SVCFLOW_CONFIG=/etc/svcflow/svcflow.yaml
USER nonroot:nonroot
# 9090: worker /metrics and /healthz; 8088: starter intake API
EXPOSE 9090 8088
CMD ["worker"]
