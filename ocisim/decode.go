package ocisim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
)

// decode unmarshals data into v like the service: unknown fields are
// ignored, a value of the wrong JSON type is rejected, explicit nulls count
// as absent (UNCONFIRMED: the service's handling of nulls). where prefixes
// field paths in messages (e.g. "chatRequest").
// UNCONFIRMED: the service's exact codes/messages for unparsable bodies.
func decode(data []byte, v any, where string) *apiError {
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if where != "" {
			field = strings.TrimSuffix(where+"."+field, ".")
		}
		if field == "" {
			return cannotParse("The request body must be a JSON object.")
		}
		return cannotParse(fmt.Sprintf("Invalid value for field '%s': expected %s, got JSON %s.", field, jsonKind(te.Type), te.Value))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return cannotParse(fmt.Sprintf("The request body is not valid JSON (offset %d): %v.", se.Offset, se))
	}
	return cannotParse("Unable to parse the request body: " + err.Error())
}

func cannotParse(msg string) *apiError {
	return &apiError{http.StatusBadRequest, "CannotParseRequest", msg}
}

// jsonKind names a Go type in JSON terms for error messages.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeOf(json.RawMessage(nil)) {
		return "a value"
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
	return "a " + t.Kind().String()
}

// jsonType is the first-byte JSON type of raw ("" when absent or null).
func jsonType(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return ""
	}
	return "number"
}

// streamOptions is GENERIC/COHERE streamOptions.
type streamOptions struct {
	IsIncludeUsage bool `json:"isIncludeUsage"`
}

// mediaURL is imageUrl/audioUrl/videoUrl/documentUrl.
type mediaURL struct {
	URL    string `json:"url"`
	Detail string `json:"detail"`
}

func oneOf(v string, allowed ...string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// checkEnum validates an optional enum value (empty = absent).
// UNCONFIRMED: the service is assumed to match enums case-sensitively
// (upper case), as Jackson does by default.
func checkEnum(field, v string, allowed ...string) *apiError {
	if v == "" || oneOf(v, allowed...) {
		return nil
	}
	return badRequest(fmt.Sprintf("Invalid value '%s' for %s; allowed values: %s.", v, field, strings.Join(allowed, ", ")))
}

// checkMin validates an optional integer lower bound.
func checkMin(field string, v *int, min int) *apiError {
	if v != nil && *v < min {
		return badRequest(fmt.Sprintf("%s must be at least %d.", field, min))
	}
	return nil
}
