package handler_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	aoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ociai/ociai-proxy/handler"
	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/ocigenai/poolmetrics"
	"github.com/ociai/ociai-proxy/ocisim"
)

// Regions as one pool, seen through the HTTP API with the OpenAI Go SDK: one simulator per region, told to
// throttle or fail, and requests counted where they land.

const (
	chicago = "us-chicago-1"
	phoenix = "us-phoenix-1"
	ashburn = "us-ashburn-1"
	grokID  = "xai.grok-4"
)

// regionsEnv is a gateway whose models' targets are spread over simulated regions.
type regionsEnv struct {
	sims    map[string]*ocisim.Simulator
	pool    *ocigenai.Pool
	gateway *httptest.Server
	client  openai.Client
}

// pooled is a model served by the given regions (model@region targets of one model id), in that order.
func pooled(name, id, format, strategy string, regions ...string) handler.Model {
	m := handler.Model{Name: name, Strategy: strategy}
	for _, r := range regions {
		m.Targets = append(m.Targets, handler.Target{ID: id, Format: format, Region: r})
	}
	return m
}

// newRegionsEnv starts one simulator per region and a gateway serving models; a target without an endpoint is
// sent to its region's simulator.
func newRegionsEnv(t *testing.T, regions []string, models []handler.Model, mutate ...func(*handler.Options)) *regionsEnv {
	t.Helper()
	return newRegionsEnvPool(t, ocigenai.PoolOptions{}, regions, models, mutate...)
}

// newRegionsEnvPool is newRegionsEnv with a pool built with popt.
func newRegionsEnvPool(t *testing.T, popt ocigenai.PoolOptions, regions []string, models []handler.Model, mutate ...func(*handler.Options)) *regionsEnv {
	t.Helper()
	return newRegionsEnvSim(t, ocisim.Options{}, popt, regions, models, mutate...)
}

// newRegionsEnvSim is newRegionsEnvPool with each region's simulator built with simOpt (its Region set).
func newRegionsEnvSim(t *testing.T, simOpt ocisim.Options, popt ocigenai.PoolOptions, regions []string, models []handler.Model, mutate ...func(*handler.Options)) *regionsEnv {
	t.Helper()
	id, err := ocisim.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	e := &regionsEnv{sims: map[string]*ocisim.Simulator{}, pool: newPool(t, id, popt)}
	urls := map[string]string{}
	for _, r := range regions {
		simOpt.Region = r
		sim := ocisim.New(simOpt)
		sim.AddIdentity(id)
		srv := httptest.NewServer(sim)
		t.Cleanup(func() {
			srv.CloseClientConnections()
			srv.Close()
		})
		e.sims[r], urls[r] = sim, srv.URL
	}
	for i, m := range models {
		models[i].Targets = append([]handler.Target(nil), m.Targets...)
		for j, tg := range models[i].Targets {
			if tg.Endpoint == "" {
				models[i].Targets[j].Endpoint = urls[tg.Region]
			}
		}
	}
	opt := handler.Options{
		Models:            models,
		Keys:              []handler.Key{{Name: "tester", Key: testKey}},
		CompartmentID:     testCompartment,
		StreamIdleTimeout: 10 * time.Second,
		Metrics:           true,
		Collectors:        []prometheus.Collector{poolmetrics.New(e.pool)},
		Logger:            slog.New(slog.DiscardHandler),
		Pool:              e.pool,
	}
	for _, m := range mutate {
		m(&opt)
	}
	h, err := handler.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	e.pool.OnRetry = h.RetryHook()
	e.gateway = httptest.NewServer(h)
	t.Cleanup(e.gateway.Close)
	e.client = openai.NewClient(option.WithBaseURL(e.gateway.URL+"/v1"), option.WithAPIKey(testKey), option.WithMaxRetries(0))
	return e
}

// seen is how many requests region r's simulator answered (or aborted).
func (e *regionsEnv) seen(r string) int { return len(e.sims[r].Requests()) }

// unreachable is an endpoint that refuses connections.
func unreachable(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return "http://" + ln.Addr().String()
}

