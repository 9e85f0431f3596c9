// Package nodetest gives tests Node.js and the npm projects they drive (client SDKs, Codex), pinned by their
// lock files and installed once per lock into the user cache; without Node.js or npm the tests skip.
package nodetest

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

// Install runs npm ci for the project in dir (its package.json and package-lock.json) into a directory of the
// user cache named after the project and the hash of both files, once; later runs reuse it. It installs into
// a fresh directory and renames it into place, so an interrupted or concurrent install never leaves a
// half-filled one behind. It returns the directory holding node_modules.
func Install(t testing.TB, dir string) string {
	t.Helper()
	lock, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(append(append([]byte{}, manifest...), lock...))
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	into := filepath.Join(cache, "ociai-proxy", filepath.Base(dir)+"-"+hex.EncodeToString(sum[:8]))
	if _, err := os.Stat(filepath.Join(into, "node_modules", ".package-lock.json")); err == nil {
		return into
	}

	if err := os.MkdirAll(filepath.Dir(into), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(into), "install-")
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
		t.Fatalf("npm ci in %s (the npm registry or npm's cache must be reachable): %v\n%s", dir, err, out)
	}
	// ENOTEMPTY: another run put its install in place first, which serves as well.
	if err := os.Rename(tmp, into); err != nil && !errors.Is(err, fs.ErrExist) && !errors.Is(err, syscall.ENOTEMPTY) {
		t.Fatalf("installing %s: %v", dir, err)
	}
	return into
}
