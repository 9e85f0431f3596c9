package ocisim

import (
	"crypto/rsa"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options tune the simulator. The zero value answers immediately.
type Options struct {
	Latency    time.Duration                    // added before the response headers (non-stream and stream)
	TokenDelay time.Duration                    // pause between streamed events
	OmitDone   bool                             // do not send `data: [DONE]` after the last event (real OCI sometimes doesn't)
	Now        func() time.Time                 // for signature date and token expiry checks; default time.Now
	Logf       func(format string, args ...any) // optional; receives the precise reason of every rejection

	// MaxRecorded bounds how many requests Requests() keeps (the most recent
	// ones), so a long benchmark does not grow without limit. 0 means 10000;
	// negative disables recording.
	MaxRecorded int

	// Region is the OCI region the simulator plays (default DefaultRegion): it serves that region's
	// on-demand models (catalogue.go) and dedicated endpoints, and answers 404 for any other model id or
	// for an endpoint OCID naming another region, like the service. Tests of routing across regions run
	// one simulator per region.
	Region string
	// ExtraModels are served on demand besides the region's catalogue. They are for tests of model families
	// OCI offers only to some tenancies or regions (OpenAI's gpt-5, o-series and gpt-4.1 models, Cohere
	// Command A Reasoning), which the public catalogue does not list.
	ExtraModels []string
	// NoModelInspect plays a principal whose IAM policy lacks `inspect generative-ai-model` (which
	// `use generative-ai-family` includes): ListModels answers 404 NotAuthorizedOrNotFound.
	NoModelInspect bool
	// ModelsPageSize is how many models one ListModels page holds when the request sets no limit
	// (default 100; UNCONFIRMED: the service's default).
	ModelsPageSize int
}

const (
	chatPath   = "/20231130/actions/chat"
	embedPath  = "/20231130/actions/embedText"
	modelsPath = "/20231130/models" // ListModels, on the control-plane host generativeai.<region>… (see listmodels.go)

	maxBody = 64 << 20 // far above any real request; only guards memory
)

// Simulator is an http.Handler that behaves like the OCI Generative AI
// inference endpoint. It is safe for concurrent use.
type Simulator struct {
	opts   Options
	models []servedModel          // what the region serves on demand, in catalogue order
	served map[string]servedModel // the same by model id and by model OCID

	keyMu sync.RWMutex
	keys  map[string]*rsa.PublicKey // "<tenancy>/<user>/<fingerprint>" → key

	issuer issuer     // session-token issuer (token.go)
	fed    federation // instance-principal federation (federation.go)
	vault  vault      // Vault secrets (vault.go)

	faultMu sync.Mutex
	faults  []Fault
	always  Fault // applied when no queued fault is left (see Always)

	recMu sync.Mutex
	recs  []Request // ring buffer of the last opts.MaxRecorded requests
	recAt int       // next write position once the ring is full

	activeStreams atomic.Int64 // streams being written (tests use it to prove cancellation)
}

// Request is what the simulator received and answered. Status 0 means the
// connection was aborted without a response (a fault).
type Request struct {
	Path   string
	Header http.Header
	Body   []byte
	Status int
}

// New returns a simulator with no registered keys.
func New(opts Options) *Simulator {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxRecorded == 0 {
		opts.MaxRecorded = 10000
	}
	if opts.Region == "" {
		opts.Region = DefaultRegion
	}
	if opts.ModelsPageSize <= 0 {
		opts.ModelsPageSize = 100
	}
	s := &Simulator{opts: opts, keys: map[string]*rsa.PublicKey{}, models: servedModels(opts.Region, opts.ExtraModels)}
	s.served = make(map[string]servedModel, 2*len(s.models))
	for _, m := range s.models {
		s.served[m.id], s.served[m.ocid] = m, m
	}
	return s
}

// Region is the OCI region the simulator plays.
func (s *Simulator) Region() string { return s.opts.Region }

// AddAPIKey registers an API-key principal; requests signed with keyId
// "<tenancy>/<user>/<fingerprint>" are verified against pub.
func (s *Simulator) AddAPIKey(tenancy, user, fingerprint string, pub *rsa.PublicKey) {
	s.keyMu.Lock()
	s.keys[tenancy+"/"+user+"/"+fingerprint] = pub
	s.keyMu.Unlock()
}

// AddIdentity registers id's public key (see AddAPIKey).
func (s *Simulator) AddIdentity(id Identity) {
	s.AddAPIKey(id.Tenancy, id.User, id.Fingerprint, &id.Key.PublicKey)
}

// Requests returns a copy of the recorded requests, oldest first.
func (s *Simulator) Requests() []Request {
	s.recMu.Lock()
	defer s.recMu.Unlock()
	out := make([]Request, 0, len(s.recs))
	out = append(out, s.recs[s.recAt:]...)
	return append(out, s.recs[:s.recAt]...)
}

// Reset clears recorded requests and queued faults.
func (s *Simulator) Reset() {
	s.recMu.Lock()
	s.recs, s.recAt = nil, 0
	s.recMu.Unlock()
	s.faultMu.Lock()
	s.faults, s.always = nil, Fault{}
	s.faultMu.Unlock()
}

func (s *Simulator) record(r Request) {
	max := s.opts.MaxRecorded
	if max < 0 {
		return
	}
	s.recMu.Lock()
	if len(s.recs) < max {
		s.recs = append(s.recs, r)
	} else {
		s.recs[s.recAt] = r
		s.recAt = (s.recAt + 1) % max
	}
	s.recMu.Unlock()
}

func (s *Simulator) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// ServeHTTP routes, authenticates, applies queued faults and answers.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{s: s, w: w, r: r, id: requestID(r.Header.Get("opc-request-id"))}
	w.Header().Set("opc-request-id", x.id)

	var handle func(*exchange)
	method := http.MethodPost
	switch r.URL.Path {
	case chatPath:
		handle = s.chat
	case embedPath:
		handle = s.embed
	case modelsPath:
		handle, method = s.listModels, http.MethodGet
	case federationPath:
		s.federate(x) // own signature rules (leaf certificate), no faults
		return
	default:
		if strings.HasPrefix(r.URL.Path, secretsPath) {
			s.getSecretBundle(x) // GET, no body, no faults (see FailSecret)
			return
		}
		x.fail(http.StatusNotFound, "NotAuthorizedOrNotFound",
			"Authorization failed or requested resource not found.")
		return
	}
	if r.Method != method {
		w.Header().Set("Allow", method)
		x.fail(http.StatusMethodNotAllowed, "MethodNotAllowed", "Method "+r.Method+" is not allowed on "+r.URL.Path+".")
		return
	}

	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		x.fail(http.StatusBadRequest, "CannotParseRequest", "Could not read the request body.")
		return
	}
	x.body = body
	if len(body) > maxBody {
		// UNCONFIRMED: the real size limit and its error code.
		x.fail(http.StatusRequestEntityTooLarge, "LimitExceeded", "The request body is too large.")
		return
	}

	if !x.authenticated(body) {
		return
	}

	// Faults are taken only by authenticated requests, so a test's own
	// mis-signed probe cannot swallow a fault meant for the client under test.
	x.fault = s.nextFault()
	if x.fault.Status != 0 {
		x.failFault()
		return
	}
	handle(x)
}

// authenticated verifies the request's signature over body and, when it fails, answers the generic 401 the
// service gives (the precise reason goes to Options.Logf only).
func (x *exchange) authenticated(body []byte) bool {
	if err := x.s.verify(x.r, body); err != nil {
		x.s.logf("ocisim: %s %s: 401: %v", x.r.Method, x.r.URL.Path, err)
		x.fail(http.StatusUnauthorized, "NotAuthenticated",
			"The required information to complete authentication was not provided or was incorrect.")
		return false
	}
	return true
}
