package ocisim_test

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"
	"github.com/oracle/oci-go-sdk/v65/common/auth"

	"github.com/ociai/ociai-proxy/ocisim"
)

// instanceEnv is a simulator (trusting md's CA when trust is set) plus md
// served on its own loopback server.
func instanceEnv(t *testing.T, trust bool) (*env, *ocisim.InstanceMetadata, *httptest.Server) {
	t.Helper()
	e := newEnv(t, ocisim.Options{})
	md, err := ocisim.NewInstanceMetadata(metaTenancy, "us-chicago-1")
	if err != nil {
		t.Fatal(err)
	}
	if trust {
		e.sim.TrustInstanceCA(md.RootCA())
	}
	mdSrv := httptest.NewServer(md)
	t.Cleanup(mdSrv.Close)
	return e, md, mdSrv
}

// claimsOf decodes a JWT's payload without verifying it.
func claimsOf(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %.40q", tok)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(b, &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}

// The SDK's own instance-principal provider, pointed at the fake metadata
// service and at the simulator as federation endpoint, obtains a token and
// signs a chat the simulator accepts.
func TestInstancePrincipalSDK(t *testing.T) {
	e, md, mdSrv := instanceEnv(t, true)
	t.Setenv("OCI_METADATA_BASE_URL", mdSrv.URL+ocisim.MetadataBasePath)
	t.Setenv("OCI_SDK_AUTH_CLIENT_REGION_URL", e.srv.URL)
	t.Setenv("OCI_SDK_AUTH_CLIENT_CIRCUIT_BREAKER_ENABLED", "false")

	p, err := auth.InstancePrincipalConfigurationProvider()
	if err != nil {
		t.Fatal(err)
	}
	tenancy, _ := p.TenancyOCID()
	region, _ := p.Region()
	wantEq(t, "tenancy", tenancy, metaTenancy)
	wantEq(t, "region", region, "us-chicago-1")

	e.signer = common.DefaultRequestSigner(p)
	if status, out := e.chat(helloBody); status != 200 {
		t.Fatalf("chat: %d %v\nlogs: %s", status, out, e.logs)
	}
	reqs := e.sim.Requests()
	if len(reqs) != 2 || reqs[0].Path != "/v1/x509" || reqs[0].Status != 200 || reqs[1].Status != 200 {
		t.Fatalf("requests %+v\nlogs: %s", reqs, e.logs)
	}
	fedAuth := reqs[0].Header.Get("Authorization")
	if !strings.Contains(fedAuth, `keyId="`+md.FederationKeyID()+`"`) ||
		!strings.Contains(fedAuth, `headers="date (request-target) content-length content-type x-content-sha256"`) {
		t.Errorf("federation Authorization %s", fedAuth)
	}
	var fed struct {
		Certificate, PublicKey, FingerprintAlgorithm string
		IntermediateCertificates                     []string
	}
	if err := json.Unmarshal(reqs[0].Body, &fed); err != nil {
		t.Fatal(err)
	}
	leaf, _ := md.Leaf()
	wantEq(t, "certificate", fed.Certificate, base64.StdEncoding.EncodeToString(leaf.Raw))
	wantEq(t, "intermediates", strings.Join(fed.IntermediateCertificates, ","), base64.StdEncoding.EncodeToString(md.Intermediate().Raw))
	wantEq(t, "fingerprintAlgorithm", fed.FingerprintAlgorithm, "SHA256")

	chatAuth := reqs[1].Header.Get("Authorization")
	_, rest, ok := strings.Cut(chatAuth, `keyId="ST$`)
	if !ok {
		t.Fatalf("chat not signed with a session token: %.120s", chatAuth)
	}
	claims := claimsOf(t, rest[:strings.IndexByte(rest, '"')])
	for k, want := range map[string]any{"sub": md.InstanceID(), "tenant": metaTenancy, "ptype": "instance", "opc-compartment": md.CompartmentID()} {
		wantEq(t, k, claims[k], want)
	}
	// The token binds the session key the SDK sent in the federation request.
	der, _ := base64.StdEncoding.DecodeString(fed.PublicKey)
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		t.Fatal(err)
	}
	jwk, _ := claims["jwk"].(map[string]any)
	wantEq(t, "jwk.n", jwk["n"], any(base64.RawURLEncoding.EncodeToString(pub.(*rsa.PublicKey).N.Bytes())))
	if exp, iat := claims["exp"].(float64), claims["iat"].(float64); exp-iat != ocisim.DefaultInstanceTokenTTL.Seconds() {
		t.Errorf("ttl %v", exp-iat)
	}
}

// fedSigner signs like the SDK's federation client: keyId/key given, body
// headers signed, host not.
type fedKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k fedKey) PrivateRSAKey() (*rsa.PrivateKey, error) { return k.key, nil }
func (k fedKey) KeyID() (string, error)                  { return k.id, nil }

func b64PEM(c *x509.Certificate) string { return base64.StdEncoding.EncodeToString(c.Raw) }

