package config

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Valid-looking identity values for tests.
const (
	tUser        = "ocid1.user.oc1..aaaaaaaatestuser"
	tTenancy     = "ocid1.tenancy.oc1..aaaaaaaatesttenancy"
	tCompartment = "ocid1.compartment.oc1..aaaaaaaatestcompartment"
	tPass        = "s3cret-pass#phrase"
	tAPIKey      = "0123456789abcdef0123456789abcdef"
)

// tFingerprint is testKey's fingerprint as the OCI console shows it.
var tFingerprint = fingerprintOf(testKey())

// fingerprintOf is the MD5 of the DER public key as colon-separated hex pairs, written here independently of
// the code under test.
func fingerprintOf(k *rsa.PrivateKey) string {
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		panic(err)
	}
	sum := md5.Sum(der)
	return strings.ReplaceAll(fmt.Sprintf("% x", sum), " ", ":")
}

// fakeEnv is the getenv of tests: no test reads the real environment.
func fakeEnv(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

var testKey = sync.OnceValue(newRSAKey)

// otherKey is a second key, for settings that must differ from the file's.
var otherKey = sync.OnceValue(newRSAKey)

func newRSAKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

func pkcs1PEM() string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(testKey())}))
}

func pkcs8PEM() string { return pkcs8Of(testKey()) }

func ecKey() any {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

func ed25519Key() any {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

func pkcs8Of(k any) string {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// ecParamsPEM is what `openssl ecparam -genkey -name prime256v1` writes: the curve parameters, then the key.
func ecParamsPEM() string {
	der, err := x509.MarshalECPrivateKey(ecKey().(*ecdsa.PrivateKey))
	if err != nil {
		panic(err)
	}
	params := pem.EncodeToMemory(&pem.Block{Type: "EC PARAMETERS", Bytes: []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}})
	return string(params) + string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
}

func publicPEM() string {
	der, err := x509.MarshalPKIXPublicKey(&testKey().PublicKey)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// encryptedPEM is a legacy encrypted PKCS#1 key (`openssl genrsa -aes128`).
func encryptedPEM(pass string) string {
	//lint:ignore SA1019 testing the legacy format users still have.
	b, err := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(testKey()), []byte(pass), x509.PEMCipherAES128) //nolint:staticcheck
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(b))
}

func writeFile(t *testing.T, path, content string, perm os.FileMode) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil { // umask-proof
		t.Fatal(err)
	}
	return path
}

// validConf is a complete api_key configuration; key.pem sits beside it.
var validConf = `# test config
[DEFAULT]
user = ` + tUser + `
fingerprint = ` + tFingerprint + `
key_file = key.pem
tenancy = ` + tTenancy + `
region = us-chicago-1
api_key = ` + tAPIKey + `

[MODELS]
grok-4 = xai.grok-4
command-a = cohere.command-a-03-2025
embed = cohere.embed-v4.0

[API_KEYS]
alice = alice-key-0123456789
`

// setup writes key.pem and config.conf (content) into a temp dir.
func setup(t *testing.T, content string) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	writeFile(t, filepath.Join(dir, "key.pem"), pkcs1PEM(), 0o600)
	return dir, writeFile(t, filepath.Join(dir, "config.conf"), content, 0o600)
}

// replaceLine swaps the line starting with prefix (or appends to [DEFAULT] when
// prefix is not found and repl is not empty).
func replaceLine(conf, prefix, repl string) string {
	lines := strings.Split(conf, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			if repl == "" {
				return strings.Join(append(lines[:i], lines[i+1:]...), "\n")
			}
			lines[i] = repl
			return strings.Join(lines, "\n")
		}
	}
	return strings.Replace(conf, "[DEFAULT]\n", "[DEFAULT]\n"+repl+"\n", 1)
}

func mustLoad(t *testing.T, path string, getenv func(string) string) *LoadResult {
	t.Helper()
	res, err := Load(path, getenv)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return res
}
