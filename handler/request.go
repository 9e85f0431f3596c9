package handler

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// readBody reads the size-limited request body, turning each failure into the client error it is. It reads in
// one allocation when the client announced the length, and refuses an announced length over the limit before
// reading anything. The body is read once: later calls return the same bytes.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *hub.Error) {
	info := infoFrom(r.Context())
	if info.bodyRead {
		return info.body, nil
	}
	limit := h.opt.MaxBodyBytes
	if r.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	size := int64(512)
	if cl := r.ContentLength; cl > 0 {
		size = cl + 1 // +1 so the final read sees EOF without growing
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit)); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge(limit)
		}
		if errors.Is(err, os.ErrDeadlineExceeded) { // the server's body deadlines (package bodydeadline)
			return nil, &hub.Error{Status: http.StatusRequestTimeout, Type: hub.InvalidRequest, Code: "request_timeout",
				Message: "The request body did not arrive in time: " + err.Error() + " (body_idle_timeout, body_read_timeout)."}
		}
		if r.Context().Err() != nil {
			return nil, clientGone()
		}
		return nil, &hub.Error{Status: http.StatusBadRequest, Type: hub.InvalidRequest, Code: "invalid_body", Message: "Cannot read the request body: " + err.Error()}
	}
	info.body, info.bodyRead = buf.Bytes(), true
	return info.body, nil
}

func tooLarge(limit int64) *hub.Error {
	return &hub.Error{Status: http.StatusRequestEntityTooLarge, Type: hub.InvalidRequest, Code: "request_too_large",
		Message: fmt.Sprintf("Request body is larger than the gateway's limit of %d bytes (max_body_bytes).", limit)}
}

// resolveModel maps the client's model name to a configured OCI model, or a 404 listing the names.
func (h *Handler) resolveModel(name string, kind func(model) bool) (model, *hub.Error) {
	if name == "" {
		return model{}, &hub.Error{Status: http.StatusBadRequest, Type: hub.InvalidRequest, Param: "model", Code: "missing_model", Message: "You must provide a model parameter."}
	}
	m, ok := h.models[name]
	if ok && !kind(m) {
		return model{}, wrongEndpoint(name, m)
	}
	if !ok {
		var names []string
		for _, c := range h.opt.Models {
			if kind(h.models[c.Name]) {
				names = append(names, c.Name)
			}
		}
		slices.Sort(names)
		return model{}, &hub.Error{Status: http.StatusNotFound, Type: hub.InvalidRequest, Param: "model", Code: "model_not_found",
			Message: fmt.Sprintf("The model %q does not exist on this gateway. Configured models: %s.", name, strings.Join(names, ", "))}
	}
	return m, nil
}

// wrongEndpoint: the model exists, but is served on the other route (OpenAI answers this case with 404 too).
func wrongEndpoint(name string, m model) *hub.Error {
	msg := fmt.Sprintf("`%s` is a chat model; use /v1/chat/completions.", name)
	if isEmbed(m) {
		msg = fmt.Sprintf("`%s` is an embeddings model; use /v1/embeddings.", name)
	}
	return &hub.Error{Status: http.StatusNotFound, Type: hub.InvalidRequest, Param: "model", Code: "wrong_endpoint", Message: msg}
}

func isChat(m model) bool  { return !m.formats[0].Embeds() }
func isEmbed(m model) bool { return m.formats[0].Embeds() }
func anyModel(model) bool  { return true }
