// Package handler is the gateway's whole HTTP API as one http.Handler: routing, auth, CORS, OpenAI-shaped
// errors, chat completions (JSON and server-sent events), models, health and the OCI connectivity check.
package handler

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/ociai/ociai-proxy/ocigenai"
)

// Model is a name clients may send and the OCI model behind it.
type Model struct {
	Name      string
	ID        string // OCI model id, or a dedicated endpoint OCID
	Format    string // GENERIC, COHERE, COHEREV2 or EMBED
	Dedicated bool
}

// Key is a client API key with a name used in logs.
type Key struct{ Name, Key string }

// Options are the values the handler works with; it never reads files or the environment itself.
type Options struct {
	Models         []Model
	Keys           []Key
	AuthViaGateway bool // an API gateway in front authenticates; accept calls without a key
	CompartmentID  string

	DefaultMaxTokens int
	ForceNonStream   bool // answer streams from a non-streaming OCI call (also used where responses are buffered)

	CORSOrigins       []string
	NoCORS            bool // something in front (OCI API Gateway) owns CORS; add no headers
	MaxBodyBytes      int64
	RequestTimeout    time.Duration // whole non-streaming OCI call
	StreamIdleTimeout time.Duration // longest silence between stream events

	MaxConcurrentPerKey int  // requests in flight per client key; 0 = unlimited
	Metrics             bool // serve GET /metrics (Prometheus; no key needed)

	Logger     *slog.Logger
	LogPrompts bool
	Version    string
	Region     string // reported by /test-oci

	// KeySet, when set, is the live set of client keys (keys read from OCI Vault) and Keys is ignored.
	KeySet *KeySet
}

// Handler serves the OpenAI-compatible API.
type Handler struct {
	opt     Options
	oci     *ocigenai.Client
	log     *slog.Logger
	models  map[string]Model
	keys    *KeySet
	started int64
	limiter *keyLimiter
	metrics *metrics // nil when switched off
}

// New returns the API handler. oci is shared by all requests.
func New(opt Options, oci *ocigenai.Client) *Handler {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.MaxBodyBytes <= 0 {
		opt.MaxBodyBytes = 10 << 20
	}
	if opt.RequestTimeout <= 0 {
		opt.RequestTimeout = 300 * time.Second
	}
	if opt.StreamIdleTimeout <= 0 {
		opt.StreamIdleTimeout = 120 * time.Second
	}
	if opt.DefaultMaxTokens <= 0 {
		opt.DefaultMaxTokens = 4000
	}
	if len(opt.CORSOrigins) == 0 {
		opt.CORSOrigins = []string{"*"}
	}
	h := &Handler{opt: opt, oci: oci, log: opt.Logger, models: make(map[string]Model, len(opt.Models)), started: time.Now().Unix(),
		limiter: newKeyLimiter(opt.MaxConcurrentPerKey)}
	if opt.Metrics {
		h.metrics = newMetrics()
		if oci != nil {
			oci.OnRetry = h.metrics.retried
		}
	}
	for _, m := range opt.Models {
		h.models[m.Name] = m
	}
	if h.keys = opt.KeySet; h.keys == nil {
		h.keys = NewKeySet(opt.Keys)
	}
	return h
}

// route is one endpoint: the methods it accepts, whether it needs a key, and what serves it.
type route struct {
	methods []string
	open    bool // no key needed
	calls   bool // calls OCI: counts against the per-key concurrency limit
	serve   func(h *Handler, w http.ResponseWriter, r *http.Request, rest string)
}

var routes = map[string]route{
	"/health":              {methods: []string{http.MethodGet, http.MethodHead}, open: true, serve: (*Handler).health},
	"/metrics":             {methods: []string{http.MethodGet}, open: true, serve: (*Handler).serveMetrics},
	"/test-oci":            {methods: []string{http.MethodGet}, calls: true, serve: (*Handler).testOCI},
	"/v1/models":           {methods: []string{http.MethodGet}, serve: (*Handler).listModels},
	"/v1/models/":          {methods: []string{http.MethodGet}, serve: (*Handler).getModel},
	"/v1/chat/completions": {methods: []string{http.MethodPost}, calls: true, serve: (*Handler).chat},
	"/v1/embeddings":       {methods: []string{http.MethodPost}, calls: true, serve: (*Handler).embeddings},
}

// match finds the route for path whatever prefix sits in front of it: behind OCI API Gateway the function sees
// the deployment's path prefix (e.g. /openai/v1/chat/completions). It returns the route key and, for
// /v1/models/{id}, the id.
func match(path string) (key, rest string) {
	if i := strings.Index(path, "/v1/"); i >= 0 {
		p := path[i:]
		if id, ok := strings.CutPrefix(p, "/v1/models/"); ok && id != "" {
			return "/v1/models/", id
		}
		return strings.TrimSuffix(p, "/"), ""
	}
	for _, k := range []string{"/health", "/test-oci", "/metrics"} {
		if strings.HasSuffix(path, k) {
			return k, ""
		}
	}
	return path, ""
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	info := newRequestInfo(r)
	sw := &statusWriter{ResponseWriter: w}
	w = sw
	w.Header().Set("X-Request-Id", info.id)
	r = r.WithContext(withInfo(r.Context(), info))
	defer h.finish(sw, r, info)

	if h.cors(w, r) {
		return
	}
	key, rest := match(r.URL.Path)
	rt, ok := routes[key]
	if ok {
		info.route = key
	}
	if !ok {
		writeError(w, r, &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "unknown_url",
			Message: "Unknown request URL: " + r.Method + " " + r.URL.Path + ". The gateway serves /v1/chat/completions, /v1/embeddings, /v1/models, /health and /test-oci."})
		return
	}
	if !allowed(rt.methods, r.Method) {
		w.Header().Set("Allow", strings.Join(rt.methods, ", "))
		writeError(w, r, &apiError{Status: http.StatusMethodNotAllowed, Type: "invalid_request_error", Code: "method_not_allowed",
			Message: r.Method + " is not allowed on " + key + "; use " + strings.Join(rt.methods, " or ") + "."})
		return
	}
	if !rt.open && !h.authenticate(w, r, info) {
		return
	}
	if rt.calls {
		release, ok := h.limiter.acquire(w, r, info.keyName)
		if !ok {
			return
		}
		defer release()
	}
	rt.serve(h, w, r, rest)
}

func allowed(methods []string, m string) bool {
	for _, x := range methods {
		if x == m {
			return true
		}
	}
	return false
}