func (e *regionsEnv) chat(model string) (string, error) {
	comp, err := e.client.Chat.Completions.New(context.Background(), userChat(model, "hello"))
	if err != nil {
		return "", err
	}
	return comp.Choices[0].Message.Content, nil
}

func (e *regionsEnv) stream(model string) (string, error) {
	s := e.client.Chat.Completions.NewStreaming(context.Background(), userChat(model, "hello"))
	defer s.Close()
	var b strings.Builder
	for s.Next() {
		if ch := s.Current(); len(ch.Choices) > 0 {
			b.WriteString(ch.Choices[0].Delta.Content)
		}
	}
	return b.String(), s.Err()
}

const helloGrok = "Hello from xai.grok-4! You said: hello"

// TestThrottledOnlyRegion: a model served only by the throttled region answers 429 with a Retry-After, and a
// model whose every region is throttled or cooling down answers 429 without asking OCI again.
func TestThrottledOnlyRegion(t *testing.T) {
	e := newRegionsEnv(t, []string{chicago, phoenix}, []handler.Model{
		pooled("grok-chicago", grokID, "GENERIC", "", chicago),
		pooled("grok", grokID, "GENERIC", "", chicago, phoenix),
	})
	e.sims[chicago].Always(ocisim.Fault{Status: 429}) // no Retry-After from OCI: the gateway names its cool-down
	_, err := e.chat("grok-chicago")
	var oe *openai.Error
	if !errors.As(err, &oe) || oe.StatusCode != 429 || oe.Type != "rate_limit_error" || oe.Code != "rate_limit_exceeded" {
		t.Fatalf("got %v", err)
	}
	if ra, err := strconv.Atoi(oe.Response.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 5 {
		t.Errorf("Retry-After %q, want the cool-down (1-5 s)", oe.Response.Header.Get("Retry-After"))
	}

	e.sims[phoenix].Always(ocisim.Fault{Status: 503, RetryAfter: "30"})
	if _, err := e.chat("grok"); !errors.As(err, &oe) || oe.StatusCode != 502 {
		t.Fatalf("chicago cooling, phoenix failing: %v", err) // the last answer was phoenix's 503
	}
	before := e.seen(chicago) + e.seen(phoenix)
	res := doRegions(t, e, `{"model":"grok","messages":[{"role":"user","content":"x"}]}`)
	body, _ := io.ReadAll(res.Body)
	ra, _ := strconv.Atoi(res.Header.Get("Retry-After"))
	if res.StatusCode != 429 || ra < 1 || ra > 5 || !strings.Contains(string(body), "every region serving grok is rate limited or cooling down") {
		t.Fatalf("both cooling: %d, Retry-After %q, %s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	if after := e.seen(chicago) + e.seen(phoenix); after != before {
		t.Errorf("OCI was asked %d more times while every region cooled down", after-before)
	}
}

func doRegions(t *testing.T, e *regionsEnv, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", e.gateway.URL+"/v1/chat/completions", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func TestUnreachableRegionFailsOver(t *testing.T) {
	m := pooled("grok", grokID, "GENERIC", "", ashburn, phoenix)
	m.Targets[0].Endpoint = unreachable(t)
	e := newRegionsEnv(t, []string{phoenix}, []handler.Model{m})
	for range 2 {
		if got, err := e.stream("grok"); err != nil || got != helloGrok {
			t.Fatalf("%q, %v", got, err)
		}
	}
	text := scrapeURL(t, e.gateway.URL)
	for _, want := range []string{
		`ociai_target_requests_total{model="xai.grok-4",region="us-ashburn-1"} 1`,
		`ociai_target_errors_total{class="connect_error",model="xai.grok-4",region="us-ashburn-1"} 1`,
		`ociai_target_requests_total{model="xai.grok-4",region="us-phoenix-1"} 2`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s:\n%s", want, grepLines(text, "ociai_target_"))
		}
	}
}

// TestUnreachableEveryRegion: when no region can be reached the client is told which regions were tried, and
// nothing of the addresses (they go to the log).
func TestUnreachableEveryRegion(t *testing.T) {
	m := pooled("grok", grokID, "GENERIC", "", ashburn, phoenix)
	m.Targets[0].Endpoint, m.Targets[1].Endpoint = unreachable(t), unreachable(t)
	e := newRegionsEnv(t, nil, []handler.Model{m})
	res := doRegions(t, e, `{"model":"grok","messages":[{"role":"user","content":"x"}]}`)
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 502 || !strings.Contains(string(body), `"message":"Cannot reach OCI Generative AI in us-ashburn-1 and us-phoenix-1 (after 2 attempts)."`) ||
		strings.Contains(string(body), "127.0.0.1") {
		t.Errorf("%d %s", res.StatusCode, body)
	}
}

func TestSpreadAddsRegions(t *testing.T) {
	e := newRegionsEnv(t, []string{chicago, phoenix}, []handler.Model{pooled("grok", grokID, "GENERIC", "spread", chicago, phoenix)})
	for range 6 {
		if _, err := e.chat("grok"); err != nil {
			t.Fatal(err)
		}
	}
	if e.seen(chicago) != 3 || e.seen(phoenix) != 3 {
		t.Errorf("spread %d/%d, want 3/3", e.seen(chicago), e.seen(phoenix))
	}
}

// TestDedicatedEndpointsAsTargets: each endpoint OCID goes to its own region (the simulators do not know the
// other region's endpoints), and the model fails over between them.
func TestDedicatedEndpointsAsTargets(t *testing.T) {
	const inChicago = "ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaaaachicago"
	const inPhoenix = "ocid1.generativeaiendpoint.oc1.phx.amaaaaaaphoenix"
	e := newRegionsEnv(t, []string{chicago, phoenix}, []handler.Model{{Name: "mine", Targets: []handler.Target{
		{ID: inChicago, Format: "GENERIC", Dedicated: true, Region: chicago},
		{ID: inPhoenix, Format: "GENERIC", Dedicated: true, Region: phoenix},
	}}})
	if got, err := e.chat("mine"); err != nil || got != "Hello from "+inChicago+"! You said: hello" {
		t.Fatalf("%q, %v", got, err)
	}
	e.sims[chicago].Always(ocisim.Fault{Status: 500})
	if got, err := e.chat("mine"); err != nil || got != "Hello from "+inPhoenix+"! You said: hello" {
		t.Fatalf("after chicago failed: %q, %v", got, err)
	}
}

// TestStreamFailsBeforeFirstByte: a region that fails a stream, or does not answer within stream_idle_timeout,
// before the first byte hands it to the next region; a stream that has started is never switched.
func TestStreamFailsBeforeFirstByte(t *testing.T) {
	e := newRegionsEnv(t, []string{chicago, phoenix, ashburn}, []handler.Model{pooled("grok", grokID, "GENERIC", "", chicago, phoenix, ashburn)},
		func(o *handler.Options) { o.StreamIdleTimeout = 300 * time.Millisecond })
	e.sims[chicago].Inject(ocisim.Fault{Status: 500})
	e.sims[phoenix].Inject(ocisim.Fault{FirstByteDelay: time.Hour})
	if got, err := e.stream("grok"); err != nil || got != helloGrok {
		t.Fatalf("%q, %v", got, err)
	}
	if e.seen(ashburn) != 1 {
		t.Fatalf("ashburn answered %d streams", e.seen(ashburn))
	}

	// The simulator records phoenix's hung request only once it notices the gateway left, which may be after the
	// answer from ashburn: wait for that record, so that it is not taken for a switched stream below.
	for e.seen(phoenix) == 0 { // go test's timeout reports a request phoenix never records
		time.Sleep(time.Millisecond)
	}

	// Chicago and phoenix cool down; ashburn's stream breaks after its first events: the client gets the error
	// event, and nobody else is asked.
	e.sims[ashburn].Inject(ocisim.Fault{BreakAfter: 2})
	before := e.seen(chicago) + e.seen(phoenix)
	if _, err := e.stream("grok"); err == nil {
		t.Fatal("a broken stream ended cleanly")
	}
	if e.seen(chicago)+e.seen(phoenix) != before {
		t.Error("a started stream was switched to another region")
	}
}

// TestEmbeddingsFailOver: embeddings go through the pool too. The catalogue has OCI's embed models in Chicago
// only (UNCONFIRMED for other regions), so the simulators are told to serve one everywhere.
func TestEmbeddingsFailOver(t *testing.T) {
	e := newRegionsEnvSim(t, ocisim.Options{ExtraModels: []string{"cohere.embed-v4.0"}}, ocigenai.PoolOptions{}, []string{chicago, phoenix},
		[]handler.Model{pooled("embed", "cohere.embed-v4.0", "EMBED", "", chicago, phoenix)})
	e.sims[chicago].Always(ocisim.Fault{Status: 429})
	res, err := e.client.Embeddings.New(context.Background(), openai.EmbeddingNewParams{
		Model: "embed", Input: openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: []string{"a", "b"}}})
	if err != nil || len(res.Data) != 2 || e.seen(phoenix) != 1 {
		t.Fatalf("%v, phoenix saw %d", err, e.seen(phoenix))
	}
}

