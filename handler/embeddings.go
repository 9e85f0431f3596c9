package handler

import "net/http"

// embeddings is served once the embedding translation exists; until then it says so plainly.
func (h *Handler) embeddings(w http.ResponseWriter, r *http.Request, _ string) {
	writeError(w, r, &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "unsupported",
		Message: "Embeddings are not served by this gateway version."})
}
