package handler

import (
	"net/http"

	"github.com/ociai/ociai-proxy/hub"
)

// countTokens answers a client API's token-count request: the model must be one of the configured chat models,
// as for the request the count is for; OCI is not called.
func (h *Handler) countTokens(w http.ResponseWriter, r *http.Request, _ string) {
	info := infoFrom(r.Context())
	counter, ok := info.api.(TokenCounter)
	if !ok {
		h.fail(w, r, &hub.Error{Status: http.StatusNotFound, Type: hub.InvalidRequest, Code: "unknown_url", Message: "This API has no token counting."})
		return
	}
	body, e := h.readBody(w, r)
	if e != nil {
		h.fail(w, r, e)
		return
	}
	model, answer, err := counter.CountInputTokens(body)
	if err != nil {
		h.fail(w, r, toAPIError(r.Context(), err))
		return
	}
	info.model = model
	if _, e := h.resolveModel(model, isChat); e != nil {
		h.fail(w, r, e)
		return
	}
	writeJSON(w, http.StatusOK, answer)
}
