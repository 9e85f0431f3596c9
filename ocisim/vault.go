package ocisim

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// secretsPath is the Vault secret retrieval API's GetSecretBundle (the SDK's secrets client: host
// secrets.vaults.<region>.oci.<domain>, base path 20190301, GET /secretbundles/{secretId}).
const secretsPath = "/20190301/secretbundles/"

// vault holds the simulated secrets: every version of each, newest last.
type vault struct {
	mu      sync.Mutex
	secrets map[string]*secret
}

type secret struct {
	versions []secretVersion // versionNumber i+1 at index i
	current  int             // index of the CURRENT version
	failWith int             // answer reads with this status instead (0: serve)
}

type secretVersion struct {
	content []byte
	created time.Time
}

// PutSecret stores content as a new version of the secret secretID (created on first use) and makes it
// CURRENT, as a secret update in OCI Vault does; the former CURRENT version becomes PREVIOUS. It returns the
// new version number (1 for the first).
func (s *Simulator) PutSecret(secretID string, content []byte) int64 {
	s.vault.mu.Lock()
	defer s.vault.mu.Unlock()
	if s.vault.secrets == nil {
		s.vault.secrets = map[string]*secret{}
	}
	sec := s.vault.secrets[secretID]
	if sec == nil {
		sec = &secret{}
		s.vault.secrets[secretID] = sec
	}
	sec.versions = append(sec.versions, secretVersion{content: append([]byte(nil), content...), created: s.opts.Now()})
	sec.current = len(sec.versions) - 1
	return int64(len(sec.versions))
}

// FailSecret makes reads of secretID answer status (with the matching OCI error) until it is called again with
// 0. A read of an unknown secret is always 404 NotAuthorizedOrNotFound.
func (s *Simulator) FailSecret(secretID string, status int) {
	s.vault.mu.Lock()
	defer s.vault.mu.Unlock()
	if sec := s.vault.secrets[secretID]; sec != nil {
		sec.failWith = status
	}
}

// secretBundle is the SDK's secrets.SecretBundle on the wire.
// UNCONFIRMED: which optional members (versionName, timeOfDeletion, timeOfExpiry, metadata) the service sends
// when they are unset; they are left out here.
type secretBundle struct {
	SecretID            string        `json:"secretId"`
	VersionNumber       int64         `json:"versionNumber"`
	TimeCreated         string        `json:"timeCreated"`
	SecretBundleContent bundleContent `json:"secretBundleContent"`
	Stages              []string      `json:"stages"`
}

// bundleContent is Base64SecretBundleContentDetails: the only content type the service returns.
type bundleContent struct {
	ContentType string `json:"contentType"`
	Content     string `json:"content"`
}

// getSecretBundle answers GET /20190301/secretbundles/{secretId}[?versionNumber=n|stage=S]. Without a selector
// it returns the CURRENT version, like the service.
func (s *Simulator) getSecretBundle(x *exchange) {
	r := x.r
	if r.Method != http.MethodGet {
		x.w.Header().Set("Allow", http.MethodGet)
		x.fail(http.StatusMethodNotAllowed, "MethodNotAllowed", "Method "+r.Method+" is not allowed on "+r.URL.Path+".")
		return
	}
	if !x.authenticated(nil) {
		return
	}
	id := strings.TrimPrefix(r.URL.Path, secretsPath)
	s.vault.mu.Lock()
	defer s.vault.mu.Unlock()
	sec := s.vault.secrets[id]
	switch {
	case sec == nil || id == "" || strings.Contains(id, "/"):
		x.fail(http.StatusNotFound, "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found.")
		return
	case sec.failWith != 0:
		code, msg := errorFor(sec.failWith)
		x.fail(sec.failWith, code, msg)
		return
	}
	i, ok := sec.selectVersion(x)
	if !ok {
		return
	}
	v := sec.versions[i]
	// UNCONFIRMED: the etag format; the SDK only passes it through.
	x.w.Header().Set("etag", strconv.Itoa(len(sec.versions))+"-"+strconv.Itoa(i+1))
	x.writeJSON(secretBundle{
		SecretID:            id,
		VersionNumber:       int64(i + 1),
		TimeCreated:         v.created.UTC().Format("2006-01-02T15:04:05.000Z"),
		SecretBundleContent: bundleContent{ContentType: "BASE64", Content: base64.StdEncoding.EncodeToString(v.content)},
		Stages:              sec.stages(i),
	})
}

// selectVersion resolves the versionNumber or stage query parameter (CURRENT when neither is given); it answers
// the error itself when ok is false.
func (sec *secret) selectVersion(x *exchange) (i int, ok bool) {
	q := x.r.URL.Query()
	notFound := func() (int, bool) {
		x.fail(http.StatusNotFound, "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found.")
		return 0, false
	}
	if n := q.Get("versionNumber"); n != "" {
		v, err := strconv.Atoi(n)
		if err != nil {
			x.fail(http.StatusBadRequest, "InvalidParameter", "versionNumber must be an integer.")
			return 0, false
		}
		if v < 1 || v > len(sec.versions) {
			return notFound()
		}
		return v - 1, true
	}
	switch stage := strings.ToUpper(q.Get("stage")); stage {
	case "", "CURRENT":
		return sec.current, true
	case "LATEST":
		return len(sec.versions) - 1, true
	case "PREVIOUS":
		if sec.current == 0 {
			return notFound()
		}
		return sec.current - 1, true
	case "PENDING", "DEPRECATED":
		return notFound() // the simulator has no pending versions; deprecated ones are reached by number
	default:
		x.fail(http.StatusBadRequest, "InvalidParameter", "stage must be one of CURRENT, PENDING, LATEST, PREVIOUS, DEPRECATED.")
		return 0, false
	}
}

// stages are the rotation states of version i. UNCONFIRMED: that the service lists LATEST beside CURRENT on
// the newest version and DEPRECATED on versions older than PREVIOUS (the SDK's SecretBundleStagesEnum values).
func (sec *secret) stages(i int) []string {
	var out []string
	switch {
	case i == sec.current:
		out = append(out, "CURRENT")
	case i == sec.current-1:
		out = append(out, "PREVIOUS")
	default:
		out = append(out, "DEPRECATED")
	}
	if i == len(sec.versions)-1 {
		out = append(out, "LATEST")
	}
	return out
}
