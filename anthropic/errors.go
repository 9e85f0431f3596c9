package anthropic

import "net/http"

// ErrorBody is Anthropic's error envelope: {"type":"error","error":{"type","message"},"request_id"}, as a
// response body and as a stream's error event.
type ErrorBody struct {
	Type      string      `json:"type"` // "error"
	Error     ErrorDetail `json:"error"`
	RequestID string      `json:"request_id,omitempty"`
}

// ErrorDetail is the error object inside the envelope.
type ErrorDetail struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// newError builds the envelope for an HTTP status; the SDKs pick their error class from the status and type.
func newError(status int, message, requestID string) *ErrorBody {
	return &ErrorBody{Type: "error", Error: ErrorDetail{Type: ErrorType(status), Message: message}, RequestID: requestID}
}

// ErrorType is Anthropic's error type for an HTTP status.
func ErrorType(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return "authentication_error"
	case http.StatusPaymentRequired:
		return "billing_error"
	case http.StatusForbidden:
		return "permission_error"
	case http.StatusNotFound:
		return "not_found_error"
	case http.StatusRequestEntityTooLarge:
		return "request_too_large"
	case http.StatusTooManyRequests:
		return "rate_limit_error"
	case http.StatusGatewayTimeout:
		return "timeout_error"
	case http.StatusServiceUnavailable, StatusOverloaded:
		return "overloaded_error"
	}
	if status >= 500 {
		return "api_error"
	}
	return "invalid_request_error"
}

// StatusOverloaded is Anthropic's status for a service too busy to answer (529).
const StatusOverloaded = 529
