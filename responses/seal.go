package responses

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
)

// Sealer encrypts and authenticates what the gateway hands a client to give back later (a compaction
// summary), so that the client can neither read nor forge it: AES-256-GCM under a key derived with HKDF-SHA256
// from a secret of the gateway. The secret is read at each use, so a secret that changes (rotated API keys)
// takes effect at once; the key derived from it is kept until it does.
type Sealer struct {
	secret func() []byte
	key    atomic.Pointer[sealKey]
}

// sealKey is the AEAD derived from one secret, known by the secret's hash.
type sealKey struct {
	of   [sha256.Size]byte
	aead cipher.AEAD
}

// sealPrefix marks (and versions) the gateway's sealed blobs, telling them apart from other servers' opaque
// values (OpenAI's start with "gAAAA").
const sealPrefix = "ociai1."

// NewSealer seals with keys derived from what secret returns (e.g. the gateway's API keys).
func NewSealer(secret func() []byte) *Sealer { return &Sealer{secret: secret} }

var errNoSecret = errors.New("the gateway has no secret to seal with")

// ready reports whether s can seal now.
func (s *Sealer) ready() bool {
	if s == nil {
		return false
	}
	_, err := s.aead()
	return err == nil
}

// aead returns the AEAD for the current secret, deriving it when the secret changed.
func (s *Sealer) aead() (cipher.AEAD, error) {
	secret := s.secret()
	if len(secret) == 0 {
		return nil, errNoSecret
	}
	of := sha256.Sum256(secret)
	if k := s.key.Load(); k != nil && k.of == of {
		return k.aead, nil
	}
	key, err := hkdf.Key(sha256.New, secret, nil, "ociai-proxy responses sealing v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	s.key.Store(&sealKey{of: of, aead: aead})
	return aead, nil
}

// seal encodes v as JSON and seals it for purpose (bound into the tag, so a blob made for one purpose cannot
// pass for another).
func (s *Sealer) seal(purpose string, v any) (string, error) {
	aead, err := s.aead()
	if err != nil {
		return "", err
	}
	plain, _ := json.Marshal(v) // v is a struct of strings
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	_, _ = rand.Read(nonce) // never fails (crypto/rand)
	sealed := aead.Seal(nonce, nonce, plain, []byte(purpose))
	return sealPrefix + base64.RawURLEncoding.EncodeToString(sealed), nil
}

var (
	errForeign = errors.New("not made by this gateway")
	errBroken  = errors.New("made by this gateway under another key, or altered")
)

// open reverses seal. errForeign: not a blob of this gateway at all; errBroken: one that does not open under
// the current key (other API keys, or altered).
func (s *Sealer) open(purpose, blob string, v any) error {
	rest, ok := strings.CutPrefix(blob, sealPrefix)
	if !ok {
		return errForeign
	}
	if s == nil {
		return errBroken
	}
	aead, err := s.aead()
	if err != nil {
		return errBroken
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	n := aead.NonceSize()
	if err != nil || len(raw) < n {
		return errBroken
	}
	plain, err := aead.Open(nil, raw[:n], raw[n:], []byte(purpose))
	if err != nil || json.Unmarshal(plain, v) != nil {
		return errBroken
	}
	return nil
}
