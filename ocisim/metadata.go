package ocisim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"
)

// MetadataBasePath is where the instance metadata service (IMDS v2) answers.
// Point the OCI SDK at a served InstanceMetadata with
// OCI_METADATA_BASE_URL=<server URL>+MetadataBasePath (the SDK's default is
// http://169.254.169.254/opc/v2).
const MetadataBasePath = "/opc/v2"

// Paths under MetadataBasePath that the OCI Go SDK's instance-principal
// provider reads (oci-go-sdk common/auth/instance_principal_key_provider.go),
// each with the header "Authorization: Bearer Oracle".
const (
	metaRegion       = "/instance/region"
	metaLeafCert     = "/identity/cert.pem"
	metaLeafKey      = "/identity/key.pem"
	metaIntermediate = "/identity/intermediate.pem"
)

// InstanceMetadata is a fake instance metadata service for one compute
// instance of a tenancy, serving the instance-principal identity the OCI SDK
// exchanges for a session token at the federation endpoint (POST /v1/x509,
// see federation.go). It is an http.Handler; serve it with httptest and have
// the Simulator trust RootCA().
//
//	GET /opc/v2/instance/region          region as given, text
//	GET /opc/v2/instance/id              the instance OCID, text
//	GET /opc/v2/instance/compartmentId   the instance's compartment OCID, text
//	GET /opc/v2/instance/                {"id","compartmentId","tenantId","region"}
//	GET /opc/v2/identity/cert.pem        leaf certificate (RSA-2048)
//	GET /opc/v2/identity/key.pem         its private key, PKCS#1 "RSA PRIVATE KEY"
//	GET /opc/v2/identity/intermediate.pem  the CA that issued the leaf
//
// Every request must carry "Authorization: Bearer Oracle" (else 401), only
// GET/HEAD are allowed (else 405), other paths are 404.
//
// The chain is root → intermediate → leaf. The root is not served (like OCI,
// whose root is known to the identity service, not to the instance); the
// Simulator must be told to trust it with TrustInstanceCA(md.RootCA()). The
// CA keys are ECDSA P-256 for speed; only the leaf key, which the SDK parses
// as RSA, is RSA.
//
// The leaf subject carries the tenancy the way the SDK reads it
// (extractTenancyIDFromCertificate: the first subject attribute with the
// prefix "opc-tenant:"): CN=<instance OCID>, OU=opc-certtype:instance,
// OU=opc-instance:<instance>, OU=opc-compartment:<compartment>,
// OU=opc-tenant:<tenancy>.
//
// UNCONFIRMED against real OCI: the other OU attributes and CN, the
// validity periods, the key's PEM type, the plain-text content type, the
// 401 for a missing Bearer header, and the fields of /instance/ (the real
// document has many more). On real OCI /instance/region answers "iad"/"phx"
// for us-ashburn-1/us-phoenix-1 and the full name elsewhere; this one answers
// the region given to NewInstanceMetadata verbatim.
type InstanceMetadata struct {
	tenancy, region, instance, compartment string

	root     *x509.Certificate
	inter    *x509.Certificate
	interKey *ecdsa.PrivateKey
	interPEM []byte

	mu      sync.RWMutex
	leaf    *x509.Certificate
	leafKey *rsa.PrivateKey
	leafPEM []byte
	keyPEM  []byte
	fetches map[string]int // path under MetadataBasePath → successful GETs
}

