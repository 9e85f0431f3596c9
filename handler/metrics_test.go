package handler_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/ocisim"
)

func scrape(t *testing.T, e *env) string {
	t.Helper()
	res, err := http.Get(e.gateway.URL + "/metrics") // no key needed
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("metrics: %d %s", res.StatusCode, body)
	}
	return string(body)
}

func metricValue(t *testing.T, text, series string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

func TestMetrics(t *testing.T) {
	e := newEnv(t, func(o *handlerOptions) { o.Metrics = true })
	chat := `{"model":"llama","messages":[{"role":"user","content":"four words right here"}]}`
	e.do(t, "POST", "/v1/chat/completions", chat)
	res := e.do(t, "POST", "/v1/chat/completions", `{"model":"llama","stream":true,"messages":[{"role":"user","content":"four words right here"}]}`)
	if ev := sseEvents(t, res); strings.Contains(strings.Join(ev, ""), `"choices":[]`) {
		t.Error("usage chunk sent to a client that did not ask for it")
	}
	e.oci.SetRetryPolicy(ocigenai.RetryPolicy{MaxRetries: 1, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond})
	e.sim.Inject(ocisim.Fault{Status: 500, Count: 10}) // outlasts the retry
	e.do(t, "POST", "/v1/chat/completions", chat)
	e.do(t, "GET", "/some/random/path", "")
	e.do(t, "POST", "/v1/chat/completions", `{"model":"invented-model","messages":[]}`)

	text := scrape(t, e)
	for series, want := range map[string]float64{
		`ociai_requests_total{model="llama",route="/v1/chat/completions",status="200"}`: 2,
		`ociai_requests_total{model="llama",route="/v1/chat/completions",status="502"}`: 1,
		`ociai_requests_total{model="",route="unknown",status="404"}`:                   1,
		`ociai_requests_total{model="",route="/v1/chat/completions",status="404"}`:      1, // unknown names are not labels
		`ociai_tokens_total{direction="prompt",model="llama"}`:                          8,
		`ociai_upstream_errors_total{code="InternalServerError",status="500"}`:          1,
		`ociai_open_streams`: 0,
	} {
		if got := metricValue(t, text, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	for _, name := range []string{"ociai_request_duration_seconds_bucket", "ociai_time_to_first_byte_seconds_bucket", "go_goroutines"} {
		if !strings.Contains(text, name) {
			t.Errorf("no %s series", name)
		}
	}
	if metricValue(t, text, `ociai_tokens_total{direction="completion",model="llama"}`) == 0 {
		t.Error("no completion tokens counted")
	}
	// The 500 outlasted the retries; each retry was counted.
	if metricValue(t, text, `ociai_upstream_retries_total{operation="chat",status="500"}`) != 1 {
		t.Errorf("retries not counted:\n%s", grepLines(text, "retries"))
	}
}

func TestMetricsOpenStreamsAndOff(t *testing.T) {
	e := newEnvSim(t, ocisim.Options{TokenDelay: 100 * time.Millisecond}, func(o *handlerOptions) { o.Metrics = true })
	res := e.do(t, "POST", "/v1/chat/completions", `{"model":"llama","stream":true,"messages":[{"role":"user","content":"x"}]}`)
	buf := make([]byte, 10)
	if _, err := res.Body.Read(buf); err != nil {
		t.Fatal(err)
	}
	if got := metricValue(t, scrape(t, e), "ociai_open_streams"); got != 1 {
		t.Errorf("open streams %v during a stream", got)
	}

	off := newEnv(t) // Metrics false
	r := off.do(t, "GET", "/metrics", "")
	if r.StatusCode != 404 {
		t.Errorf("metrics switched off but served: %d", r.StatusCode)
	}
}

func TestConcurrencyLimitPerKey(t *testing.T) {
	// Two streams hold the key's two slots: each has its first bytes and waits an hour for its next token.
	e := newEnvSim(t, ocisim.Options{TokenDelay: time.Hour}, func(o *handlerOptions) { o.MaxConcurrentPerKey = 2 })
	stream := `{"model":"llama","stream":true,"messages":[{"role":"user","content":"x"}]}`
	body := `{"model":"llama","messages":[{"role":"user","content":"x"}]}`
	var held []*http.Response
	for range 2 {
		res := e.do(t, "POST", "/v1/chat/completions", stream)
		if _, err := res.Body.Read(make([]byte, 10)); err != nil || res.StatusCode != 200 {
			t.Fatalf("stream: %d, %v", res.StatusCode, err)
		}
		held = append(held, res)
	}
	if c := e.do(t, "POST", "/v1/chat/completions", body).StatusCode; c != 429 {
		t.Fatalf("third request while two are in flight: %d, want 429", c)
	}
	// Another key has its own budget.
	if c := e.do(t, "POST", "/v1/chat/completions", body, "Authorization", "Bearer sk-other").StatusCode; c != 200 {
		t.Errorf("other key: %d", c)
	}
	// The slots come back when the streams' clients leave (the gateway hears it a moment later).
	for _, res := range held {
		res.Body.Close()
	}
	for c := 429; c == 429; {
		if c = e.do(t, "POST", "/v1/chat/completions", body).StatusCode; c != 200 && c != 429 {
			t.Fatalf("after the streams ended: %d", c)
		}
	}
}

func grepLines(text, sub string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// /metrics never carries CORS headers, so a web page the operator visits cannot read it from localhost; the
// API routes keep theirs.
func TestMetricsWithoutCORS(t *testing.T) {
	e := newEnv(t, func(o *handlerOptions) { o.Metrics = true })
	for _, method := range []string{"GET", "OPTIONS"} {
		res := e.do(t, method, "/metrics", "", "Authorization", "", "Origin", "https://evil.example", "Access-Control-Request-Method", "GET")
		for name := range res.Header {
			if strings.HasPrefix(name, "Access-Control-") {
				t.Errorf("%s /metrics: %s: %s", method, name, res.Header.Get(name))
			}
		}
		if method == "OPTIONS" && res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("preflight to /metrics: %d", res.StatusCode)
		}
	}
	if res := e.do(t, "GET", "/v1/models", "", "Origin", "https://app.example"); res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Error("the API lost its CORS headers")
	}
}

func TestMetricsKey(t *testing.T) {
	e := newEnv(t, func(o *handlerOptions) { o.Metrics, o.MetricsKey = true, "sk-metrics" })
	for _, hdr := range [][]string{
		{"Authorization", ""}, {"Authorization", "Bearer sk-wrong"}, {"Authorization", "Bearer " + testKey}, // a client key is not the metrics key
	} {
		res := e.do(t, "GET", "/metrics", "", hdr...)
		if er := decodeErr(t, res); res.StatusCode != 401 || code(er) != "invalid_api_key" || res.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%v: %d %+v", hdr, res.StatusCode, er.Error)
		}
	}
	for _, hdr := range [][]string{{"Authorization", "Bearer sk-metrics"}, {"Authorization", "", "x-api-key", "sk-metrics"}} {
		res := e.do(t, "GET", "/metrics", "", hdr...)
		if body, _ := io.ReadAll(res.Body); res.StatusCode != 200 || !strings.Contains(string(body), "ociai_requests_total") {
			t.Errorf("%v: %d %.200s", hdr, res.StatusCode, body)
		}
	}
}

// With metrics_listen the series move to their own listener (MetricsHandler), which serves nothing else.
func TestMetricsElsewhere(t *testing.T) {
	e := newEnv(t, func(o *handlerOptions) { o.Metrics, o.MetricsElsewhere = true, true })
	if res := e.do(t, "GET", "/metrics", ""); res.StatusCode != 404 {
		t.Errorf("API port still serves /metrics: %d", res.StatusCode)
	}
	own := httptest.NewServer(e.handler.MetricsHandler())
	defer own.Close()
	for path, want := range map[string]int{"/metrics": 200, "/v1/models": 404, "/health": 404, "/": 404} {
		res, err := http.Get(own.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want || want == 200 && !strings.Contains(string(body), `ociai_requests_total{model="",route="/metrics",status="404"} 1`) {
			t.Errorf("%s on the metrics listener: %d %.100s", path, res.StatusCode, body)
		}
	}
	if res, _ := http.Post(own.URL+"/metrics", "text/plain", nil); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /metrics: %d", res.StatusCode)
	}
}
