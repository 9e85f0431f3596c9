package ocisim

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxClockSkew is the service's tolerance for the Date header.
const maxClockSkew = 5 * time.Minute

// verify checks the OCI HTTP signature (draft-cavage-08 as profiled by OCI)
// of r. The returned error explains the precise reason; callers answer a
// generic 401 like the service does.
func (s *Simulator) verify(r *http.Request, body []byte) error {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return errors.New("no Authorization header")
	}
	params, err := parseSignature(auth)
	if err != nil {
		return err
	}
	if v, ok := params["version"]; ok && v != "1" {
		return fmt.Errorf("unsupported signature version %q", v)
	}
	if a := params["algorithm"]; a != "rsa-sha256" {
		return fmt.Errorf("unsupported algorithm %q", a)
	}
	keyID, sigB64 := params["keyId"], params["signature"]
	if keyID == "" || sigB64 == "" {
		return errors.New("keyId or signature missing")
	}
	headers := strings.Fields(strings.ToLower(params["headers"]))
	if len(headers) == 0 {
		headers = []string{"date"} // the draft's default
	}
	if err := requireSigned(r.Method, headers); err != nil {
		return err
	}
	if err := checkDate(r, headers, s.opts.Now()); err != nil {
		return err
	}
	if err := checkBody(r, headers, body); err != nil {
		return err
	}
	pub, err := s.keyFor(keyID)
	if err != nil {
		return err
	}
	sig, err := base64.StdEncoding.DecodeString(sigB64)
	if err != nil {
		return fmt.Errorf("signature is not base64: %v", err)
	}
	signing, err := signingString(r, headers)
	if err != nil {
		return err
	}
	digest := sha256.Sum256([]byte(signing))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		return fmt.Errorf("signature does not verify for keyId %.60q (signing string %q)", keyID, signing)
	}
	return nil
}

// parseSignature splits `Signature k="v",k="v"` into a map.
func parseSignature(h string) (map[string]string, error) {
	rest, ok := strings.CutPrefix(h, "Signature ")
	if !ok {
		return nil, errors.New(`the Authorization header is not a "Signature" scheme`)
	}
	params := make(map[string]string, 5)
	for rest = strings.TrimSpace(rest); rest != ""; {
		eq := strings.IndexByte(rest, '=')
		if eq < 0 || eq+1 >= len(rest) || rest[eq+1] != '"' {
			return nil, fmt.Errorf("malformed Signature parameters near %.40q", rest)
		}
		name := strings.TrimSpace(rest[:eq])
		end := strings.IndexByte(rest[eq+2:], '"')
		if end < 0 {
			return nil, errors.New("unterminated quoted value in Authorization")
		}
		params[name] = rest[eq+2 : eq+2+end]
		rest = strings.TrimLeft(rest[eq+2+end+1:], ", ")
	}
	return params, nil
}

// requireSigned enforces the headers the service insists on being signed.
func requireSigned(method string, headers []string) error {
	has := func(h string) bool {
		for _, x := range headers {
			if x == h {
				return true
			}
		}
		return false
	}
	if !has("date") && !has("x-date") {
		return errors.New("neither date nor x-date is signed")
	}
	need := []string{"(request-target)", "host"}
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		need = append(need, "content-length", "content-type", "x-content-sha256")
	}
	for _, h := range need {
		if !has(h) {
			return fmt.Errorf("header %q is not in the signed headers list %q", h, strings.Join(headers, " "))
		}
	}
	return nil
}

// checkDate rejects a Date (x-date wins when signed) further than
// maxClockSkew from now.
func checkDate(r *http.Request, headers []string, now time.Time) error {
	name := "date"
	for _, h := range headers {
		if h == "x-date" {
			name = "x-date"
		}
	}
	v := r.Header.Get(name)
	if v == "" {
		return fmt.Errorf("%s header missing", name)
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return fmt.Errorf("%s header %q is not an HTTP date", name, v)
	}
	if d := now.Sub(t); d > maxClockSkew || d < -maxClockSkew {
		return fmt.Errorf("%s %q is %v away from now (max %v)", name, v, d.Round(time.Second), maxClockSkew)
	}
	return nil
}

// checkBody verifies x-content-sha256 and content-length against the body
// actually received.
func checkBody(r *http.Request, headers []string, body []byte) error {
	for _, h := range headers {
		switch h {
		case "x-content-sha256":
			sum := sha256.Sum256(body)
			if got, want := r.Header.Get("x-content-sha256"), base64.StdEncoding.EncodeToString(sum[:]); got != want {
				return fmt.Errorf("x-content-sha256 %q does not match the body (want %q)", got, want)
			}
		case "content-length":
			if got := r.Header.Get("Content-Length"); got != strconv.Itoa(len(body)) {
				return fmt.Errorf("content-length %q does not match the body length %d", got, len(body))
			}
		}
	}
	return nil
}

// signingString rebuilds the string the client signed.
func signingString(r *http.Request, headers []string) (string, error) {
	var b strings.Builder
	for i, h := range headers {
		if i > 0 {
			b.WriteByte('\n')
		}
		var v string
		switch h {
		case "(request-target)":
			target := r.RequestURI
			if !strings.HasPrefix(target, "/") {
				target = r.URL.RequestURI()
			}
			v = strings.ToLower(r.Method) + " " + target
		case "host":
			v = r.Host
		default:
			vals, ok := r.Header[http.CanonicalHeaderKey(h)]
			if !ok {
				return "", fmt.Errorf("signed header %q is not present", h)
			}
			v = strings.Join(vals, ", ")
		}
		b.WriteString(h)
		b.WriteString(": ")
		b.WriteString(v)
	}
	return b.String(), nil
}

// keyFor resolves a keyId: "<tenancy>/<user>/<fingerprint>" for API keys,
// "ST$<jwt>" for session tokens issued by this simulator.
func (s *Simulator) keyFor(keyID string) (*rsa.PublicKey, error) {
	if tok, ok := strings.CutPrefix(keyID, "ST$"); ok {
		return s.issuer.verify(tok, s.opts.Now())
	}
	if strings.Count(keyID, "/") != 2 {
		return nil, fmt.Errorf("keyId %.80q is neither <tenancy>/<user>/<fingerprint> nor ST$<token>", keyID)
	}
	s.keyMu.RLock()
	pub := s.keys[keyID]
	s.keyMu.RUnlock()
	if pub == nil {
		return nil, fmt.Errorf("unknown API key %q", keyID)
	}
	return pub, nil
}
