package ocisim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"net"
	"time"
)

// ServingCert is a self-signed TLS certificate for the simulator on loopback (127.0.0.1, ::1 and localhost),
// as PEM for clients to trust (SSL_CERT_FILE, or a tls.Config's RootCAs). OCI's endpoints are HTTPS; serving
// the simulator over TLS lets a benchmark or test exercise the same transport (TLS, and HTTP/2 when the client
// offers it by ALPN).
func ServingCert() (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	cert, certPEM, err := makeCert(&x509.Certificate{
		Subject:               pkix.Name{CommonName: "ocisim", Organization: []string{"ocisim"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(1, 0, 0),
		IsCA:                  true, // its own root: clients trust this one certificate
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}, nil, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	return tls.Certificate{Certificate: [][]byte{cert.Raw}, PrivateKey: key, Leaf: cert}, certPEM, nil
}
