package hub

// RequestError is a request the gateway cannot translate because of the client: a missing or invalid
// parameter, or one the chosen model cannot take. Param names the parameter in the hub's (OpenAI's) terms, e.g.
// "messages[2].tool_call_id"; it is "" when the error is not tied to one. Client APIs answer it with a 400.
type RequestError struct {
	Param   string
	Message string
}

func (e *RequestError) Error() string { return e.Message }

// BadRequest returns a RequestError about param.
func BadRequest(param, msg string) *RequestError { return &RequestError{Param: param, Message: msg} }
