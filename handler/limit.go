package handler

import (
	"fmt"
	"net/http"
	"sync"

	"github.com/ociai/ociai-proxy/hub"
)

// keyLimiter bounds the requests each client key may have in flight, so one runaway client cannot take the
// whole OCI quota. It is off when max is 0.
type keyLimiter struct {
	max   int
	mu    sync.Mutex
	inUse map[string]int
}

func newKeyLimiter(max int) *keyLimiter { return &keyLimiter{max: max, inUse: map[string]int{}} }

// middleware serves next within the key's budget, or answers 429.
func (l *keyLimiter) middleware(next http.Handler) http.Handler {
	if l.max <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := infoFrom(r.Context()).keyName
		if !l.acquire(key) {
			w.Header().Set("Retry-After", "1")
			writeError(w, r, &hub.Error{Status: http.StatusTooManyRequests, Type: hub.RateLimit, Code: "concurrency_limit_exceeded",
				Message: fmt.Sprintf("This API key already has %d requests in flight (max_concurrent_per_key); retry when one finishes.", l.max)})
			return
		}
		defer l.release(key)
		next.ServeHTTP(w, r)
	})
}

func (l *keyLimiter) acquire(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inUse[key] >= l.max {
		return false
	}
	l.inUse[key]++
	return true
}

func (l *keyLimiter) release(key string) {
	l.mu.Lock()
	if l.inUse[key]--; l.inUse[key] == 0 {
		delete(l.inUse, key)
	}
	l.mu.Unlock()
}
