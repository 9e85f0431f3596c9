package ocigenai_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/ocisim"
)

// Routing across regions, each region an OCI simulator of its own on loopback (signatures checked).

const model = "xai.grok-4" // served on demand in every US region (the simulator's catalogue)

// region is one simulated OCI region.
type region struct {
	name string
	sim  *ocisim.Simulator
	url  string
}

// fixture is a pool whose identity every region's simulator accepts.
type fixture struct {
	t    *testing.T
	id   ocisim.Identity
	pool *ocigenai.Pool
}

func newFixture(t *testing.T, opt ocigenai.PoolOptions) *fixture {
	t.Helper()
	id, err := ocisim.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	ident, err := ocigenai.NewIdentity(ocigenai.Credentials{Tenancy: id.Tenancy, User: id.User, Fingerprint: id.Fingerprint, PrivateKeyPEM: id.PrivateKeyPEM})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, id: id, pool: ocigenai.NewPool(ident.Keys, opt)}
	t.Cleanup(f.pool.CloseIdleConnections)
	return f
}

func (f *fixture) region(name string) *region {
	f.t.Helper()
	sim := ocisim.New(ocisim.Options{Region: name})
	sim.AddIdentity(f.id)
	srv := httptest.NewServer(sim)
	f.t.Cleanup(func() {
		srv.CloseClientConnections() // held streams first: Close waits for their handlers
		srv.Close()
	})
	return &region{name: name, sim: sim, url: srv.URL}
}

// unreachable is a region whose endpoint refuses connections.
func (f *fixture) unreachable(name string) *region {
	f.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	return &region{name: name, url: url}
}

func (f *fixture) route(name string, s ocigenai.Strategy, regions ...*region) *ocigenai.Route {
	f.t.Helper()
	specs := make([]ocigenai.TargetSpec, len(regions))
	for i, r := range regions {
		specs[i] = ocigenai.TargetSpec{Model: model, Region: r.name, Endpoint: r.url}
	}
	rt, err := f.pool.Route(name, s, specs...)
	if err != nil {
		f.t.Fatal(err)
	}
	return rt
}

// chatBody is a GENERIC chat request for the route's target i.
func chatBody(stream bool) ocigenai.Body {
	return func(int) ([]byte, error) {
		return json.Marshal(map[string]any{
			"compartmentId": "ocid1.compartment.oc1..test",
			"servingMode":   map[string]any{"servingType": "ON_DEMAND", "modelId": model},
			"chatRequest": map[string]any{"apiFormat": "GENERIC", "isStream": stream,
				"messages": []any{map[string]any{"role": "USER", "content": []any{map[string]any{"type": "TEXT", "text": "hi"}}}}},
		})
	}
}

func (f *fixture) call(rt *ocigenai.Route) (*ocigenai.Response, error) {
	res, err := rt.Call(context.Background(), ocigenai.PathChat, chatBody(false))
	if err == nil {
		res.Close()
	}
	return res, err
}

// seen is how many requests a region's simulator received.
func (r *region) seen() int {
	if r.sim == nil {
		return 0
	}
	return len(r.sim.Requests())
}

func TestFailoverAndCooldown(t *testing.T) {
	f := newFixture(t, ocigenai.PoolOptions{})
	a, b := f.region("us-chicago-1"), f.region("us-phoenix-1")
	a.sim.Always(ocisim.Fault{Status: 429})
	rt := f.route("grok", ocigenai.Failover, a, b)

	res, err := f.call(rt)
	if err != nil || res.Target.Region != "us-phoenix-1" || res.Index != 1 || res.Attempts != 2 || !strings.Contains(string(res.Data), "Hello from") {
		t.Fatalf("first request: %+v, %v", res, err)
	}
	// a is cooling down: the next requests go straight to b.
	for range 3 {
		if res, err := f.call(rt); err != nil || res.Target.Region != "us-phoenix-1" || res.Attempts != 1 {
			t.Fatalf("during the cool-down: %+v, %v", res, err)
		}
	}
	if a.seen() != 1 || b.seen() != 4 {
		t.Errorf("chicago asked %d times, phoenix %d; want 1 and 4", a.seen(), b.seen())
	}
	sa, sb := rt.Targets()[0].Stats(), rt.Targets()[1].Stats()
	if sa.Requests != 1 || sa.Errors[ocigenai.ErrThrottled] != 1 || sa.Failovers != 1 || sa.Cooldowns != 1 || sa.CoolingUntil.IsZero() || sa.InFlight != 0 {
		t.Errorf("chicago stats %+v", sa)
	}
	if sb.Requests != 4 || sb.Failovers != 0 || sb.InFlight != 0 || !sb.CoolingUntil.IsZero() {
		t.Errorf("phoenix stats %+v", sb)
	}
}

