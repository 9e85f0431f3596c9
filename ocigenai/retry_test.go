package ocigenai

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	testKeyOnce sync.Once
	testKeyVal  *rsa.PrivateKey
)

func testKeys(t *testing.T) staticKey {
	t.Helper()
	testKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKeyVal = k
	})
	return staticKey{key: testKeyVal, id: "ocid1.tenancy.oc1..t/ocid1.user.oc1..u/00:11"}
}

// attempt is what the fake OCI saw of one request.
type attempt struct {
	at     time.Time
	date   string
	auth   string
	body   string
	accept string
}

// fakeOCI answers request i with answers[i] (the last one repeats); "reset" aborts the connection before any
// byte, "ok" is a 200 with a JSON body, "stream" a short event stream, a number is that status.
type fakeOCI struct {
	t       *testing.T
	answers []string
	header  http.Header // added to error answers

	mu       sync.Mutex
	attempts []attempt
}

func (f *fakeOCI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	i := len(f.attempts)
	f.attempts = append(f.attempts, attempt{at: time.Now(), date: r.Header.Get("Date"), auth: r.Header.Get("Authorization"), body: string(body), accept: r.Header.Get("Accept")})
	f.mu.Unlock()
	a := f.answers[min(i, len(f.answers)-1)]
	w.Header().Set("opc-request-id", fmt.Sprintf("req-%d", i+1))
	switch a {
	case "reset":
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			f.t.Error(err)
			return
		}
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	case "ok":
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	case "stream":
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: {\"a\":1}\n\ndata: [DONE]\n\n")
	default:
		var status int
		fmt.Sscan(a, &status)
		for k, v := range f.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"code":"C%d","message":"m"}`, status)
	}
}

func (f *fakeOCI) seen() []attempt {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]attempt(nil), f.attempts...)
}

func newFake(t *testing.T, p RetryPolicy, answers ...string) (*fakeOCI, *oneTarget) {
	t.Helper()
	f := &fakeOCI{t: t, answers: answers}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, newOneTarget(t, srv.URL, p)
}

// oneTarget is a route of one target: a model served by one region, where the retry policy does all the work.
type oneTarget struct {
	*Pool
	route *Route
}

func newOneTarget(t *testing.T, url string, p RetryPolicy) *oneTarget {
	t.Helper()
	pool := NewPool(testKeys(t), PoolOptions{Retry: p})
	t.Cleanup(pool.CloseIdleConnections)
	r, err := pool.Route("m", Failover, TargetSpec{Model: "m", Region: "r", Endpoint: url})
	if err != nil {
		t.Fatal(err)
	}
	return &oneTarget{pool, r}
}

func fixed(body []byte) Body { return func(int) ([]byte, error) { return body, nil } }

func (o *oneTarget) Call(ctx context.Context, path string, body []byte) (*Response, error) {
	return o.route.Call(ctx, path, fixed(body))
}

func (o *oneTarget) Stream(ctx context.Context, path string, body []byte) (*Response, error) {
	return o.route.Stream(ctx, path, fixed(body), 0)
}

var fast = RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond}

func TestRetryStatuses(t *testing.T) {
	for _, tc := range []struct {
		first    string
		attempts int
	}{
		{"429", 2}, {"500", 2}, {"502", 2}, {"503", 2}, {"504", 2}, {"599", 2}, {"reset", 2},
		{"501", 1}, {"400", 1}, {"401", 1}, {"403", 1}, {"404", 1}, {"409", 1}, {"413", 1},
	} {
		t.Run(tc.first, func(t *testing.T) {
			f, c := newFake(t, fast, tc.first, "ok")
			res, err := c.Call(context.Background(), PathChat, []byte(`{"x":1}`))
			n := len(f.seen())
			if n != tc.attempts {
				t.Fatalf("%d attempts, want %d", n, tc.attempts)
			}
			if tc.attempts == 2 {
				if err != nil || string(res.Data) != `{"ok":true}` || res.RequestID != "req-2" {
					t.Fatalf("retry did not succeed: %v", err)
				}
				return
			}
			var oe *Error
			if !errors.As(err, &oe) || oe.Attempts != 1 || oe.RequestID != "req-1" {
				t.Fatalf("got %#v", err)
			}
		})
	}
}

func TestRetryResignsSameBody(t *testing.T) {
	f, c := newFake(t, RetryPolicy{MaxRetries: 1, BaseDelay: time.Millisecond}, "503", "ok")
	f.header = http.Header{"Retry-After": {"1"}} // a second apart: a new Date, so a new signature
	if _, err := c.Call(context.Background(), PathChat, []byte(`{"same":"body"}`)); err != nil {
		t.Fatal(err)
	}
	a := f.seen()
	if len(a) != 2 || a[0].body != a[1].body || a[1].body != `{"same":"body"}` {
		t.Fatalf("attempts %+v", a)
	}
	if a[0].date == a[1].date || a[0].auth == a[1].auth || !strings.Contains(a[1].auth, `headers="date (request-target) host content-length content-type x-content-sha256"`) {
		t.Errorf("the retry was not signed afresh: %q / %q", a[0].date, a[1].date)
	}
	if gap := a[1].at.Sub(a[0].at); gap < time.Second {
		t.Errorf("Retry-After 1 not honoured: gap %v", gap)
	}
}

func TestRetryGivesUp(t *testing.T) {
	var calls []string
	f, c := newFake(t, fast, "503")
	c.OnRetry = func(path string, attempt, status int, code string) {
		calls = append(calls, fmt.Sprintf("%s %d %d %s", path, attempt, status, code))
	}
	_, err := c.Call(context.Background(), PathEmbed, []byte(`{}`))
	var oe *Error
	if !errors.As(err, &oe) || oe.Status != 503 || oe.Attempts != 3 || oe.RequestID != "req-3" || len(f.seen()) != 3 {
		t.Fatalf("got %v after %d attempts", err, len(f.seen()))
	}
	if !strings.Contains(oe.Error(), "after 3 attempts") || !strings.Contains(oe.Error(), "req-3") {
		t.Errorf("message %q", oe.Error())
	}
	want := []string{PathEmbed + " 1 503 C503", PathEmbed + " 2 503 C503"}
	if strings.Join(calls, "|") != strings.Join(want, "|") {
		t.Errorf("OnRetry calls %q, want %q", calls, want)
	}

	f, c = newFake(t, RetryPolicy{}, "503")
	if _, err := c.Call(context.Background(), PathChat, nil); err == nil || len(f.seen()) != 1 {
		t.Fatalf("MaxRetries 0 must not retry: %d attempts", len(f.seen()))
	}
}

func TestRetryConnectionErrors(t *testing.T) {
	f, c := newFake(t, fast, "reset")
	var codes []string
	c.OnRetry = func(_ string, _, status int, code string) { codes = append(codes, fmt.Sprint(status, code)) }
	_, err := c.Call(context.Background(), PathChat, nil)
	var oe *Error
	if !errors.As(err, &oe) || oe.Status != 0 || oe.Attempts != 3 || len(f.seen()) != 3 {
		t.Fatalf("got %v after %d attempts", err, len(f.seen()))
	}
	if strings.Join(codes, ",") != "0ConnectionError,0ConnectionError" {
		t.Errorf("OnRetry codes %q", codes)
	}

	// Nothing listening: dial errors are retried too.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	c = newOneTarget(t, "http://"+addr, fast)
	retries := 0
	c.OnRetry = func(string, int, int, string) { retries++ }
	if _, err := c.Call(context.Background(), PathChat, nil); err == nil || retries != 2 {
		t.Fatalf("dial error: %v, %d retries", err, retries)
	}

	// A certificate the client does not trust does not heal: no retry.
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()
	c = newOneTarget(t, tlsSrv.URL, fast)
	retries = 0
	c.OnRetry = func(string, int, int, string) { retries++ }
	if _, err := c.Call(context.Background(), PathChat, nil); err == nil || retries != 0 {
		t.Fatalf("certificate error: %v, %d retries", err, retries)
	}
}

func TestRetryStream(t *testing.T) {
	f, c := newFake(t, fast, "429", "reset", "stream")
	res, err := c.Stream(context.Background(), PathChat, []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	if data, err := res.Events.Next(); err != nil || string(data) != `{"a":1}` || res.RequestID != "req-3" {
		t.Fatalf("%s %v %s", data, err, res.RequestID)
	}
	if a := f.seen(); len(a) != 3 || a[2].accept != "application/json, text/event-stream" {
		t.Fatalf("attempts %+v", a)
	}
}

// TestRetryAfterAndDeadline checks events, not the clock. Every wait the client must not take is an hour or more,
// so only the right behaviour reaches the checks before go test's timeout; OnRetry, which the client calls just
// before each wait, must stay silent, and if it speaks it cancels the call, so a client that would wait fails the
// test at once instead of sleeping. Whether the call returned before its own deadline is ctx.Err, not a duration.
func TestRetryAfterAndDeadline(t *testing.T) {
	const hour = time.Hour
	const century = 100 * 365 * 24 * hour // a full-jitter backoff under a minute is a 2e-8 chance
	// guard returns a context for one call under parent and the count of retries the client announced.
	guard := func(c *oneTarget, parent context.Context) (context.Context, *int) {
		ctx, cancel := context.WithCancel(parent)
		t.Cleanup(cancel)
		retries := new(int)
		c.OnRetry = func(string, int, int, string) { *retries++; cancel() }
		return ctx, retries
	}
	var oe *Error

	// Retry-After past the deadline: give up at once with OCI's answer, not a timeout when the deadline comes.
	f, c := newFake(t, RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 2 * hour}, "429")
	f.header = http.Header{"Retry-After": {"3600"}}
	deadline, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ctx, retries := guard(c, deadline)
	_, err := c.Call(ctx, PathChat, nil)
	if !errors.As(err, &oe) || oe.Status != 429 || oe.RetryAfter != "3600" || oe.Timeout || len(f.seen()) != 1 {
		t.Fatalf("got %v, %d attempts", err, len(f.seen()))
	}
	if *retries != 0 || ctx.Err() != nil {
		t.Errorf("Retry-After past the deadline: %d retries announced, context %v when the call returned", *retries, ctx.Err())
	}

	// Retry-After longer than MaxDelay: passed on to the client rather than holding the request.
	f, c = newFake(t, RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: time.Minute}, "503")
	f.header = http.Header{"Retry-After": {"3600"}}
	ctx, retries = guard(c, context.Background())
	if _, err := c.Call(ctx, PathChat, nil); !errors.As(err, &oe) || oe.Status != 503 || oe.RetryAfter != "3600" || len(f.seen()) != 1 {
		t.Fatalf("got %v, %d attempts", err, len(f.seen()))
	}
	if *retries != 0 || ctx.Err() != nil {
		t.Errorf("Retry-After over MaxDelay: %d retries announced, context %v", *retries, ctx.Err())
	}

	// A backoff that would pass the deadline is not slept either.
	f, c = newFake(t, RetryPolicy{MaxRetries: 5, BaseDelay: century, MaxDelay: century}, "500")
	deadline, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ctx, retries = guard(c, deadline)
	if _, err := c.Call(ctx, PathChat, nil); !errors.As(err, &oe) || oe.Status != 500 || oe.Timeout || len(f.seen()) != 1 {
		t.Fatalf("got %v, %d attempts", err, len(f.seen()))
	}
	if *retries != 0 || ctx.Err() != nil {
		t.Errorf("backoff past the deadline: %d retries announced, context %v", *retries, ctx.Err())
	}

	// Cancelling during the backoff ends the call: the honoured Retry-After is an hour, so only a wait that
	// listens to the context returns before go test's timeout.
	f, c = newFake(t, RetryPolicy{MaxRetries: 1, BaseDelay: 2 * hour, MaxDelay: 2 * hour}, "503")
	f.header = http.Header{"Retry-After": {"3600"}}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	n := 0
	c.OnRetry = func(string, int, int, string) { n++; go cancel() } // most often lands while the wait runs
	if _, err := c.Call(ctx, PathChat, nil); !errors.As(err, &oe) || oe.Status != 503 || oe.Attempts != 1 || len(f.seen()) != 1 || n != 1 {
		t.Fatalf("cancel during backoff: %v, %d attempts, %d retries announced", err, len(f.seen()), n)
	}
}

func TestRetryAfterParse(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false}, {"2", 2 * time.Second, true}, {" 0 ", 0, true}, {"-1", 0, false}, {"soon", 0, false},
		{now.Add(3 * time.Second).Format(http.TimeFormat), 3 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"99999999999999", 24 * time.Hour, true},
	} {
		if got, ok := retryAfter(tc.in, now); got != tc.want || ok != tc.ok {
			t.Errorf("%q: %v %v, want %v %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBackoffFullJitter(t *testing.T) {
	p := RetryPolicy{MaxRetries: 10, BaseDelay: 250 * time.Millisecond, MaxDelay: 8 * time.Second}.normalized()
	for n := 1; n <= 40; n++ {
		ceiling := min(p.MaxDelay, p.BaseDelay<<min(n-1, 20))
		var top time.Duration
		for range 200 {
			d := p.backoff(n)
			if d < 0 || d > ceiling {
				t.Fatalf("retry %d: %v outside [0, %v]", n, d, ceiling)
			}
			top = max(top, d)
		}
		if top < ceiling/2 {
			t.Errorf("retry %d: no wait above %v in 200 draws (ceiling %v): not full jitter", n, top, ceiling)
		}
	}
	if d := (RetryPolicy{}).normalized(); d.BaseDelay != DefaultBaseDelay || d.MaxDelay != DefaultMaxDelay || d.MaxRetries != 0 {
		t.Errorf("normalized zero policy %+v", d)
	}
	c := newClient("http://x", nil)
	if c.RetryPolicy() != DefaultRetryPolicy() || DefaultRetryPolicy().MaxRetries != 2 {
		t.Errorf("default policy %+v", c.RetryPolicy())
	}
}
