package ocisim_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"
	"github.com/oracle/oci-go-sdk/v65/secrets"

	"github.com/ociai/ociai-proxy/ocisim"
)

const secretID = "ocid1.vaultsecret.oc1.us-chicago-1.amaaaaaatestsecret"

// secretsClient is the SDK's own Vault secret retrieval client pointed at the simulator (no retries), so the
// simulator's answers are decoded by the real models, polymorphic content included.
func secretsClient(t *testing.T, e *env, pem []byte) secrets.SecretsClient {
	t.Helper()
	c, err := secrets.NewSecretsClientWithConfigurationProvider(rawProvider(e.id, pem))
	if err != nil {
		t.Fatal(err)
	}
	c.Host = e.srv.URL
	p := common.NoRetryPolicy()
	c.Configuration.RetryPolicy = &p
	c.Configuration.CircuitBreaker = common.NewCircuitBreaker(common.NoCircuitBreakerSetting())
	return c
}

func bundleText(t *testing.T, b secrets.SecretBundle) string {
	t.Helper()
	c, ok := b.SecretBundleContent.(secrets.Base64SecretBundleContentDetails)
	if !ok || c.Content == nil {
		t.Fatalf("content is %T %+v, want BASE64 details", b.SecretBundleContent, b.SecretBundleContent)
	}
	raw, err := base64.StdEncoding.DecodeString(*c.Content)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func TestSDKGetSecretBundle(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	c := secretsClient(t, e, e.id.PrivateKeyPEM)
	ctx := context.Background()
	wantEq(t, "first version", e.sim.PutSecret(secretID, []byte("alice=sk-one")), 1)

	res, err := c.GetSecretBundle(ctx, secrets.GetSecretBundleRequest{SecretId: common.String(secretID)})
	if err != nil {
		t.Fatalf("%v\nlogs: %s", err, e.logs)
	}
	wantEq(t, "secretId", *res.SecretId, secretID)
	wantEq(t, "versionNumber", *res.VersionNumber, 1)
	wantEq(t, "content", bundleText(t, res.SecretBundle), "alice=sk-one")
	wantEq(t, "stages", jsonString(t, res.Stages), `["CURRENT","LATEST"]`)
	if res.TimeCreated == nil || res.TimeCreated.IsZero() || res.OpcRequestId == nil {
		t.Errorf("timeCreated %v, opc-request-id %v", res.TimeCreated, res.OpcRequestId)
	}

	// Rotation: the new version is CURRENT, the old one PREVIOUS and still readable by number or stage.
	wantEq(t, "second version", e.sim.PutSecret(secretID, []byte("bob=sk-two")), 2)
	res, err = c.GetSecretBundle(ctx, secrets.GetSecretBundleRequest{SecretId: common.String(secretID)})
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "rotated version", *res.VersionNumber, 2)
	wantEq(t, "rotated content", bundleText(t, res.SecretBundle), "bob=sk-two")
	res, err = c.GetSecretBundle(ctx, secrets.GetSecretBundleRequest{SecretId: common.String(secretID), Stage: secrets.GetSecretBundleStagePrevious})
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "previous", bundleText(t, res.SecretBundle), "alice=sk-one")
	wantEq(t, "previous stages", jsonString(t, res.Stages), `["PREVIOUS"]`)
	res, err = c.GetSecretBundle(ctx, secrets.GetSecretBundleRequest{SecretId: common.String(secretID), VersionNumber: common.Int64(1)})
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "by number", *res.VersionNumber, 1)
}

func TestSecretBundleErrors(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	_, other := identities(t) // signs correctly but is not registered with the simulator
	e.sim.PutSecret(secretID, []byte("sk-one"))
	ctx := context.Background()
	status := func(c secrets.SecretsClient, req secrets.GetSecretBundleRequest) (int, string) {
		t.Helper()
		_, err := c.GetSecretBundle(ctx, req)
		var se common.ServiceError
		if !errors.As(err, &se) {
			t.Fatalf("want a service error, got %v", err)
		}
		return se.GetHTTPStatusCode(), se.GetCode()
	}
	c := secretsClient(t, e, e.id.PrivateKeyPEM)
	for _, tc := range []struct {
		name   string
		client secrets.SecretsClient
		req    secrets.GetSecretBundleRequest
		status int
		code   string
	}{
		{"unknown secret", c, secrets.GetSecretBundleRequest{SecretId: common.String(secretID + "x")}, 404, "NotAuthorizedOrNotFound"},
		{"no such version", c, secrets.GetSecretBundleRequest{SecretId: common.String(secretID), VersionNumber: common.Int64(7)}, 404, "NotAuthorizedOrNotFound"},
		{"no previous version", c, secrets.GetSecretBundleRequest{SecretId: common.String(secretID), Stage: secrets.GetSecretBundleStagePrevious}, 404, "NotAuthorizedOrNotFound"},
		{"unregistered key", secretsClient(t, e, other.PrivateKeyPEM), secrets.GetSecretBundleRequest{SecretId: common.String(secretID)}, 401, "NotAuthenticated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, code := status(tc.client, tc.req)
			if s != tc.status || code != tc.code {
				t.Errorf("got %d %s, want %d %s", s, code, tc.status, tc.code)
			}
		})
	}

	e.sim.FailSecret(secretID, http.StatusServiceUnavailable)
	if s, code := status(c, secrets.GetSecretBundleRequest{SecretId: common.String(secretID)}); s != 503 || code != "ServiceUnavailable" {
		t.Errorf("failing secret: %d %s", s, code)
	}
	e.sim.FailSecret(secretID, 0)
	if _, err := c.GetSecretBundle(ctx, secrets.GetSecretBundleRequest{SecretId: common.String(secretID)}); err != nil {
		t.Errorf("after the failure ended: %v", err)
	}

	// Only GET, and every request signed: an unsigned GET and a signed POST are refused.
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/20190301/secretbundles/"+secretID, nil)
	if res := e.do(req); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned GET: %d", res.StatusCode)
	}
	if res := e.do(newRequest(t, e.srv.URL+"/20190301/secretbundles/"+secretID, []byte(`{}`), e.signer, time.Now())); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", res.StatusCode)
	}
}
