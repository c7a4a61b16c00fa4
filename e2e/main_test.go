package e2e

import (
	"testing"

	"github.com/svcflow/svcflow/internal/testenv"
)

// TestMain releases the built programs and the shared server after the run.
func TestMain(m *testing.M) { testenv.Main(m, nil) }
