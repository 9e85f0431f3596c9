package ocisim

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"time"
)

// ResourcePrincipal plays the platform's part of resource principal auth as OCI Functions and Container
// Instances do it (version 2.2): a fresh session key, a session token the simulator issues for it with claims
// (res_type, res_tenant, res_compartment…), both written into dir, and the OCI_RESOURCE_PRINCIPAL_* variables
// that point the SDK at them. It returns the variables and the token (the keyId of signed requests is "ST$" +
// token).
func (s *Simulator) ResourcePrincipal(dir, region string, claims map[string]any) (env map[string]string, token string, err error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, "", err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, "", err
	}
	token = s.IssueToken(&key.PublicKey, claims, time.Hour)
	rpst, pemFile := filepath.Join(dir, "rpst"), filepath.Join(dir, "rp_private.pem")
	if err := os.WriteFile(rpst, []byte(token), 0o600); err != nil {
		return nil, "", err
	}
	if err := os.WriteFile(pemFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		return nil, "", err
	}
	return map[string]string{
		"OCI_RESOURCE_PRINCIPAL_VERSION":     "2.2",
		"OCI_RESOURCE_PRINCIPAL_RPST":        rpst,
		"OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": pemFile,
		"OCI_RESOURCE_PRINCIPAL_REGION":      region,
	}, token, nil
}
