package gateway

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestApplyMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1)) // restore whatever the test binary had
	env := map[string]string{"FN_MEMORY": "512"}         // 80 % of 512 MiB = 429496729 bytes
	limit, source := ApplyMemoryLimit(func(k string) string { return env[k] })
	if source != "FN_MEMORY" || limit != 429496729 || debug.SetMemoryLimit(-1) != limit {
		t.Fatalf("FN_MEMORY: %d from %q", limit, source)
	}
	env = map[string]string{"GOMEMLIMIT": "100MiB", "FN_MEMORY": "512"}
	if _, source := ApplyMemoryLimit(func(k string) string { return env[k] }); source != "GOMEMLIMIT" {
		t.Fatalf("GOMEMLIMIT must win, got %q", source)
	}
	debug.SetMemoryLimit(math.MaxInt64)
}
