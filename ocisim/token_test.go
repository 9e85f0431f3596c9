package ocisim_test

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"
	"github.com/oracle/oci-go-sdk/v65/common/auth"

	"github.com/ociai/ociai-proxy/ocisim"
)

// tokenProvider is a KeyProvider for a given security token, so tests can
// sign with tokens the SDK's providers would refuse to use (expired ones).
type tokenProvider struct {
	key   *rsa.PrivateKey
	token string
}

func (p tokenProvider) PrivateRSAKey() (*rsa.PrivateKey, error) { return p.key, nil }
func (p tokenProvider) KeyID() (string, error)                  { return "ST$" + p.token, nil }

// The real SDK resource-principal provider (v2.2, token and key in env
// vars, as OCI Functions sets them) signs with keyId ST$<rpst>.
func TestResourcePrincipalToken(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	session, _ := identities(t)
	tenancy := "ocid1.tenancy.oc1..aaaaaaaarp"
	tok := e.sim.IssueToken(&session.Key.PublicKey, map[string]any{
		"res_tenant": tenancy, "res_compartment": compartment, "res_type": "fnfunc",
	}, time.Hour)

	t.Setenv("OCI_RESOURCE_PRINCIPAL_VERSION", "2.2")
	t.Setenv("OCI_RESOURCE_PRINCIPAL_RPST", tok)
	t.Setenv("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", string(session.PrivateKeyPEM))
	t.Setenv("OCI_RESOURCE_PRINCIPAL_REGION", "us-chicago-1")
	rp, err := auth.ResourcePrincipalConfigurationProvider()
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := rp.TenancyOCID(); got != tenancy {
		t.Errorf("res_tenant claim read back as %q", got)
	}
	e.signer = common.DefaultRequestSigner(rp)
	status, out := e.chat(helloBody)
	if status != 200 {
		t.Fatalf("status %d: %v\nlogs: %s", status, out, e.logs)
	}
	if auth := e.sim.Requests()[0].Header.Get("Authorization"); !strings.Contains(auth, `keyId="ST$`+tok+`"`) {
		t.Errorf("request not signed with the token: %.120s", auth)
	}
}

func TestIssueTokenClaims(t *testing.T) {
	sim := ocisim.New(ocisim.Options{})
	session, _ := identities(t)
	tok := sim.IssueToken(&session.Key.PublicKey, map[string]any{"sub": "x"}, 10*time.Minute)
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	var head, claims map[string]any
	for i, v := range []*map[string]any{&head, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatal(err)
		}
	}
	wantEq(t, "alg", head["alg"], any("RS256"))
	wantEq(t, "sub", claims["sub"], any("x"))
	exp, iat := claims["exp"].(float64), claims["iat"].(float64)
	wantEq(t, "exp-iat", exp-iat, 600)
	jwk, _ := claims["jwk"].(map[string]any)
	wantEq(t, "jwk.kty", jwk["kty"], any("RSA"))
	wantEq(t, "jwk.e", jwk["e"], any("AQAB"))
	if n, _ := jwk["n"].(string); len(n) < 300 || jwk["kid"] == nil {
		t.Errorf("jwk = %v", jwk)
	}
}

func TestTokenRejected(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Now().Unix())
	now := func() time.Time { return time.Unix(clock.Load(), 0) }
	e := newEnv(t, ocisim.Options{Now: now})
	a, b := identities(t)
	other := ocisim.New(ocisim.Options{})

	valid := e.sim.IssueToken(&a.Key.PublicKey, nil, time.Minute)
	cases := []struct {
		name, reason string
		p            tokenProvider
		advance      time.Duration
	}{
		{"valid", "", tokenProvider{a.Key, valid}, 0},
		{"expired", "expired", tokenProvider{a.Key, valid}, 2 * time.Minute},
		{"other issuer", "not signed by this simulator", tokenProvider{a.Key, other.IssueToken(&a.Key.PublicKey, nil, time.Hour)}, 0},
		{"wrong session key", "does not verify", tokenProvider{b.Key, valid}, 0},
		{"tampered claims", "not signed by this simulator", tokenProvider{a.Key, tamper(valid)}, 0},
		{"not a jwt", "not a JWT", tokenProvider{a.Key, "abc"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clock.Add(int64(c.advance / time.Second))
			defer clock.Add(-int64(c.advance / time.Second))
			req := newRequest(t, e.srv.URL+"/20231130/actions/chat", mustJSON(t, helloBody), common.DefaultRequestSigner(c.p), now())
			resp := e.do(req)
			resp.Body.Close()
			if c.reason == "" {
				if resp.StatusCode != 200 {
					t.Fatalf("status %d: %s", resp.StatusCode, e.logs)
				}
				return
			}
			if resp.StatusCode != 401 {
				t.Fatalf("status %d, want 401", resp.StatusCode)
			}
			if logs := e.logs.String(); !strings.Contains(logs[strings.LastIndex(logs, "\n")+1:], c.reason) {
				t.Errorf("last log line does not mention %q: %s", c.reason, logs)
			}
		})
	}
}

// tamper changes the token's claims but keeps its signature.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	b, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	_ = json.Unmarshal(b, &claims)
	claims["exp"] = claims["exp"].(float64) + 3600
	b, _ = json.Marshal(claims)
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(b) + "." + parts[2]
}
