package ocisim_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"

	"github.com/ociai/ociai-proxy/ocisim"
)

var helloBody = generic("meta.llama-3.3-70b-instruct", nil, userMsg("hi"))

func TestSignatureAccepted(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	status, out := e.chat(helloBody)
	if status != 200 {
		t.Fatalf("status %d: %v\nlogs: %s", status, out, e.logs)
	}
	// The SDK's default signed headers for a POST.
	auth := e.sim.Requests()[0].Header.Get("Authorization")
	if !strings.Contains(auth, `headers="date (request-target) host content-length content-type x-content-sha256"`) {
		t.Errorf("unexpected Authorization %q", auth)
	}
}

func TestSignatureRejected(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	a, b := identities(t)
	body := mustJSON(t, helloBody)
	url := e.srv.URL + "/20231130/actions/chat"
	now := time.Now()

	cases := []struct {
		name, reason string
		req          func() *http.Request
	}{
		{"wrong key", "does not verify", func() *http.Request {
			// a's keyId, b's private key
			return newRequest(t, url, body, common.DefaultRequestSigner(rawProvider(a, b.PrivateKeyPEM)), now)
		}},
		{"unknown keyId", "unknown API key", func() *http.Request {
			return newRequest(t, url, body, apiKeySigner(b), now)
		}},
		{"tampered body", "x-content-sha256", func() *http.Request {
			r := newRequest(t, url, body, e.signer, now)
			tampered := bytes.Replace(body, []byte(`"hi"`), []byte(`"ho"`), 1)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(tampered)), int64(len(tampered))
			return r
		}},
		{"tampered body with recomputed hash", "does not verify", func() *http.Request {
			r := newRequest(t, url, body, e.signer, now)
			tampered := bytes.Replace(body, []byte(`"hi"`), []byte(`"ho"`), 1)
			sum := sha256.Sum256(tampered)
			r.Header.Set("X-Content-Sha256", base64.StdEncoding.EncodeToString(sum[:]))
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(tampered)), int64(len(tampered))
			return r
		}},
		{"stale date", "away from now", func() *http.Request {
			return newRequest(t, url, body, e.signer, now.Add(-6*time.Minute))
		}},
		{"future date", "away from now", func() *http.Request {
			return newRequest(t, url, body, e.signer, now.Add(6*time.Minute))
		}},
		{"body headers not signed", `"content-length" is not in the signed headers`, func() *http.Request {
			s := common.RequestSigner(rawProvider(a, a.PrivateKeyPEM), common.DefaultGenericHeaders(), []string{})
			return newRequest(t, url, body, s, now)
		}},
		{"host not signed", `"host" is not in the signed headers`, func() *http.Request {
			s := common.RequestSigner(rawProvider(a, a.PrivateKeyPEM), []string{"date", "(request-target)"}, common.DefaultBodyHeaders())
			return newRequest(t, url, body, s, now)
		}},
		{"date changed after signing", "does not verify", func() *http.Request {
			r := newRequest(t, url, body, e.signer, now)
			r.Header.Set("Date", now.Add(time.Second).UTC().Format(http.TimeFormat))
			return r
		}},
		{"path changed after signing", "does not verify", func() *http.Request {
			r := newRequest(t, e.srv.URL+"/20231130/actions/chat?x=1", body, e.signer, now)
			r.URL.RawQuery = ""
			return r
		}},
		{"no Authorization", "no Authorization", func() *http.Request {
			r := newRequest(t, url, body, e.signer, now)
			r.Header.Del("Authorization")
			return r
		}},
		{"bearer scheme", "not a \"Signature\"", func() *http.Request {
			r := newRequest(t, url, body, e.signer, now)
			r.Header.Set("Authorization", "Bearer abc")
			return r
		}},
		{"rsa-pss algorithm name", "unsupported algorithm", func() *http.Request {
			r := newRequest(t, url, body, e.signer, now)
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "rsa-sha256", "hs2019", 1))
			return r
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(strings.Split(e.logs.String(), "\n"))
			resp := e.do(c.req())
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 401 {
				t.Fatalf("status %d, want 401: %s", resp.StatusCode, raw)
			}
			want := `{"code":"NotAuthenticated","message":"The required information to complete authentication was not provided or was incorrect."}`
			wantEq(t, "body", string(raw), want)
			wantEq(t, "content-type", resp.Header.Get("Content-Type"), "application/json")
			if resp.Header.Get("opc-request-id") == "" {
				t.Error("no opc-request-id")
			}
			logs := strings.Split(e.logs.String(), "\n")
			if got := strings.Join(logs[before-1:], "\n"); !strings.Contains(got, c.reason) {
				t.Errorf("log %q does not mention %q", got, c.reason)
			}
		})
	}
}

// Options.Now drives the date check (and token expiry).
func TestSignatureUsesOptionsNow(t *testing.T) {
	past := time.Now().Add(-time.Hour)
	e := newEnv(t, ocisim.Options{Now: func() time.Time { return past }})
	body := mustJSON(t, helloBody)
	url := e.srv.URL + "/20231130/actions/chat"
	if resp := e.do(newRequest(t, url, body, e.signer, time.Now())); resp.StatusCode != 401 {
		t.Errorf("current date against a clock an hour back: status %d", resp.StatusCode)
	}
	if resp := e.do(newRequest(t, url, body, e.signer, past)); resp.StatusCode != 200 {
		t.Errorf("matching date: status %d (%s)", resp.StatusCode, e.logs)
	}
}

// Signing with x-date instead of date is accepted, as the service does.
func TestSignatureXDate(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	a, _ := identities(t)
	s := common.RequestSigner(rawProvider(a, a.PrivateKeyPEM), []string{"x-date", "(request-target)", "host"}, common.DefaultBodyHeaders())
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/20231130/actions/chat", bytes.NewReader(mustJSON(t, helloBody)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Date", time.Now().UTC().Format(http.TimeFormat))
	if err := s.Sign(req); err != nil {
		t.Fatal(err)
	}
	if resp := e.do(req); resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, e.logs)
	}
}
