package handler_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/ociai/ociai-proxy/handler"
	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/ocisim"
)

const (
	testKey         = "sk-test-key"
	testCompartment = "ocid1.compartment.oc1..testcompartment"
)

// testModels covers each OCI vendor and its streaming pattern.
var testModels = []handler.Model{
	{Name: "llama", ID: "meta.llama-3.3-70b-instruct", Format: "GENERIC"},
	{Name: "grok", ID: "xai.grok-4", Format: "GENERIC"},
	{Name: "grok-mini", ID: "xai.grok-3-mini", Format: "GENERIC"},
	{Name: "gpt-oss", ID: "openai.gpt-oss-120b", Format: "GENERIC"},
	{Name: "gpt-5", ID: "openai.gpt-5", Format: "GENERIC"},
	{Name: "gemini", ID: "google.gemini-2.5-flash", Format: "GENERIC"},
	{Name: "command-a", ID: "cohere.command-a-03-2025", Format: "COHERE"},
	{Name: "command-r", ID: "cohere.command-r-08-2024", Format: "COHERE"},
	{Name: "command-a-vision", ID: "cohere.command-a-vision-07-2025", Format: "COHEREV2"},
	{Name: "embed", ID: "cohere.embed-v4.0", Format: "EMBED"},
	{Name: "embed-light", ID: "cohere.embed-english-light-v3.0", Format: "EMBED"},
}

// env is a gateway in front of the OCI simulator, both on loopback.
type env struct {
	sim     *ocisim.Simulator
	simURL  string
	simSrv  *httptest.Server
	oci     *ocigenai.Client
	gateway *httptest.Server
	handler *handler.Handler
	client  openai.Client
}

func newEnv(t *testing.T, mutate ...func(*handler.Options)) *env {
	t.Helper()
	return newEnvSim(t, ocisim.Options{}, mutate...)
}

func newEnvSim(t *testing.T, simOpt ocisim.Options, mutate ...func(*handler.Options)) *env {
	t.Helper()
	return newEnvWrapped(t, simOpt, nil, mutate...)
}

// newEnvWrapped serves the simulator through wrap (when not nil), to observe or disturb what OCI sees.
func newEnvWrapped(t *testing.T, simOpt ocisim.Options, wrap func(http.Handler) http.Handler, mutate ...func(*handler.Options)) *env {
	t.Helper()
	id, err := ocisim.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	if simOpt.ExtraModels == nil { // gpt-5: OCI serves OpenAI's own models only to some tenancies
		simOpt.ExtraModels = []string{"openai.gpt-5"}
	}
	sim := ocisim.New(simOpt)
	sim.AddIdentity(id)
	var simHandler http.Handler = sim
	if wrap != nil {
		simHandler = wrap(sim)
	}
	simSrv := httptest.NewServer(simHandler)
	t.Cleanup(simSrv.Close)

	ident, err := ocigenai.NewIdentity(ocigenai.Credentials{Tenancy: id.Tenancy, User: id.User, Fingerprint: id.Fingerprint, PrivateKeyPEM: id.PrivateKeyPEM})
	if err != nil {
		t.Fatal(err)
	}
	client, err := ocigenai.New(simSrv.URL, ident.Keys)
	if err != nil {
		t.Fatal(err)
	}
	// Tests opt in to retries (e.oci.SetRetryPolicy), so that one injected fault reaches the client as it is.
	client.SetRetryPolicy(ocigenai.RetryPolicy{})
	t.Cleanup(client.CloseIdleConnections)
	control, err := ocigenai.New(ocigenai.ControlEndpoint(simSrv.URL), ident.Keys) // the simulator serves ListModels too
	if err != nil {
		t.Fatal(err)
	}
	control.SetRetryPolicy(ocigenai.RetryPolicy{})
	t.Cleanup(control.CloseIdleConnections)
	opt := handler.Options{
		Models:            testModels,
		Keys:              []handler.Key{{Name: "tester", Key: testKey}, {Name: "other", Key: "sk-other"}},
		CompartmentID:     testCompartment,
		StreamIdleTimeout: 10 * time.Second,
		Version:           "test",
		Logger:            slog.New(slog.DiscardHandler),
		Region:            "us-chicago-1",
		ControlPlane:      control,
	}
	for _, m := range mutate {
		m(&opt)
	}
	h := handler.New(opt, client)
	client.OnRetry = h.RetryHook()
	gw := httptest.NewServer(h)
	t.Cleanup(gw.Close)
	return &env{
		sim: sim, simURL: simSrv.URL, simSrv: simSrv, oci: client, gateway: gw, handler: h,
		client: openai.NewClient(option.WithBaseURL(gw.URL+"/v1"), option.WithAPIKey(testKey), option.WithMaxRetries(0)),
	}
}

// do sends a raw request to the gateway with the test key.
func (e *env) do(t *testing.T, method, path, body string, hdr ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, e.gateway.URL+path, stringsReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testKey)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}
