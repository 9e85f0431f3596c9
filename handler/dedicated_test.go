package handler_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/handler"
)

func TestDedicatedEndpoints(t *testing.T) {
	const generic = "ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaaaageneric"
	const cohere = "ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaaaacohere"
	e := newEnv(t, func(o *handlerOptions) {
		o.Models = append(o.Models,
			handler.Model{Name: "my-llama", Targets: []handler.Target{{ID: generic, Format: "GENERIC", Dedicated: true, Region: testRegion}}},
			handler.Model{Name: "my-command", Targets: []handler.Target{{ID: cohere, Format: "COHERE", Dedicated: true, Region: testRegion}}})
	})
	for _, tc := range []struct{ model, endpoint, format string }{{"my-llama", generic, "GENERIC"}, {"my-command", cohere, "COHERE"}} {
		res := e.do(t, "POST", "/v1/chat/completions", `{"model":"`+tc.model+`","messages":[{"role":"user","content":"hi"}]}`)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %+v", tc.model, res.StatusCode, decodeErr(t, res))
		}
		sent := lastOCIRequest(t, e)
		mode, _ := json.Marshal(sent["servingMode"])
		if string(mode) != `{"endpointId":"`+tc.endpoint+`","servingType":"DEDICATED"}` || sent["chatRequest"].(map[string]any)["apiFormat"] != tc.format {
			t.Errorf("%s: servingMode %s, format %v", tc.model, mode, sent["chatRequest"].(map[string]any)["apiFormat"])
		}
	}
}

// TestKeyNamesInLogs: each client key is logged by its name, never by its value, and prompts stay out of the
// logs even at debug level.
func TestKeyNamesInLogs(t *testing.T) {
	var logs bytes.Buffer
	e := newEnv(t, func(o *handlerOptions) {
		o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	for _, key := range []string{testKey, "sk-other"} {
		res := e.do(t, "POST", "/v1/chat/completions", `{"model":"llama","user":"u1","messages":[{"role":"user","content":"very private words"}]}`, "Authorization", "Bearer "+key)
		if res.StatusCode != 200 {
			t.Fatal(res.StatusCode)
		}
	}
	out := logs.String()
	if !strings.Contains(out, "key=tester") || !strings.Contains(out, "key=other") {
		t.Errorf("key names missing from the logs:\n%s", out)
	}
	for _, secret := range []string{testKey, "sk-other", "very private words"} {
		if strings.Contains(out, secret) {
			t.Errorf("logs contain %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "dropped parameters") {
		t.Errorf("dropped 'user' parameter not logged at debug level:\n%s", out)
	}
}

func TestPromptLoggingIsOptIn(t *testing.T) {
	var logs bytes.Buffer
	e := newEnv(t, func(o *handlerOptions) {
		o.LogPrompts = true
		o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	e.do(t, "POST", "/v1/chat/completions", `{"model":"llama","messages":[{"role":"user","content":"log me please"}]}`)
	if !strings.Contains(logs.String(), "log me please") {
		t.Errorf("log_prompts on, but the prompt is not logged:\n%s", logs.String())
	}
}