// TestRegionMetrics: /metrics has series per region — requests, errors by class, failovers, cool-downs,
// in-flight, tokens — and tokens per client key, whichever client API the key used.
func TestRegionMetrics(t *testing.T) {
	e := newRegionsEnv(t, []string{chicago, phoenix}, []handler.Model{pooled("grok", grokID, "GENERIC", "", chicago, phoenix)},
		func(o *handler.Options) {
			o.Keys = append(o.Keys, handler.Key{Name: "claude-team", Key: "sk-claude-team"})
		})
	e.sims[chicago].Always(ocisim.Fault{Status: 429})
	for range 2 {
		if _, err := e.chat("grok"); err != nil {
			t.Fatal(err)
		}
	}
	c := anthropic.NewClient(aoption.WithBaseURL(e.gateway.URL), aoption.WithAPIKey("sk-claude-team"), aoption.WithMaxRetries(0))
	if _, err := c.Messages.New(context.Background(), messageParams("grok")); err != nil {
		t.Fatal(err)
	}
	text := scrapeURL(t, e.gateway.URL)
	series := func(name, region string, extra ...string) float64 {
		labels := `model="xai.grok-4",region="` + region + `"`
		if len(extra) > 0 {
			labels = extra[0] + "," + labels
		}
		return metricValue(t, text, name+"{"+labels+"}")
	}
	for _, c := range []struct {
		got, want float64
		what      string
	}{
		{series("ociai_target_requests_total", chicago), 1, "chicago requests"},
		{series("ociai_target_errors_total", chicago, `class="throttled"`), 1, "chicago throttled"},
		{series("ociai_target_failovers_total", chicago), 1, "chicago failovers"},
		{series("ociai_target_cooldowns_total", chicago), 1, "chicago cool-downs"},
		{series("ociai_target_cooling_down", chicago), 1, "chicago cooling"},
		{series("ociai_target_requests_total", phoenix), 3, "phoenix requests"},
		{series("ociai_target_cooling_down", phoenix), 0, "phoenix cooling"},
		{series("ociai_target_in_flight", phoenix), 0, "phoenix in flight"},
		{series("ociai_target_tokens_total", phoenix, `direction="completion"`), 18, "phoenix completion tokens"},
		{metricValue(t, text, `ociai_key_tokens_total{direction="completion",key="tester"}`), 12, "tester's completion tokens"},
		{metricValue(t, text, `ociai_key_tokens_total{direction="completion",key="claude-team"}`), 6, "claude-team's completion tokens"},
		{metricValue(t, text, `ociai_key_tokens_total{direction="prompt",key="claude-team"}`), 1, "claude-team's prompt tokens"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.what, c.got, c.want)
		}
	}
}

