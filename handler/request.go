package handler

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// readBody reads the size-limited request body, turning each failure into the client error it is. It reads in
// one allocation when the client announced the length.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *hub.Error) {
	limit := h.opt.MaxBodyBytes
	size := int64(512)
	if cl := r.ContentLength; cl > 0 && cl <= limit {
		size = cl + 1 // +1 so the final read sees EOF without growing
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit)); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &hub.Error{Status: http.StatusRequestEntityTooLarge, Type: hub.InvalidRequest, Code: "request_too_large",
				Message: fmt.Sprintf("Request body is larger than the gateway's limit of %d bytes (max_body_bytes).", limit)}
		}
		if r.Context().Err() != nil {
			return nil, clientGone()
		}
		return nil, &hub.Error{Status: http.StatusBadRequest, Type: hub.InvalidRequest, Code: "invalid_body", Message: "Cannot read the request body: " + err.Error()}
	}
	return buf.Bytes(), nil
}

// resolveModel maps the client's model name to a configured OCI model, or a 404 listing the names.
func (h *Handler) resolveModel(name string, kind func(model) bool) (model, *hub.Error) {
	if name == "" {
		return model{}, &hub.Error{Status: http.StatusBadRequest, Type: hub.InvalidRequest, Param: "model", Code: "missing_model", Message: "You must provide a model parameter."}
	}
	m, ok := h.models[name]
	if !ok || !kind(m) {
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

func isChat(m model) bool  { return !m.formats[0].Embeds() }
func isEmbed(m model) bool { return m.formats[0].Embeds() }
func anyModel(model) bool  { return true }
