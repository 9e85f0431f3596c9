package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/ociai/ociai-proxy/ocisim"
)

// TestSeedConfigAsWritten is the original "OCI AI Proxy" user's first run: its README's config.conf,
// verbatim but for the credentials (the key sits at its ./your_private_key.pem), against an OCI simulator
// playing its region, us-phoenix-1. The key is generated into the api_key line with every comment kept, the
// seed's debug commands answer, grok-3-mini-fast chats with 4000 max tokens in the tenancy, and a restart
// keeps the key and the file.
func TestSeedConfigAsWritten(t *testing.T) {
	id := newIdentity(t)
	sim := ocisim.New(ocisim.Options{Region: "us-phoenix-1"})
	sim.AddIdentity(id)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)

	dir := t.TempDir()
	seed, err := os.ReadFile("../config/testdata/seed.conf")
	if err != nil {
		t.Fatal(err)
	}
	conf := strings.NewReplacer("ocid1.user.oc1..your_user_ocid", id.User, "your_key_fingerprint", id.Fingerprint,
		"ocid1.tenancy.oc1..your_tenancy_ocid", id.Tenancy).Replace(string(seed))
	path := filepath.Join(dir, "config.conf")
	writeTestFile(t, path, conf)
	writeTestFile(t, filepath.Join(dir, "your_private_key.pem"), string(id.PrivateKeyPEM))
	env := []string{"OCIAI_ENDPOINT=" + srv.URL} // the simulator instead of inference.generativeai.us-phoenix-1…

	s := start(t, dir, env)
	// stdout is no terminal here, so the key is only in the file and the log says which file that is.
	waitOutput(t, s, `it is in the config file, not in this log" file=config.conf`)
	saved, _ := os.ReadFile(path)
	m := regexp.MustCompile(`(?m)^api_key = ([0-9a-f]{32})  # 首次运行时自动生成$`).FindStringSubmatch(string(saved))
	if m == nil {
		t.Fatalf("no generated key in config.conf:\n%s", saved)
	}
	key := m[1]
	want := strings.Replace(conf, "api_key = auto_generated_key  # 首次运行时自动生成", "api_key = "+key+"  # 首次运行时自动生成", 1)
	if string(saved) != want {
		t.Fatalf("config.conf rewritten as\n%q\nwant\n%q", saved, want)
	}

	// The seed's debug commands: /test-oci without a key, the models with it, the health check.
	if code, body := get(t, s.url+"/test-oci", ""); code != 200 || !strings.Contains(body, `"status":"ok"`) ||
		!strings.Contains(body, `"models":{"checked":5,"problems":0}`) || strings.Contains(body, "ocid1.") {
		t.Errorf("curl /test-oci: %d %s", code, body)
	}
	if code, body := get(t, s.url+"/health", ""); code != 200 || !strings.Contains(body, `"status":"ok"`) || !strings.Contains(body, `"models":5`) {
		t.Errorf("curl /health: %d %s", code, body)
	}
	if code, body := get(t, s.url+"/v1/models", key); code != 200 || !strings.Contains(body, `"id":"grok-3-mini-fast"`) {
		t.Errorf("curl -H 'Authorization: Bearer <key>' /v1/models: %d %s", code, body)
	}

	res, body := s.chat(t, key, `{"model":"grok-3-mini-fast","messages":[{"role":"user","content":"你好"}]}`)
	if res.StatusCode != 200 || !strings.Contains(body, "Hello from xai.grok-3-mini-fast! You said: 你好") {
		t.Fatalf("chat: %d %s", res.StatusCode, body)
	}
	reqs := sim.Requests()
	var sent struct {
		CompartmentID string `json:"compartmentId"`
		ChatRequest   struct {
			MaxTokens int  `json:"maxTokens"`
			IsStream  bool `json:"isStream"`
		} `json:"chatRequest"`
	}
	if err := json.Unmarshal(reqs[len(reqs)-1].Body, &sent); err != nil {
		t.Fatal(err)
	}
	if sent.CompartmentID != id.Tenancy || sent.ChatRequest.MaxTokens != 4000 || sent.ChatRequest.IsStream {
		t.Errorf("OCI got compartment %s, maxTokens %d, stream %v", sent.CompartmentID, sent.ChatRequest.MaxTokens, sent.ChatRequest.IsStream)
	}

	s.stop(t)
	again := start(t, dir, env)
	waitOutput(t, again, "msg=listening")
	if strings.Contains(again.output(), "generated an API key") {
		t.Errorf("a new key was generated on restart:\n%s", again.output())
	}
	if saved, _ := os.ReadFile(path); string(saved) != want {
		t.Errorf("restart changed config.conf:\n%q", saved)
	}
	if res, body := again.chat(t, key, `{"model":"grok-4","messages":[{"role":"user","content":"Hi"}]}`); res.StatusCode != 200 {
		t.Errorf("after restart: %d %s", res.StatusCode, body)
	}
}

// get fetches url, with a Bearer key when key is not empty.
func get(t *testing.T, url, key string) (int, string) {
	t.Helper()
	res, body := call(t, http.MethodGet, url, key, "")
	return res.StatusCode, body
}

// stop ends the server with SIGTERM and waits for it to exit cleanly.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	s.waitExit(t)
}
