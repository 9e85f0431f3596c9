package gateway_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ociai/ociai-proxy/config"
	"github.com/ociai/ociai-proxy/gateway"
)

const vaultSecret = "ocid1.vaultsecret.oc1.us-chicago-1.amaaaaaagatewaysecret"

// syncLog is a log sink the refresh goroutine and the test may use at once.
type syncLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}
func (l *syncLog) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.buf.String() }

// vaultGateway is a gateway configured to take its keys from the simulator's Vault, signing with a resource
// principal as it does in Container Instances.
type vaultGateway struct {
	f    *fixture
	gw   *gateway.Gateway
	url  string
	logs *syncLog
	rpst string
}

func newVaultGateway(t *testing.T, content string) (*vaultGateway, error) {
	t.Helper()
	f := newFixture(t)
	v := &vaultGateway{f: f, logs: &syncLog{}, rpst: f.resourcePrincipal(t, "computecontainerinstance")}
	f.sim.PutSecret(vaultSecret, []byte(content))
	f.env["OCIAI_API_KEY_SECRET_OCID"] = vaultSecret
	f.env["OCIAI_SECRETS_ENDPOINT"] = f.url
	f.env["OCIAI_MAX_RETRIES"] = "0"
	res, err := config.Load(filepath.Join(f.dir, "absent.conf"), func(k string) string { return f.env[k] })
	if err != nil {
		t.Fatal(err)
	}
	// Far below the 10 s the configuration allows, so the test sees several refreshes quickly.
	res.Config.APIKeySecretRefresh = 20 * time.Millisecond
	log := slog.New(slog.NewTextHandler(v.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if v.gw, err = gateway.New(res.Config, gateway.Options{Logger: log}); err != nil {
		return nil, err
	}
	srv := httptest.NewServer(v.gw.Handler)
	t.Cleanup(srv.Close)
	v.url = srv.URL
	return v, nil
}

func (v *vaultGateway) status(t *testing.T, key string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, v.url+"/v1/models", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// secretReads returns the statuses of the simulator's answers to secret reads, oldest first.
func (v *vaultGateway) secretReads() []int {
	var out []int
	for _, r := range v.f.sim.Requests() {
		if strings.HasPrefix(r.Path, "/20190301/secretbundles/") {
			out = append(out, r.Status)
		}
	}
	return out
}

// waitFor polls cond until it holds; the deadline only bounds a broken test, it asserts no timing.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
	}
}

// TestVaultKeys: a client key read from a Vault secret authenticates, a rotated secret is picked up without a
// restart, and a failed or unusable refresh keeps the keys in use.
func TestVaultKeys(t *testing.T) {
	v, err := newVaultGateway(t, "alice=sk-alice-0001\n")
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]int{"sk-alice-0001": 200, "sk-gw": 200, "sk-bob-0002": 401} {
		if s := v.status(t, key); s != want {
			t.Errorf("%s before rotation: %d, want %d", key, s, want)
		}
	}
	reqs := v.f.sim.Requests()
	if auth := reqs[0].Header.Get("Authorization"); !strings.HasPrefix(reqs[0].Path, "/20190301/secretbundles/") || !strings.Contains(auth, `keyId="ST$`+v.rpst+`"`) {
		t.Errorf("first OCI call %s, Authorization %s: want the secret read, signed by the resource principal", reqs[0].Path, auth)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); v.gw.Run(ctx) }()
	defer func() { cancel(); <-done }()

	v.f.sim.PutSecret(vaultSecret, []byte("bob=sk-bob-0002"))
	waitFor(t, "the rotated key accepted", func() bool { return v.status(t, "sk-bob-0002") == 200 })
	if s := v.status(t, "sk-alice-0001"); s != 401 {
		t.Errorf("key removed from the secret: %d, want 401", s)
	}
	if s := v.status(t, "sk-gw"); s != 200 {
		t.Errorf("configured api_key after rotation: %d", s)
	}

	// Vault fails: the keys stay.
	v.f.sim.FailSecret(vaultSecret, http.StatusInternalServerError)
	waitFor(t, "a failed refresh", func() bool { r := v.secretReads(); return r[len(r)-1] == 500 })
	if s := v.status(t, "sk-bob-0002"); s != 200 {
		t.Errorf("key after a failed refresh: %d", s)
	}
	v.f.sim.FailSecret(vaultSecret, 0)

	// A version that holds no usable keys is refused: the keys stay.
	v.f.sim.PutSecret(vaultSecret, []byte("carol="))
	waitFor(t, "the bad version read", func() bool {
		return strings.Contains(v.logs.String(), "version 3): the secret's entry 1 (\\\"carol\\\"): empty key")
	})
	if s := v.status(t, "sk-bob-0002"); s != 200 {
		t.Errorf("key after an unusable version: %d", s)
	}

	cancel()
	<-done // Run ends with its context: no refresh goroutine outlives the gateway
	logs := v.logs.String()
	for _, secret := range []string{"sk-alice-0001", "sk-bob-0002", "sk-gw"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs show the key %s:\n%s", secret, logs)
		}
	}
	for _, want := range []string{`msg="API keys loaded from Vault" secret=` + vaultSecret + ` version=1 previous=0 names=[alice]`,
		`version=2 previous=1 names=[bob]`, `msg="API key refresh from Vault failed; the keys read before stay in use"`, "InternalServerError"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
}

