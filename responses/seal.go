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
)

// Sealer encrypts and authenticates what the gateway hands a client to give back later (a compaction
// summary), so that the client can neither read nor forge it: AES-256-GCM under a key derived with HKDF-SHA256
// from a secret of the gateway.
type Sealer struct{ aead cipher.AEAD }

// sealPrefix marks (and versions) the gateway's sealed blobs, telling them apart from other servers' opaque
// values (OpenAI's start with "gAAAA").
const sealPrefix = "ociai1."

// NewSealer derives the sealing key from secret (e.g. the client's API key).
func NewSealer(secret []byte) (*Sealer, error) {
	if len(secret) == 0 {
		return nil, errors.New("responses: empty sealing secret")
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
	return &Sealer{aead: aead}, nil
}

// seal encodes v as JSON and seals it for purpose (bound into the tag, so a blob made for one purpose cannot
// pass for another).
func (s *Sealer) seal(purpose string, v any) string {
	plain, _ := json.Marshal(v) // v is a struct of strings
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	_, _ = rand.Read(nonce) // never fails (crypto/rand)
	sealed := s.aead.Seal(nonce, nonce, plain, []byte(purpose))
	return sealPrefix + base64.RawURLEncoding.EncodeToString(sealed)
}

var (
	errForeign = errors.New("not made by this gateway")
	errBroken  = errors.New("made by this gateway under another key, or altered")
)

// open reverses seal. errForeign: not a blob of this gateway at all; errBroken: one that does not open under
// this key (another API key, or altered).
func (s *Sealer) open(purpose, blob string, v any) error {
	rest, ok := strings.CutPrefix(blob, sealPrefix)
	if !ok {
		return errForeign
	}
	if s == nil {
		return errBroken
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return errBroken
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(purpose))
	if err != nil {
		return errBroken
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return errBroken
	}
	return nil
}
