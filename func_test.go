package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ociai/ociai-proxy/ocisim"
)

const fnKey = "sk-function-test"

// fnProcess is the built function binary speaking the Fn contract on a unix socket, signing with resource
// principal credentials that the simulator issued.
type fnProcess struct {
	client *http.Client
	sim    *ocisim.Simulator
}

func startFunction(t *testing.T, extraEnv ...string) *fnProcess {
	t.Helper()
	return startFunctionSetup(t, nil, extraEnv...)
}

// startFunctionSetup is startFunction with setup run on the simulator before the function starts; it returns
// more environment for the function, which may name the simulator's URL.
func startFunctionSetup(t *testing.T, setup func(sim *ocisim.Simulator, url string) []string, extraEnv ...string) *fnProcess {
	t.Helper()
	dir := t.TempDir()
	bin := functionBinary(t)

	sim := ocisim.New(ocisim.Options{})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	rp, _, err := sim.ResourcePrincipal(dir, "us-chicago-1", map[string]any{
		"res_tenant": "ocid1.tenancy.oc1..fntenancy", "res_compartment": "ocid1.compartment.oc1..fncompartment",
		"res_type": "fnfunc", "res_id": "ocid1.fnfunc.oc1..fn",
	})
	if err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		extraEnv = append(extraEnv, setup(sim, srv.URL)...)
	}
	sock := filepath.Join(dir, "lsnr.sock")
	cmd := exec.Command(bin)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir,
		"FN_LISTENER=unix:" + sock, "FN_FORMAT=http-stream",
		"FN_APP_NAME=ociai", "FN_FN_NAME=ociai-proxy",
		"OCIAI_ENDPOINT=" + srv.URL,
		"OCIAI_MODELS=llama=meta.llama-3.3-70b-instruct,grok=xai.grok-4",
		"OCIAI_API_KEY=" + fnKey,
	}
	for k, v := range rp {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, extraEnv...)
	logs := background(t, cmd, "function")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Lstat(sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("function socket never appeared; output:\n%s", logs.String())
		}
	}
	return &fnProcess{sim: sim, client: &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		},
	}}}
}

// The function binary, built once per test run into a directory removed by TestMain.
var (
	fnBuild    sync.Once
	fnBin      string
	fnBuildErr error
)

func functionBinary(t *testing.T) string {
	t.Helper()
	fnBuild.Do(func() {
		dir, err := os.MkdirTemp("", "ociai-func-")
		if err != nil {
			fnBuildErr = err
			return
		}
		fnBin = filepath.Join(dir, "func")
		if out, err := exec.Command("go", "build", "-o", fnBin, ".").CombinedOutput(); err != nil {
			fnBuildErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if fnBuildErr != nil {
		t.Fatal(fnBuildErr)
	}
	return fnBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fnBin != "" {
		os.RemoveAll(filepath.Dir(fnBin))
	}
	os.Exit(code)
}

// TestFunctionVersion: the function binary answers -version and refuses arguments it does not take.
func TestFunctionVersion(t *testing.T) {
	out, err := exec.Command(functionBinary(t), "-version").Output()
	if err != nil || !regexp.MustCompile(`^ociai-proxy-func \S+ \(go1\.\d+\S* \w+/\w+\)\n$`).Match(out) {
		t.Errorf("-version: %q %v", out, err)
	}
	out, err = exec.Command(functionBinary(t), "serve").CombinedOutput()
	if err == nil || string(out) != "ociai-proxy-func: unexpected argument \"serve\": the function takes no arguments (only -version)\n" {
		t.Errorf("stray argument: %q %v", out, err)
	}
}

// background starts cmd for the rest of the test: it is killed when the test ends, and what it printed, kept in
// the returned buffer, is logged if the test failed.
func background(t *testing.T, cmd *exec.Cmd, what string) *bytes.Buffer {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("%s output:\n%s", what, out.String())
		}
	})
	return &out
}

type fnResult struct {
	status int // Fn-Http-Status
	header http.Header
	body   []byte
}

// call sends one API Gateway-originated request the way the Fn agent does.
func (f *fnProcess) call(t *testing.T, method, url, key, body string) fnResult {
	t.Helper()
	return f.callWithin(t, 30*time.Second, method, url, key, body)
}

func (f *fnProcess) callWithin(t *testing.T, deadline time.Duration, method, url, key, body string) fnResult {
	t.Helper()
	req, _ := http.NewRequest("POST", "http://localhost/call", strings.NewReader(body))
	req.Header.Set("Fn-Call-Id", "01TESTCALL")
	req.Header.Set("Fn-Deadline", time.Now().Add(deadline).UTC().Format(time.RFC3339Nano))
	req.Header.Set("Fn-Intent", "httprequest")
	req.Header.Set("Fn-Http-Method", method)
	req.Header.Set("Fn-Http-Request-Url", url)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Fn-Http-H-Authorization", "Bearer "+key)
	}
	res, err := f.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("socket status %d (the Fn contract always answers 200): %s", res.StatusCode, data)
	}
	var status int
	_, _ = fmt.Sscan(res.Header.Get("Fn-Http-Status"), &status)
	return fnResult{status: status, header: res.Header, body: data}
}

