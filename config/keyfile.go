package config

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"strings"

	"github.com/oracle/oci-go-sdk/v65/common"
)

// maxKeyFileSize bounds what we read as a PEM key file (RSA 4096 PEM is ~3 KiB).
const maxKeyFileSize = 1 << 20

// checkPrivateKey says why pemData is not a usable OCI API signing key ("" when
// it is). It parses the key the way the SDK will, then drops it: the client
// builder parses it again. Messages never contain key material.
func checkPrivateKey(pemData []byte, passPhrase string) string {
	block, _ := pem.Decode(pemData)
	if block == nil {
		return "not a PEM private key (expected -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----)"
	}
	if !strings.HasSuffix(block.Type, "PRIVATE KEY") {
		return fmt.Sprintf("PEM block is %q, not a private key (the public key was given?)", block.Type)
	}
	//lint:ignore SA1019 legacy PEM encryption is what `openssl genrsa -aes128` and older OCI CLIs write.
	encrypted := block.Type == "ENCRYPTED PRIVATE KEY" || x509.IsEncryptedPEMBlock(block) //nolint:staticcheck
	if encrypted && passPhrase == "" {
		return "the private key is encrypted but no pass_phrase is set"
	}
	var pw []byte
	if passPhrase != "" {
		pw = []byte(passPhrase)
	}
	if _, err := common.PrivateKeyFromBytesWithPassword(pemData, pw); err != nil {
		if encrypted {
			return "cannot decrypt the private key with pass_phrase (wrong pass phrase?)"
		}
		return "not a usable RSA private key (OCI API keys are RSA, PKCS#1 or PKCS#8 PEM)"
	}
	return ""
}

// checkKeyFile reads and checks a PEM key file; "" when it is usable.
func checkKeyFile(path, passPhrase string) string {
	st, err := os.Stat(path)
	if err == nil && (!st.Mode().IsRegular() || st.Size() > maxKeyFileSize) {
		return fmt.Sprintf("key file %s is not a PEM key file", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("cannot read key file: %v", err)
	}
	if msg := checkPrivateKey(data, passPhrase); msg != "" {
		return fmt.Sprintf("key file %s: %s", path, msg)
	}
	return ""
}