func scrapeURL(t *testing.T, base string) string {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// TestCheckEveryRegion: /test-oci checks each region of a pooled model and names the one that fails.
func TestCheckEveryRegion(t *testing.T) {
	e := newRegionsEnv(t, []string{chicago, phoenix}, []handler.Model{pooled("grok", grokID, "GENERIC", "", chicago, phoenix)})
	e.sims[phoenix].Always(ocisim.Fault{Status: 404})
	var rep struct {
		Status, Region string
		Targets        []struct {
			Status, Region, Error string
			HTTPStatus            int `json:"http_status"`
		}
	}
	if status := e.checkGrok(t, &rep); status != 502 || rep.Status != "error" || rep.Region != chicago || len(rep.Targets) != 2 {
		t.Fatalf("%d %+v", status, rep)
	}
	if tg := rep.Targets[0]; tg.Status != "ok" || tg.Region != chicago {
		t.Errorf("chicago %+v", tg)
	}
	if tg := rep.Targets[1]; tg.Status != "error" || tg.Region != phoenix || tg.HTTPStatus != 404 || !strings.Contains(tg.Error, "NotAuthorizedOrNotFound") {
		t.Errorf("phoenix %+v", tg)
	}
}

func decodeJSON(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

// checkGrok calls /test-oci?model=grok with the key, decodes the report into rep and returns the status.
func (e *regionsEnv) checkGrok(t *testing.T, rep any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", e.gateway.URL+"/test-oci?model=grok", nil)
	req.Header.Set("Authorization", "Bearer "+testKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := decodeJSON(res.Body, rep); err != nil {
		t.Fatalf("%d: %v", res.StatusCode, err)
	}
	return res.StatusCode
}

// TestCheckModelsEveryRegion: /test-oci's [MODELS] check lists the models of every region the targets use, once
// per region, and judges each target in its own region: Llama 3.3 is served on demand in Chicago, not Phoenix.
func TestCheckModelsEveryRegion(t *testing.T) {
	e := newRegionsEnv(t, []string{chicago, phoenix}, []handler.Model{
		pooled("grok", grokID, "GENERIC", "", chicago, phoenix),
		pooled("llama", "meta.llama-3.3-70b-instruct", "GENERIC", "", chicago, phoenix),
	})
	var rep struct {
		Status  string
		Targets []struct{ Status, Region string }
		Models  struct {
			Checked, Problems int
			Results           []struct{ Name, Region, Status, Detail string }
		}
	}
	if status := e.checkGrok(t, &rep); status != 502 || rep.Status != "error" || len(rep.Targets) != 2 ||
		rep.Models.Checked != 4 || rep.Models.Problems != 1 {
		t.Fatalf("%d %+v", status, rep)
	}
	for _, r := range rep.Models.Results {
		want := "ok"
		if r.Name == "llama" && r.Region == phoenix {
			want = "missing"
		}
		if r.Status != want {
			t.Errorf("%s in %s: %s (%s), want %s", r.Name, r.Region, r.Status, r.Detail, want)
		}
	}
	for _, r := range []string{chicago, phoenix} {
		lists := 0
		for _, q := range e.sims[r].Requests() {
			if q.Path == modelsPath {
				lists++
			}
		}
		if lists != 1 {
			t.Errorf("%s listed its models %d times, want once", r, lists)
		}
	}
	anon, err := http.Get(e.gateway.URL + "/test-oci") // the cached check, as anyone sees it: regions and statuses only
	if err != nil {
		t.Fatal(err)
	}
	defer anon.Body.Close()
	body, _ := io.ReadAll(anon.Body)
	if anon.StatusCode != 502 || !strings.Contains(string(body), `"targets":[{"status":"ok","region":"us-chicago-1"`) {
		t.Errorf("anonymous: %d %s", anon.StatusCode, body)
	}
	for _, secret := range []string{"127.0.0.1", grokID, "llama", `"endpoint"`, `"results"`} {
		if strings.Contains(string(body), secret) {
			t.Errorf("the anonymous report shows %q: %s", secret, body)
		}
	}
}
