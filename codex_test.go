package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ociai/ociai-proxy/internal/npmtest"
)

// codexProject pins the Codex CLI these tests run (@openai/codex, installed once per lock file).
const codexProject = "testdata/codex"

// codexConfig is the provider block the README gives, for a gateway at %[1]s serving model %[2]q, plus the
// settings a test wants: no update check, no analytics or feedback, and a model catalog.
const codexConfig = `model = %[2]q
model_provider = "ociai"
model_catalog_json = %[3]q
check_for_update_on_startup = false

[model_providers.ociai]
name = "OCI AI Proxy"
base_url = "%[1]s/v1"
env_key = "OCIAI_API_KEY"
wire_api = "responses"

[analytics]
enabled = false

[feedback]
enabled = false
`

// codexCatalog describes the model to Codex as the README says, so that Codex offers it apply_patch (a custom
// tool); Codex knows nothing of a name like "grok-4" otherwise.
const codexCatalog = `{"models":[{"slug":%[1]q,"display_name":%[1]q,"context_window":128000,"apply_patch_tool_type":"freeform",
"base_instructions":"You are Codex, a coding agent. Use the tools to run commands and edit files.",
"shell_type":"default","visibility":"list","supported_in_api":true,"priority":0,"truncation_policy":{"mode":"bytes","limit":10000},
"support_verbosity":false,"supports_parallel_tool_calls":true,"supported_reasoning_levels":[],"experimental_supported_tools":[]}]}`

// codex is the Codex CLI set up, in its own CODEX_HOME, to use one gateway.
type codex struct {
	bin string
	env []string
}

func newCodex(t *testing.T, gatewayURL, key, model string) *codex {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: not running Codex")
	}
	npmtest.Node(t, 20)
	bin := filepath.Join(npmtest.InstallDir(t, codexProject, "--engine-strict"), "node_modules", ".bin", "codex")
	home := t.TempDir()
	catalog := filepath.Join(home, "models.json")
	for name, data := range map[string]string{
		"config.toml": fmt.Sprintf(codexConfig, gatewayURL, model, catalog),
		"models.json": fmt.Sprintf(codexCatalog, model),
	} {
		if err := os.WriteFile(filepath.Join(home, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return &codex{bin: bin, env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "CODEX_HOME=" + home,
		"OCIAI_API_KEY=" + key, "NO_COLOR=1", "RUST_LOG=error"}}
}

// exec runs `codex exec` on prompt in dir and returns what it printed. The sandbox is off: the commands come
// from the simulator (pwd, a patch inside dir), and a container may not allow Codex's sandbox.
func (c *codex) exec(t *testing.T, dir, prompt string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, "exec", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox", "-C", dir, prompt)
	cmd.Env = c.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("codex exec %q: %v\n%s", prompt, err, out)
	}
	return string(out)
}

// codexSession makes Codex answer a prompt, run a command and read its output (a function tool round trip),
// and edit a file with apply_patch (a custom tool round trip), through the gateway at url.
func codexSession(t *testing.T, c *codex, modelID string) {
	dir := t.TempDir()
	if out := c.exec(t, dir, "Say hello to the gateway"); !strings.Contains(out, "Hello from "+modelID+"! You said: Say hello to the gateway") {
		t.Errorf("prompt: %s", out)
	}
	if out := c.exec(t, dir, "Use exec_command for pwd"); !strings.Contains(out, "The tool call_") || !strings.Contains(out, "returned:") ||
		!strings.Contains(out, "Process exited with code 0") || !strings.Contains(out, dir) {
		t.Errorf("tool round trip: %s", out)
	}
	out := c.exec(t, dir, "Use apply_patch for `*** Begin Patch\n*** Add File: hello.txt\n+Hello from Codex\n*** End Patch`")
	if got, err := os.ReadFile(filepath.Join(dir, "hello.txt")); err != nil || string(got) != "Hello from Codex\n" {
		t.Errorf("apply_patch: file %q, %v; codex said: %s", got, err, out)
	}
}

// TestCodexLocalServer runs Codex against the local server started as README's quick start does.
func TestCodexLocalServer(t *testing.T) {
	url := startLocalServer(t)
	codexSession(t, newCodex(t, url, "sk-simulator", "grok-4"), "xai.grok-4")
}

// TestCodexFunction runs Codex through the Function's buffered path: a loopback stand-in for API Gateway turns
// each HTTP request into an Fn call on the function's socket and sends back the whole, buffered answer.
func TestCodexFunction(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not running Codex")
	}
	f := startFunction(t)
	gw := httptest.NewServer(http.HandlerFunc(f.relay))
	t.Cleanup(gw.Close)
	codexSession(t, newCodex(t, gw.URL+"/openai", fnKey, "grok"), "xai.grok-4")
}

// relay is API Gateway in front of the function: the request, with its headers, becomes one Fn call.
func (f *fnProcess) relay(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req, _ := http.NewRequestWithContext(r.Context(), "POST", "http://localhost/call", bytes.NewReader(body))
	for k, vs := range r.Header {
		for _, v := range vs {
			req.Header.Add("Fn-Http-H-"+k, v)
		}
	}
	req.Header.Set("Fn-Call-Id", "01CODEXCALL")
	req.Header.Set("Fn-Deadline", time.Now().Add(time.Minute).UTC().Format(time.RFC3339Nano))
	req.Header.Set("Fn-Intent", "httprequest")
	req.Header.Set("Fn-Http-Method", r.Method)
	req.Header.Set("Fn-Http-Request-Url", r.URL.RequestURI())
	req.Header.Set("Content-Type", r.Header.Get("Content-Type"))
	res, err := f.client.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body) // API Gateway delivers the function's answer whole
	for k, vs := range res.Header {
		if name, ok := strings.CutPrefix(k, "Fn-Http-H-"); ok {
			w.Header()[http.CanonicalHeaderKey(name)] = vs
		}
	}
	w.Header().Set("Content-Type", res.Header.Get("Content-Type"))
	status, _ := strconv.Atoi(res.Header.Get("Fn-Http-Status"))
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// startLocalServer builds the local server and starts it with -simulate on a free loopback port; it returns its URL.
func startLocalServer(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "ociai-proxy")
	if out, err := exec.Command("go", "build", "-o", bin, "./localserver").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	cmd := exec.Command(bin, "-simulate", "-host", "127.0.0.1", "-port", port, "-config", filepath.Join(dir, "none.conf"))
	logs := background(t, cmd, "local server")
	url := "http://127.0.0.1:" + port
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if res, err := http.Get(url + "/health"); err == nil {
			res.Body.Close()
			return url
		}
		if time.Now().After(deadline) {
			t.Fatalf("the local server did not come up:\n%s", logs.String())
		}
	}
}