func TestFailoverReasons(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fault    ocisim.Fault
		failover bool
		class    ocigenai.ErrorClass
	}{
		{"429", ocisim.Fault{Status: 429}, true, ocigenai.ErrThrottled},
		{"500", ocisim.Fault{Status: 500}, true, ocigenai.ErrServer},
		{"503", ocisim.Fault{Status: 503}, true, ocigenai.ErrServer},
		{"reset before any byte", ocisim.Fault{BreakAfter: 1}, true, ocigenai.ErrConnect},
		{"501", ocisim.Fault{Status: 501}, false, ocigenai.ErrServer},
		{"400", ocisim.Fault{Status: 400}, false, ocigenai.ErrClient},
		{"401", ocisim.Fault{Status: 401}, false, ocigenai.ErrClient},
		{"404", ocisim.Fault{Status: 404}, false, ocigenai.ErrClient},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, ocigenai.PoolOptions{})
			a, b := f.region("us-chicago-1"), f.region("us-phoenix-1")
			a.sim.Always(tc.fault)
			rt := f.route("grok", ocigenai.Failover, a, b)
			res, err := f.call(rt)
			if tc.failover != (err == nil) || tc.failover && res.Target.Region != "us-phoenix-1" {
				t.Fatalf("failover %v: %+v, %v", tc.failover, res, err)
			}
			if !tc.failover {
				var oe *ocigenai.Error
				if !errors.As(err, &oe) || b.seen() != 0 {
					t.Fatalf("want chicago's error as is and phoenix untouched: %v, phoenix saw %d", err, b.seen())
				}
			}
			s := rt.Targets()[0].Stats()
			if s.Errors[tc.class] != 1 || (s.Cooldowns == 1) != tc.failover {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

func TestUnreachableRegion(t *testing.T) {
	f := newFixture(t, ocigenai.PoolOptions{})
	down, b := f.unreachable("us-ashburn-1"), f.region("us-phoenix-1")
	rt := f.route("grok", ocigenai.Failover, down, b)
	for range 2 {
		if res, err := f.call(rt); err != nil || res.Target.Region != "us-phoenix-1" {
			t.Fatalf("%+v, %v", res, err)
		}
	}
	if s := rt.Targets()[0].Stats(); s.Requests != 1 || s.Errors[ocigenai.ErrConnect] != 1 || s.Cooldowns != 1 {
		t.Errorf("unreachable region asked again during its cool-down, or not counted: %+v", s)
	}
}

func TestAllThrottled(t *testing.T) {
	f := newFixture(t, ocigenai.PoolOptions{})
	a, b := f.region("us-chicago-1"), f.region("us-phoenix-1")
	a.sim.Always(ocisim.Fault{Status: 429, RetryAfter: "30"})
	b.sim.Always(ocisim.Fault{Status: 429})
	rt := f.route("grok", ocigenai.Spread, a, b)

	_, err := f.call(rt)
	var te *ocigenai.ThrottledError
	if !errors.As(err, &te) || te.Last == nil || te.Last.Status != 429 || te.Route != "grok" {
		t.Fatalf("got %v", err)
	}
	// b cools 5 s (no Retry-After), a 30 s: the soonest is b's.
	if te.RetryAfter < time.Second || te.RetryAfter > 5*time.Second {
		t.Errorf("Retry-After %v, want b's cool-down (≤ 5 s)", te.RetryAfter)
	}
	// Both cooling: answered at once without asking OCI.
	_, err = f.call(rt)
	if !errors.As(err, &te) || te.Last != nil || a.seen() != 1 || b.seen() != 1 {
		t.Fatalf("got %v; OCI asked %d+%d times", err, a.seen(), b.seen())
	}
	if !strings.Contains(te.Error(), "every target of grok is rate limited or cooling down; retry after") {
		t.Errorf("message %q", te.Error())
	}
}

// TestOneTarget: a route of one target has nothing to route around, so it keeps asking OCI during a cool-down,
// and a 429 comes back as a ThrottledError carrying OCI's Retry-After.
func TestOneTarget(t *testing.T) {
	f := newFixture(t, ocigenai.PoolOptions{})
	a := f.region("us-chicago-1")
	a.sim.Inject(ocisim.Fault{Status: 429, RetryAfter: "7"})
	rt := f.route("grok", ocigenai.Failover, a)
	_, err := f.call(rt)
	var te *ocigenai.ThrottledError
	if !errors.As(err, &te) || te.RetryAfter != 7*time.Second || te.Last.RetryAfter != "7" {
		t.Fatalf("got %v", err)
	}
	if res, err := f.call(rt); err != nil || a.seen() != 2 {
		t.Fatalf("cooling single target not asked: %+v, %v, %d requests", res, err, a.seen())
	}
}

// TestRetriesOnLastTarget: the failing first target is left at once; the last one available gets the retries.
func TestRetriesOnLastTarget(t *testing.T) {
	f := newFixture(t, ocigenai.PoolOptions{Retry: ocigenai.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}})
	var retries []string
	f.pool.OnRetry = func(path string, n, status int, code string) { retries = append(retries, code) }
	a, b := f.region("us-chicago-1"), f.region("us-phoenix-1")
	a.sim.Always(ocisim.Fault{Status: 503})
	b.sim.Inject(ocisim.Fault{Status: 500})
	rt := f.route("grok", ocigenai.Failover, a, b)
	res, err := f.call(rt)
	if err != nil || res.Target.Region != "us-phoenix-1" || res.Attempts != 3 || a.seen() != 1 || b.seen() != 2 {
		t.Fatalf("%+v, %v; chicago %d, phoenix %d", res, err, a.seen(), b.seen())
	}
	if strings.Join(retries, ",") != "InternalServerError" {
		t.Errorf("retries %v", retries)
	}
}

