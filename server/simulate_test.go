package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSimulateWithConfig: with a config.conf, -simulate plays its region with its models and key, says so,
// and a model id that region does not serve (a typo) fails offline as it would on OCI.
func TestSimulateWithConfig(t *testing.T) {
	dir := t.TempDir()
	seed, err := os.ReadFile("../config/testdata/seed.conf")
	if err != nil {
		t.Fatal(err)
	}
	conf := strings.Replace(string(seed), "grok-3 = xai.grok-3  ", "grok-3 = xai.grock-3  ", 1) // a typo
	conf = strings.Replace(conf, "api_key = auto_generated_key", "api_key = sk-my-own-key-0123456789", 1)
	writeTestFile(t, filepath.Join(dir, "config.conf"), conf)
	s := start(t, dir, nil, "-simulate")
	for _, line := range []string{" plays us-phoenix-1; no OCI account is used", "\nModels from config.conf: grok-4, grok-3, grok-3-mini, grok-3-fast, grok-3-mini-fast\n",
		"\nAPI key: the api_key in config.conf\n"} {
		waitOutput(t, s, line)
	}
	if strings.Contains(s.output(), "sk-my-own-key") {
		t.Error("the configured key was printed")
	}
	res, body := s.chat(t, "sk-my-own-key-0123456789", `{"model":"grok-3-mini-fast","messages":[{"role":"user","content":"Hi"}]}`)
	if res.StatusCode != 200 || !strings.Contains(body, "Hello from xai.grok-3-mini-fast! You said: Hi") {
		t.Errorf("grok-3-mini-fast: %d %s", res.StatusCode, body)
	}
	res, body = s.chat(t, "sk-my-own-key-0123456789", `{"model":"grok-3","messages":[{"role":"user","content":"Hi"}]}`)
	if res.StatusCode != 404 || !strings.Contains(body, "NotAuthorizedOrNotFound: Entity with key xai.grock-3 not found") {
		t.Errorf("the typo was not caught: %d %s", res.StatusCode, body)
	}
	// /test-oci names it before any chat fails, from the region's model list.
	if code, body := get(t, s.url+"/test-oci", "sk-my-own-key-0123456789"); code != 502 ||
		!strings.Contains(body, `{"name":"grok-3","oci_model":"xai.grock-3","region":"us-phoenix-1","status":"missing"`) {
		t.Errorf("/test-oci: %d %s", code, body)
	}
	// A wrong key is told where the right one is.
	if res, body := s.chat(t, "sk-wrong", `{"model":"grok-4","messages":[]}`); res.StatusCode != 401 ||
		!strings.Contains(body, "This gateway runs with -simulate; its key: the api_key in config.conf.") {
		t.Errorf("401: %s", body)
	}
}

// TestSimulateFailureLeavesNothing: a -simulate start that fails after the simulator was set up (here the
// config is invalid) exits with one line and leaves nothing in the temp directory.
func TestSimulateFailureLeavesNothing(t *testing.T) {
	dir, tmp := t.TempDir(), t.TempDir()
	writeTestFile(t, filepath.Join(dir, "config.conf"), "[DEFAULT]\nregion = us-chicago-1\napi_key = sk-0123456789abcdef\n")
	code, _, stderr := runOnce(t, binary(t), dir, []string{"TMPDIR=" + tmp}, "-port", "0", "-simulate")
	if code != 1 || !strings.Contains(stderr, "models: none configured") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("left behind in TMPDIR: %v", left)
	}
}

// TestSimulatePlaysEveryRegion: -simulate plays every region the configuration names, [ENDPOINTS] included (its
// URLs, even the default region's, give way to the simulators'), each with its own catalogue: a model pooled over
// Chicago and Frankfurt answers from both in turn, and /test-oci finds Grok missing in Frankfurt.
func TestSimulatePlaysEveryRegion(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "config.conf"), "[DEFAULT]\nregion = us-chicago-1\napi_key = sk-0123456789abcdef\n"+
		"[MODELS]\nllama = meta.llama-3.3-70b-instruct, meta.llama-3.3-70b-instruct@eu-frankfurt-1\nllama.strategy = spread\n"+
		"grok = xai.grok-4@eu-frankfurt-1\n"+
		"[ENDPOINTS]\nus-chicago-1 = https://genai.chicago.private.example\nus-phoenix-1 = https://genai.phoenix.private.example\n")
	s := start(t, dir, nil, "-simulate")
	for _, line := range []string{" plays us-chicago-1; no OCI account is used", " plays eu-frankfurt-1.\n", " plays us-phoenix-1.\n"} {
		waitOutput(t, s, line)
	}
	for range 2 {
		if res, body := s.chat(t, "sk-0123456789abcdef", `{"model":"llama","messages":[{"role":"user","content":"Hi"}]}`); res.StatusCode != 200 {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
	}
	waitOutput(t, s, "model=llama stream=false key=default")
	waitOutput(t, s, " region=us-chicago-1\n")
	waitOutput(t, s, " region=eu-frankfurt-1\n")
	if code, body := get(t, s.url+"/test-oci", "sk-0123456789abcdef"); code != 502 ||
		!strings.Contains(body, `{"name":"grok","oci_model":"xai.grok-4","region":"eu-frankfurt-1","status":"missing"`) ||
		strings.Contains(body, "private.example") {
		t.Errorf("/test-oci: %d %s", code, body)
	}
}
