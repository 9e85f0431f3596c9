package ocigenai

import (
	"context"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Strategy decides the order in which a route tries its healthy targets. Whatever the order, a request that
// fails on one target before any answer byte goes on to the next.
type Strategy string

const (
	Failover  Strategy = "failover"   // the listed order
	Spread    Strategy = "spread"     // round-robin: each request starts one target further
	LeastBusy Strategy = "least-busy" // fewest requests in flight first; ties take turns
)

// Route is the targets of one model alias and the strategy that orders them. It is safe for concurrent use.
type Route struct {
	name     string
	strategy Strategy
	targets  []*Target
	turn     atomic.Uint32
}

// Name is the alias the route serves.
func (r *Route) Name() string { return r.name }

// Targets are the route's targets in configured order (shared: do not modify).
func (r *Route) Targets() []*Target { return r.targets }

// Only is a route of target i alone, sharing its state: a call through it asks that target whatever its
// cool-down (diagnostics such as /test-oci).
func (r *Route) Only(i int) *Route {
	return &Route{name: r.name, strategy: Failover, targets: r.targets[i : i+1 : i+1]}
}

// Body builds the OCI request for the route's target i: targets may differ in model and API format.
type Body func(i int) ([]byte, error)

// Call sends the request to the route's targets in the strategy's order and returns the first whole answer;
// see do for when it moves on. Close the response when done with it (it ends the attempt's trace span).
func (r *Route) Call(ctx context.Context, path string, body Body) (*Response, error) {
	return r.do(ctx, &exchange{path: path}, body)
}

// Stream is Call for an event stream: it returns as soon as a target answers with headers, and never switches
// targets after that. firstByte (when > 0) bounds each target's wait for those headers; a target that takes
// longer counts as failed and the next one is tried. The caller must Close the response.
func (r *Route) Stream(ctx context.Context, path string, body Body, firstByte time.Duration) (*Response, error) {
	return r.do(ctx, &exchange{path: path, stream: true, firstByte: firstByte}, body)
}

// stackTargets is how many targets a route may have before ordering them allocates.
const stackTargets = 8

// do tries the targets in order. A target answering 429, 5xx (not 501), failing to connect or timing out
// before any answer byte starts a cool-down and the next target is tried at once; the last target available
// gets the retry policy (backoff, Retry-After), all within ctx's deadline. Other answers (4xx) are final.
// When every target is throttled or cooling down the error is a *ThrottledError.
func (r *Route) do(ctx context.Context, x *exchange, body Body) (*Response, error) {
	var buf [stackTargets]int
	order := r.order(time.Now().UnixNano(), buf[:0])
	if len(order) == 0 {
		return nil, r.throttled(nil)
	}
	x.pool, x.policy = r.targets[0].pool, r.targets[0].pool.RetryPolicy()
	throttled := true
	var last *Error
	for n, i := range order {
		t := r.targets[i]
		data, err := body(i)
		if err != nil {
			return nil, err
		}
		retries := 0
		if n == len(order)-1 {
			retries = x.policy.MaxRetries
		}
		res, e := x.try(ctx, t, data, retries)
		if e == nil {
			t.succeed()
			res.Target, res.Index, res.Attempts = t, i, x.attempts
			return res, nil
		}
		e.Attempts, last = x.attempts, e
		if ctx.Err() != nil || !canFailover(e) {
			return nil, e
		}
		t.fail(time.Now(), e)
		throttled = throttled && e.Status == http.StatusTooManyRequests
		if n < len(order)-1 {
			t.failovers.Add(1)
		}
	}
	if throttled {
		return nil, r.throttled(last)
	}
	last.Region = r.regions(order)
	return nil, last
}

// regions names the regions of the targets tried, in order and each once: "us-ashburn-1 and us-phoenix-1".
func (r *Route) regions(tried []int) string {
	var names []string
	for _, i := range tried {
		if reg := r.targets[i].Region; !slices.Contains(names, reg) {
			names = append(names, reg)
		}
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// order appends to buf the indexes of the targets to try: the ones not cooling down, as the strategy ranks
// them. A route of one target always tries it: there is nothing to route around, so OCI has the last word.
func (r *Route) order(now int64, buf []int) []int {
	out := buf[:0]
	for i, t := range r.targets {
		if !t.cooling(now) {
			out = append(out, i)
		}
	}
	if len(out) == 0 && len(r.targets) == 1 {
		out = append(out, 0)
	}
	if len(out) < 2 || r.strategy == Failover {
		return out
	}
	turn := int(r.turn.Add(1) - 1)
	if r.strategy == LeastBusy {
		busy := func(k int) int64 { return r.targets[out[k]].inFlight.Load() }
		for a := 1; a < len(out); a++ { // stable insertion sort by requests in flight
			for b := a; b > 0 && busy(b) < busy(b-1); b-- {
				out[b], out[b-1] = out[b-1], out[b]
			}
		}
		tied := 1 // the equally least busy take turns
		for tied < len(out) && busy(tied) == busy(0) {
			tied++
		}
		rotate(out[:tied], turn%tied)
		return out
	}
	rotate(out, turn%len(out))
	return out
}

// rotate turns s left by k without allocating.
func rotate(s []int, k int) {
	slices.Reverse(s[:k])
	slices.Reverse(s[k:])
	slices.Reverse(s)
}

// canFailover reports whether another target may succeed where this one failed without answering.
func canFailover(e *Error) bool {
	switch classify(e) {
	case ErrThrottled, ErrConnect, ErrTimeout:
		return true
	case ErrServer:
		return e.Status != http.StatusNotImplemented
	}
	return false
}

// throttled is the error of a route whose every target is throttled or cooling down.
func (r *Route) throttled(last *Error) *ThrottledError {
	now := time.Now().UnixNano()
	soonest := int64(math.MaxInt64)
	for _, t := range r.targets {
		if u := t.coolUntil.Load(); u > now {
			soonest = min(soonest, u)
		}
	}
	wait := time.Second
	if soonest != math.MaxInt64 {
		wait = max(time.Duration(soonest-now).Round(time.Second), time.Second)
	}
	return &ThrottledError{Route: r.name, Targets: len(r.targets), RetryAfter: wait, Last: last}
}

// ThrottledError says that every target of a route is rate limited or cooling down after failures.
type ThrottledError struct {
	Route      string        // the model alias
	Targets    int           // how many targets it has
	RetryAfter time.Duration // until the soonest cool-down ends, whole seconds, at least 1 s
	Last       *Error        // OCI's last answer in this request; nil when no target was tried
}

func (e *ThrottledError) Error() string {
	msg := "every target of " + e.Route + " is rate limited or cooling down; retry after " + strconv.Itoa(int(e.RetryAfter/time.Second)) + " s"
	if e.Targets == 1 {
		msg = e.Route + " is rate limited; retry after " + strconv.Itoa(int(e.RetryAfter/time.Second)) + " s"
	}
	if e.Last != nil {
		msg += " (last: " + e.Last.Error() + ")"
	}
	return msg
}

func (e *ThrottledError) Unwrap() error {
	if e.Last == nil {
		return nil
	}
	return e.Last
}
