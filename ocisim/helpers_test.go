package ocisim_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"

	"github.com/ociai/ociai-proxy/ocisim"
)

const compartment = "ocid1.compartment.oc1..aaaaaaaatest"

// testOnlyModels are served by the test simulators besides the catalogue (Options.ExtraModels): families
// OCI offers only to some tenancies or outside the default region, whose rules the tests cover.
var testOnlyModels = []string{"openai.gpt-5", "openai.gpt-5-mini", "openai.gpt-4.1", "openai.o1", "openai.o3", "openai.o3-mini",
	"openai.o4-mini", "cohere.command-a-reasoning-08-2025"}

// Identities are shared: RSA key generation dominates test time otherwise.
var (
	idOnce   sync.Once
	idA, idB ocisim.Identity
	idErr    error
)

func identities(t testing.TB) (ocisim.Identity, ocisim.Identity) {
	t.Helper()
	idOnce.Do(func() {
		if idA, idErr = ocisim.NewIdentity(); idErr == nil {
			idB, idErr = ocisim.NewIdentity()
		}
	})
	if idErr != nil {
		t.Fatal(idErr)
	}
	return idA, idB
}

// env is a simulator behind a real loopback HTTP server plus an SDK signer
// for a registered identity.
type env struct {
	t      testing.TB
	sim    *ocisim.Simulator
	srv    *httptest.Server
	id     ocisim.Identity
	signer common.HTTPRequestSigner
	logs   *logSink
}

type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (l *logSink) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, strings.TrimSpace(fmt.Sprintf(format, args...)))
}

func (l *logSink) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func newEnv(t testing.TB, opts ocisim.Options) *env {
	t.Helper()
	id, _ := identities(t)
	logs := &logSink{}
	if opts.Logf == nil {
		opts.Logf = logs.logf
	}
	if opts.ExtraModels == nil {
		opts.ExtraModels = testOnlyModels
	}
	sim := ocisim.New(opts)
	sim.AddIdentity(id)
	srv := httptest.NewServer(sim)
	t.Cleanup(func() {
		srv.CloseClientConnections() // held streams end when their client goes
		srv.Close()
	})
	return &env{t: t, sim: sim, srv: srv, id: id, signer: apiKeySigner(id), logs: logs}
}

func apiKeySigner(id ocisim.Identity) common.HTTPRequestSigner {
	return common.DefaultRequestSigner(rawProvider(id, id.PrivateKeyPEM))
}

func rawProvider(id ocisim.Identity, pem []byte) common.ConfigurationProvider {
	return common.NewRawConfigurationProvider(id.Tenancy, id.User, "us-chicago-1", id.Fingerprint, string(pem), nil)
}

// newRequest builds a POST signed by signer with the given Date.
func newRequest(t testing.TB, url string, body []byte, signer common.HTTPRequestSigner, date time.Time) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Date", date.UTC().Format(http.TimeFormat))
	if err := signer.Sign(req); err != nil {
		t.Fatal(err)
	}
	return req
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (e *env) do(req *http.Request) *http.Response {
	e.t.Helper()
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp
}

// post signs and sends body (any JSON value, or []byte) to path.
func (e *env) post(path string, body any) *http.Response {
	e.t.Helper()
	b, ok := body.([]byte)
	if !ok {
		b = mustJSON(e.t, body)
	}
	return e.do(newRequest(e.t, e.srv.URL+path, b, e.signer, time.Now()))
}

// call posts and decodes a JSON answer.
func (e *env) call(path string, body any) (int, map[string]any) {
	e.t.Helper()
	resp := e.post(path, body)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		e.t.Fatalf("status %d, body not JSON: %q", resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

func (e *env) chat(body any) (int, map[string]any) {
	e.t.Helper()
	return e.call("/20231130/actions/chat", body)
}

// stream posts a streaming chat and returns the raw data payloads
// (including "[DONE]").
func (e *env) stream(body any) (*http.Response, []string) {
	e.t.Helper()
	resp := e.post("/20231130/actions/chat", body)
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		raw, _ := io.ReadAll(resp.Body)
		e.t.Fatalf("stream status %d: %s", resp.StatusCode, raw)
	}
	return resp, readEvents(e.t, resp.Body)
}

func readEvents(t testing.TB, r io.Reader) []string {
	t.Helper()
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			t.Fatalf("line without data: prefix: %q", line)
		}
		out = append(out, data)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading stream: %v", err)
	}
	return out
}

// decodeEvents parses every payload but [DONE], failing on a missing pad.
func decodeEvents(t testing.TB, data []string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, d := range data {
		if d == "[DONE]" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(d), &m); err != nil {
			t.Fatalf("event not JSON: %q", d)
		}
		if p, _ := m["pad"].(string); p == "" || strings.Trim(p, "a") != "" {
			t.Fatalf("event without a pad of a's: %q", d)
		}
		delete(m, "pad")
		out = append(out, m)
	}
	return out
}

// envelope wraps a chatRequest in ChatDetails for an ON_DEMAND model.
func envelope(model string, chatRequest map[string]any) map[string]any {
	return map[string]any{
		"compartmentId": compartment,
		"servingMode":   map[string]any{"servingType": "ON_DEMAND", "modelId": model},
		"chatRequest":   chatRequest,
	}
}

func text(s string) []any { return []any{map[string]any{"type": "TEXT", "text": s}} }

func userMsg(s string) map[string]any { return map[string]any{"role": "USER", "content": text(s)} }

// generic builds a GENERIC chat request body.
func generic(model string, extra map[string]any, messages ...map[string]any) map[string]any {
	req := map[string]any{"apiFormat": "GENERIC", "messages": messages}
	for k, v := range extra {
		req[k] = v
	}
	return envelope(model, req)
}

// get walks decoded JSON: get(v, "chatResponse", "choices", 0, "message").
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func jsonString(t testing.TB, v any) string {
	t.Helper()
	return string(mustJSON(t, v))
}

func wantEq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func readAll(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
