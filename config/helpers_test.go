package config

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
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
	tFingerprint = "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99"
	tPass        = "s3cret-pass#phrase"
	tAPIKey      = "0123456789abcdef0123456789abcdef"
)

// fakeEnv is the getenv of tests: no test reads the real environment.
func fakeEnv(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func pkcs1PEM() string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(testKey())}))
}

func pkcs8PEM() string {
	der, err := x509.MarshalPKCS8PrivateKey(testKey())
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
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
const validConf = `# test config
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
