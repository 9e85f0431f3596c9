package ocisim

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// federationPath is OCI Identity's X.509 federation endpoint (the SDK's
// auth client: host auth.<region>.oraclecloud.com, or
// OCI_SDK_AUTH_CLIENT_REGION_URL, base path v1/x509).
const federationPath = "/v1/x509"

// DefaultInstanceTokenTTL is the lifetime of tokens issued by the
// federation endpoint unless SetInstanceTokenTTL says otherwise.
// UNCONFIRMED: the lifetime real instance-principal tokens get (believed to
// be tens of minutes).
const DefaultInstanceTokenTTL = 20 * time.Minute

// federation is the simulator's identity-service state for instance
// principals.
type federation struct {
	mu    sync.RWMutex
	roots *x509.CertPool // trusted instance CAs; nil until TrustInstanceCA
	ttl   time.Duration
}

// TrustInstanceCA makes the federation endpoint accept leaf certificates
// that chain to cert (through the intermediates sent in the request). Use
// (*InstanceMetadata).RootCA(). Without any trusted CA every federation
// request is refused.
func (s *Simulator) TrustInstanceCA(cert *x509.Certificate) {
	s.fed.mu.Lock()
	if s.fed.roots == nil {
		s.fed.roots = x509.NewCertPool()
	}
	s.fed.roots.AddCert(cert)
	s.fed.mu.Unlock()
}

// SetInstanceTokenTTL sets the lifetime of tokens the federation endpoint
// issues from now on; d <= 0 restores DefaultInstanceTokenTTL. exp is
// floor(now+d) in Unix seconds and the SDK (oci-go-sdk jwt.go) renews once
// exp <= now.Unix()+300, so a ttl of 5m+1.5s makes it use a token for
// 0.5–1.5 s, and a ttl of 5 minutes or less makes it renew on every use
// (which breaks signing: key and keyId then come from different renewals).
func (s *Simulator) SetInstanceTokenTTL(d time.Duration) {
	s.fed.mu.Lock()
	s.fed.ttl = d
	s.fed.mu.Unlock()
}

// x509FederationRequest is the body the SDK sends (federation_client.go
// X509FederationDetails). Certificates and the public key are base64 DER:
// PEM with the armour lines and newlines removed.
type x509FederationRequest struct {
	Certificate              string   `json:"certificate"`
	PublicKey                string   `json:"publicKey"`
	IntermediateCertificates []string `json:"intermediateCertificates"`
	FingerprintAlgorithm     string   `json:"fingerprintAlgorithm"`
	// Purpose is not sent by oci-go-sdk v65.130.0; whether and what other
	// SDKs send is UNCONFIRMED. Accepted and ignored.
	Purpose string `json:"purpose"`
}