func TestFederationRejected(t *testing.T) {
	e, md, _ := instanceEnv(t, true)
	untrusted, err := ocisim.NewInstanceMetadata(metaTenancy, "us-chicago-1")
	if err != nil {
		t.Fatal(err)
	}
	session, other := identities(t)
	spki, _ := x509.MarshalPKIXPublicKey(&session.Key.PublicKey)
	leaf, leafKey := md.Leaf()
	uLeaf, uKey := untrusted.Leaf()
	body := func(leaf, inter *x509.Certificate) map[string]any {
		b := map[string]any{"certificate": b64PEM(leaf), "publicKey": base64.StdEncoding.EncodeToString(spki), "fingerprintAlgorithm": "SHA256"}
		if inter != nil {
			b["intermediateCertificates"] = []string{b64PEM(inter)}
		}
		return b
	}
	withHeaders := common.RequestSigner(fedKey{md.FederationKeyID(), leafKey}, []string{"date", "(request-target)"}, []string{"content-length", "content-type", "x-content-sha256"})
	sign := func(id string, key *rsa.PrivateKey) common.HTTPRequestSigner {
		return common.RequestSigner(fedKey{id, key}, []string{"date", "(request-target)"}, []string{"content-length", "content-type", "x-content-sha256"})
	}
	noSHA1 := strings.Replace(md.FederationKeyID(), "fed-x509-sha256", "fed-x509", 1)
	cases := []struct {
		name, reason string
		signer       common.HTTPRequestSigner
		body         map[string]any
	}{
		{"valid", "", withHeaders, body(leaf, md.Intermediate())},
		{"wrong key", "does not verify", sign(md.FederationKeyID(), other.Key), body(leaf, md.Intermediate())},
		{"keyId of another leaf", "fingerprint", sign(untrusted.FederationKeyID(), leafKey), body(leaf, md.Intermediate())},
		{"keyId of another tenancy", "tenancy", sign(strings.Replace(md.FederationKeyID(), metaTenancy, "ocid1.tenancy.oc1..other", 1), leafKey), body(leaf, md.Intermediate())},
		{"sha1 keyId with a sha256 fingerprint", "fingerprintAlgorithm", sign(noSHA1, leafKey), body(leaf, md.Intermediate())},
		{"no intermediate", "does not chain", withHeaders, body(leaf, nil)},
		{"untrusted CA", "does not chain", sign(untrusted.FederationKeyID(), uKey), body(uLeaf, untrusted.Intermediate())},
		{"body unsigned", "is not in the signed headers", common.RequestSigner(fedKey{md.FederationKeyID(), leafKey}, []string{"date", "(request-target)"}, nil), body(leaf, md.Intermediate())},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := e.do(newRequest(t, e.srv.URL+"/v1/x509", mustJSON(t, c.body), c.signer, time.Now()))
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if c.reason == "" {
				var out struct{ Token string }
				if resp.StatusCode != 200 || json.Unmarshal(raw, &out) != nil {
					t.Fatalf("status %d %s\nlogs: %s", resp.StatusCode, raw, e.logs)
				}
				// The token is good for the session key the body named.
				req := newRequest(t, e.srv.URL+"/20231130/actions/chat", mustJSON(t, helloBody), common.DefaultRequestSigner(tokenProvider{session.Key, out.Token}), time.Now())
				if resp := e.do(req); resp.StatusCode != 200 {
					t.Fatalf("chat with the federated token: %d\nlogs: %s", resp.StatusCode, e.logs)
				}
				return
			}
			if resp.StatusCode != 401 || !strings.Contains(string(raw), `"NotAuthenticated"`) {
				t.Fatalf("status %d %s, want 401", resp.StatusCode, raw)
			}
			if logs := e.logs.String(); !strings.Contains(logs[strings.LastIndex(logs, "\n")+1:], c.reason) {
				t.Errorf("last log line does not mention %q: %s", c.reason, logs)
			}
		})
	}

	t.Run("nothing trusted", func(t *testing.T) {
		bare := newEnv(t, ocisim.Options{})
		resp := bare.do(newRequest(t, bare.srv.URL+"/v1/x509", mustJSON(t, body(leaf, md.Intermediate())), withHeaders, time.Now()))
		resp.Body.Close()
		if resp.StatusCode != 401 || !strings.Contains(bare.logs.String(), "TrustInstanceCA") {
			t.Errorf("status %d, logs %s", resp.StatusCode, bare.logs)
		}
	})
	t.Run("not json", func(t *testing.T) {
		resp := e.do(newRequest(t, e.srv.URL+"/v1/x509", []byte("{"), withHeaders, time.Now()))
		resp.Body.Close()
		wantEq(t, "status", resp.StatusCode, 400)
	})
	t.Run("GET", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/v1/x509", nil)
		resp := e.do(req)
		resp.Body.Close()
		wantEq(t, "status", resp.StatusCode, 405)
	})
}

// SetInstanceTokenTTL governs the exp of federated tokens.
func TestInstanceTokenTTL(t *testing.T) {
	e, md, _ := instanceEnv(t, true)
	e.sim.SetInstanceTokenTTL(5*time.Minute + 2*time.Second)
	session, _ := identities(t)
	spki, _ := x509.MarshalPKIXPublicKey(&session.Key.PublicKey)
	leaf, leafKey := md.Leaf()
	signer := common.RequestSigner(fedKey{md.FederationKeyID(), leafKey}, []string{"date", "(request-target)"}, []string{"content-length", "content-type", "x-content-sha256"})
	resp := e.do(newRequest(t, e.srv.URL+"/v1/x509", mustJSON(t, map[string]any{
		"certificate": b64PEM(leaf), "publicKey": base64.StdEncoding.EncodeToString(spki),
		"intermediateCertificates": []string{b64PEM(md.Intermediate())},
		"purpose":                  "DEFAULT", // not sent by the Go SDK; tolerated
	}), signer, time.Now()))
	defer resp.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("status %d err %v\nlogs: %s", resp.StatusCode, err, e.logs)
	}
	c := claimsOf(t, out.Token)
	wantEq(t, "exp-iat", c["exp"].(float64)-c["iat"].(float64), 302)
	jwk, _ := c["jwk"].(map[string]any)
	wantEq(t, "jwk.n", jwk["n"], any(base64.RawURLEncoding.EncodeToString(session.Key.PublicKey.N.Bytes())))
}
