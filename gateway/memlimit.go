package gateway

import (
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// memoryShare is the part of the host's memory limit given to the Go heap as its soft limit; the rest covers
// goroutine stacks, buffers outside the heap and the runtime itself.
const memoryShare = 0.8

// ApplyMemoryLimit sets Go's soft memory limit from the memory the host grants, so the garbage collector works
// harder before the process nears its limit instead of letting the heap grow to twice its live size (which is
// most of the memory held by thousands of open streams). GOMEMLIMIT, when set, wins; otherwise FN_MEMORY (MB,
// set by OCI Functions) or the cgroup v2 limit is used. It returns the limit in bytes and where it came from,
// or 0 when the host sets none.
func ApplyMemoryLimit(getenv func(string) string) (int64, string) {
	if getenv("GOMEMLIMIT") != "" {
		return debug.SetMemoryLimit(-1), "GOMEMLIMIT"
	}
	var limit int64
	var source string
	if mb, err := strconv.ParseInt(getenv("FN_MEMORY"), 10, 64); err == nil && mb > 0 {
		limit, source = mb<<20, "FN_MEMORY"
	} else if raw, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if b, err := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64); err == nil && b > 0 {
			limit, source = b, "cgroup memory.max"
		}
	}
	if limit == 0 {
		return 0, ""
	}
	limit = int64(float64(limit) * memoryShare)
	debug.SetMemoryLimit(limit)
	return limit, source
}
