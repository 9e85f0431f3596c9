package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/ociai/ociai-proxy/strictjson"
)

// DecodeJSON decodes a JSON request body into v, turning each failure into the 400 it is: a key given twice or in
// another case than its field's names the key, a value of the wrong type names the field and what it expects, a
// RequestError from a custom decoder keeps its parameter, anything else is unparsable JSON. Every client API
// decodes its bodies here.
func DecodeJSON(body []byte, v any) *Error {
	if len(body) == 0 {
		return &Error{Status: http.StatusBadRequest, Type: InvalidRequest, Code: "invalid_json", Message: "The request body is empty; send a JSON object."}
	}
	// Keys that mean two things (a duplicate, or "MODEL" that encoding/json would take for "model") are refused
	// before decoding, so that the gateway reads a body the way a policy layer in front of it does.
	var ke *strictjson.KeyError
	if errors.As(strictjson.Check(body, reflect.TypeOf(v)), &ke) {
		code := "duplicate_key"
		if ke.Field != "" {
			code = "key_case_mismatch"
		}
		return &Error{Status: http.StatusBadRequest, Type: InvalidRequest, Code: code, Param: ke.Param(), Message: ke.Error()}
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		want, got := jsonKind(te.Type), te.Value
		// The hub's own decoders say what they accept: "number (expected string or array of strings)".
		if i := strings.Index(got, " (expected "); i > 0 && strings.HasSuffix(got, ")") {
			got, want = got[:i], got[i+len(" (expected "):len(got)-1]
		}
		return &Error{Status: http.StatusBadRequest, Type: InvalidRequest, Code: "invalid_type", Param: te.Field,
			Message: fmt.Sprintf("Invalid type for '%s': expected %s, got JSON %s.", te.Field, want, got)}
	}
	var re *RequestError
	if errors.As(err, &re) {
		return re.Hub()
	}
	return &Error{Status: http.StatusBadRequest, Type: InvalidRequest, Code: "invalid_json",
		Message: "We could not parse the JSON body of your request: " + err.Error()}
}

// Hub is the 400 that reports e.
func (e *RequestError) Hub() *Error {
	return &Error{Status: http.StatusBadRequest, Type: InvalidRequest, Param: e.Param, Message: e.Message}
}

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
