package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/svcflow/svcflow/config"
)

// newLogger builds the structured logger of cfg (text or json on w).
func newLogger(cfg config.Worker, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if cfg.LogLevel != "" {
		if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
			return nil, fmt.Errorf("worker.log_level: %q: want debug|info|warn|error", cfg.LogLevel)
		}
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(cfg.LogFormat) {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("worker.log_format: %q: want text|json", cfg.LogFormat)
	}
}
