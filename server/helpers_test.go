package server

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"testing"

	"github.com/ociai/ociai-proxy/ocisim"
)

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func newIdentity(t *testing.T) ocisim.Identity {
	t.Helper()
	id, err := ocisim.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// ecKeyPEM is an ECDSA key as `openssl ecparam -genkey -name prime256v1` writes it: parameters, then the key.
func ecKeyPEM(t *testing.T) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	oid := []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07} // prime256v1
	return string(pem.EncodeToMemory(&pem.Block{Type: "EC PARAMETERS", Bytes: oid})) +
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
}
