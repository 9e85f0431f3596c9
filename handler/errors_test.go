package handler_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/ociai/ociai-proxy/handler"
	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/ocisim"
)

func TestClientErrors(t *testing.T) {
	e := newEnv(t, func(o *handlerOptions) { o.MaxBodyBytes = 4096 })
	for _, tc := range []struct {
		name, method, path, body string
		hdr                      []string
		status                   int
		code, param              string
	}{
		{"invalid json", "POST", "/v1/chat/completions", `{"model":`, nil, 400, "invalid_json", ""},
		{"empty body", "POST", "/v1/chat/completions", ``, nil, 400, "invalid_json", ""},
		{"wrong type", "POST", "/v1/chat/completions", `{"model":"llama","messages":"hi"}`, nil, 400, "", "messages"},
		{"wrong temperature type", "POST", "/v1/chat/completions", `{"model":"llama","temperature":"hot","messages":[{"role":"user","content":"x"}]}`, nil, 400, "", "temperature"},
		{"no messages", "POST", "/v1/chat/completions", `{"model":"llama","messages":[]}`, nil, 400, "", "messages"},
		{"missing model", "POST", "/v1/chat/completions", `{"messages":[{"role":"user","content":"x"}]}`, nil, 400, "missing_model", "model"},
		{"unknown model", "POST", "/v1/chat/completions", `{"model":"gpt-4","messages":[{"role":"user","content":"x"}]}`, nil, 404, "model_not_found", "model"},
		{"unknown role", "POST", "/v1/chat/completions", `{"model":"llama","messages":[{"role":"wizard","content":"x"}]}`, nil, 400, "", "messages[0].role"},
		{"too large", "POST", "/v1/chat/completions", `{"model":"llama","messages":[{"role":"user","content":"` + strings.Repeat("a", 5000) + `"}]}`, nil, 413, "request_too_large", ""},
		{"no key", "POST", "/v1/chat/completions", `{}`, []string{"Authorization", ""}, 401, "invalid_api_key", ""},
		{"wrong key", "GET", "/v1/models", ``, []string{"Authorization", "Bearer nope"}, 401, "invalid_api_key", ""},
		{"basic auth is no key", "GET", "/v1/models", ``, []string{"Authorization", "Basic " + testKey}, 401, "invalid_api_key", ""},
		{"wrong method", "GET", "/v1/chat/completions", ``, nil, 405, "method_not_allowed", ""},
		{"unknown path", "GET", "/v2/things", ``, nil, 404, "unknown_url", ""},
		{"unknown model id", "GET", "/v1/models/nope", ``, nil, 404, "model_not_found", "model"},
		{"test-oci model choice needs key", "GET", "/test-oci?model=grok", ``, []string{"Authorization", ""}, 401, "invalid_api_key", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := e.do(t, tc.method, tc.path, tc.body, tc.hdr...)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
			}
			er := decodeErr(t, res)
			if tc.code != "" && code(er) != tc.code {
				t.Errorf("code %q, want %q (%s)", code(er), tc.code, er.Error.Message)
			}
			if tc.param != "" && (er.Error.Param == nil || *er.Error.Param != tc.param) {
				t.Errorf("param %v, want %q (%s)", er.Error.Param, tc.param, er.Error.Message)
			}
		})
	}
	if n := len(e.sim.Requests()); n != 0 {
		t.Errorf("%d invalid requests reached OCI", n)
	}
}

func TestXAPIKeyAndRequestID(t *testing.T) {
	e := newEnv(t)
	res := e.do(t, "GET", "/v1/models", "", "Authorization", "", "x-api-key", "sk-other", "X-Request-Id", "my-trace-1")
	if res.StatusCode != 200 || res.Header.Get("X-Request-Id") != "my-trace-1" {
		t.Fatalf("status %d request id %q", res.StatusCode, res.Header.Get("X-Request-Id"))
	}
	res = e.do(t, "GET", "/v1/models", "", "X-Request-Id", "bad\tid")
	if id := res.Header.Get("X-Request-Id"); !strings.HasPrefix(id, "req_") || strings.Contains(id, "\t") { // a generated id replaces it
		t.Fatalf("unsafe request id echoed: %q", id)
	}
}

