package handler_test

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
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
	e := newEnvSim(t, ocisim.Options{Latency: time.Second}, func(o *handlerOptions) { o.MaxConcurrentPerKey = 2 })
	body := `{"model":"llama","messages":[{"role":"user","content":"x"}]}`
	var wg sync.WaitGroup
	codes := make([]int, 3)
	for i := range 3 {
		wg.Go(func() {
			if i == 2 {
				time.Sleep(300 * time.Millisecond) // the first two are in flight
			}
			codes[i] = e.do(t, "POST", "/v1/chat/completions", body).StatusCode
		})
	}
	wg.Wait()
	if codes[0] != 200 || codes[1] != 200 || codes[2] != 429 {
		t.Fatalf("codes %v, want [200 200 429]", codes)
	}
	// Another key has its own budget, and the slots come back.
	if c := e.do(t, "POST", "/v1/chat/completions", body, "Authorization", "Bearer sk-other").StatusCode; c != 200 {
		t.Errorf("other key: %d", c)
	}
	if c := e.do(t, "POST", "/v1/chat/completions", body).StatusCode; c != 200 {
		t.Errorf("after the burst: %d", c)
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
