package handler

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// readJSON reads a size-limited JSON body into v, turning each failure into the client error it is.
func (h *Handler) readJSON(w http.ResponseWriter, r *http.Request, v any) *apiError {
	body, err := readBody(w, r, h.opt.MaxBodyBytes)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &apiError{Status: http.StatusRequestEntityTooLarge, Type: "invalid_request_error", Code: "request_too_large",
				Message: fmt.Sprintf("Request body is larger than the gateway's limit of %d bytes (max_body_bytes).", h.opt.MaxBodyBytes)}
		}
		if r.Context().Err() != nil {
			return clientGone()
		}
		return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "invalid_body", Message: "Cannot read the request body: " + err.Error()}
	}
	if len(body) == 0 {
		return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "invalid_json", Message: "The request body is empty; send a JSON object."}
	}
	if err := json.Unmarshal(body, v); err != nil {
		return jsonError(err)
	}
	return nil
}

// readBody reads at most limit bytes in one allocation when the client announced the length.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	size := int64(512)
	if cl := r.ContentLength; cl > 0 && cl <= limit {
		size = cl + 1 // +1 so the final read sees EOF without growing
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit))
	return buf.Bytes(), err
}

func jsonError(err error) *apiError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		want, got := jsonKind(te.Type), te.Value
		// The translator's own decoders say what they accept: "number (expected string or array of strings)".
		if i := strings.Index(got, " (expected "); i > 0 && strings.HasSuffix(got, ")") {
			got, want = got[:i], got[i+len(" (expected "):len(got)-1]
		}
		return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "invalid_type", Param: te.Field,
			Message: fmt.Sprintf("Invalid type for '%s': expected %s, got JSON %s.", te.Field, want, got)}
	}
	// Errors from custom decoders (hub.RequestError) keep their parameter name.
	var re *hub.RequestError
	if errors.As(err, &re) {
		return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Param: re.Param, Message: re.Message}
	}
	return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "invalid_json",
		Message: "We could not parse the JSON body of your request: " + err.Error()}
}

// resolveModel maps the client's model name to a configured OCI model, or a 404 listing the names.
func (h *Handler) resolveModel(name string, kind func(Model) bool) (Model, *apiError) {
	if name == "" {
		return Model{}, &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Param: "model", Code: "missing_model", Message: "You must provide a model parameter."}
	}
	m, ok := h.models[name]
	if !ok || !kind(m) {
		var names []string
		for _, c := range h.opt.Models {
			if kind(c) {
				names = append(names, c.Name)
			}
		}
		slices.Sort(names)
		return Model{}, &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Param: "model", Code: "model_not_found",
			Message: fmt.Sprintf("The model %q does not exist on this gateway. Configured models: %s.", name, strings.Join(names, ", "))}
	}
	return m, nil
}

func isChat(m Model) bool  { return m.Format != "EMBED" }
func isEmbed(m Model) bool { return m.Format == "EMBED" }

// jsonKind names a Go type the way the JSON it decodes from looks (not "[]hub.Message").
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}