func TestOCIErrorsMapped(t *testing.T) {
	for _, tc := range []struct {
		fault  ocisim.Fault
		status int
		typ    string
		retry  string
	}{
		{ocisim.Fault{Status: 429, RetryAfter: "7"}, 429, "rate_limit_error", "7"},
		{ocisim.Fault{Status: 500}, 502, "api_error", ""},
		{ocisim.Fault{Status: 503}, 502, "api_error", ""},
		{ocisim.Fault{Status: 401}, 502, "api_error", ""},
		{ocisim.Fault{Status: 400}, 400, "invalid_request_error", ""},
		{ocisim.Fault{Status: 404}, 404, "invalid_request_error", ""},
	} {
		for _, stream := range []bool{false, true} {
			e := newEnv(t)
			e.sim.Inject(tc.fault)
			body := `{"model":"llama","stream":` + map[bool]string{true: "true", false: "false"}[stream] + `,"messages":[{"role":"user","content":"x"}]}`
			res := e.do(t, "POST", "/v1/chat/completions", body)
			if res.StatusCode != tc.status {
				t.Fatalf("OCI %d (stream %v): status %d, want %d", tc.fault.Status, stream, res.StatusCode, tc.status)
			}
			if got := res.Header.Get("Retry-After"); got != tc.retry {
				t.Errorf("Retry-After %q, want %q", got, tc.retry)
			}
			er := decodeErr(t, res)
			if er.Error.Type != tc.typ || !strings.Contains(er.Error.Message, "opc-request-id") {
				t.Errorf("OCI %d: %+v", tc.fault.Status, er.Error)
			}
			if tc.fault.Status == 401 && !strings.Contains(er.Error.Message, "credentials") {
				t.Errorf("401 message does not point at the gateway credentials: %s", er.Error.Message)
			}
		}
	}
}

func TestSDKSeesRateLimit(t *testing.T) {
	e := newEnv(t)
	e.sim.Inject(ocisim.Fault{Status: 429})
	_, err := e.client.Chat.Completions.New(context.Background(), userChat("llama", "hi"))
	var ae *openai.Error
	if !errors.As(err, &ae) || ae.StatusCode != 429 || ae.Type != "rate_limit_error" {
		t.Fatalf("got %v", err)
	}
}

func TestStreamBrokenMidway(t *testing.T) {
	e := newEnv(t)
	fastRetries(e) // a stream that has started is never retried
	e.sim.Inject(ocisim.Fault{BreakAfter: 3})
	res := e.do(t, "POST", "/v1/chat/completions", `{"model":"llama","stream":true,"messages":[{"role":"user","content":"a long answer please"}]}`)
	ev := sseEvents(t, res)
	last := ev[len(ev)-1]
	if !strings.Contains(last, `"error"`) || strings.Contains(strings.Join(ev, ""), "[DONE]") {
		t.Fatalf("stream should end with an error event and no [DONE]; events: %q", ev)
	}
	// The client learns what broke and where, not the connection's addresses.
	if !strings.Contains(last, `"code":"oci_stream_broken"`) || !strings.Contains(last, "The connection to OCI Generative AI in us-chicago-1 broke in the middle of the answer") ||
		strings.Contains(last, "127.0.0.1") {
		t.Errorf("last event %s", last)
	}
	simStatuses(t, e, 1)
}

func TestStreamMalformedEvent(t *testing.T) {
	e := newEnv(t)
	fastRetries(e)
	e.sim.Inject(ocisim.Fault{MalformedAt: 2})
	res := e.do(t, "POST", "/v1/chat/completions", `{"model":"llama","stream":true,"messages":[{"role":"user","content":"x"}]}`)
	ev := sseEvents(t, res)
	if last := ev[len(ev)-1]; !strings.Contains(last, "oci_bad_event") || strings.Contains(strings.Join(ev, ""), "[DONE]") {
		t.Fatalf("last event %q", last)
	}
	simStatuses(t, e, 1)
}

// An event whose translation cannot be encoded (OCI sent "NaN" for a logprob; JSON has no NaN) ends the stream
// with an error event saying so, not as if the client had left.
func TestStreamEventThatCannotBeEncoded(t *testing.T) {
	e := newEnvWrapped(t, ocisim.Options{}, func(sim http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			io.WriteString(w, `data: {"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi"}]},"logprobs":{"tokens":["Hi"],"topLogprobs":[{"Hi":"NaN"}]}}`+"\n\n")
			io.WriteString(w, `data: {"finishReason":"stop"}`+"\n\ndata: [DONE]\n\n")
		})
	})
	ev := sseEvents(t, e.do(t, "POST", "/v1/chat/completions", `{"model":"llama","stream":true,"logprobs":true,"messages":[{"role":"user","content":"x"}]}`))
	if last := ev[len(ev)-1]; !strings.Contains(last, `"code":"internal_error"`) || !strings.Contains(last, "could not encode") || strings.Contains(strings.Join(ev, ""), "[DONE]") {
		t.Fatalf("events %q", ev)
	}
}

