package config

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/md5"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"strings"

	"github.com/oracle/oci-go-sdk/v65/common"
)

// maxKeyFileSize bounds what we read as a PEM key file (RSA 4096 PEM is ~3 KiB).
const maxKeyFileSize = 1 << 20

// rsaOnly is said of keys of another kind; OCI's API signing keys are RSA.
const rsaOnly = "OCI API keys must be RSA (PKCS#1 or PKCS#8 PEM): generate one in the console (Profile > API keys) or with `openssl genrsa -out oci_api_key.pem 2048`"

// checkPrivateKey says why pemData is not a usable OCI API signing key ("" when it is) and returns the key's
// fingerprint, as the console shows it, when it is. It parses the key the way the SDK will, then drops it:
// the client builder parses it again. Messages never contain key material.
func checkPrivateKey(pemData []byte, passPhrase string) (fingerprint, problem string) {
	block := privateKeyBlock(pemData)
	if block == nil {
		return "", "not a PEM private key (expected -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----)"
	}
	switch block.Type {
	case "EC PRIVATE KEY":
		return "", "this is an EC (ECDSA) key; " + rsaOnly
	case "OPENSSH PRIVATE KEY":
		return "", "this is an OpenSSH key; " + rsaOnly
	}
	if !strings.HasSuffix(block.Type, "PRIVATE KEY") {
		return "", fmt.Sprintf("PEM block is %q, not a private key (the public key was given?)", block.Type)
	}
	//lint:ignore SA1019 legacy PEM encryption is what `openssl genrsa -aes128` and older OCI CLIs write.
	encrypted := block.Type == "ENCRYPTED PRIVATE KEY" || x509.IsEncryptedPEMBlock(block) //nolint:staticcheck
	if encrypted && passPhrase == "" {
		return "", "the private key is encrypted but no pass_phrase is set"
	}
	if kind := otherKeyKind(block); kind != "" {
		return "", "this is an " + kind + " key; " + rsaOnly
	}
	var pw []byte
	if passPhrase != "" {
		pw = []byte(passPhrase)
	}
	key, err := common.PrivateKeyFromBytesWithPassword(pemData, pw)
	if err != nil {
		if encrypted {
			return "", "cannot decrypt the private key with pass_phrase (wrong pass phrase?)"
		}
		return "", "not a usable RSA private key (OCI API keys are RSA, PKCS#1 or PKCS#8 PEM)"
	}
	return publicKeyFingerprint(&key.PublicKey), ""
}

// privateKeyBlock is the first PEM block that is not EC parameters: `openssl ecparam -genkey` writes those
// before the key, and the key, not the parameters, is what the user needs to hear about.
func privateKeyBlock(data []byte) *pem.Block {
	for {
		block, rest := pem.Decode(data)
		if block == nil || block.Type != "EC PARAMETERS" {
			return block
		}
		data = rest
	}
}

// otherKeyKind names the algorithm of an unencrypted PKCS#8 key that is not RSA ("" for RSA or unknown).
func otherKeyKind(block *pem.Block) string {
	if block.Type != "PRIVATE KEY" {
		return ""
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return ""
	}
	switch key.(type) {
	case *ecdsa.PrivateKey:
		return "EC (ECDSA)"
	case ed25519.PrivateKey:
		return "Ed25519"
	case *rsa.PrivateKey:
		return ""
	}
	return fmt.Sprintf("%T", key)
}

// publicKeyFingerprint is OCI's API key fingerprint: the MD5 of the DER public key, as colon-separated hex pairs.
func publicKeyFingerprint(pub *rsa.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return ""
	}
	sum := md5.Sum(der)
	hexPairs := make([]string, len(sum))
	for i, b := range sum {
		hexPairs[i] = fmt.Sprintf("%02x", b)
	}
	return strings.Join(hexPairs, ":")
}

// readKeyFile reads and checks a PEM key file; problem is "" when it is usable.
func readKeyFile(path, passPhrase string) (fingerprint, problem string) {
	st, err := os.Stat(path)
	if err == nil && (!st.Mode().IsRegular() || st.Size() > maxKeyFileSize) {
		return "", fmt.Sprintf("key file %s is not a PEM key file", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Sprintf("cannot read key file: %v", err)
	}
	fp, msg := checkPrivateKey(data, passPhrase)
	if msg != "" {
		return "", fmt.Sprintf("key file %s: %s", path, msg)
	}
	return fp, ""
}

// fingerprintMismatch says that the configured fingerprint does not belong to the key ("" when it does).
// OCI would answer every call with 401 NotAuthenticated, so the gateway refuses to start instead.
func fingerprintMismatch(configured, actual, keyName string) string {
	if actual == "" || strings.EqualFold(configured, actual) {
		return ""
	}
	return fmt.Sprintf("%s does not match %s, whose fingerprint is %s: use the fingerprint the console shows for that key (Profile > API keys), or the private key whose public key you uploaded",
		configured, keyName, actual)
}
