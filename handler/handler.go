// Package handler is the gateway's HTTP API as one http.Handler: routing, auth, CORS, body limits, error
// envelopes, the chat pipeline (JSON and server-sent events), embeddings, models, health and the OCI check.
//
// The chat pipeline is the same for every client API: auth, body limit, model resolution, the format lookup, the
// OCI call or stream with retries, the idle timeout, usage metrics, synthesized streams (force_non_stream),
// client disconnects and logging. A client API only converts between its wire format and the hub (package hub):
// it is a ClientAPI, and adding one takes its package (beside package openai) and one line in routes:
//
//	"/v1/messages": {methods: post, calls: true, api: anthropic.MessagesAPI{}, serve: (*Handler).chat},
//
// Its DecodeChat turns a request body into a hub.ChatRequest (Stream says whether the client streams;
// StreamOptions.IncludeUsage whether the usage chunk reaches it) and returns the hub.Reply that encodes the answer:
// a whole hub.ChatCompletion as JSON, or the stream of hub.ChatChunks as the API's own server-sent events (with its
// start, per-block, final and keep-alive events), ending in End or StreamError. Its ErrorBody is its error
// envelope; every error on its routes (auth, limits, OCI failures) goes through it.
package handler

import (
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/trace"

	"github.com/ociai/ociai-proxy/oci"
	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/responses"
)

// Model is a name clients may send and where it is served: one or more targets, in order of preference, and the
// strategy that picks among them (see ocigenai.Route).
type Model struct {
	Name     string
	Targets  []Target
	Strategy string // failover (default), spread or least-busy
}

// Target is one place a model is served: an OCI model in one region.
type Target struct {
	ID        string // OCI model id, or a dedicated endpoint OCID
	Format    string // the model's OCI API format, a name from package oci's format table
	Dedicated bool
	Region    string
	Endpoint  string // the region's inference endpoint
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
	KeepAlive         time.Duration // silence after which a stream gets its API's keep-alive event, if it has one

	MaxConcurrentPerKey int    // OCI calls in flight per client key; 0 = unlimited
	MaxEmbeddingInputs  int    // inputs per embeddings request (default 2048)
	Metrics             bool   // serve GET /metrics (Prometheus)
	MetricsKey          string // the Bearer key /metrics asks for; "" = open
	MetricsElsewhere    bool   // /metrics is served by MetricsHandler on its own listener, not with the API
	// Collectors add series to /metrics (the region pool's per-target series, package poolmetrics).
	Collectors []prometheus.Collector

	Logger     *slog.Logger
	LogPrompts bool
	Version    string
	Region     string // the default region: of targets that name none, and in error messages before a target answered

	// Pool sends the OCI calls: every model's targets become a route in it.
	Pool *ocigenai.Pool
	// Tracing, when set, traces every request (a span per request; the pool adds one per OCI attempt).
	Tracing trace.TracerProvider

	// KeySet, when set, is the live set of client keys (keys read from OCI Vault) and Keys is ignored.
	KeySet *KeySet
	// AuthHint is added to every 401 message, to say where the key is (-simulate sets it).
	AuthHint string
}

// Handler serves the gateway's API.
type Handler struct {
	opt     Options
	log     *slog.Logger
	tracer  trace.Tracer // nil when not tracing
	models  map[string]model
	keys    *KeySet
	started int64
	metrics *metrics // nil when switched off
	limiter *keyLimiter
	checks  *checker // /test-oci's results
	root    http.Handler
	routes  map[string]*route // the route table with each route's handler built
	sealer  *responses.Sealer // seals what the Responses API hands clients to give back
}

// model is a configured model with its route and the formats of its targets looked up (by target index).
type model struct {
	Model
	route   *ocigenai.Route
	formats []oci.Format
}

// New returns the API handler, with a route in opt.Pool for every model.
func New(opt Options) (*Handler, error) {
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
	if opt.KeepAlive <= 0 {
		opt.KeepAlive = 15 * time.Second
	}
	if opt.MaxEmbeddingInputs <= 0 {
		opt.MaxEmbeddingInputs = DefaultMaxEmbeddingInputs
	}
	if opt.DefaultMaxTokens <= 0 {
		opt.DefaultMaxTokens = 4000
	}
	if len(opt.CORSOrigins) == 0 {
		opt.CORSOrigins = []string{"*"}
	}
	h := &Handler{opt: opt, log: opt.Logger, models: make(map[string]model, len(opt.Models)), started: time.Now().Unix(),
		checks: newChecker()}
	for _, m := range opt.Models {
		mm, err := newModel(opt.Pool, m, opt.Region)
		if err != nil {
			return nil, err
		}
		h.models[m.Name] = mm
	}
	if h.keys = opt.KeySet; h.keys == nil {
		h.keys = NewKeySet(opt.Keys)
	}
	h.sealer = newSealer(h.keys)
	h.limiter = newKeyLimiter(opt.MaxConcurrentPerKey)
	h.routes = buildRoutes(h)
	var root http.Handler = http.HandlerFunc(h.dispatch)
	root = h.recoverPanics(root)
	if opt.Metrics {
		h.metrics = newMetrics(opt.Collectors...)
		root = h.metrics.middleware(h, root)
	}
	if opt.Tracing != nil {
		h.tracer = opt.Tracing.Tracer("github.com/ociai/ociai-proxy/handler")
		root = h.traceRequests(root)
	}
	h.root = h.track(root)
	return h, nil
}

// newModel builds m's route in pool and looks up its targets' formats. Targets without a region are in the
// default region.
func newModel(pool *ocigenai.Pool, m Model, region string) (model, error) {
	if len(m.Targets) == 0 {
		return model{}, fmt.Errorf("model %s has no targets", m.Name)
	}
	if pool == nil {
		return model{}, fmt.Errorf("no OCI pool for model %s", m.Name)
	}
	specs := make([]ocigenai.TargetSpec, len(m.Targets))
	m.Targets = slices.Clone(m.Targets)
	mm := model{Model: m, formats: make([]oci.Format, len(m.Targets))}
	for i, t := range m.Targets {
		if t.Region == "" {
			m.Targets[i].Region, t.Region = region, region
		}
		specs[i] = ocigenai.TargetSpec{Model: t.ID, Region: t.Region, Endpoint: t.Endpoint}
		mm.formats[i] = oci.Lookup(t.Format)
	}
	var err error
	mm.route, err = pool.Route(m.Name, ocigenai.Strategy(m.Strategy), specs...)
	return mm, err
}

// RetryHook is the OCI pool's retry hook that counts retries in the metrics (nil when metrics are off). The
// gateway sets it where it builds the pool.
func (h *Handler) RetryHook() func(path string, attempt, status int, code string) {
	if h.metrics == nil {
		return nil
	}
	return h.metrics.retried
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.root.ServeHTTP(w, r) }