func TestStreamHugeEvent(t *testing.T) {
	e := newEnv(t)
	e.sim.Inject(ocisim.Fault{HugeEvent: 1 << 20})
	res := e.do(t, "POST", "/v1/chat/completions", `{"model":"llama","stream":true,"messages":[{"role":"user","content":"x"}]}`)
	ev := sseEvents(t, res)
	if ev[len(ev)-1] != "[DONE]" {
		t.Fatalf("1 MiB event broke the stream: last %q", ev[len(ev)-1][:min(200, len(ev[len(ev)-1]))])
	}
	if all := strings.Join(ev, ""); strings.Count(all, "x") < 1<<20-1024 {
		t.Errorf("the 1 MiB of text did not reach the client whole (%d x's)", strings.Count(all, "x"))
	}
}

func TestStreamHangsAfterFinish(t *testing.T) {
	e := newEnvSim(t, ocisim.Options{OmitDone: true})
	e.sim.Inject(ocisim.Fault{HangAfterFinish: true})
	res := e.do(t, "POST", "/v1/chat/completions", `{"model":"llama","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"x"}]}`)
	ev := sseEvents(t, res)
	if ev[len(ev)-1] != "[DONE]" || !strings.Contains(ev[len(ev)-2], `"usage"`) {
		t.Fatalf("events %q", ev)
	}
	// OCI holds the stream open until the other side leaves: its request is recorded only once the gateway,
	// having ended the client's stream, closed it.
	simStatuses(t, e, 1)
}

func TestStreamIdleTimeout(t *testing.T) {
	e := newEnv(t, func(o *handlerOptions) { o.StreamIdleTimeout = 300 * time.Millisecond })
	fastRetries(e)
	e.sim.Inject(ocisim.Fault{SilentAfter: 2})
	res := e.do(t, "POST", "/v1/chat/completions", `{"model":"llama","stream":true,"messages":[{"role":"user","content":"x"}]}`)
	ev := sseEvents(t, res)
	if last := ev[len(ev)-1]; !strings.Contains(last, `"timeout"`) || strings.Contains(strings.Join(ev, ""), "[DONE]") {
		t.Fatalf("last event %q", last)
	}
	simStatuses(t, e, 1)
}

func TestNonStreamTimeout(t *testing.T) {
	e := newEnv(t, func(o *handlerOptions) { o.RequestTimeout = 200 * time.Millisecond })
	fastRetries(e) // a timeout is not retried: the deadline is spent
	e.sim.Inject(ocisim.Fault{FirstByteDelay: 2 * time.Second})
	// OCI would answer 200 after its delay: a 504 means the gateway's own deadline ended the call first.
	res := e.do(t, "POST", "/v1/chat/completions", `{"model":"llama","messages":[{"role":"user","content":"x"}]}`)
	if res.StatusCode != http.StatusGatewayTimeout || code(decodeErr(t, res)) != "timeout" {
		t.Fatalf("status %d", res.StatusCode)
	}
	simStatuses(t, e, 1)
}

func TestClientDisconnectCancelsOCI(t *testing.T) {
	e := newEnvSim(t, ocisim.Options{TokenDelay: time.Hour}) // only a cancelled stream ends
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", e.gateway.URL+"/v1/chat/completions",
		strings.NewReader(`{"model":"llama","stream":true,"messages":[{"role":"user","content":"`+strings.Repeat("word ", 200)+`"}]}`))
	req.Header.Set("Authorization", "Bearer "+testKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	if _, err := res.Body.Read(buf); err != nil {
		t.Fatal(err)
	}
	cancel()
	res.Body.Close()
	// The simulator records the answer once its handler returns, which happens when the gateway closed the
	// OCI connection; its next token is an hour away (go test's timeout reports a gateway that never lets go).
	for r := e.sim.Requests(); len(r) != 1 || r[0].Status == 0; r = e.sim.Requests() {
		time.Sleep(10 * time.Millisecond)
	}
}

// panicTracer panics when an OCI attempt starts its span.
type panicTracer struct{ noop.Tracer }

func (panicTracer) Start(context.Context, string, ...trace.SpanStartOption) (context.Context, trace.Span) {
	panic("tracer exploded")
}

type panicTracing struct{ noop.TracerProvider }

