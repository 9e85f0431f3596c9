package handler

import (
	"crypto/rand"
	"net/http"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/responses"
)

// The OpenAI Responses API (package responses) runs on the chat pipeline. What it needs beyond it: a key to
// seal the compaction items it hands out, and answers for what a stateless gateway cannot do.

// responsesAPI builds the Responses API (or its compact endpoint) with the handler's sealing key.
func responsesAPI(compact bool) func(h *Handler) ClientAPI {
	return func(h *Handler) ClientAPI { return responses.API{Sealer: h.sealer, Compact: compact} }
}

// newSealer derives the sealing key from the client keys in use (live: keys rotated in OCI Vault take over), so
// that every replica and restart of the gateway opens what another sealed, while keys it no longer accepts open
// nothing. Without keys (an API gateway in front authenticates) the secret is random: sealed items then open
// only in this process, and elsewhere get a 400 that says so.
func newSealer(keys *KeySet) *responses.Sealer {
	fallback := make([]byte, 32)
	_, _ = rand.Read(fallback)
	return responses.NewSealer(func() []byte {
		if s := keys.secret(); len(s) > 0 {
			return s
		}
		return fallback
	})
}

// responses serves POST /v1/responses through the chat pipeline, and refuses the WebSocket transport of the
// Responses API with 426 (RFC 6455: the version is not supported), on which clients such as Codex fall back to
// HTTP at once; a plain GET is not allowed.
func (h *Handler) responses(w http.ResponseWriter, r *http.Request, rest string) {
	if r.Method == http.MethodPost {
		h.chat(w, r, rest)
		return
	}
	responsesNotPost(w, r)
}

// responsesNotPost answers what /v1/responses does not serve (outside responses, whose stack frame every Responses
// stream holds).
func responsesNotPost(w http.ResponseWriter, r *http.Request) {
	if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		writeError(w, r, &hub.Error{Status: http.StatusUpgradeRequired, Type: hub.InvalidRequest, Code: "websocket_not_supported",
			Message: "The gateway serves the Responses API over HTTP with server-sent events, not over WebSocket."})
		return
	}
	w.Header().Set("Allow", http.MethodPost)
	writeError(w, r, &hub.Error{Status: http.StatusMethodNotAllowed, Type: hub.InvalidRequest, Code: "method_not_allowed",
		Message: r.Method + " is not allowed on /v1/responses; use POST."})
}

// storedResponse answers GET, DELETE and cancel on /v1/responses/{id}: the gateway stores no responses.
func (h *Handler) storedResponse(w http.ResponseWriter, r *http.Request, rest string) {
	writeError(w, r, responses.NotStored(r.Method, "/v1/responses/"+rest))
}
