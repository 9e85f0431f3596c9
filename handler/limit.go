package handler

import (
	"fmt"
	"net/http"
	"sync"

	"github.com/ociai/ociai-proxy/hub"
)

// keyLimiter bounds the OCI calls each client key may have in flight, so one runaway client cannot take the whole
// OCI quota: a chat holds one for its whole answer, an embeddings request one per embedText call running (its
// first taken like a chat's, the others only while free). It is off when max is 0.
type keyLimiter struct {
	max   int
	mu    sync.Mutex
	inUse map[string]int
}

func newKeyLimiter(max int) *keyLimiter { return &keyLimiter{max: max, inUse: map[string]int{}} }

// middleware serves next on one of the key's slots, or answers 429. The request body is read first (and kept
// for next), so a client that is slow to send it, or never does, holds no slot meanwhile.
func (l *keyLimiter) middleware(h *Handler, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, e := h.readBody(w, r); e != nil {
			h.fail(w, r, e)
			return
		}
		key := infoFrom(r.Context()).keyName
		if !l.acquire(key) {
			l.refuse(w, r)
			return
		}
		defer l.release(key)
		next.ServeHTTP(w, r)
	})
}

// refuse answers a call over the key's limit (outside the middleware, whose stack frame every stream holds).
func (l *keyLimiter) refuse(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "1")
	writeError(w, r, &hub.Error{Status: http.StatusTooManyRequests, Type: hub.RateLimit, Code: "concurrency_limit_exceeded",
		Message: fmt.Sprintf("This API key already has %d OCI calls in flight (max_concurrent_per_key); retry when one finishes.", l.max)})
}

// acquire takes one of key's slots if one is free (always, when the limiter is off).
func (l *keyLimiter) acquire(key string) bool {
	if l.max <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inUse[key] >= l.max {
		return false
	}
	l.inUse[key]++
	return true
}

func (l *keyLimiter) release(key string) {
	if l.max <= 0 {
		return
	}
	l.mu.Lock()
	if l.inUse[key]--; l.inUse[key] == 0 {
		delete(l.inUse, key)
	}
	l.mu.Unlock()
}