func (panicTracing) Tracer(string, ...trace.TracerOption) trace.Tracer { return panicTracer{} }

func TestPanicsAreContained(t *testing.T) {
	// A pool whose tracer panics on the first OCI attempt: the client gets an OpenAI-shaped 500 and the server
	// keeps serving.
	id, err := ocisim.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	pool := newPool(t, id, ocigenai.PoolOptions{Tracing: panicTracing{}})
	h, err := handler.New(handler.Options{Models: atEndpoint(testModels, "http://127.0.0.1:1"), Keys: []handler.Key{{Name: "t", Key: testKey}},
		Logger: slog.New(slog.DiscardHandler), Pool: pool})
	if err != nil {
		t.Fatal(err)
	}
	gw := httptest.NewServer(h)
	defer gw.Close()
	e := &env{gateway: gw}
	res := e.do(t, "POST", "/v1/chat/completions", `{"model":"llama","messages":[{"role":"user","content":"x"}]}`)
	if res.StatusCode != 500 || code(decodeErr(t, res)) != "internal_error" {
		t.Fatalf("status %d", res.StatusCode)
	}
	res = e.do(t, "GET", "/health", "")
	io.Copy(io.Discard, res.Body)
	if res.StatusCode != 200 {
		t.Fatal(res.StatusCode)
	}
}

// When OCI cannot be reached, clients are told the region, not the upstream URL or address; the log keeps the
// cause, once, next to the request id.
func TestUnreachableNamesTheRegionOnly(t *testing.T) {
	var logs bytes.Buffer
	e := newEnv(t, func(o *handlerOptions) { o.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	e.simSrv.Close()
	host := strings.TrimPrefix(e.simURL, "http://")
	const want = "Cannot reach OCI Generative AI in us-chicago-1."
	for _, tc := range []struct{ path, body string }{{chatPath, plainBody}, {chatPath, streamBody}, {"/v1/embeddings", `{"model":"embed","input":"x"}`}} {
		res := e.do(t, "POST", tc.path, tc.body)
		if er := decodeErr(t, res); res.StatusCode != http.StatusBadGateway || code(er) != "oci_unreachable" || er.Error.Message != want {
			t.Errorf("%s: %d %+v", tc.body, res.StatusCode, er.Error)
		}
	}
	res := e.do(t, "GET", "/test-oci", "")
	var rep struct{ Error string }
	if json.NewDecoder(res.Body).Decode(&rep) != nil || rep.Error != want {
		t.Errorf("/test-oci: %+v", rep)
	}
	out := logs.String()
	if n := strings.Count(out, "cause="); n != 4 || strings.Count(out, host) < 4 {
		t.Errorf("want the cause with the address in the log once per request (4), got %d:\n%s", n, out)
	}
}

func TestWrongEndpoint(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ path, body, want string }{
		{chatPath, `{"model":"embed","messages":[{"role":"user","content":"x"}]}`, "`embed` is an embeddings model; use /v1/embeddings."},
		{"/v1/embeddings", `{"model":"llama","input":"x"}`, "`llama` is a chat model; use /v1/chat/completions."},
	} {
		res := e.do(t, "POST", tc.path, tc.body)
		if er := decodeErr(t, res); res.StatusCode != 404 || code(er) != "wrong_endpoint" || er.Error.Message != tc.want || *er.Error.Param != "model" {
			t.Errorf("%s: %d %+v", tc.path, res.StatusCode, er.Error)
		}
	}
}

func TestUnknownURLNamesMetrics(t *testing.T) {
	for _, on := range []bool{true, false} {
		e := newEnv(t, func(o *handler.Options) { o.Metrics = on })
		er := decodeErr(t, e.do(t, "GET", "/v1/nothing", ""))
		if strings.Contains(er.Error.Message, "/metrics") != on || !strings.Contains(er.Error.Message, "/test-oci") {
			t.Errorf("metrics %v: %s", on, er.Error.Message)
		}
	}
}

func TestAuthHint(t *testing.T) {
	e := newEnv(t, func(o *handler.Options) { o.AuthHint = "This gateway runs with -simulate; its key: sk-simulator." })
	for _, auth := range []string{"", "Bearer wrong"} {
		er := decodeErr(t, e.do(t, "GET", "/v1/models", "", "Authorization", auth))
		if !strings.HasSuffix(er.Error.Message, " This gateway runs with -simulate; its key: sk-simulator.") {
			t.Errorf("%q: %s", auth, er.Error.Message)
		}
	}
}
