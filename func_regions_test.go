package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ociai/ociai-proxy/ocisim"
)

// TestFunctionRegionsPool: the function routes through the region pool like the server. Its configuration
// (OCIAI_MODELS targets with @region, OCIAI_ENDPOINTS) pools a region that throttles everything (us-ashburn-1,
// here a front that answers 429 as OCI does) with the simulator's us-chicago-1: chats, buffered streams and
// Messages API calls are answered, the throttled region is asked once and then left alone during its cool-down,
// and a model served only there answers 429 with Retry-After.
func TestFunctionRegionsPool(t *testing.T) {
	var throttled atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		throttled.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("opc-request-id", "THROTTLED")
		w.Header().Set("Retry-After", "9")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"code":"TooManyRequests","message":"Too many requests for the tenancy"}`))
	}))
	t.Cleanup(front.Close)
	f := startFunctionSetup(t, func(*ocisim.Simulator, string) []string {
		return []string{
			"OCIAI_MODELS=grok=xai.grok-4@us-ashburn-1,xai.grok-4@us-chicago-1,grok-ashburn=xai.grok-4@us-ashburn-1",
			"OCIAI_ENDPOINTS=us-ashburn-1=" + front.URL,
		}
	})
	const hello = "Hello from xai.grok-4! You said: "
	for _, c := range []struct{ path, body string }{
		{"/openai/v1/chat/completions", `{"model":"grok","messages":[{"role":"user","content":"one"}]}`},
		{"/openai/v1/chat/completions", `{"model":"grok","stream":true,"messages":[{"role":"user","content":"two"}]}`},
		{"/openai/v1/messages", `{"model":"grok","max_tokens":50,"messages":[{"role":"user","content":"three"}]}`},
	} {
		if r := f.call(t, "POST", c.path, fnKey, c.body); r.status != 200 || !strings.Contains(string(r.body), hello) {
			t.Fatalf("%s: %d %s", c.body, r.status, r.body)
		}
	}
	if n := throttled.Load(); n != 1 {
		t.Errorf("the throttled region was asked %d times, want once (then cooling down)", n)
	}
	r := f.call(t, "POST", "/openai/v1/messages", fnKey, `{"model":"grok-ashburn","max_tokens":50,"messages":[{"role":"user","content":"x"}]}`)
	if r.status != 429 || r.header.Get("Fn-Http-H-Retry-After") != "9" || !strings.Contains(string(r.body), `"type":"rate_limit_error"`) {
		t.Errorf("throttled-only model: %d %v %s", r.status, r.header, r.body)
	}
}
