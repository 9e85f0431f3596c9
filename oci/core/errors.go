package core

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// UpstreamError is an error object OCI sent inside an answer or a stream instead of a result (e.g.
// {"code":"…","message":"…"}); the answer cannot go on.
type UpstreamError struct {
	Code    string
	Message string
}

func (e *UpstreamError) Error() string {
	if e.Code == "" {
		return "OCI stream error: " + e.Message
	}
	return "OCI stream error " + e.Code + ": " + e.Message
}

// ErrorBody recognises the members of an OCI error object {"code","message"}: message must be a string.
func ErrorBody(code, message json.RawMessage) *UpstreamError {
	if IsNull(message) {
		return nil // before msg, which lives on the heap: most events have no message
	}
	var msg string
	if json.Unmarshal(message, &msg) != nil {
		return nil
	}
	ue := &UpstreamError{Message: msg}
	if c := bytes.TrimSpace(code); !IsNull(c) {
		var s string
		if json.Unmarshal(c, &s) == nil {
			ue.Code = s
		} else {
			ue.Code = string(c)
		}
	}
	return ue
}

// ErrorEvent recognises an OCI error object ({"code","message"}) in an event that did not decode as the format's
// event, typically because its "message" is a string.
func ErrorEvent(data []byte) *UpstreamError {
	var body struct {
		Code    any    `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(data, &body) != nil || (body.Code == nil && body.Message == "") {
		return nil
	}
	code := ""
	if body.Code != nil {
		code = fmt.Sprint(body.Code)
	}
	return &UpstreamError{Code: code, Message: body.Message}
}

// RawString is a JSON string's value, or the raw JSON of another value.
func RawString(raw json.RawMessage) string {
	if IsNull(raw) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(raw))
}
