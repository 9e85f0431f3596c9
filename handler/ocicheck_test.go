package handler_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ociai/ociai-proxy/handler"
	"github.com/ociai/ociai-proxy/ocisim"
)

const modelsPath = "/20231130/models"

// ociReport is /test-oci's answer as a client reads it.
type ociReport struct {
	Status       string  `json:"status"`
	Region       string  `json:"region"`
	Endpoint     string  `json:"endpoint"`
	Model        string  `json:"model"`
	OCIModel     string  `json:"oci_model"`
	OpcRequestID string  `json:"opc_request_id"`
	HTTPStatus   int     `json:"http_status"`
	Error        string  `json:"error"`
	Cached       bool    `json:"cached"`
	LatencyMS    float64 `json:"latency_ms"`
	Models       *struct {
		Checked  int    `json:"checked"`
		Problems int    `json:"problems"`
		Error    string `json:"error"`
		Results  []struct {
			Name, Status, Detail string
			OCIModel             string `json:"oci_model"`
		} `json:"results"`
	} `json:"models"`
}

// checkOCI calls /test-oci, with the test key unless anonymous, and decodes the report.
func checkOCI(t *testing.T, e *env, path string, anonymous bool) (int, ociReport, string) {
	t.Helper()
	var hdr []string
	if anonymous {
		hdr = []string{"Authorization", ""}
	}
	res := e.do(t, "GET", path, "", hdr...)
	body, _ := io.ReadAll(res.Body)
	var rep ociReport
	if err := json.Unmarshal(body, &rep); err != nil {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	return res.StatusCode, rep, string(body)
}

// simCalls counts the chat calls and ListModels calls the simulator answered.
func simCalls(e *env) (chats, lists int) {
	for _, r := range e.sim.Requests() {
		switch r.Path {
		case ociChatPath:
			chats++
		case modelsPath:
			lists++
		}
	}
	return chats, lists
}

const ociChatPath = "/20231130/actions/chat"

// TestCheckOCIWithoutKey: the seed's `curl http://localhost:8080/test-oci` works without a key, shows nothing
// secret, and however many callers come within a few seconds OCI sees one check.
func TestCheckOCIWithoutKey(t *testing.T) {
	e := newEnv(t)
	status, rep, body := checkOCI(t, e, "/test-oci", true)
	if status != 200 || rep.Status != "ok" || rep.Region != "us-chicago-1" || rep.OpcRequestID == "" || rep.Cached ||
		rep.Models == nil || rep.Models.Checked != len(testModels) || rep.Models.Problems != 0 {
		t.Fatalf("%d %s", status, body)
	}
	for _, secret := range []string{"ocid1.", e.simURL, "127.0.0.1", "meta.llama", testCompartment, testKey, `"endpoint"`, `"oci_model"`, `"results"`} {
		if strings.Contains(body, secret) {
			t.Errorf("the anonymous report shows %q: %s", secret, body)
		}
	}

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if status, rep, body := checkOCI(t, e, "/test-oci", true); status != 200 || !rep.Cached {
				t.Errorf("%d %s", status, body)
			}
		})
	}
	wg.Wait()
	status, rep, body = checkOCI(t, e, "/test-oci", false)
	if status != 200 || !rep.Cached || rep.Endpoint != e.simURL || rep.Model != "llama" || rep.OCIModel != "meta.llama-3.3-70b-instruct" ||
		rep.Models == nil || len(rep.Models.Results) != len(testModels) {
		t.Errorf("with the key: %d %s", status, body)
	}
	if chats, lists := simCalls(e); chats != 1 || lists != 1 {
		t.Errorf("10 checks within a few seconds made %d chat and %d ListModels calls, want 1 and 1", chats, lists)
	}
}