// federate answers POST /v1/x509 the way OCI Identity is understood to:
// the request is signed with the instance's leaf-certificate key under
// keyId "<tenancy>/fed-x509-sha256/<SHA-256 fingerprint of the leaf>" (or
// the legacy "<tenancy>/fed-x509/<SHA-1 fingerprint>"), over date,
// (request-target), content-length, content-type and x-content-sha256
// (the SDK does not sign host here). The simulator checks the signature
// against the leaf in the body, that the keyId names that leaf and the
// tenancy in its subject (OU opc-tenant:<tenancy>), and that the leaf
// chains, through the body's intermediates, to a CA given to
// TrustInstanceCA. It answers {"token":"<jwt>"}: a session token from
// IssueToken for the body's publicKey with claims sub (instance OCID), tenant,
// ptype "instance", ttype "x509", opc-certtype, opc-instance, opc-tenant,
// opc-compartment, iss and aud.
//
// Federation requests are recorded (Requests) and get Options.Latency, but
// never take queued faults (those stay for the inference calls under test).
// Errors: 405 for another method, 400 InvalidParameter for a body that is
// not the JSON object above, 401 NotAuthenticated for every authentication
// failure (the reason goes to Options.Logf).
//
// UNCONFIRMED against the real service: the claim names and values other
// than the session key (jwk) and exp, the error codes and messages, whether
// host is accepted unsigned by the real service for every client, and the
// real service's further checks (certificate revocation, instance state).
func (s *Simulator) federate(x *exchange) {
	r := x.r
	if r.Method != http.MethodPost {
		x.w.Header().Set("Allow", http.MethodPost)
		x.fail(http.StatusMethodNotAllowed, "MethodNotAllowed", "Method "+r.Method+" is not allowed on "+r.URL.Path+".")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		x.fail(http.StatusBadRequest, "CannotParseRequest", "Could not read the request body.")
		return
	}
	x.body = body
	var req x509FederationRequest
	if err := json.Unmarshal(body, &req); err != nil {
		x.fail(http.StatusBadRequest, "InvalidParameter", "The request body is not a valid X509 federation request.")
		return
	}
	leaf, session, err := s.verifyFederation(r, body, &req)
	if err != nil {
		s.logf("ocisim: %s %s: 401: %v", r.Method, r.URL.Path, err)
		x.fail(http.StatusUnauthorized, "NotAuthenticated",
			"The required information to complete authentication was not provided or was incorrect.")
		return
	}
	s.fed.mu.RLock()
	ttl := s.fed.ttl
	s.fed.mu.RUnlock()
	if ttl <= 0 {
		ttl = DefaultInstanceTokenTTL
	}
	ou := subjectValues(leaf)
	instance := ou["opc-instance"]
	if instance == "" {
		instance = leaf.Subject.CommonName
	}
	claims := map[string]any{
		"sub":             instance,
		"tenant":          ou["opc-tenant"],
		"ptype":           "instance",
		"ttype":           "x509",
		"opc-certtype":    ou["opc-certtype"],
		"opc-instance":    instance,
		"opc-tenant":      ou["opc-tenant"],
		"opc-compartment": ou["opc-compartment"],
		"iss":             "authService.oracle.com",
		"aud":             "oci",
	}
	x.write(http.StatusOK, "application/json", marshal(map[string]string{"token": s.IssueToken(session, claims, ttl)}))
}

