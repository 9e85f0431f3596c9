package gateway_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/ociai/ociai-proxy/config"
	"github.com/ociai/ociai-proxy/gateway"
	"github.com/ociai/ociai-proxy/ocisim"
)

// Each OCI auth mode is loaded from configuration alone and must produce requests the simulator accepts.

type fixture struct {
	sim  *ocisim.Simulator
	url  string
	dir  string
	env  map[string]string
	id   ocisim.Identity
	keyf string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	id, err := ocisim.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	sim := ocisim.New(ocisim.Options{})
	sim.AddIdentity(id)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	f := &fixture{sim: sim, url: srv.URL, dir: t.TempDir(), id: id}
	f.keyf = f.write(t, "key.pem", id.PrivateKeyPEM)
	f.env = map[string]string{
		"HOME":                 f.dir,
		"OCIAI_ENDPOINT":       srv.URL,
		"OCIAI_MODELS":         "llama=meta.llama-3.3-70b-instruct",
		"OCIAI_API_KEY":        "sk-gw",
		"OCIAI_COMPARTMENT_ID": "ocid1.compartment.oc1..gwtest",
		"OCIAI_LOG_LEVEL":      "error",
	}
	return f
}

func (f *fixture) write(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(f.dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// startGateway loads the configuration from f.env, builds the gateway behind a loopback server and returns an
// OpenAI client for it.
func startGateway(t *testing.T, f *fixture) (*gateway.Gateway, openai.Client) {
	t.Helper()
	res, err := config.Load(filepath.Join(f.dir, "absent.conf"), func(k string) string { return f.env[k] })
	if err != nil {
		t.Fatal(err)
	}
	gw, err := gateway.New(res.Config, gateway.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gw.Handler)
	t.Cleanup(srv.Close)
	return gw, openai.NewClient(option.WithBaseURL(srv.URL+"/v1"), option.WithAPIKey("sk-gw"), option.WithMaxRetries(0))
}

// send makes one chat call through client.
func send(client openai.Client) (*openai.ChatCompletion, error) {
	return client.Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{
		Model: "llama", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("auth check")},
	})
}

// chat starts a gateway from f.env, sends one chat through it and returns the Authorization header OCI saw.
func (f *fixture) chat(t *testing.T) string {
	t.Helper()
	_, client := startGateway(t, f)
	return f.chatVia(t, client).Header.Get("Authorization")
}

// chatVia sends one chat through client, checks the answer and returns the last request OCI saw.
func (f *fixture) chatVia(t *testing.T, client openai.Client) ocisim.Request {
	t.Helper()
	comp, err := send(client)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Hello from meta.llama-3.3-70b-instruct! You said: auth check"; comp.Choices[0].Message.Content != want {
		t.Fatalf("content %q", comp.Choices[0].Message.Content)
	}
	reqs := f.sim.Requests()
	return reqs[len(reqs)-1]
}

func TestAPIKeyFromFile(t *testing.T) {
	f := newFixture(t)
	for k, v := range map[string]string{"OCIAI_USER": f.id.User, "OCIAI_TENANCY": f.id.Tenancy, "OCIAI_FINGERPRINT": f.id.Fingerprint, "OCIAI_KEY_FILE": f.keyf, "OCIAI_REGION": "us-chicago-1"} {
		f.env[k] = v
	}
	if auth := f.chat(t); !strings.Contains(auth, `keyId="`+f.id.Tenancy+"/"+f.id.User+"/"+f.id.Fingerprint+`"`) {
		t.Errorf("Authorization %s", auth)
	}
}

func TestAPIKeyInlinePEM(t *testing.T) {
	f := newFixture(t)
	for k, v := range map[string]string{"OCIAI_USER": f.id.User, "OCIAI_TENANCY": f.id.Tenancy, "OCIAI_FINGERPRINT": f.id.Fingerprint, "OCIAI_REGION": "us-chicago-1",
		// Container platforms often flatten newlines; the escaped form must work too.
		"OCIAI_PRIVATE_KEY": strings.ReplaceAll(string(f.id.PrivateKeyPEM), "\n", `\n`)} {
		f.env[k] = v
	}
	f.chat(t)
}