// TestVaultKeysAtStart: a gateway whose secret cannot be read, or holds no usable key, does not start.
func TestVaultKeysAtStart(t *testing.T) {
	_, err := newVaultGateway(t, "")
	if err == nil || !strings.Contains(err.Error(), "the API keys in Vault secret "+vaultSecret+" (version 1): the secret holds no keys") {
		t.Errorf("empty secret: %v", err)
	}

	f := newFixture(t)
	f.env["OCIAI_API_KEY_SECRET_OCID"] = vaultSecret + "x"
	f.env["OCIAI_SECRETS_ENDPOINT"] = f.url
	for k, val := range map[string]string{"OCIAI_USER": f.id.User, "OCIAI_TENANCY": f.id.Tenancy, "OCIAI_FINGERPRINT": f.id.Fingerprint, "OCIAI_KEY_FILE": f.keyf, "OCIAI_REGION": "us-chicago-1"} {
		f.env[k] = val
	}
	res, err := config.Load(filepath.Join(f.dir, "absent.conf"), func(k string) string { return f.env[k] })
	if err != nil {
		t.Fatal(err)
	}
	_, err = gateway.New(res.Config, gateway.Options{Logger: slog.New(slog.DiscardHandler)})
	if err == nil || !strings.Contains(err.Error(), "read the API keys from Vault secret "+vaultSecret+"x: OCI Vault returned Not Found (NotAuthorizedOrNotFound)") {
		t.Errorf("missing secret: %v", err)
	}
	if reqs := f.sim.Requests(); len(reqs) != 1 || !strings.Contains(reqs[0].Header.Get("Authorization"), f.id.Fingerprint) {
		t.Errorf("want one read signed with the API key, got %d requests", len(reqs))
	}
}

// TestRunWithoutVault returns at once: nothing runs in the background without a secret.
func TestRunWithoutVault(t *testing.T) {
	f := newFixture(t)
	for k, val := range map[string]string{"OCIAI_USER": f.id.User, "OCIAI_TENANCY": f.id.Tenancy, "OCIAI_FINGERPRINT": f.id.Fingerprint, "OCIAI_KEY_FILE": f.keyf, "OCIAI_REGION": "us-chicago-1"} {
		f.env[k] = val
	}
	gw, _ := startGateway(t, f)
	gw.Run(context.Background()) // would block forever if it started a refresh loop
}
