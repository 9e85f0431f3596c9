package server

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// runOnce runs the binary at bin with args in dir until it exits, and returns its exit code and output.
func runOnce(t *testing.T, bin, dir string, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

// TestCommandLineFailsFirst: a mistyped command line stops the start with one line naming the flag, before
// the configuration is read (the directory's config.conf is broken on purpose and never mentioned).
func TestCommandLineFailsFirst(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "config.conf"), "this is not a config\n")
	writeTestFile(t, filepath.Join(dir, "garbage.pem"), "not a certificate\n")
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"simulate"}, `ociai-proxy: unexpected argument "simulate": ociai-proxy takes only flags; did you mean -simulate? (see -h)`},
		{[]string{"-simulate", "extra"}, `ociai-proxy: unexpected argument "extra": ociai-proxy takes only flags (see -h)`},
		{[]string{"-nosuch"}, "ociai-proxy: flag provided but not defined: -nosuch (see -h)"},
		{[]string{"-port", "70000"}, "ociai-proxy: -port 70000: not a port number (1-65535, or 0 for any free port)"},
		{[]string{"-host", "127.0.0.1", "-port", busyPort}, "ociai-proxy: -port " + busyPort + ": listen tcp 127.0.0.1:" + busyPort + ": bind: address already in use"},
		{[]string{"-tls-cert", "garbage.pem"}, "ociai-proxy: -tls-cert is set but -tls-key is not: HTTPS needs both"},
		{[]string{"-tls-key", "garbage.pem"}, "ociai-proxy: -tls-key is set but -tls-cert is not: HTTPS needs both"},
		{[]string{"-tls-cert", "missing.pem", "-tls-key", "garbage.pem"}, "ociai-proxy: -tls-cert: stat missing.pem: no such file or directory"},
		{[]string{"-tls-cert", "garbage.pem", "-tls-key", "missing.pem"}, "ociai-proxy: -tls-key: stat missing.pem: no such file or directory"},
		{[]string{"-tls-cert", "garbage.pem", "-tls-key", "garbage.pem"}, "ociai-proxy: -tls-cert garbage.pem / -tls-key garbage.pem: tls: failed to find any PEM data in certificate input"},
	} {
		code, stdout, stderr := runOnce(t, binary(t), dir, nil, append([]string{"-port", "0"}, tc.args...)...)
		if code != 1 || stderr != tc.want+"\n" || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr\n%q\nwant\n%q", tc.args, code, stdout, stderr, tc.want+"\n")
		}
	}
}

// TestKeyProblemsStopTheStart: a fingerprint that is not the key's, and an EC key, each stop the start with
// one line that names the problem.
func TestKeyProblemsStopTheStart(t *testing.T) {
	dir := t.TempDir()
	id, other := newIdentity(t), newIdentity(t)
	writeTestFile(t, filepath.Join(dir, "key.pem"), string(id.PrivateKeyPEM))
	writeTestFile(t, filepath.Join(dir, "ec.pem"), ecKeyPEM(t))
	conf := func(fingerprint, keyFile string) string {
		return "[DEFAULT]\nuser = " + id.User + "\nfingerprint = " + fingerprint + "\nkey_file = " + keyFile + "\ntenancy = " + id.Tenancy +
			"\nregion = us-chicago-1\napi_key = sk-0123456789abcdef\n[MODELS]\ngrok-4 = xai.grok-4\n"
	}
	for _, tc := range []struct{ conf, want string }{
		{conf(other.Fingerprint, "key.pem"), "fingerprint (config.conf [DEFAULT]): " + other.Fingerprint +
			" does not match key_file key.pem, whose fingerprint is " + id.Fingerprint + ": use the fingerprint the console shows"},
		{conf(id.Fingerprint, "ec.pem"), "key_file (config.conf [DEFAULT]): key file ec.pem: this is an EC (ECDSA) key; OCI API keys must be RSA"},
	} {
		writeTestFile(t, filepath.Join(dir, "config.conf"), tc.conf)
		code, _, stderr := runOnce(t, binary(t), dir, nil, "-port", "0")
		if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "ociai-proxy: invalid configuration (config.conf and environment): "+tc.want) {
			t.Errorf("exit %d, stderr\n%s\nwant one line with\n%s", code, stderr, tc.want)
		}
	}
}

// TestVersion: both binaries answer -version; a release stamps the version at build time; `go install` of
// cmd/ociai-proxy installs a binary named ociai-proxy.
func TestVersion(t *testing.T) {
	line := regexp.MustCompile(`^ociai-proxy \S+ \(go1\.\d+\S* \w+/\w+\)\n$`)
	for name, bin := range map[string]string{"cmd/ociai-proxy": binary(t), "localserver": builder("../localserver")(t)} {
		code, stdout, stderr := runOnce(t, bin, t.TempDir(), nil, "-version")
		if code != 0 || !line.MatchString(stdout) || stderr != "" {
			t.Errorf("%s -version: exit %d, %q %q", name, code, stdout, stderr)
		}
	}
	if code, stdout, stderr := runOnce(t, binary(t), t.TempDir(), nil, "-h"); code != 0 || stdout != "" ||
		!strings.HasPrefix(stderr, "Usage: ociai-proxy [flags]\n") || !strings.Contains(stderr, "-simulate") {
		t.Errorf("-h: exit %d, %q %q", code, stdout, stderr)
	}
	stamped := builder("../cmd/ociai-proxy", "-ldflags", "-X github.com/ociai/ociai-proxy/gateway.Version=1.2.3-test")(t)
	if _, stdout, _ := runOnce(t, stamped, t.TempDir(), nil, "-version"); !strings.HasPrefix(stdout, "ociai-proxy 1.2.3-test (go") {
		t.Errorf("stamped -version: %q", stdout)
	}
	out, err := exec.Command("go", "list", "-f", "{{.Target}}", "../cmd/ociai-proxy").Output()
	if err != nil {
		t.Fatal(err)
	}
	if base := filepath.Base(strings.TrimSpace(string(out))); base != "ociai-proxy" && base != "ociai-proxy.exe" {
		t.Errorf("go install would name the binary %q", base)
	}
}
