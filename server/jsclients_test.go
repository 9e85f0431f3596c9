package server

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ociai/ociai-proxy/internal/npmtest"
)

// jsClients holds the npm project whose tests drive the gateway with the JavaScript clients people use: the
// official OpenAI and Anthropic SDKs, the Vercel AI SDK (its OpenAI-compatible provider on chat completions, its
// OpenAI provider on the Responses API), the OpenAI Agents SDK and LangChain.js, at the versions pinned in its
// package-lock.json.
const jsClients = "testdata/jsclients"

// TestJavaScriptClients runs those clients' tests (node --test) against the built binary started with
// -simulate, exactly as a newcomer would start it. It needs Node.js 20 or newer and npm, and skips without
// them; the packages are installed once per lock file into the user cache directory.
func TestJavaScriptClients(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not running the Node.js clients")
	}
	node := npmtest.Node(t, 20)
	modules := npmtest.InstallDir(t, jsClients, "--engine-strict")
	sources, err := filepath.Glob(filepath.Join(jsClients, "*.mjs"))
	if err != nil || len(sources) == 0 {
		t.Fatalf("no tests in %s: %v", jsClients, err)
	}
	// The tests (and the modules they share) run where node_modules is, so their imports resolve; copies are
	// refreshed on every run.
	args := []string{"--test", "--test-reporter=spec"}
	for _, f := range sources {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(modules, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, ".test.mjs") {
			args = append(args, filepath.Base(f))
		}
	}

	s := start(t, t.TempDir(), nil, "-simulate")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = modules
	cmd.Env = append(os.Environ(), "OPENAI_BASE_URL="+s.url+"/v1", "OPENAI_API_KEY="+simulatorKey, "ANTHROPIC_BASE_URL="+s.url, "ANTHROPIC_API_KEY="+simulatorKey, "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	t.Logf("node --test:\n%s", out)
}
