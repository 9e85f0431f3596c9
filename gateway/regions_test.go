package gateway_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/openai/openai-go/v3"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/ociai/ociai-proxy/ocisim"
)

// collector is an OTLP/HTTP trace receiver: it keeps the spans POSTed to /v1/traces.
type collector struct {
	mu    sync.Mutex
	spans []*tracepb.Span
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req collectortrace.ExportTraceServiceRequest
	if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" || proto.Unmarshal(body, &req) != nil {
		http.Error(w, "bad export", http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			c.spans = append(c.spans, ss.Spans...)
		}
	}
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-protobuf")
	out, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
	_, _ = w.Write(out)
}

func strAttr(s *tracepb.Span, key string) string {
	for _, kv := range s.Attributes {
		if kv.Key == key {
			return kv.Value.GetStringValue()
		}
	}
	return ""
}

// TestRegionsFromConfig runs the whole composition — [MODELS] targets in two regions, their endpoints from
// OCIAI_ENDPOINTS, dedicated endpoints placed by their OCID, OTLP export from the standard variables — against one
// simulator per region and an OTLP collector.
func TestRegionsFromConfig(t *testing.T) {
	id, err := ocisim.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	sims := map[string]*ocisim.Simulator{}
	urls := map[string]string{}
	for _, r := range []string{"us-chicago-1", "us-phoenix-1"} {
		sims[r] = ocisim.New(ocisim.Options{Region: r})
		sims[r].AddIdentity(id)
		srv := httptest.NewServer(sims[r])
		t.Cleanup(srv.Close)
		urls[r] = srv.URL
	}
	col := &collector{}
	colSrv := httptest.NewServer(col)
	t.Cleanup(colSrv.Close)
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", colSrv.URL) // read by the gateway (Options.Getenv unset) and the exporter

	f := &fixture{dir: t.TempDir()}
	f.env = map[string]string{
		"OCIAI_USER": id.User, "OCIAI_TENANCY": id.Tenancy, "OCIAI_FINGERPRINT": id.Fingerprint,
		"OCIAI_KEY_FILE": f.write(t, "key.pem", id.PrivateKeyPEM), "OCIAI_REGION": "us-chicago-1",
		"OCIAI_ENDPOINT":  urls["us-chicago-1"],
		"OCIAI_ENDPOINTS": "phx=" + urls["us-phoenix-1"],
		"OCIAI_MODELS": "grok=xai.grok-4,xai.grok-4@us-phoenix-1," +
			"mine=ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaaaaord,ocid1.generativeaiendpoint.oc1.phx.amaaaaaaphx,mine.strategy=spread",
		"OCIAI_API_KEY": "sk-gw", "OCIAI_COMPARTMENT_ID": "ocid1.compartment.oc1..gwtest",
	}
	gw, client := startGateway(t, f)
	ask := func(model string) string {
		t.Helper()
		comp, err := client.Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{
			Model: model, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")}})
		if err != nil {
			t.Fatal(err)
		}
		return comp.Choices[0].Message.Content
	}

	// Dedicated endpoints: each OCID reaches its own region's simulator (which knows no other region's).
	got := map[string]bool{ask("mine"): true, ask("mine"): true}
	if !got["Hello from ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaaaaord! You said: hi"] || !got["Hello from ocid1.generativeaiendpoint.oc1.phx.amaaaaaaphx! You said: hi"] {
		t.Errorf("spread over the dedicated endpoints: %v", got)
	}

	// Chicago throttles: grok fails over to phoenix, and the trace shows both attempts.
	sims["us-chicago-1"].Always(ocisim.Fault{Status: 429})
	if got := ask("grok"); got != "Hello from xai.grok-4! You said: hi" {
		t.Fatalf("grok: %q", got)
	}
	if err := gw.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	col.mu.Lock()
	defer col.mu.Unlock()
	var regions []string
	for _, s := range col.spans {
		if s.Kind == tracepb.Span_SPAN_KIND_CLIENT && strAttr(s, "gen_ai.request.model") == "xai.grok-4" {
			regions = append(regions, strAttr(s, "cloud.region"))
		}
	}
	if len(regions) != 2 || regions[0] != "us-chicago-1" || regions[1] != "us-phoenix-1" {
		t.Errorf("exported attempt spans of grok in regions %v, want chicago then phoenix (%d spans in all)", regions, len(col.spans))
	}
}