func TestConfigFileSessionToken(t *testing.T) {
	f := newFixture(t)
	session, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	token := f.sim.IssueToken(&session.PublicKey, map[string]any{"sub": "ocid1.user.oc1..session", "tenant": f.id.Tenancy}, time.Hour)
	der, _ := x509.MarshalPKCS8PrivateKey(session)
	keyFile := f.write(t, "session.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	tokenFile := f.write(t, "token", []byte(token))
	// What `oci session authenticate` writes: a profile with security_token_file and no user.
	cfg := f.write(t, "oci-config", []byte("[DEFAULT]\nregion=us-ashburn-1\n\n[SESSION]\nfingerprint=11:22:33:44:55:66:77:88:99:00:aa:bb:cc:dd:ee:ff\n"+
		"key_file="+keyFile+"\ntenancy="+f.id.Tenancy+"\nregion=us-chicago-1\nsecurity_token_file="+tokenFile+"\n"))
	f.env["OCIAI_AUTH"] = "config_file"
	f.env["OCIAI_OCI_CONFIG_FILE"] = cfg
	f.env["OCIAI_PROFILE"] = "SESSION"
	if auth := f.chat(t); !strings.Contains(auth, `keyId="ST$`+token+`"`) {
		t.Errorf("Authorization %s", auth)
	}
}

// resourcePrincipal sets up the environment OCI Functions and Container Instances give a resource principal
// (version 2.2: a session token the simulator issued, and its private key) and returns the token.
func (f *fixture) resourcePrincipal(t *testing.T, resType string) string {
	t.Helper()
	env, rpst, err := f.sim.ResourcePrincipal(f.dir, "us-chicago-1",
		map[string]any{"res_tenant": f.id.Tenancy, "res_compartment": "ocid1.compartment.oc1..fromclaim", "res_type": resType})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range env {
		t.Setenv(k, v) // the SDK's resource-principal provider reads the process environment itself
		f.env[k] = v
	}
	return rpst
}

func TestResourcePrincipal(t *testing.T) {
	f := newFixture(t)
	rpst := f.resourcePrincipal(t, "fnfunc")
	delete(f.env, "OCIAI_COMPARTMENT_ID") // taken from the token's res_compartment claim
	if auth := f.chat(t); !strings.Contains(auth, `keyId="ST$`+rpst+`"`) {
		t.Errorf("Authorization %s", auth)
	}
	reqs := f.sim.Requests()
	if body := string(reqs[len(reqs)-1].Body); !strings.Contains(body, `"compartmentId":"ocid1.compartment.oc1..fromclaim"`) {
		t.Errorf("compartment not taken from the claim: %s", body)
	}
}

func TestExpiredTokenIsReportedClearly(t *testing.T) {
	f := newFixture(t)
	session, _ := rsa.GenerateKey(rand.Reader, 2048)
	// A session token the simulator no longer accepts: OCI answers 401 and the client must hear that the
	// gateway's own credentials are the problem.
	other := ocisim.New(ocisim.Options{})
	token := other.IssueToken(&session.PublicKey, map[string]any{"sub": "x"}, time.Hour)
	der, _ := x509.MarshalPKCS8PrivateKey(session)
	cfg := f.write(t, "oci-config", []byte("[DEFAULT]\nfingerprint=11:22:33:44:55:66:77:88:99:00:aa:bb:cc:dd:ee:ff\nkey_file="+
		f.write(t, "s.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))+"\ntenancy="+f.id.Tenancy+"\nregion=us-chicago-1\nsecurity_token_file="+f.write(t, "tok", []byte(token))+"\n"))
	f.env["OCIAI_AUTH"] = "config_file"
	f.env["OCIAI_OCI_CONFIG_FILE"] = cfg
	_, client := startGateway(t, f)
	_, err := send(client)
	var ae *openai.Error
	if !errors.As(err, &ae) || ae.StatusCode != 502 || !strings.Contains(ae.Message, "credentials") || !strings.Contains(ae.Message, "NotAuthenticated") {
		t.Fatalf("got %v", err)
	}
}
