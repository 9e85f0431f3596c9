package main

import (
	"bufio"
	"bytes"
	"context"
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
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	keyFile := filepath.Join(t.TempDir(), "key.pem")
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, []string{"-key-file", keyFile, "-token-delay", "1ms"}, pw) }()

	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	var info map[string]string
	if err := json.Unmarshal([]byte(line), &info); err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	if info["key_file"] != keyFile || !strings.HasPrefix(info["url"], "http://127.0.0.1:") || !strings.HasPrefix(info["tenancy"], "ocid1.tenancy.oc1..") {
		t.Errorf("info %v", info)
	}
	st, err := os.Stat(keyFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v %v", st, err)
	}
	pem, _ := os.ReadFile(keyFile)

	p := common.NewRawConfigurationProvider(info["tenancy"], info["user"], "us-chicago-1", info["fingerprint"], string(pem), nil)
	body := []byte(`{"compartmentId":"ocid1.compartment.oc1..x","servingMode":{"servingType":"ON_DEMAND","modelId":"xai.grok-4"},` +
		`"chatRequest":{"apiFormat":"GENERIC","isStream":true,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"hey"}]}]}}`)
	req, _ := http.NewRequest(http.MethodPost, info["url"]+"/20231130/actions/chat", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	if err := common.DefaultRequestSigner(p).Sign(req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(out), `"text":"hey"`) || !strings.HasSuffix(string(out), "data: [DONE]\n\n") {
		t.Errorf("%d %s", resp.StatusCode, out)
	}

	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after cancel")
	}
}
