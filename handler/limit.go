package handler

import (
	"fmt"
	"net/http"
	"sync"
)

// keyLimiter bounds the requests each client key may have in flight, so one runaway client cannot take the
// whole OCI quota. It is off when max is 0.
type keyLimiter struct {
	max   int
	mu    sync.Mutex
	inUse map[string]int
}

func newKeyLimiter(max int) *keyLimiter { return &keyLimiter{max: max, inUse: map[string]int{}} }

// acquire takes a slot for key or answers 429; the returned func gives the slot back.
func (l *keyLimiter) acquire(w http.ResponseWriter, r *http.Request, key string) (func(), bool) {
	if l.max <= 0 {
		return func() {}, true
	}
	l.mu.Lock()
	if l.inUse[key] >= l.max {
		l.mu.Unlock()
		w.Header().Set("Retry-After", "1")
		writeError(w, r, &apiError{Status: http.StatusTooManyRequests, Type: "rate_limit_error", Code: "concurrency_limit_exceeded",
			Message: fmt.Sprintf("This API key already has %d requests in flight (max_concurrent_per_key); retry when one finishes.", l.max)})
		return nil, false
	}
	l.inUse[key]++
	l.mu.Unlock()
	return func() {
		l.mu.Lock()
		if l.inUse[key]--; l.inUse[key] == 0 {
			delete(l.inUse, key)
		}
		l.mu.Unlock()
	}, true
}