// verifyFederation authenticates a federation request and returns the leaf
// certificate and the session public key to issue a token for.
func (s *Simulator) verifyFederation(r *http.Request, body []byte, req *x509FederationRequest) (*x509.Certificate, *rsa.PublicKey, error) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return nil, nil, errors.New("no Authorization header")
	}
	params, err := parseSignature(auth)
	if err != nil {
		return nil, nil, err
	}
	if v, ok := params["version"]; ok && v != "1" {
		return nil, nil, fmt.Errorf("unsupported signature version %q", v)
	}
	if a := params["algorithm"]; a != "rsa-sha256" {
		return nil, nil, fmt.Errorf("unsupported algorithm %q", a)
	}
	keyID, sigB64 := params["keyId"], params["signature"]
	if keyID == "" || sigB64 == "" {
		return nil, nil, errors.New("keyId or signature missing")
	}
	headers := strings.Fields(strings.ToLower(params["headers"]))
	if len(headers) == 0 {
		headers = []string{"date"}
	}
	signed := map[string]bool{}
	for _, h := range headers {
		signed[h] = true
	}
	if !signed["date"] && !signed["x-date"] {
		return nil, nil, errors.New("neither date nor x-date is signed")
	}
	for _, h := range []string{"(request-target)", "content-length", "content-type", "x-content-sha256"} {
		if !signed[h] {
			return nil, nil, fmt.Errorf("header %q is not in the signed headers list %q", h, strings.Join(headers, " "))
		}
	}
	if err := checkDate(r, headers, s.opts.Now()); err != nil {
		return nil, nil, err
	}
	if err := checkBody(r, headers, body); err != nil {
		return nil, nil, err
	}

	leaf, err := parseB64Cert(req.Certificate)
	if err != nil {
		return nil, nil, fmt.Errorf("certificate: %v", err)
	}
	tenancy := subjectValues(leaf)["opc-tenant"]
	if tenancy == "" {
		return nil, nil, fmt.Errorf("leaf certificate subject %q has no opc-tenant: attribute", leaf.Subject)
	}
	parts := strings.SplitN(keyID, "/", 3)
	if len(parts) != 3 {
		return nil, nil, fmt.Errorf("keyId %.80q is not <tenancy>/fed-x509-sha256/<fingerprint>", keyID)
	}
	var legacy bool
	switch parts[1] {
	case "fed-x509-sha256":
		if a := req.FingerprintAlgorithm; a != "" && !strings.EqualFold(a, "SHA256") {
			return nil, nil, fmt.Errorf("keyId scheme fed-x509-sha256 but fingerprintAlgorithm %q", a)
		}
	case "fed-x509": // UNCONFIRMED: the legacy SHA-1 form older SDKs used
		legacy = true
		if a := req.FingerprintAlgorithm; a != "" && !strings.EqualFold(a, "SHA1") {
			return nil, nil, fmt.Errorf("keyId scheme fed-x509 but fingerprintAlgorithm %q", a)
		}
	default:
		return nil, nil, fmt.Errorf("keyId %.80q: unknown scheme %q (want fed-x509-sha256)", keyID, parts[1])
	}
	if parts[0] != tenancy {
		return nil, nil, fmt.Errorf("keyId tenancy %q is not the certificate's opc-tenant %q", parts[0], tenancy)
	}
	if want := certFingerprint(leaf, legacy); !strings.EqualFold(parts[2], want) {
		return nil, nil, fmt.Errorf("keyId fingerprint %q is not the certificate's %q", parts[2], want)
	}
	pub, ok := leaf.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, nil, fmt.Errorf("leaf certificate key is %T, not RSA", leaf.PublicKey)
	}
	sig, err := base64.StdEncoding.DecodeString(sigB64)
	if err != nil {
		return nil, nil, fmt.Errorf("signature is not base64: %v", err)
	}
	signing, err := signingString(r, headers)
	if err != nil {
		return nil, nil, err
	}
	digest := sha256.Sum256([]byte(signing))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		return nil, nil, fmt.Errorf("signature does not verify against the leaf certificate (keyId %.80q, signing string %q)", keyID, signing)
	}

	s.fed.mu.RLock()
	roots := s.fed.roots
	s.fed.mu.RUnlock()
	if roots == nil {
		return nil, nil, errors.New("no instance CA is trusted (call TrustInstanceCA)")
	}
	inters := x509.NewCertPool()
	for i, c := range req.IntermediateCertificates {
		ic, err := parseB64Cert(c)
		if err != nil {
			return nil, nil, fmt.Errorf("intermediateCertificates[%d]: %v", i, err)
		}
		inters.AddCert(ic)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: inters, CurrentTime: s.opts.Now(),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	}); err != nil {
		return nil, nil, fmt.Errorf("leaf certificate %q does not chain to a trusted instance CA: %v", leaf.Subject, err)
	}

	der, err := base64.StdEncoding.DecodeString(req.PublicKey)
	if err != nil {
		return nil, nil, fmt.Errorf("publicKey is not base64: %v", err)
	}
	key, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, nil, fmt.Errorf("publicKey is not a DER SubjectPublicKeyInfo: %v", err)
	}
	session, ok := key.(*rsa.PublicKey)
	if !ok {
		return nil, nil, fmt.Errorf("publicKey is %T, not RSA", key)
	}
	return leaf, session, nil
}

// parseB64Cert parses a certificate sent as base64 DER, what the SDK sends
// (the PEM with its armour lines and newlines removed).
func parseB64Cert(s string) (*x509.Certificate, error) {
	if s == "" {
		return nil, errors.New("missing")
	}
	der, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("not base64 DER: %v", err)
	}
	return x509.ParseCertificate(der)
}

// subjectValues maps the "<name>:<value>" subject attributes of an OCI
// identity certificate (opc-tenant:…, opc-instance:…) to name → value;
// the first occurrence wins, as in the SDK.
func subjectValues(c *x509.Certificate) map[string]string {
	out := map[string]string{}
	for _, attr := range c.Subject.Names {
		v, ok := attr.Value.(string)
		if !ok {
			continue
		}
		if name, val, ok := strings.Cut(v, ":"); ok && strings.HasPrefix(name, "opc-") {
			if _, dup := out[name]; !dup {
				out[name] = val
			}
		}
	}
	return out
}
