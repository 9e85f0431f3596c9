package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// jsClients holds the npm project whose tests drive the gateway with the JavaScript clients people use: the
// official OpenAI SDK, the Vercel AI SDK and LangChain.js, at the versions pinned in its package-lock.json.
const jsClients = "testdata/jsclients"

// TestJavaScriptClients runs those clients' tests (node --test) against the built binary started with
// -simulate, exactly as a newcomer would start it. It needs Node.js 20 or newer and npm, and skips without
// them; the packages are installed once per lock file into the user cache directory.
func TestJavaScriptClients(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not running the Node.js clients")
	}
	node := nodeAtLeast(t, 20)
	modules := installJSClients(t)
	tests, err := filepath.Glob(filepath.Join(jsClients, "*.test.mjs"))
	if err != nil || len(tests) == 0 {
		t.Fatalf("no tests in %s: %v", jsClients, err)
	}
	// The tests run where node_modules is, so their imports resolve; copies are refreshed on every run.
	args := []string{"--test", "--test-reporter=spec"}
	for _, f := range tests {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(modules, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, filepath.Base(f))
	}

	s := start(t, t.TempDir(), nil, "-simulate")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = modules
	cmd.Env = append(os.Environ(), "OPENAI_BASE_URL="+s.url+"/v1", "OPENAI_API_KEY="+simulatorKey, "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	t.Logf("node --test:\n%s", out)
}

// nodeAtLeast returns the path of node if it and npm are installed and node's major version is at least
// major; otherwise it skips the test.
func nodeAtLeast(t *testing.T, major int) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("Node.js is not installed: skipping the JavaScript client tests")
	}
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed: skipping the JavaScript client tests")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		t.Fatalf("node --version: %v", err)
	}
	v := strings.TrimPrefix(strings.TrimSpace(string(out)), "v")
	if m, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0]); m < major {
		t.Skipf("Node.js %s is older than %d: skipping the JavaScript client tests", v, major)
	}
	return node
}

// installJSClients runs npm ci for jsClients into a directory of the user cache named after the lock file's
// hash, once; later runs reuse it. It installs into a fresh directory and renames it into place, so an
// interrupted or concurrent install never leaves a half-filled one behind.
func installJSClients(t *testing.T) string {
	t.Helper()
	lock, err := os.ReadFile(filepath.Join(jsClients, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := os.ReadFile(filepath.Join(jsClients, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(append(append([]byte{}, manifest...), lock...))
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "ociai-proxy", "jsclients-"+hex.EncodeToString(sum[:8]))
	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err == nil {
		return dir
	}

	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "install-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	for name, data := range map[string][]byte{"package.json": manifest, "package-lock.json": lock} {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--engine-strict", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in %s (the npm registry or npm's cache must be reachable): %v\n%s", jsClients, err, out)
	}
	// ENOTEMPTY: another run put its install in place first, which serves as well.
	if err := os.Rename(tmp, dir); err != nil && !errors.Is(err, fs.ErrExist) && !errors.Is(err, syscall.ENOTEMPTY) {
		t.Fatalf("installing the JavaScript clients: %v", err)
	}
	return dir
}
