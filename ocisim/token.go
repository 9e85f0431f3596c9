package ocisim

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"
)

// issuer signs and verifies session tokens (resource principal, instance
// principal, `oci session authenticate`): the simulator plays the role of
// OCI's identity service.
type issuer struct {
	once sync.Once
	key  *rsa.PrivateKey
	err  error

	mu    sync.RWMutex
	cache map[string]verifiedToken // token → parsed result; RSA work once per token
}

type verifiedToken struct {
	pub *rsa.PublicKey
	exp time.Time
}

const issuerKid = "ocisim-issuer"

// signingKey creates the issuer key on first use: RSA key generation is the
// slowest thing here and most tests never need it.
func (is *issuer) signingKey() (*rsa.PrivateKey, error) {
	is.once.Do(func() { is.key, is.err = rsa.GenerateKey(rand.Reader, 2048) })
	return is.key, is.err
}

// IssueToken returns an RS256 JWT signed by the simulator's issuer key,
// usable as a security token (keyId "ST$<token>") for requests signed with
// the private key matching pub. claims are copied; `exp`, `iat` and `jwk`
// (the session public key as a JSON object {kty,n,e,kid}) are set. ttl <= 0
// means one hour. Note: the OCI SDK refreshes tokens expiring within 5
// minutes, so give SDK-driven tokens a ttl well above that.
//
// UNCONFIRMED: real OCI security tokens are believed to carry the session
// public key in a `jwk` claim (possibly as a JSON-encoded string rather than
// an object; verification here accepts both).
func (s *Simulator) IssueToken(pub *rsa.PublicKey, claims map[string]any, ttl time.Duration) string {
	key, err := s.issuer.signingKey()
	if err != nil {
		panic("ocisim: issuer key: " + err.Error())
	}
	if ttl <= 0 {
		ttl = time.Hour
	}
	now := s.opts.Now()
	payload := make(map[string]any, len(claims)+3)
	for k, v := range claims {
		payload[k] = v
	}
	kid, _ := fingerprint(pub)
	payload["iat"] = now.Unix()
	payload["exp"] = now.Add(ttl).Unix()
	payload["jwk"] = map[string]string{
		"kty": "RSA",
		"n":   b64url(pub.N.Bytes()),
		"e":   b64url(big.NewInt(int64(pub.E)).Bytes()),
		"kid": kid,
	}
	head := b64url(marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": issuerKid}))
	signed := head + "." + b64url(marshal(payload))
	digest := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		panic("ocisim: sign token: " + err.Error())
	}
	return signed + "." + b64url(sig)
}

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// verify checks tok's RS256 signature against the issuer key and its expiry
// at now, and returns the session public key from its `jwk` claim.
func (is *issuer) verify(tok string, now time.Time) (*rsa.PublicKey, error) {
	is.mu.RLock()
	v, ok := is.cache[tok]
	is.mu.RUnlock()
	if !ok {
		var err error
		if v, err = is.parse(tok); err != nil {
			return nil, err
		}
		is.mu.Lock()
		if is.cache == nil || len(is.cache) > 10000 {
			is.cache = make(map[string]verifiedToken) // crude bound; tokens are long-lived
		}
		is.cache[tok] = v
		is.mu.Unlock()
	}
	if !now.Before(v.exp) {
		return nil, fmt.Errorf("security token expired at %s (now %s)", v.exp.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return v.pub, nil
}

func (is *issuer) parse(tok string) (verifiedToken, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return verifiedToken{}, errors.New("security token is not a JWT")
	}
	key, err := is.signingKey()
	if err != nil {
		return verifiedToken{}, err
	}
	var head struct {
		Alg string `json:"alg"`
	}
	if err := decodeSegment(parts[0], &head); err != nil || head.Alg != "RS256" {
		return verifiedToken{}, fmt.Errorf("security token header unusable (alg %q, err %v)", head.Alg, err)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return verifiedToken{}, errors.New("security token signature is not base64url")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, digest[:], sig) != nil {
		return verifiedToken{}, errors.New("security token was not signed by this simulator's issuer")
	}
	var claims struct {
		Exp *float64        `json:"exp"`
		JWK json.RawMessage `json:"jwk"`
	}
	if err := decodeSegment(parts[1], &claims); err != nil {
		return verifiedToken{}, fmt.Errorf("security token claims: %v", err)
	}
	if claims.Exp == nil {
		return verifiedToken{}, errors.New("security token has no exp claim")
	}
	pub, err := parseJWK(claims.JWK)
	if err != nil {
		return verifiedToken{}, err
	}
	return verifiedToken{pub: pub, exp: time.Unix(int64(*claims.Exp), 0)}, nil
}

func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// parseJWK accepts the jwk claim as an object or as a JSON-encoded string.
func parseJWK(raw json.RawMessage) (*rsa.PublicKey, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		raw = json.RawMessage(s)
	}
	var k struct{ Kty, N, E string }
	if err := json.Unmarshal(raw, &k); err != nil || k.Kty != "RSA" || k.N == "" || k.E == "" {
		return nil, fmt.Errorf("security token has no usable RSA jwk claim (%v)", err)
	}
	n, err1 := base64.RawURLEncoding.DecodeString(k.N)
	e, err2 := base64.RawURLEncoding.DecodeString(k.E)
	if err1 != nil || err2 != nil || len(e) > 4 {
		return nil, errors.New("security token jwk has malformed n or e")
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
}
