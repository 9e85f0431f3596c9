package handler_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/ociai/ociai-proxy/ocisim"
)

func TestHealthIsOpen(t *testing.T) {
	e := newEnv(t)
	res := e.do(t, "GET", "/health", "", "Authorization", "")
	var h struct {
		Status  string `json:"status"`
		Version string `json:"version"`
		Models  int    `json:"models"`
	}
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil || res.StatusCode != 200 {
		t.Fatal(res.StatusCode, err)
	}
	if h.Status != "ok" || h.Version != "test" || h.Models != len(testModels) {
		t.Errorf("health %+v", h)
	}
	if len(e.sim.Requests()) != 0 {
		t.Error("health called OCI")
	}
}

func TestModels(t *testing.T) {
	e := newEnv(t)
	page, err := e.client.Models.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != len(testModels) || page.Data[0].ID != "llama" || page.Data[0].Object != "model" || page.Data[0].OwnedBy != "oci-meta" {
		t.Fatalf("models %+v", page.Data)
	}
	m, err := e.client.Models.Get(t.Context(), "grok")
	if err != nil || m.ID != "grok" {
		t.Fatalf("get: %v %+v", err, m)
	}
}

func TestDeploymentPrefix(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"/openai/v1/models", "/a/b/v1/models", "/openai/health"} {
		res := e.do(t, "GET", p, "")
		if res.StatusCode != 200 {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
	}
	res := e.do(t, "POST", "/openai/v1/chat/completions", `{"model":"llama","messages":[{"role":"user","content":"x"}]}`)
	if res.StatusCode != 200 {
		t.Errorf("prefixed chat: %d", res.StatusCode)
	}
}

func TestCORS(t *testing.T) {
	e := newEnv(t)
	res := e.do(t, "OPTIONS", "/v1/chat/completions", "", "Authorization", "", "Origin", "https://app.example", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, content-type")
	if res.StatusCode != 204 || res.Header.Get("Access-Control-Allow-Origin") != "*" || res.Header.Get("Access-Control-Allow-Headers") == "" {
		t.Fatalf("preflight %d %v", res.StatusCode, res.Header)
	}
	res = e.do(t, "GET", "/v1/models", "", "Origin", "https://app.example")
	if res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("no CORS header on a real request")
	}

	limited := newEnv(t, func(o *handlerOptions) { o.CORSOrigins = []string{"https://ok.example"} })
	res = limited.do(t, "OPTIONS", "/v1/models", "", "Origin", "https://evil.example", "Access-Control-Request-Method", "GET")
	if res.StatusCode != 403 || res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("disallowed origin got %d %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
	res = limited.do(t, "GET", "/v1/models", "", "Origin", "https://ok.example")
	if res.Header.Get("Access-Control-Allow-Origin") != "https://ok.example" {
		t.Errorf("allowed origin not echoed")
	}
}

func TestTestOCI(t *testing.T) {
	e := newEnv(t)
	res := e.do(t, "GET", "/test-oci?model=grok", "")
	body, _ := io.ReadAll(res.Body)
	var rep map[string]any
	if err := json.Unmarshal(body, &rep); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	if rep["status"] != "ok" || rep["model"] != "grok" || rep["oci_model"] != "xai.grok-4" || rep["endpoint"] != e.simURL || rep["region"] != "us-chicago-1" || rep["opc_request_id"] == "" {
		t.Errorf("report %s", body)
	}
	if cr := lastOCIRequest(t, e)["chatRequest"].(map[string]any); cr["maxTokens"] != float64(1) {
		t.Errorf("test call max tokens %v", cr["maxTokens"])
	}
	e.sim.Inject(ocisim.Fault{Status: 401})
	res = e.do(t, "GET", "/test-oci", "")
	body, _ = io.ReadAll(res.Body)
	if res.StatusCode != http.StatusBadGateway || json.Unmarshal(body, &rep) != nil || rep["status"] != "error" || rep["http_status"] != float64(502) {
		t.Errorf("failing OCI: %d %s", res.StatusCode, body)
	}
}
