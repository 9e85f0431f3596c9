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

// Error is a failed request as every client API reports it: an HTTP status, an error type and code in OpenAI's
// vocabulary (invalid_request_error, rate_limit_error, api_error …; code may be empty), the parameter at fault,
// a message for the user, and the Retry-After to send. Each client API renders it in its own envelope. Cause is
// for the gateway's log only, never sent: what the message leaves out (an upstream address, a local path).
type Error struct {
	Status     int
	Type       string
	Code       string
	Param      string
	Message    string
	RetryAfter string
	Cause      string
}

func (e *Error) Error() string { return e.Message }

// Error types.
const (
	InvalidRequest = "invalid_request_error"
	RateLimit      = "rate_limit_error"
	APIError       = "api_error"
	ServerError    = "server_error"
)
