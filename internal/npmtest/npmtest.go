// Package npmtest installs the pinned npm packages that tests drive the gateway with (JavaScript client SDKs,
// Claude Code) once per manifest and lock file, and skips those tests cleanly where Node.js or npm is missing.
package npmtest

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

// Node returns the path of node if it and npm are installed and node's major version is at least major;
// otherwise it skips the test.
func Node(t testing.TB, major int) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("Node.js is not installed: skipping the JavaScript client tests")
	}
	NPM(t)
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

// NPM skips the test when npm is not installed.
func NPM(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed: skipping the tests that need npm packages")
	}
}

// InstallDir installs the npm project in dir (its package.json and package-lock.json); see Install.
func InstallDir(t testing.TB, dir string, npmFlags ...string) string {
	t.Helper()
	manifest, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	lock, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	return Install(t, filepath.Base(dir), manifest, lock, npmFlags...)
}

// Install runs npm ci for a manifest and its lock file into a directory of the user cache named after name
// and their hash, once; later runs reuse it. It installs into a fresh directory and renames it into place, so
// an interrupted or concurrent install never leaves a half-filled one behind. It returns that directory.
func Install(t testing.TB, name string, manifest, lock []byte, npmFlags ...string) string {
	t.Helper()
	sum := sha256.Sum256(append(append([]byte{}, manifest...), lock...))
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "ociai-proxy", name+"-"+hex.EncodeToString(sum[:8]))
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
	for file, data := range map[string][]byte{"package.json": manifest, "package-lock.json": lock} {
		if err := os.WriteFile(filepath.Join(tmp, file), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append([]string{"ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"}, npmFlags...)
	cmd := exec.CommandContext(ctx, "npm", args...)
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci for %s (the npm registry or npm's cache must be reachable): %v\n%s", name, err, out)
	}
	// ENOTEMPTY: another run put its install in place first, which serves as well.
	if err := os.Rename(tmp, dir); err != nil && !errors.Is(err, fs.ErrExist) && !errors.Is(err, syscall.ENOTEMPTY) {
		t.Fatalf("installing %s: %v", name, err)
	}
	return dir
}
