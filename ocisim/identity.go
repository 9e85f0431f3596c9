package ocisim

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
)

// Identity is a throwaway OCI API-key principal.
type Identity struct {
	Tenancy, User, Fingerprint string
	PrivateKeyPEM              []byte // PKCS#8 "PRIVATE KEY", the format the OCI console generates
	Key                        *rsa.PrivateKey
}

// NewIdentity creates a fresh RSA-2048 API-key principal with OCI-style OCIDs.
func NewIdentity() (Identity, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return Identity{}, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return Identity{}, err
	}
	fp, err := fingerprint(&key.PublicKey)
	if err != nil {
		return Identity{}, err
	}
	return Identity{
		Tenancy:       newOCID("tenancy", ""),
		User:          newOCID("user", ""),
		Fingerprint:   fp,
		PrivateKeyPEM: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}),
		Key:           key,
	}, nil
}

// fingerprint returns the OCI API-key fingerprint of pub: the MD5 of the DER
// SubjectPublicKeyInfo as lower-case colon-separated hex
// (what `openssl rsa -pubout -outform DER | openssl md5 -c` prints).
func fingerprint(pub *rsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	sum := md5.Sum(der)
	var b strings.Builder
	for i, c := range sum {
		if i > 0 {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%02x", c)
	}
	return b.String(), nil
}

// newOCID makes an id shaped like ocid1.<type>.oc1.<region>.aaaaaaaa<52 chars>.
func newOCID(typ, region string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	var raw [52]byte
	_, _ = rand.Read(raw[:])
	for i := range raw {
		raw[i] = alphabet[int(raw[i])%len(alphabet)]
	}
	return "ocid1." + typ + ".oc1." + region + ".aaaaaaaa" + string(raw[:])
}
