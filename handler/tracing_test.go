package handler_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/ociai/ociai-proxy/handler"
	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/ocisim"
)

// tracedRegions is a regions env whose handler and pool record their spans in memory.
func tracedRegions(t *testing.T, logPrompts bool) (*regionsEnv, *tracetest.SpanRecorder) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	e := newRegionsEnvPool(t, ocigenai.PoolOptions{Tracing: tp}, []string{chicago, phoenix}, []handler.Model{pooled("grok", grokID, "GENERIC", "", chicago, phoenix)},
		func(o *handler.Options) { o.Tracing, o.LogPrompts = tp, logPrompts })
	return e, rec
}

// endedSpans waits until n spans have ended (the request span ends when the handler returns, which may be just
// after the client has read the whole answer).
func endedSpans(t *testing.T, rec *tracetest.SpanRecorder, n int) []sdktrace.ReadOnlySpan {
	t.Helper()
	for len(rec.Ended()) < n { // go test's timeout reports spans that never end
		time.Sleep(5 * time.Millisecond)
	}
	return rec.Ended()
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

// TestFailoverTrace: a failed-over request's trace continues the caller's traceparent and holds the request span
// with the GenAI attributes of the answer, and under it one span per OCI attempt, each with its region.
func TestFailoverTrace(t *testing.T) {
	e, rec := tracedRegions(t, false)
	e.sims[chicago].Always(ocisim.Fault{Status: 429})
	const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	req, _ := http.NewRequest("POST", e.gateway.URL+"/v1/chat/completions", strings.NewReader(`{"model":"grok","max_tokens":50,"messages":[{"role":"user","content":"secret words"}]}`))
	req.Header.Set("Authorization", "Bearer "+testKey)
	req.Header.Set("traceparent", "00-"+traceID+"-"+parentID+"-01")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatal(res, err)
	}
	res.Body.Close()

	spans := endedSpans(t, rec, 3)
	var server sdktrace.ReadOnlySpan
	var attempts []sdktrace.ReadOnlySpan
	for _, s := range spans {
		switch s.SpanKind() {
		case trace.SpanKindServer:
			server = s
		case trace.SpanKindClient:
			attempts = append(attempts, s)
		}
	}
	if server == nil || len(attempts) != 2 {
		t.Fatalf("%d spans: server %v, %d attempts", len(spans), server != nil, len(attempts))
	}
	if server.SpanContext().TraceID().String() != traceID || server.Parent().SpanID().String() != parentID || !server.Parent().IsRemote() {
		t.Errorf("the request span does not continue the caller's trace: %v, parent %v", server.SpanContext().TraceID(), server.Parent().SpanID())
	}
	sa := attrs(server)
	for k, want := range map[attribute.Key]any{
		"gen_ai.operation.name": "chat", "gen_ai.request.model": "grok", "gen_ai.response.model": grokID,
		"gen_ai.request.max_tokens": int64(50), "gen_ai.usage.input_tokens": int64(2), "gen_ai.usage.output_tokens": int64(7),
		"cloud.region": phoenix, "ociai.target": grokID + "@" + phoenix, "ociai.attempts": int64(2),
		"http.route": "/v1/chat/completions", "http.response.status_code": int64(200), "ociai.client_key": "tester",
	} {
		if got := sa[k].AsInterface(); got != want {
			t.Errorf("request span %s = %v, want %v", k, got, want)
		}
	}
	if got := sa["gen_ai.response.finish_reasons"].AsStringSlice(); !slices.Equal(got, []string{"stop"}) {
		t.Errorf("finish reasons %v", got)
	}
	if server.Name() != "POST /v1/chat/completions" {
		t.Errorf("request span name %q", server.Name())
	}
	for _, s := range spans {
		for _, kv := range s.Attributes() {
			if strings.Contains(kv.Value.String(), "secret words") {
				t.Errorf("span %q carries the prompt (%s) without log_prompts", s.Name(), kv.Key)
			}
		}
	}
	for i, want := range []struct {
		region, errType string
		status          int64
	}{{chicago, "TooManyRequests", 429}, {phoenix, "", 200}} {
		s := attempts[i]
		a := attrs(s)
		if s.Parent().SpanID() != server.SpanContext().SpanID() || s.Name() != "chat "+grokID ||
			a["cloud.region"].AsString() != want.region || a["ociai.attempt"].AsInt64() != int64(i+1) ||
			a["gen_ai.operation.name"].AsString() != "chat" || a["gen_ai.request.model"].AsString() != grokID ||
			a["http.response.status_code"].AsInt64() != want.status || a["error.type"].AsString() != want.errType ||
			a["oci.opc_request_id"].AsString() == "" {
			t.Errorf("attempt %d %q: %v", i+1, s.Name(), a)
		}
	}
	if a := attrs(attempts[1]); a["gen_ai.usage.output_tokens"].AsInt64() != 7 || a["gen_ai.response.model"].AsString() != grokID {
		t.Errorf("the answering attempt lacks the answer's attributes: %v", a)
	}
}

// TestPromptsInTracesOnlyWithLogPrompts: with log_prompts the request span carries the input messages.
func TestPromptsInTracesOnlyWithLogPrompts(t *testing.T) {
	e, rec := tracedRegions(t, true)
	if _, err := e.stream("grok"); err != nil {
		t.Fatal(err)
	}
	for _, s := range endedSpans(t, rec, 2) {
		if s.SpanKind() == trace.SpanKindServer {
			if msgs := attrs(s)["gen_ai.input.messages"].AsString(); !strings.Contains(msgs, `"hello"`) {
				t.Errorf("input messages %q", msgs)
			}
			if got := attrs(s)["gen_ai.response.finish_reasons"].AsStringSlice(); !slices.Equal(got, []string{"stop"}) {
				t.Errorf("stream finish reasons %v", got)
			}
			return
		}
	}
	t.Fatal("no request span")
}

// TestFailoverTraceEveryClientAPI: streams of the Messages and Responses APIs that failed over are traced like
// chat completions: a request span on the API's route with the GenAI attributes, and two attempt spans under it,
// the throttled region's and the one that answered.
func TestFailoverTraceEveryClientAPI(t *testing.T) {
	for _, api := range poolAPIs[1:] {
		t.Run(api.name, func(t *testing.T) {
			e, rec := tracedRegions(t, false)
			e.sims[chicago].Always(ocisim.Fault{Status: 429})
			if got, err := api.stream(e, "grok"); err != nil || got != helloGrok {
				t.Fatalf("%q, %v", got, err)
			}
			var server sdktrace.ReadOnlySpan
			var regions []string
			for _, s := range endedSpans(t, rec, 3) {
				switch s.SpanKind() {
				case trace.SpanKindServer:
					server = s
				case trace.SpanKindClient:
					regions = append(regions, attrs(s)["cloud.region"].AsString())
				}
			}
			if server == nil || !slices.Equal(regions, []string{chicago, phoenix}) {
				t.Fatalf("request span %v, attempts in %v", server != nil, regions)
			}
			a := attrs(server)
			if !strings.HasPrefix(a["http.route"].AsString(), "/v1/"+strings.Fields(api.name)[0]) || a["gen_ai.operation.name"].AsString() != "chat" ||
				a["gen_ai.request.model"].AsString() != "grok" || a["gen_ai.response.model"].AsString() != grokID ||
				a["gen_ai.usage.output_tokens"].AsInt64() == 0 || a["cloud.region"].AsString() != phoenix || a["ociai.attempts"].AsInt64() != 2 {
				t.Errorf("request span %q: %v", server.Name(), a)
			}
		})
	}
}
