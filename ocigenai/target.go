package ocigenai

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Target is one place a model is served: an OCI model id or dedicated endpoint OCID at one region's endpoint.
// A pool holds each (endpoint, model) once, so every route using it shares its cool-down and counters: OCI's
// quotas are per model and region, whichever alias the request came through.
type Target struct {
	Model    string // OCI model id or generative AI endpoint OCID
	Region   string
	Endpoint string
	name     string // model@region, for spans and errors

	pool   *Pool
	client atomic.Pointer[Client] // created on first use

	coolUntil atomic.Int64 // unix nanoseconds until which the target is skipped; 0 when healthy
	streak    atomic.Int32 // cool-downs in a row without a success in between
	coolMu    sync.Mutex   // orders the cool-down updates (the read side is the atomic)
	inFlight  atomic.Int64

	requests, failovers, cooldowns atomic.Uint64
	errors                         [numErrorClasses]atomic.Uint64
	inputTokens, outputTokens      atomic.Uint64
}

// String is model@region.
func (t *Target) String() string { return t.name }

// conn is the keep-alive client of the target's endpoint, built on first use and shared with every target of
// the same endpoint.
func (t *Target) conn() *Client {
	if c := t.client.Load(); c != nil {
		return c
	}
	c := t.pool.clientFor(t.Endpoint)
	t.client.Store(c)
	return c
}

// cooling reports whether the target is cooling down at now (unix nanoseconds).
func (t *Target) cooling(now int64) bool { return t.coolUntil.Load() > now }

// fail starts a cool-down after e: from OCI's Retry-After when given, else exponential from the pool's base
// (doubling with each cool-down in a row), both capped. A failure while the target is already cooling down
// (requests that were under way together) does not deepen the streak; a longer Retry-After still extends it.
func (t *Target) fail(now time.Time, e *Error) {
	p := t.pool
	ra, given := retryAfter(e.RetryAfter, now)
	t.coolMu.Lock()
	defer t.coolMu.Unlock()
	if until := t.coolUntil.Load(); until > now.UnixNano() {
		if given {
			t.coolUntil.Store(max(until, now.Add(min(ra, p.cooldownMax)).UnixNano()))
		}
		return
	}
	n := t.streak.Add(1)
	d := ra
	if !given {
		d = p.cooldownMax
		if n <= 32 {
			if b := p.cooldownBase << (n - 1); b > 0 && b < d {
				d = b
			}
		}
	}
	t.coolUntil.Store(now.Add(min(d, p.cooldownMax)).UnixNano())
	t.cooldowns.Add(1)
}

// succeed ends a streak of failures (not a cool-down under way: requests started before it may still succeed).
func (t *Target) succeed() {
	if t.streak.Load() != 0 {
		t.streak.Store(0)
	}
}

// AddTokens counts the tokens OCI reported for an answer of this target.
func (t *Target) AddTokens(input, output int) {
	t.inputTokens.Add(uint64(max(input, 0)))
	t.outputTokens.Add(uint64(max(output, 0)))
}

// ErrorClass groups failed attempts for the metrics.
type ErrorClass int

const (
	ErrThrottled ErrorClass = iota // 429
	ErrServer                      // 5xx
	ErrConnect                     // no answer: refused, reset, DNS, TLS
	ErrTimeout                     // no answer in time
	ErrClient                      // other 4xx: the request itself, credentials, policy
	ErrLocal                       // the gateway could not send it (signing)
	numErrorClasses
)

// ErrorClasses are the label values of the classes, indexed by ErrorClass.
var ErrorClasses = [numErrorClasses]string{"throttled", "server_error", "connect_error", "timeout", "client_error", "local_error"}

func classify(e *Error) ErrorClass {
	switch {
	case e.Local || e.permanent:
		return ErrLocal
	case e.Timeout:
		return ErrTimeout
	case e.Status == 0:
		return ErrConnect
	case e.Status == http.StatusTooManyRequests:
		return ErrThrottled
	case e.Status >= 500:
		return ErrServer
	}
	return ErrClient
}

// TargetStats are a target's counters since start.
type TargetStats struct {
	Requests     uint64                  // HTTP attempts sent, retries included
	Errors       [numErrorClasses]uint64 // failed attempts by ErrorClass
	Failovers    uint64                  // requests that moved on from this target to the next
	Cooldowns    uint64                  // cool-downs started
	InFlight     int64                   // requests under way, open streams included
	InputTokens  uint64
	OutputTokens uint64
	CoolingUntil time.Time // zero when the target is not cooling down
}

// Stats reads the target's counters.
func (t *Target) Stats() TargetStats {
	s := TargetStats{Requests: t.requests.Load(), Failovers: t.failovers.Load(), Cooldowns: t.cooldowns.Load(),
		InFlight: t.inFlight.Load(), InputTokens: t.inputTokens.Load(), OutputTokens: t.outputTokens.Load()}
	for i := range s.Errors {
		s.Errors[i] = t.errors[i].Load()
	}
	if u := t.coolUntil.Load(); u > time.Now().UnixNano() {
		s.CoolingUntil = time.Unix(0, u)
	}
	return s
}

// host is the endpoint without its scheme (server.address of the spans).
func (t *Target) host() string {
	_, h, _ := strings.Cut(t.Endpoint, "://")
	return h
}