func TestSpread(t *testing.T) {
	f := newFixture(t, ocigenai.PoolOptions{})
	a, b, c := f.region("us-chicago-1"), f.region("us-phoenix-1"), f.region("us-ashburn-1")
	rt := f.route("grok", ocigenai.Spread, a, b, c)
	for range 6 {
		if _, err := f.call(rt); err != nil {
			t.Fatal(err)
		}
	}
	if a.seen() != 2 || b.seen() != 2 || c.seen() != 2 {
		t.Fatalf("spread %d/%d/%d, want 2 each", a.seen(), b.seen(), c.seen())
	}
	// A throttled region drops out of the rotation (after the request that found out).
	b.sim.Always(ocisim.Fault{Status: 429})
	for range 6 {
		if _, err := f.call(rt); err != nil {
			t.Fatal(err)
		}
	}
	if b.seen() != 3 || a.seen()+c.seen() != 10 {
		t.Fatalf("with phoenix throttled: %d/%d/%d", a.seen(), b.seen(), c.seen())
	}
}

func TestLeastBusy(t *testing.T) {
	f := newFixture(t, ocigenai.PoolOptions{})
	a, b := f.region("us-chicago-1"), f.region("us-phoenix-1")
	rt := f.route("grok", ocigenai.LeastBusy, a, b)
	// Hold a stream open on chicago (both idle: the first turn is the listed order); every request meanwhile
	// goes to phoenix.
	a.sim.Inject(ocisim.Fault{SilentAfter: 1})
	held, err := rt.Stream(context.Background(), ocigenai.PathChat, chatBody(true), 0)
	if err != nil || held.Target.Region != "us-chicago-1" {
		t.Fatal(held, err)
	}
	if _, err := held.Events.Next(); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		res, err := f.call(rt)
		if err != nil || res.Target == held.Target {
			t.Fatalf("sent to the busy region %s: %v", held.Target, err)
		}
	}
	if s := held.Target.Stats(); s.InFlight != 1 {
		t.Errorf("busy region in flight %d", s.InFlight)
	}
	held.Close()
	if s := held.Target.Stats(); s.InFlight != 0 {
		t.Errorf("after Close: in flight %d", s.InFlight)
	}
}

