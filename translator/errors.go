package translator

// RequestError is a client mistake in the OpenAI request; the HTTP layer
// answers 400 with type invalid_request_error and this Param.
type RequestError struct {
	Param   string // e.g. "messages[2].tool_call_id"; "" when not tied to one
	Message string
}

func (e *RequestError) Error() string { return e.Message }

func reqErr(param, msg string) *RequestError { return &RequestError{Param: param, Message: msg} }

// UpstreamError is an error object OCI sent inside a stream instead of a
// delta (e.g. {"code":"…","message":"…"}); the stream cannot continue.
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
