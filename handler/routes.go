package handler

import (
	"net/http"
	"strings"

	"github.com/ociai/ociai-proxy/anthropic"
	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/openai"
)

// route is one endpoint: the methods it accepts, whether it needs a key, the client API whose error envelope it
// answers in, and what serves it.
type route struct {
	methods     []string
	open        bool // no key needed
	keyOptional bool // a key is checked when one is sent, and the route serves callers without one too
	calls       bool // calls OCI: counts against the per-key concurrency limit
	api         ClientAPI
	apiFor      func(h *Handler) ClientAPI // builds api for the Handler, when the API needs the handler's state
	serve       func(h *Handler, w http.ResponseWriter, r *http.Request, rest string)
	handler     http.Handler // serve for this Handler, behind the per-key limit when calls (built by buildRoutes)
}

var (
	get, post = []string{http.MethodGet}, []string{http.MethodPost}
	openAI    = openai.ChatAPI{}
)

// routes is the route table; match maps a request path to its key.
var routes = map[string]route{
	"/health":              {methods: []string{http.MethodGet, http.MethodHead}, open: true, api: openAI, serve: (*Handler).health},
	"/metrics":             {methods: get, open: true, api: openAI, serve: (*Handler).serveMetrics},
	"/test-oci":            {methods: get, keyOptional: true, calls: true, api: openAI, serve: (*Handler).checkOCI},
	"/v1/models":           {methods: get, api: openAI, serve: (*Handler).listModels},
	"/v1/models/":          {methods: get, api: openAI, serve: (*Handler).getModel},
	"/v1/chat/completions": {methods: post, calls: true, api: openAI, serve: (*Handler).chat},
	"/v1/embeddings":       {methods: post, calls: true, api: openAI, serve: (*Handler).embeddings},

	"/v1/messages":              {methods: post, calls: true, api: anthropic.MessagesAPI{}, serve: (*Handler).chat},
	"/v1/messages/count_tokens": {methods: post, api: anthropic.MessagesAPI{}, serve: (*Handler).countTokens},
	"/v1/responses":             {methods: []string{http.MethodPost, http.MethodGet}, calls: true, apiFor: responsesAPI(false), serve: (*Handler).responses},
	"/v1/responses/compact":     {methods: post, calls: true, apiFor: responsesAPI(true), serve: (*Handler).chat},
	"/v1/responses/":            {methods: []string{http.MethodGet, http.MethodPost, http.MethodDelete}, apiFor: responsesAPI(false), serve: (*Handler).storedResponse},
}

// collections are the routes (keys ending in /) that take an id after their key.
var collections = []string{"/v1/models/", "/v1/responses/"}

// buildRoutes gives every route its handler for h; routes that call OCI go behind the per-key limiter.
func buildRoutes(h *Handler) map[string]*route {
	out := make(map[string]*route, len(routes))
	for key, rt := range routes {
		if rt.apiFor != nil {
			rt.api = rt.apiFor(h)
		}
		serve := rt.serve
		rt.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			serve(h, w, r, infoFrom(r.Context()).rest)
		})
		if rt.calls {
			rt.handler = h.limiter.middleware(h, rt.handler)
		}
		out[key] = &rt
	}
	return out
}

// match finds the route for path whatever prefix sits in front of it: behind OCI API Gateway the function sees
// the deployment's path prefix (e.g. /openai/v1/chat/completions). It returns the route key and, for a
// collection (/v1/models/{id}, /v1/responses/{id}…), what follows the key.
func match(path string) (key, rest string) {
	if i := strings.Index(path, "/v1/"); i >= 0 {
		p := strings.TrimSuffix(path[i:], "/")
		if _, ok := routes[p]; ok {
			return p, ""
		}
		for _, c := range collections {
			if id, ok := strings.CutPrefix(p, c); ok && id != "" {
				return c, id
			}
		}
		return p, ""
	}
	for _, k := range []string{"/health", "/test-oci", "/metrics"} {
		if strings.HasSuffix(path, k) {
			return k, ""
		}
	}
	return path, ""
}

// dispatch answers CORS, finds the route, checks the method and the key, and hands the request to the route.
func (h *Handler) dispatch(w http.ResponseWriter, r *http.Request) {
	info := infoFrom(r.Context())
	key, rest := match(r.URL.Path)
	// No CORS on /metrics: a web page the operator visits must not read it from localhost.
	if key != "/metrics" && h.cors(w, r) {
		return
	}
	rt, ok := h.routes[key]
	if !ok {
		h.unknownURL(w, r)
		return
	}
	info.route, info.rest, info.api = key, rest, rt.api
	if !allowed(rt.methods, r.Method) {
		methodNotAllowed(w, r, key, rt.methods)
		return
	}
	if h.needsKey(rt, r) && !h.authenticate(w, r, info) {
		return
	}
	rt.handler.ServeHTTP(w, r)
}

// unknownURL and methodNotAllowed answer outside dispatch so that their temporaries stay out of its stack frame,
// which every open stream holds.
func (h *Handler) unknownURL(w http.ResponseWriter, r *http.Request) {
	served := "/v1/chat/completions, /v1/messages, /v1/responses, /v1/embeddings, /v1/models, /health and /test-oci"
	if h.metrics != nil {
		served = "/v1/chat/completions, /v1/messages, /v1/responses, /v1/embeddings, /v1/models, /health, /test-oci and /metrics"
	}
	writeError(w, r, &hub.Error{Status: http.StatusNotFound, Type: hub.InvalidRequest, Code: "unknown_url",
		Message: "Unknown request URL: " + r.Method + " " + r.URL.Path + ". The gateway serves " + served + "."})
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request, key string, methods []string) {
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeError(w, r, &hub.Error{Status: http.StatusMethodNotAllowed, Type: hub.InvalidRequest, Code: "method_not_allowed",
		Message: r.Method + " is not allowed on " + key + "; use " + strings.Join(methods, " or ") + "."})
}

// needsKey: open routes never check a key, key-optional ones only when the caller sends one (or when an API
// gateway in front authenticates every call).
func (h *Handler) needsKey(rt *route, r *http.Request) bool {
	switch {
	case rt.open:
		return false
	case rt.keyOptional && !h.opt.AuthViaGateway:
		return r.Header.Get("Authorization") != "" || r.Header.Get("x-api-key") != ""
	}
	return true
}

func allowed(methods []string, m string) bool {
	for _, x := range methods {
		if x == m {
			return true
		}
	}
	return false
}