func TestStreamFailover(t *testing.T) {
	f := newFixture(t, ocigenai.PoolOptions{})
	a, b, c := f.region("us-chicago-1"), f.region("us-phoenix-1"), f.region("us-ashburn-1")
	a.sim.Inject(ocisim.Fault{Status: 429})
	b.sim.Inject(ocisim.Fault{FirstByteDelay: time.Hour}) // never answers: the first-byte limit moves on
	rt := f.route("grok", ocigenai.Failover, a, b, c)
	res, err := rt.Stream(context.Background(), ocigenai.PathChat, chatBody(true), 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	if res.Target.Region != "us-ashburn-1" || res.Attempts != 3 {
		t.Fatalf("served by %s after %d attempts", res.Target, res.Attempts)
	}
	if s := rt.Targets()[1].Stats(); s.Errors[ocigenai.ErrTimeout] != 1 || s.Cooldowns != 1 || s.InFlight != 0 {
		t.Errorf("phoenix stats %+v", s)
	}
	for {
		data, err := res.Events.Next()
		if errors.Is(err, ocigenai.ErrDone) {
			break
		}
		if err != nil {
			t.Fatalf("stream after failover: %v (%s)", err, data)
		}
	}
}

// TestStartedStreamNotSwitched: once a region's stream has begun, its failure is the request's failure.
func TestStartedStreamNotSwitched(t *testing.T) {
	f := newFixture(t, ocigenai.PoolOptions{})
	a, b := f.region("us-chicago-1"), f.region("us-phoenix-1")
	a.sim.Inject(ocisim.Fault{BreakAfter: 2})
	rt := f.route("grok", ocigenai.Failover, a, b)
	res, err := rt.Stream(context.Background(), ocigenai.PathChat, chatBody(true), time.Second)
	if err != nil || res.Target.Region != "us-chicago-1" {
		t.Fatalf("%+v, %v", res, err)
	}
	defer res.Close()
	var got error
	for got == nil {
		_, got = res.Events.Next()
	}
	if errors.Is(got, ocigenai.ErrDone) || b.seen() != 0 {
		t.Fatalf("the broken stream ended with %v; phoenix saw %d requests", got, b.seen())
	}
}

func TestBodyPerTarget(t *testing.T) {
	f := newFixture(t, ocigenai.PoolOptions{})
	a, b := f.region("us-chicago-1"), f.region("us-phoenix-1")
	a.sim.Always(ocisim.Fault{Status: 500})
	rt := f.route("grok", ocigenai.Failover, a, b)
	var built []int
	body := chatBody(false)
	res, err := rt.Call(context.Background(), ocigenai.PathChat, func(i int) ([]byte, error) { built = append(built, i); return body(i) })
	if err != nil || len(built) != 2 || built[0] != 0 || built[1] != 1 {
		t.Fatalf("%v, built %v", err, built)
	}
	res.Close()
	// A body that cannot be built ends the request: the next target would not take it either.
	bad := errors.New("cannot translate")
	if _, err := rt.Call(context.Background(), ocigenai.PathChat, func(int) ([]byte, error) { return nil, bad }); !errors.Is(err, bad) {
		t.Fatalf("got %v", err)
	}
}

// TestAttemptSpans: a failed-over request leaves one span per attempt, each with its region and the GenAI
// attributes; the answering attempt's span stays open for the caller's attributes until Close.
func TestAttemptSpans(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	f := newFixture(t, ocigenai.PoolOptions{Tracing: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))})
	a, b := f.region("us-chicago-1"), f.region("us-phoenix-1")
	a.sim.Always(ocisim.Fault{Status: 429})
	rt := f.route("grok", ocigenai.Failover, a, b)
	res, err := rt.Call(context.Background(), ocigenai.PathChat, chatBody(false))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rec.Ended()); n != 1 {
		t.Fatalf("%d spans ended before Close, want the failed attempt's only", n)
	}
	res.Span.SetAttributes(attribute.Int("gen_ai.usage.output_tokens", 5))
	res.Close()
	spans := rec.Ended()
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	for i, want := range []struct {
		region string
		status int64
		errTyp string
	}{{"us-chicago-1", 429, "TooManyRequests"}, {"us-phoenix-1", 200, ""}} {
		s := spans[i]
		attrs := map[attribute.Key]attribute.Value{}
		for _, kv := range s.Attributes() {
			attrs[kv.Key] = kv.Value
		}
		if s.Name() != "chat "+model || attrs["cloud.region"].AsString() != want.region || attrs["ociai.attempt"].AsInt64() != int64(i+1) ||
			attrs["gen_ai.operation.name"].AsString() != "chat" || attrs["gen_ai.request.model"].AsString() != model ||
			attrs["gen_ai.provider.name"].AsString() != ocigenai.ProviderName || attrs["ociai.target"].AsString() != model+"@"+want.region ||
			attrs["http.response.status_code"].AsInt64() != want.status || attrs["oci.opc_request_id"].AsString() == "" ||
			attrs["error.type"].AsString() != want.errTyp {
			t.Errorf("span %d %q: %v", i, s.Name(), attrs)
		}
	}
	if v, ok := spanAttr(spans[1], "gen_ai.usage.output_tokens"); !ok || v.AsInt64() != 5 {
		t.Error("the caller's attribute is missing from the answering attempt's span")
	}
}

func spanAttr(s sdktrace.ReadOnlySpan, key attribute.Key) (attribute.Value, bool) {
	for _, kv := range s.Attributes() {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}
