package ocigenai

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retrying, and why there is only one layer of it.
//
// The OCI Go SDK's generated clients retry by default (8 attempts, backoff up to 30 s, about 1.5 min in all) and
// put a circuit breaker in front of Generative AI inference. This client does not use the generated clients: it
// signs with common.DefaultRequestSigner and sends with its own http.Client, so neither the SDK's retry policy
// nor its circuit breaker ever runs on these calls, and OCI_SDK_DEFAULT_RETRY_ENABLED /
// OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED change nothing here. The retries below are therefore the only ones, and
// the two layers cannot multiply. The only SDK-level HTTP calls left are the token refreshes inside the
// instance/resource principal and session-token providers, which keep the SDK's own behaviour.
//
// What is retried: OCI 429, 5xx except 501, and transport failures before any response byte (dial errors,
// resets before the headers). A response that has started — a stream that breaks midway, a body cut short —
// is never retried: its output may already be with the client. Streams retry only inside Route.Stream, before it
// returns the response. With several targets, a route moves to the next target at once instead, and only the
// last target it can use retries (route.go).

// RetryPolicy says how failed calls are retried: exponential backoff with full jitter (a random wait in
// [0, min(MaxDelay, BaseDelay·2^n)) before retry n+1), honouring OCI's Retry-After, always inside the call's
// context deadline.
type RetryPolicy struct {
	MaxRetries int           // retries after the first attempt; 0 disables retrying
	BaseDelay  time.Duration // backoff ceiling of the first retry; default 250 ms
	MaxDelay   time.Duration // cap of the backoff and of an honoured Retry-After; default 8 s
}

// Defaults of RetryPolicy.
const (
	DefaultMaxRetries = 2
	DefaultBaseDelay  = 250 * time.Millisecond
	DefaultMaxDelay   = 8 * time.Second
)

// DefaultRetryPolicy is what New uses: 2 retries, 250 ms base, 8 s cap.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxRetries: DefaultMaxRetries, BaseDelay: DefaultBaseDelay, MaxDelay: DefaultMaxDelay}
}

func (p RetryPolicy) normalized() RetryPolicy {
	if p.MaxRetries < 0 {
		p.MaxRetries = 0
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultBaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultMaxDelay
	}
	if p.MaxDelay < p.BaseDelay {
		p.MaxDelay = p.BaseDelay
	}
	return p
}

// backoff is the full-jitter wait before retry number n (1-based).
func (p RetryPolicy) backoff(n int) time.Duration {
	ceiling := p.MaxDelay
	if n-1 < 32 {
		if d := p.BaseDelay << (n - 1); d > 0 && d < ceiling {
			ceiling = d
		}
	}
	return rand.N(ceiling + 1)
}

// SetRetryPolicy replaces the client's retry policy; it is safe to call while requests are running (they keep
// the policy they started with).
func (c *Client) SetRetryPolicy(p RetryPolicy) {
	p = p.normalized()
	c.retry.Store(&p)
}

// RetryPolicy returns the policy in effect.
func (c *Client) RetryPolicy() RetryPolicy { return *c.retry.Load() }

// CodeConnectionError is the code OnRetry reports for a transport failure (no OCI answer).
const CodeConnectionError = "ConnectionError"

// retryable reports whether a failed attempt may be tried again.
func retryable(ctx context.Context, e *Error) bool {
	switch {
	case e.Local || e.permanent || e.Timeout || ctx.Err() != nil:
		return false
	case e.Status == http.StatusTooManyRequests:
		return true
	case e.Status >= 500:
		return e.Status != http.StatusNotImplemented
	case e.Status != 0:
		return false
	}
	// No answer at all. Certificate problems and unusable URLs do not heal by retrying.
	var cve *tls.CertificateVerificationError
	var uae x509.UnknownAuthorityError
	var hne x509.HostnameError
	var cie x509.CertificateInvalidError
	if errors.As(e.Err, &cve) || errors.As(e.Err, &uae) || errors.As(e.Err, &hne) || errors.As(e.Err, &cie) ||
		errors.Is(e.Err, context.Canceled) || errors.Is(e.Err, context.DeadlineExceeded) ||
		strings.Contains(e.Message, "unsupported protocol scheme") {
		return false
	}
	return true
}

// retryAfter parses a Retry-After header: delay-seconds or an HTTP date. ok is false when it is absent or
// unreadable (the backoff then applies).
func retryAfter(h string, now time.Time) (time.Duration, bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(h, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(24*time.Hour/time.Second) {
			n = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// do runs attempt under the client's policy, reporting retries to OnRetry.
func (c *Client) do(ctx context.Context, path string, attempt func() (*http.Response, *Error)) (*http.Response, error) {
	var hook func(n int, e *Error)
	if c.OnRetry != nil {
		hook = func(n int, e *Error) { c.OnRetry(path, n, e.Status, e.code()) }
	}
	res, e := retry(ctx, *c.retry.Load(), hook, attempt)
	if e != nil {
		return nil, e
	}
	return res, nil
}

// retry runs attempt until it succeeds, fails for good, or the policy, the deadline or a Retry-After says stop.
// The error returned is the last attempt's (with its opc-request-id), Attempts set to the attempts made.
// onRetry, when set, hears of each retry (n is the retry about to be made, 1 for the first) before its wait.
func retry(ctx context.Context, p RetryPolicy, onRetry func(n int, e *Error), attempt func() (*http.Response, *Error)) (*http.Response, *Error) {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for n := 1; ; n++ {
		res, e := attempt()
		if e == nil {
			return res, nil
		}
		e.Attempts = n
		if n > p.MaxRetries || !retryable(ctx, e) {
			return nil, e
		}
		wait := p.backoff(n)
		if ra, ok := retryAfter(e.RetryAfter, time.Now()); ok {
			if ra > p.MaxDelay {
				return nil, e // longer than we hold a request: the client sees the 429/503 and its Retry-After
			}
			wait = ra
		}
		if dl, ok := ctx.Deadline(); ok && !time.Now().Add(wait).Before(dl) {
			return nil, e // the retry could not finish in time: report OCI's answer now, not a timeout later
		}
		if onRetry != nil {
			onRetry(n, e)
		}
		if timer == nil {
			timer = time.NewTimer(wait)
		} else {
			timer.Reset(wait)
		}
		select {
		case <-timer.C:
		case <-ctx.Done():
			return nil, e
		}
	}
}
