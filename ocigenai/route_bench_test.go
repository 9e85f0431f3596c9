package ocigenai

import (
	"bytes"
	"context"
	"crypto/rsa"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// BenchmarkRouting measures what the routing layer costs per request: the same call through a plain
// one-endpoint Client ("client", the baseline) and through routes of each strategy. The network and the RSA
// signature are stubbed out (both cost the same with or without routing and would drown the difference), so
// the time per operation is the code in front of the network; route minus client is what routing adds. The
// bench harness (go run ./bench -scenarios routing) runs it and reports the difference in BENCHMARKS.md.
func BenchmarkRouting(b *testing.B) {
	ok := stub{status: http.StatusOK, body: []byte(`{"chatResponse":{"apiFormat":"GENERIC","choices":[]}}`)}
	body := []byte(`{"compartmentId":"c","servingMode":{"servingType":"ON_DEMAND","modelId":"m"},"chatRequest":{}}`)
	build := func(int) ([]byte, error) { return body, nil }
	ctx := context.Background()

	b.Run("client", func(b *testing.B) {
		c := newClient("http://stub", nopSigner{})
		c.http = &http.Client{Transport: ok}
		c.SetRetryPolicy(DefaultRetryPolicy())
		b.ReportAllocs()
		for b.Loop() {
			// What a call was before routing: the retry loop around one signed attempt, then the whole answer.
			res, err := c.do(ctx, PathChat, func() (*http.Response, *Error) { return c.send(ctx, PathChat, body, false) })
			if err != nil {
				b.Fatal(err)
			}
			if _, err := readBody(res); err != nil {
				b.Fatal(err)
			}
			res.Body.Close()
		}
	})
	for _, tc := range []struct {
		name    string
		s       Strategy
		targets int
		traced  bool
	}{
		{"failover-1", Failover, 1, false},
		{"failover-3", Failover, 3, false},
		{"spread-3", Spread, 3, false},
		{"least-busy-3", LeastBusy, 3, false},
		{"spread-3-traced", Spread, 3, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			opt := PoolOptions{Retry: DefaultRetryPolicy()}
			if tc.traced { // spans recorded by the SDK and dropped: the cost of tracing without an exporter's I/O
				opt.Tracing = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sdktrace.NewSimpleSpanProcessor(discard{})))
			}
			r := stubRoute(b, opt, tc.s, tc.targets, ok)
			r.targets[0].pool.OnRetry = func(string, int, int, string) {} // as the gateway sets it
			b.ReportAllocs()
			for b.Loop() {
				res, err := r.Call(ctx, PathChat, build)
				if err != nil {
					b.Fatal(err)
				}
				res.Close()
			}
		})
	}
	// The decision alone: which targets, in which order (no HTTP at all).
	for _, st := range []Strategy{Failover, Spread, LeastBusy} {
		b.Run("decide-"+string(st)+"-3", func(b *testing.B) {
			r := stubRoute(b, PoolOptions{}, st, 3, ok)
			var buf [stackTargets]int
			b.ReportAllocs()
			for b.Loop() {
				if len(r.order(time.Now().UnixNano(), buf[:0])) != 3 {
					b.Fatal("order")
				}
			}
		})
	}
	// For scale: a failover, the first region answering 429 (its cool-down reset each time, so that every
	// request fails over rather than skipping it). This includes one more stubbed HTTP attempt.
	b.Run("failover-after-429", func(b *testing.B) {
		r := stubRoute(b, PoolOptions{}, Failover, 2, ok)
		r.targets[0].conn().http = &http.Client{Transport: stub{status: http.StatusTooManyRequests, body: []byte(`{"code":"TooManyRequests","message":"m"}`)}}
		b.ReportAllocs()
		for b.Loop() {
			res, err := r.Call(ctx, PathChat, build)
			if err != nil || res.Index != 1 {
				b.Fatal(err)
			}
			res.Close()
			r.targets[0].coolUntil.Store(0)
		}
	})
}

// stubRoute is a route of n targets, each its own endpoint, every one answered by rt without signing.
func stubRoute(b *testing.B, opt PoolOptions, s Strategy, n int, rt http.RoundTripper) *Route {
	p := NewPool(nopKeys{}, opt)
	p.signer = nopSigner{}
	specs := make([]TargetSpec, n)
	for i := range specs {
		specs[i] = TargetSpec{Model: "meta.llama-3.3-70b-instruct", Region: fmt.Sprint("region-", i), Endpoint: fmt.Sprint("http://stub-", i)}
	}
	r, err := p.Route("bench", s, specs...)
	if err != nil {
		b.Fatal(err)
	}
	for _, t := range r.targets {
		t.conn().http = &http.Client{Transport: rt}
	}
	return r
}

// stub answers every request at once.
type stub struct {
	status int
	body   []byte
}

func (s stub) RoundTrip(r *http.Request) (*http.Response, error) {
	_, _ = io.Copy(io.Discard, r.Body)
	_ = r.Body.Close()
	return &http.Response{StatusCode: s.status, Header: http.Header{"Opc-Request-Id": {"stub"}, "Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(s.body)), ContentLength: int64(len(s.body)), Request: r}, nil
}

type nopSigner struct{}

func (nopSigner) Sign(*http.Request) error { return nil }

type discard struct{}

func (discard) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discard) Shutdown(context.Context) error                             { return nil }

// nopKeys stands in for the identity; the stub signer never asks it for anything.
type nopKeys struct{}

func (nopKeys) PrivateRSAKey() (*rsa.PrivateKey, error) { return nil, nil }
func (nopKeys) KeyID() (string, error)                  { return "", nil }
