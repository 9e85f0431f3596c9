package gateway_test

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"

	"github.com/ociai/ociai-proxy/ocisim"
)

// instance_principal end to end on loopback: the SDK's instance-principal provider reads a fake instance
// metadata service (OCI_METADATA_BASE_URL), exchanges the instance certificate for a session token at the
// simulator's federation endpoint (OCI_SDK_AUTH_CLIENT_REGION_URL), and the gateway signs with ST$<token>.

const instanceRegion = "us-chicago-1"

func newInstanceFixture(t *testing.T) (*fixture, *ocisim.InstanceMetadata) {
	t.Helper()
	f := newFixture(t)
	md, err := ocisim.NewInstanceMetadata(f.id.Tenancy, instanceRegion)
	if err != nil {
		t.Fatal(err)
	}
	f.sim.TrustInstanceCA(md.RootCA())
	mdSrv := httptest.NewServer(md)
	t.Cleanup(mdSrv.Close)
	// The SDK reads these from the process environment when the provider is built (gateway.New), so they
	// must be set before it; each provider copies the URLs, later tests' values do not leak into it.
	t.Setenv("OCI_METADATA_BASE_URL", mdSrv.URL+ocisim.MetadataBasePath)
	t.Setenv("OCI_SDK_AUTH_CLIENT_REGION_URL", f.url)
	t.Setenv("OCI_SDK_AUTH_CLIENT_CIRCUIT_BREAKER_ENABLED", "false")
	f.env["OCIAI_AUTH"] = "instance_principal" // no OCIAI_REGION: the region comes from instance metadata
	return f, md
}

// ask sends one chat through the gateway and returns the session token the OCI call was signed with.
func ask(t *testing.T, f *fixture, client openai.Client) string {
	t.Helper()
	last := f.chatVia(t, client)
	if last.Path != "/20231130/actions/chat" {
		t.Fatalf("last OCI request was %s", last.Path)
	}
	auth := last.Header.Get("Authorization")
	_, rest, ok := strings.Cut(auth, `keyId="ST$`)
	if !ok {
		t.Fatalf("not signed with a session token: %.120s", auth)
	}
	return rest[:strings.IndexByte(rest, '"')]
}

// federations returns the recorded federation requests.
func federations(f *fixture) []ocisim.Request {
	var out []ocisim.Request
	for _, r := range f.sim.Requests() {
		if r.Path == "/v1/x509" {
			out = append(out, r)
		}
	}
	return out
}

func jwtClaims(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %.40q", tok)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// issuedBy checks that tok is the answer to federation request fed: it binds the session public key that
// request sent (the simulator already proved it signed tok by accepting the chat) and names the instance.
func issuedBy(t *testing.T, tok string, fed ocisim.Request, md *ocisim.InstanceMetadata) {
	t.Helper()
	if fed.Status != 200 {
		t.Fatalf("federation answered %d", fed.Status)
	}
	var body struct{ PublicKey string }
	if err := json.Unmarshal(fed.Body, &body); err != nil {
		t.Fatal(err)
	}
	der, err := base64.StdEncoding.DecodeString(body.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		t.Fatal(err)
	}
	c := jwtClaims(t, tok)
	jwk, _ := c["jwk"].(map[string]any)
	if n, _ := jwk["n"].(string); n != base64.RawURLEncoding.EncodeToString(pub.(*rsa.PublicKey).N.Bytes()) {
		t.Errorf("token's jwk is not the session key of the federation request")
	}
	if c["sub"] != md.InstanceID() || c["tenant"] != md.Tenancy() || c["ptype"] != "instance" {
		t.Errorf("claims sub=%v tenant=%v ptype=%v", c["sub"], c["tenant"], c["ptype"])
	}
}

func TestInstancePrincipal(t *testing.T) {
	f, md := newInstanceFixture(t)
	gw, client := startGateway(t, f)
	if gw.Region != instanceRegion {
		t.Errorf("region %q, want %q from instance metadata", gw.Region, instanceRegion)
	}
	// gateway.New already federated (it checks the credentials at start-up).
	feds := federations(f)
	if len(feds) != 1 {
		t.Fatalf("%d federation requests at start-up", len(feds))
	}
	if auth := feds[0].Header.Get("Authorization"); !strings.Contains(auth, `keyId="`+f.id.Tenancy+"/fed-x509-sha256/") ||
		!strings.Contains(auth, `keyId="`+md.FederationKeyID()+`"`) {
		t.Errorf("federation Authorization %.200s", auth)
	}
	tok := ask(t, f, client)
	issuedBy(t, tok, feds[0], md)
	if tok2 := ask(t, f, client); tok2 != tok || len(federations(f)) != 1 {
		t.Errorf("a valid token was not reused (%d federation requests)", len(federations(f)))
	}
}

// The SDK renews a token once it expires within 5 minutes, compared in whole seconds
// (oci-go-sdk common/auth/jwt.go: exp <= now.Unix()+300), and the simulator sets exp = floor(issue time + ttl).
// A token living 5 minutes is therefore due for renewal from the moment it is issued, whatever the clock says:
// the one federated at start-up is renewed by the first chat, which must then sign with the new session key and
// token (obtained with the leaf rotated meanwhile) rather than with anything kept from start-up. Only the first
// token lives 5 minutes: a token due at every use would be renewed between the SDK's key and key-ID calls of
// one signature.
func TestInstancePrincipalTokenRefresh(t *testing.T) {
	f, md := newInstanceFixture(t)
	f.sim.SetInstanceTokenTTL(5 * time.Minute)
	_, client := startGateway(t, f)
	if n := len(federations(f)); n != 1 {
		t.Fatalf("%d federation requests at start-up", n)
	}
	f.sim.SetInstanceTokenTTL(0) // the default: later tokens are good for hours
	firstKeyID := md.FederationKeyID()
	if err := md.RotateLeaf(); err != nil {
		t.Fatal(err)
	}

	tok := ask(t, f, client)
	feds := federations(f)
	if len(feds) != 2 {
		t.Fatalf("%d federation requests, want 2: the start-up token was not renewed", len(feds))
	}
	issuedBy(t, tok, feds[1], md)
	if a, b := feds[0].Header.Get("Authorization"), feds[1].Header.Get("Authorization"); !strings.Contains(a, `keyId="`+firstKeyID+`"`) ||
		!strings.Contains(b, `keyId="`+md.FederationKeyID()+`"`) || firstKeyID == md.FederationKeyID() {
		t.Errorf("renewal did not use the rotated leaf:\n%.200s\n%.200s", a, b)
	}
	var first, second struct{ PublicKey string }
	if json.Unmarshal(feds[0].Body, &first) != nil || json.Unmarshal(feds[1].Body, &second) != nil || first.PublicKey == second.PublicKey {
		t.Error("the session key was not renewed with the token")
	}
	if tok2 := ask(t, f, client); tok2 != tok || len(federations(f)) != 2 {
		t.Errorf("the renewed token was not reused (%d federation requests)", len(federations(f)))
	}
}
