package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"
)

// The command prints its identity, writes the key 0600, and answers
// requests signed with that key.
func TestRun(t *testing.T) {
	info := start(t)
	if !strings.HasPrefix(info["url"], "http://127.0.0.1:") || !strings.HasPrefix(info["tenancy"], "ocid1.tenancy.oc1..") {
		t.Errorf("info %v", info)
	}
	st, err := os.Stat(info["key_file"])
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v %v", st, err)
	}
	if proto := streamHey(t, info, http.DefaultClient); proto != "HTTP/1.1" {
		t.Errorf("protocol %s", proto)
	}
}

// With -tls-ca-file it serves HTTPS with the certificate it wrote there, and speaks HTTP/2 to a client that
// offers it (the OCI SDK's transport does) and HTTP/1.1 to one that does not.
func TestRunTLS(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "ca.pem")
	info := start(t, "-tls-ca-file", ca)
	if !strings.HasPrefix(info["url"], "https://127.0.0.1:") {
		t.Errorf("url %s", info["url"])
	}
	pool := x509.NewCertPool()
	certPEM, _ := os.ReadFile(ca)
	if !pool.AppendCertsFromPEM(certPEM) {
		t.Fatalf("no certificate in %s", ca)
	}
	h2 := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
	if proto := streamHey(t, info, h2); proto != "HTTP/2.0" {
		t.Errorf("protocol with HTTP/2 offered: %s", proto)
	}
	h1 := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if proto := streamHey(t, info, h1); proto != "HTTP/1.1" {
		t.Errorf("protocol without HTTP/2 offered: %s", proto)
	}
}

// start runs the command with args until the test ends and returns the identity line it printed.
func start(t *testing.T, args ...string) map[string]string {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	keyFile := filepath.Join(t.TempDir(), "key.pem")
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, append([]string{"-key-file", keyFile, "-token-delay", "1ms"}, args...), pw) }()
	t.Cleanup(func() {
		cancel()
		// A run that does not return after cancel fails through go test's timeout, not a guessed bound.
		if err := <-errc; err != nil {
			t.Error(err)
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	var info map[string]string
	if err := json.Unmarshal([]byte(line), &info); err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	if info["key_file"] != keyFile {
		t.Errorf("key file %q, want %q", info["key_file"], keyFile)
	}
	return info
}

// streamHey sends a signed streaming chat through hc, checks the answer and returns the protocol it came by.
func streamHey(t *testing.T, info map[string]string, hc *http.Client) string {
	t.Helper()
	pem, _ := os.ReadFile(info["key_file"])
	p := common.NewRawConfigurationProvider(info["tenancy"], info["user"], "us-chicago-1", info["fingerprint"], string(pem), nil)
	body := []byte(`{"compartmentId":"ocid1.compartment.oc1..x","servingMode":{"servingType":"ON_DEMAND","modelId":"xai.grok-4"},` +
		`"chatRequest":{"apiFormat":"GENERIC","isStream":true,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"hey"}]}]}}`)
	req, _ := http.NewRequest(http.MethodPost, info["url"]+"/20231130/actions/chat", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	if err := common.DefaultRequestSigner(p).Sign(req); err != nil {
		t.Fatal(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(out), `"text":"hey"`) || !strings.HasSuffix(string(out), "data: [DONE]\n\n") {
		t.Errorf("%d %s", resp.StatusCode, out)
	}
	return resp.Proto
}