// NewInstanceMetadata creates the CA chain and a first leaf certificate for
// an instance in tenancy (an OCID; empty makes one up) and region (a region
// identifier such as "us-chicago-1", as /instance/region returns it).
func NewInstanceMetadata(tenancy, region string) (*InstanceMetadata, error) {
	if tenancy == "" {
		tenancy = newOCID("tenancy", "")
	}
	if strings.ContainsAny(tenancy, "/\n") {
		return nil, fmt.Errorf("ocisim: tenancy %q must not contain '/' (it is part of the federation keyId)", tenancy)
	}
	if strings.TrimSpace(region) == "" {
		return nil, errors.New("ocisim: instance metadata needs a region")
	}
	m := &InstanceMetadata{
		tenancy:     tenancy,
		region:      region,
		instance:    newOCID("instance", region),
		compartment: newOCID("compartment", ""),
		fetches:     map[string]int{},
	}
	now := time.Now()
	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	if m.root, _, err = makeCert(&x509.Certificate{
		Subject:               pkix.Name{CommonName: "ocisim instance identity root", Organization: []string{"ocisim"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, nil, &rootKey.PublicKey, rootKey); err != nil {
		return nil, err
	}
	if m.interKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	if m.inter, m.interPEM, err = makeCert(&x509.Certificate{
		Subject:               pkix.Name{CommonName: "ocisim instance identity intermediate", Organization: []string{"ocisim"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(5, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, m.root, &m.interKey.PublicKey, rootKey); err != nil {
		return nil, err
	}
	if err := m.RotateLeaf(); err != nil {
		return nil, err
	}
	return m, nil
}

// makeCert signs tmpl (with a random serial) by parent's key signer
// (self-signed when parent is nil) and returns it parsed and as PEM.
func makeCert(tmpl, parent *x509.Certificate, pub any, signer any) (*x509.Certificate, []byte, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, nil, err
	}
	tmpl.SerialNumber = serial
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	return cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}

// RotateLeaf replaces the leaf certificate and key with fresh ones (same
// instance, tenancy and issuer), as OCI does periodically. The SDK fetches
// them again whenever it renews its session token, so the next federation
// request is signed with the new key and a keyId with the new fingerprint.
func (m *InstanceMetadata) RotateLeaf() error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	now := time.Now()
	leaf, certPEM, err := makeCert(&x509.Certificate{
		Subject: pkix.Name{
			CommonName: m.instance,
			OrganizationalUnit: []string{
				"opc-certtype:instance",
				"opc-instance:" + m.instance,
				"opc-compartment:" + m.compartment,
				"opc-tenant:" + m.tenancy,
			},
		},
		NotBefore:   now.Add(-5 * time.Minute),
		NotAfter:    now.Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, m.inter, &key.PublicKey, m.interKey)
	if err != nil {
		return err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	m.mu.Lock()
	m.leaf, m.leafKey, m.leafPEM, m.keyPEM = leaf, key, certPEM, keyPEM
	m.mu.Unlock()
	return nil
}

// Tenancy is the tenancy OCID carried by the leaf certificate.
func (m *InstanceMetadata) Tenancy() string { return m.tenancy }

// Region is what /instance/region answers.
func (m *InstanceMetadata) Region() string { return m.region }

// InstanceID is the instance OCID (leaf CN; `sub` of federated tokens).
func (m *InstanceMetadata) InstanceID() string { return m.instance }

// CompartmentID is the instance's compartment OCID.
func (m *InstanceMetadata) CompartmentID() string { return m.compartment }

// RootCA is the trust anchor of the chain; pass it to
// (*Simulator).TrustInstanceCA.
func (m *InstanceMetadata) RootCA() *x509.Certificate { return m.root }

// Intermediate is the CA that issues the leaf (served as intermediate.pem).
func (m *InstanceMetadata) Intermediate() *x509.Certificate { return m.inter }

// Leaf returns the current leaf certificate and its private key.
func (m *InstanceMetadata) Leaf() (*x509.Certificate, *rsa.PrivateKey) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.leaf, m.leafKey
}

// FederationKeyID is the keyId the SDK signs federation requests with for
// the current leaf: "<tenancy>/fed-x509-sha256/<SHA-256 of the leaf DER as
// lower-case colon-separated hex>" (federation_client.go KeyID).
func (m *InstanceMetadata) FederationKeyID() string {
	leaf, _ := m.Leaf()
	return m.tenancy + "/fed-x509-sha256/" + certFingerprint(leaf, false)
}

// Fetches reports how many times path (relative to MetadataBasePath, e.g.
// "/identity/key.pem") was served successfully.
func (m *InstanceMetadata) Fetches(path string) int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.fetches[path]
}

// ServeHTTP answers the metadata paths listed on InstanceMetadata.
func (m *InstanceMetadata) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path, ok := strings.CutPrefix(r.URL.Path, MetadataBasePath)
	if !ok || path == "" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if r.Header.Get("Authorization") != "Bearer Oracle" {
		// IMDS v2 insists on this header (it keeps naive SSRF proxies out).
		http.Error(w, `missing header "Authorization: Bearer Oracle"`, http.StatusUnauthorized)
		return
	}
	m.mu.Lock()
	var body []byte
	contentType := "text/plain; charset=utf-8"
	switch path {
	case metaRegion:
		body = []byte(m.region)
	case "/instance/id":
		body = []byte(m.instance)
	case "/instance/compartmentId":
		body = []byte(m.compartment)
	case "/instance", "/instance/":
		contentType = "application/json"
		body = marshal(map[string]string{"id": m.instance, "compartmentId": m.compartment, "tenantId": m.tenancy, "region": m.region})
	case metaLeafCert:
		body = m.leafPEM
	case metaLeafKey:
		body = m.keyPEM
	case metaIntermediate:
		body = m.interPEM
	}
	if body != nil {
		m.fetches[path]++
	}
	m.mu.Unlock()
	if body == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", contentType)
	_, _ = w.Write(body)
}

// certFingerprint is the hash of the certificate's DER as lower-case
// colon-separated hex: SHA-256, or SHA-1 for the legacy "fed-x509" keyId.
func certFingerprint(c *x509.Certificate, legacySHA1 bool) string {
	var sum []byte
	if legacySHA1 {
		s := sha1.Sum(c.Raw)
		sum = s[:]
	} else {
		s := sha256.Sum256(c.Raw)
		sum = s[:]
	}
	var b strings.Builder
	for i, c := range sum {
		if i > 0 {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%02x", c)
	}
	return b.String()
}