// TestCheckOCIOneCallAtATime: checks of different models (with the key) run one after the other.
func TestCheckOCIOneCallAtATime(t *testing.T) {
	var inFlight, most atomic.Int32
	e := newEnvWrapped(t, ocisim.Options{Latency: 20 * time.Millisecond}, func(sim http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == ociChatPath {
				n := inFlight.Add(1)
				defer inFlight.Add(-1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
			}
			sim.ServeHTTP(w, r)
		})
	})
	var wg sync.WaitGroup
	for _, m := range []string{"llama", "grok", "gemini", "command-a"} {
		wg.Go(func() {
			if status, _, body := checkOCI(t, e, "/test-oci?model="+m, false); status != 200 {
				t.Errorf("%s: %d %s", m, status, body)
			}
		})
	}
	wg.Wait()
	if chats, _ := simCalls(e); chats != 4 || most.Load() != 1 {
		t.Errorf("%d chat calls, at most %d at once; want 4, one at a time", chats, most.Load())
	}
}

// TestCheckOCIFindsModelProblems: a typo, an embedding model configured for chat and a retired-or-absent id
// show up in the [MODELS] check (ListModels); a dedicated endpoint is not checked.
func TestCheckOCIFindsModelProblems(t *testing.T) {
	e := newEnv(t, func(o *handler.Options) {
		o.Models = append(o.Models[:1:1],
			oneTarget("typo", "xai.grock-4", "GENERIC"),
			oneTarget("embed-as-chat", "cohere.embed-v4.0", "GENERIC"),
			handler.Model{Name: "ft", Targets: []handler.Target{{ID: "ocid1.generativeaiendpoint.oc1.us-chicago-1.x", Format: "GENERIC", Dedicated: true}}})
	})
	status, rep, body := checkOCI(t, e, "/test-oci", false)
	want := map[string]string{"llama": "ok", "typo": "missing", "embed-as-chat": "wrong_kind", "ft": "not_checked"}
	if status != 502 || rep.Status != "error" || rep.Error != "" || rep.Models == nil || rep.Models.Problems != 2 || len(rep.Models.Results) != 4 {
		t.Fatalf("%d %s", status, body)
	}
	for _, r := range rep.Models.Results {
		if want[r.Name] != r.Status {
			t.Errorf("%s: %s (%s), want %s", r.Name, r.Status, r.Detail, want[r.Name])
		}
	}
	if !strings.Contains(body, "OCI does not list this model id in us-chicago-1") {
		t.Errorf("no explanation for the typo: %s", body)
	}
	status, rep, body = checkOCI(t, e, "/test-oci", true)
	if status != 502 || rep.Models == nil || rep.Models.Problems != 2 || strings.Contains(body, "grock") {
		t.Errorf("anonymous: %d %s", status, body)
	}
}

// TestCheckOCIWithoutInspect: an identity that may chat but not list models passes, and is told which IAM verb
// the [MODELS] check needs.
func TestCheckOCIWithoutInspect(t *testing.T) {
	e := newEnvSim(t, ocisim.Options{NoModelInspect: true})
	status, rep, body := checkOCI(t, e, "/test-oci", false)
	if status != 200 || rep.Status != "ok" || rep.Models == nil || !strings.Contains(rep.Models.Error, "inspect generative-ai-model") {
		t.Errorf("%d %s", status, body)
	}
	e = newEnvSim(t, ocisim.Options{NoModelInspect: true})
	if status, rep, body = checkOCI(t, e, "/test-oci", true); status != 200 || rep.Models == nil || rep.Models.Error != "NotAuthorizedOrNotFound" {
		t.Errorf("anonymous: %d %s", status, body)
	}
}

// TestCheckOCIFailureWithoutKey: a failing call reports OCI's error code to anyone, its message to key holders.
func TestCheckOCIFailureWithoutKey(t *testing.T) {
	e := newEnv(t)
	e.sim.Inject(ocisim.Fault{Status: 401})
	status, rep, body := checkOCI(t, e, "/test-oci", true)
	if status != 502 || rep.Status != "error" || rep.HTTPStatus != 502 || rep.Error != "oci_auth_error (NotAuthenticated)" {
		t.Errorf("%d %s", status, body)
	}
	e = newEnv(t)
	e.sim.Inject(ocisim.Fault{Status: 401})
	if status, rep, body = checkOCI(t, e, "/test-oci", false); status != 502 || !strings.HasPrefix(rep.Error, "OCI rejected the gateway's own credentials") {
		t.Errorf("with the key: %d %s", status, body)
	}
}
