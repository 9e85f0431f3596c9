package ocisim_test

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/oracle/oci-go-sdk/v65/common"

	"github.com/ociai/ociai-proxy/ocisim"
)

const metaTenancy = "ocid1.tenancy.oc1..aaaaaaaametadatatest"

// metaGet fetches path (under /opc/v2) the way the SDK's httpGet does.
func metaGet(t *testing.T, srv *httptest.Server, method, path string, bearer bool) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, nil)
	if bearer {
		req.Header.Set("Authorization", "Bearer Oracle")
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func mustMeta(t *testing.T, path string, srv *httptest.Server) string {
	t.Helper()
	status, body := metaGet(t, srv, http.MethodGet, ocisim.MetadataBasePath+path, true)
	if status != 200 {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	return body
}

func parsePEMCert(t *testing.T, s string) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode([]byte(s))
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("not a PEM certificate: %.80q", s)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sdkTenancy is the SDK's extractTenancyIDFromCertificate (common/auth/utils.go).
func sdkTenancy(c *x509.Certificate) string {
	for _, attr := range c.Subject.Names {
		if v := attr.Value.(string); strings.HasPrefix(v, "opc-tenant:") {
			return v[len("opc-tenant:"):]
		}
	}
	return ""
}

func TestInstanceMetadataServesIdentity(t *testing.T) {
	md, err := ocisim.NewInstanceMetadata(metaTenancy, "us-chicago-1")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(md)
	defer srv.Close()

	wantEq(t, "region", mustMeta(t, "/instance/region", srv), "us-chicago-1")
	wantEq(t, "id", mustMeta(t, "/instance/id", srv), md.InstanceID())
	var doc map[string]string
	if err := json.Unmarshal([]byte(mustMeta(t, "/instance/", srv)), &doc); err != nil {
		t.Fatal(err)
	}
	wantEq(t, "instance doc", fmt.Sprint(doc), fmt.Sprint(map[string]string{
		"id": md.InstanceID(), "compartmentId": md.CompartmentID(), "tenantId": metaTenancy, "region": "us-chicago-1"}))

	leaf := parsePEMCert(t, mustMeta(t, "/identity/cert.pem", srv))
	inter := parsePEMCert(t, mustMeta(t, "/identity/intermediate.pem", srv))
	wantEq(t, "tenancy as the SDK extracts it", sdkTenancy(leaf), metaTenancy)
	wantEq(t, "CN", leaf.Subject.CommonName, md.InstanceID())
	if !strings.HasPrefix(md.InstanceID(), "ocid1.instance.oc1.us-chicago-1.") || !strings.HasPrefix(md.CompartmentID(), "ocid1.compartment.oc1..") {
		t.Errorf("ids %s %s", md.InstanceID(), md.CompartmentID())
	}
	mine, _ := md.Leaf()
	wantEq(t, "served leaf is Leaf()", string(leaf.Raw), string(mine.Raw))
	wantEq(t, "served intermediate", string(inter.Raw), string(md.Intermediate().Raw))
	roots, inters := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(md.RootCA())
	inters.AddCert(inter)
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inters, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		t.Errorf("chain: %v", err)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err == nil {
		t.Error("leaf verifies without the intermediate: the federation check would not need it")
	}

	// The key parses the way the SDK parses it and belongs to the leaf.
	key, err := common.PrivateKeyFromBytes([]byte(mustMeta(t, "/identity/key.pem", srv)), new(string))
	if err != nil {
		t.Fatal(err)
	}
	if !key.PublicKey.Equal(leaf.PublicKey) {
		t.Error("key.pem does not match cert.pem")
	}
	sum := sha256.Sum256(leaf.Raw)
	wantEq(t, "keyId", md.FederationKeyID(), metaTenancy+"/fed-x509-sha256/"+strings.ReplaceAll(fmt.Sprintf("% x", sum), " ", ":"))
	wantEq(t, "fetches", md.Fetches("/identity/key.pem"), 1)

	for _, c := range []struct {
		method, path string
		bearer       bool
		status       int
	}{
		{"GET", "/opc/v2/identity/cert.pem", false, 401},
		{"POST", "/opc/v2/identity/cert.pem", true, 405},
		{"GET", "/opc/v2/identity/nothing", true, 404},
		{"GET", "/opc/v1/identity/cert.pem", true, 404},
		{"HEAD", "/opc/v2/instance/region", true, 200},
	} {
		if status, body := metaGet(t, srv, c.method, c.path, c.bearer); status != c.status {
			t.Errorf("%s %s bearer=%v: %d %s, want %d", c.method, c.path, c.bearer, status, body, c.status)
		}
	}
}

func TestInstanceMetadataRotateLeaf(t *testing.T) {
	md, err := ocisim.NewInstanceMetadata(metaTenancy, "us-chicago-1")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(md)
	defer srv.Close()
	before, beforeID := mustMeta(t, "/identity/cert.pem", srv), md.FederationKeyID()
	if err := md.RotateLeaf(); err != nil {
		t.Fatal(err)
	}
	after := parsePEMCert(t, mustMeta(t, "/identity/cert.pem", srv))
	key, err := common.PrivateKeyFromBytes([]byte(mustMeta(t, "/identity/key.pem", srv)), new(string))
	if err != nil {
		t.Fatal(err)
	}
	if string(after.Raw) == string(parsePEMCert(t, before).Raw) || md.FederationKeyID() == beforeID || !key.PublicKey.Equal(after.PublicKey) {
		t.Errorf("rotation did not replace the leaf and its key consistently")
	}
	wantEq(t, "tenancy kept", sdkTenancy(after), metaTenancy)
	wantEq(t, "instance kept", after.Subject.CommonName, md.InstanceID())
}

func TestNewInstanceMetadataArguments(t *testing.T) {
	if _, err := ocisim.NewInstanceMetadata("a/b", "us-chicago-1"); err == nil {
		t.Error("tenancy with '/' accepted")
	}
	if _, err := ocisim.NewInstanceMetadata(metaTenancy, ""); err == nil {
		t.Error("empty region accepted")
	}
}
