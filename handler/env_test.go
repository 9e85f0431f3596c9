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
	oneTarget("llama", "meta.llama-3.3-70b-instruct", "GENERIC"),
	oneTarget("grok", "xai.grok-4", "GENERIC"),
	oneTarget("grok-mini", "xai.grok-3-mini", "GENERIC"),
	oneTarget("gpt-oss", "openai.gpt-oss-120b", "GENERIC"),
	oneTarget("gpt-5", "openai.gpt-5", "GENERIC"),
	oneTarget("gemini", "google.gemini-2.5-flash", "GENERIC"),
	oneTarget("command-a", "cohere.command-a-03-2025", "COHERE"),
	oneTarget("command-r", "cohere.command-r-08-2024", "COHERE"),
	oneTarget("command-a-vision", "cohere.command-a-vision-07-2025", "COHEREV2"),
	oneTarget("embed", "cohere.embed-v4.0", "EMBED"),
	oneTarget("embed-light", "cohere.embed-english-light-v3.0", "EMBED"),
}

// testRegion is the region of the env's simulator.
const testRegion = "us-chicago-1"

// oneTarget is a model served by one target; the env points targets without an endpoint at its simulator.
func oneTarget(name, id, format string) handler.Model {
	return handler.Model{Name: name, Targets: []handler.Target{{ID: id, Format: format, Region: testRegion}}}
}

// atEndpoint is models with every target that has no endpoint sent to url.
func atEndpoint(models []handler.Model, url string) []handler.Model {
	out := make([]handler.Model, len(models))
	for i, m := range models {
		out[i] = m
		out[i].Targets = append([]handler.Target(nil), m.Targets...)
		for j := range out[i].Targets {
			if out[i].Targets[j].Endpoint == "" {
				out[i].Targets[j].Endpoint = url
			}
		}
	}
	return out
}

// newPool is a pool signing as id, with retries off unless popt says otherwise.
func newPool(t testing.TB, id ocisim.Identity, popt ...ocigenai.PoolOptions) *ocigenai.Pool {
	t.Helper()
	ident, err := ocigenai.NewIdentity(ocigenai.Credentials{Tenancy: id.Tenancy, User: id.User, Fingerprint: id.Fingerprint, PrivateKeyPEM: id.PrivateKeyPEM})
	if err != nil {
		t.Fatal(err)
	}
	pool := ocigenai.NewPool(ident.Keys, append(popt, ocigenai.PoolOptions{})[0])
	t.Cleanup(pool.CloseIdleConnections)
	return pool
}

// env is a gateway in front of the OCI simulator, both on loopback.
type env struct {
	sim     *ocisim.Simulator
	simURL  string
	simSrv  *httptest.Server
	oci     *ocigenai.Pool
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

	// Tests opt in to retries (e.oci.SetRetryPolicy), so that one injected fault reaches the client as it is.
	pool := newPool(t, id)
	opt := handler.Options{
		Models:            testModels,
		Keys:              []handler.Key{{Name: "tester", Key: testKey}, {Name: "other", Key: "sk-other"}},
		CompartmentID:     testCompartment,
		StreamIdleTimeout: 10 * time.Second,
		Version:           "test",
		Logger:            slog.New(slog.DiscardHandler),
		Region:            testRegion,
		Pool:              pool,
	}
	for _, m := range mutate {
		m(&opt)
	}
	opt.Models = atEndpoint(opt.Models, simSrv.URL)
	h, err := handler.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	pool.OnRetry = h.RetryHook()
	gw := httptest.NewServer(h)
	t.Cleanup(gw.Close)
	return &env{
		sim: sim, simURL: simSrv.URL, simSrv: simSrv, oci: pool, gateway: gw, handler: h,
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