func TestFunctionOverFnSocket(t *testing.T) {
	f := startFunction(t)
	chat := `{"model":"llama","messages":[{"role":"user","content":"Hi from the function"}]}`

	r := f.call(t, "GET", "/openai/v1/models", fnKey, "")
	if r.status != 200 || !strings.Contains(string(r.body), `"id":"llama"`) {
		t.Fatalf("models: %d %s", r.status, r.body)
	}
	r = f.call(t, "POST", "/openai/v1/chat/completions", fnKey, chat)
	var comp struct {
		Choices []struct {
			Message struct{ Content string } `json:"message"`
		} `json:"choices"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &comp) != nil || comp.Choices[0].Message.Content != "Hello from meta.llama-3.3-70b-instruct! You said: Hi from the function" {
		t.Fatalf("chat: %d %s", r.status, r.body)
	}
	if r.header.Get("Content-Type") != "application/json" || r.header.Get("Fn-Http-H-X-Request-Id") == "" {
		t.Errorf("headers %v", r.header)
	}
	// The call was signed with the resource principal's session token and the compartment claim was used.
	reqs := f.sim.Requests()
	last := reqs[len(reqs)-1]
	if !strings.Contains(last.Header.Get("Authorization"), `keyId="ST$`) || !strings.Contains(string(last.Body), "ocid1.compartment.oc1..fncompartment") {
		t.Errorf("OCI request: %s %s", last.Header.Get("Authorization"), last.Body)
	}

	// stream: true comes back as one buffered SSE body, and OCI is called without streaming.
	r = f.call(t, "POST", "/openai/v1/chat/completions", fnKey, `{"model":"grok","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"stream please"}]}`)
	if r.status != 200 || r.header.Get("Content-Type") != "text/event-stream" || !strings.HasSuffix(string(r.body), "data: [DONE]\n\n") {
		t.Fatalf("stream: %d %v %s", r.status, r.header, r.body)
	}
	if !strings.Contains(string(r.body), `"role":"assistant"`) || !strings.Contains(string(r.body), `"usage"`) {
		t.Errorf("stream body %s", r.body)
	}
	if last := f.sim.Requests(); strings.Contains(string(last[len(last)-1].Body), `"isStream":true`) {
		t.Error("the function asked OCI to stream")
	}

	// Tools.
	r = f.call(t, "POST", "/v1/chat/completions", fnKey, `{"model":"grok","messages":[{"role":"user","content":"call get_weather for Oslo"}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]}`)
	if r.status != 200 || !strings.Contains(string(r.body), `"finish_reason":"tool_calls"`) || !strings.Contains(string(r.body), `get_weather`) {
		t.Fatalf("tools: %d %s", r.status, r.body)
	}

	// A wrong key, an unknown path, and health without a key.
	if r = f.call(t, "POST", "/openai/v1/chat/completions", "wrong", chat); r.status != 401 || !strings.Contains(string(r.body), "invalid_api_key") {
		t.Errorf("wrong key: %d %s", r.status, r.body)
	}
	if r = f.call(t, "GET", "/openai/nothing/here", fnKey, ""); r.status != 404 {
		t.Errorf("unknown path: %d %s", r.status, r.body)
	}
	if r = f.call(t, "GET", "/openai/health", "", ""); r.status != 200 {
		t.Errorf("health: %d %s", r.status, r.body)
	}
}

func TestFunctionWithoutKeyRefusesToServe(t *testing.T) {
	f := startFunction(t, "OCIAI_API_KEY=")
	r := f.call(t, "POST", "/openai/v1/chat/completions", "", `{"model":"llama","messages":[{"role":"user","content":"x"}]}`)
	if r.status != 503 || !strings.Contains(string(r.body), "OCIAI_API_KEY") {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if len(f.sim.Requests()) != 0 {
		t.Error("an unconfigured function called OCI")
	}
}

// TestFunctionHonoursFnDeadline: the OCI call (retries included) is bounded by the platform's deadline, so the
// client gets a clear 504 instead of the platform killing the call. OCI would answer in three hours and the
// gateway's own request timeout is two, so the only 504 that can come before go test's timeout is the one the
// Fn deadline (1.5 s) brings.
func TestFunctionHonoursFnDeadline(t *testing.T) {
	f := startFunction(t, "OCIAI_REQUEST_TIMEOUT=2h")
	f.sim.Inject(ocisim.Fault{FirstByteDelay: 3 * time.Hour})
	r := f.callWithin(t, 1500*time.Millisecond, "POST", "/openai/v1/chat/completions", fnKey, `{"model":"llama","messages":[{"role":"user","content":"x"}]}`)
	if r.status != 504 || !strings.Contains(string(r.body), `"code":"timeout"`) {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
}

// TestFunctionVaultKeys: the function reads its client keys from a Vault secret with its resource principal;
// no key sits in its configuration.
func TestFunctionVaultKeys(t *testing.T) {
	const secret = "ocid1.vaultsecret.oc1.us-chicago-1.amaaaaaafnsecret"
	f := startFunctionSetup(t, func(sim *ocisim.Simulator, url string) []string {
		sim.PutSecret(secret, []byte("cline=sk-from-vault-1"))
		return []string{"OCIAI_API_KEY_SECRET_OCID=" + secret, "OCIAI_SECRETS_ENDPOINT=" + url}
	}, "OCIAI_API_KEY=")
	if r := f.call(t, "GET", "/openai/v1/models", "sk-from-vault-1", ""); r.status != 200 {
		t.Fatalf("key from Vault: %d %s", r.status, r.body)
	}
	if r := f.call(t, "GET", "/openai/v1/models", fnKey, ""); r.status != 401 {
		t.Errorf("a key not in the secret: %d %s", r.status, r.body)
	}
	reqs := f.sim.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/20190301/secretbundles/"+secret || !strings.Contains(reqs[0].Header.Get("Authorization"), `keyId="ST$`) {
		t.Errorf("want one secret read signed by the resource principal, got %d requests", len(reqs))
	}
}
