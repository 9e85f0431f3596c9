package ocigenai

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Error is a failed OCI call: an error answer from the service, or a transport failure (Status 0 or 504).
type Error struct {
	Service    string // the OCI service called; "" means OCI Generative AI
	Region     string // where a route tried: its target's region, or "a, b and c" when it failed over; "" outside routes
	Status     int    // HTTP status from OCI; 0 when no answer came
	Code       string // OCI error code such as NotAuthenticated or TooManyRequests
	Message    string
	RequestID  string // opc-request-id, when OCI answered
	RetryAfter string // Retry-After header of a 429/503, if any
	Timeout    bool   // the call ran out of time
	Local      bool   // the failure happened before anything reached OCI (signing)
	Attempts   int    // attempts made, retries included (0 when the error did not come from a call)
	Err        error  // underlying transport error

	permanent bool // retrying cannot help (the request could not even be built)
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Service == "" {
		b.WriteString("OCI Generative AI")
	} else {
		b.WriteString(e.Service)
	}
	if e.Status != 0 {
		b.WriteString(" returned ")
		b.WriteString(http.StatusText(e.Status))
	}
	if e.Code != "" {
		b.WriteString(" (" + e.Code + ")")
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Attempts > 1 {
		b.WriteString(" (after " + strconv.Itoa(e.Attempts) + " attempts)")
	}
	if e.RequestID != "" {
		b.WriteString(" [opc-request-id: " + e.RequestID + "]")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// code is the OCI error code, or CodeConnectionError when no answer came.
func (e *Error) code() string {
	if e.Status == 0 && e.Code == "" {
		return CodeConnectionError
	}
	return e.Code
}

// maxErrorBody bounds how much of an error answer is read; OCI error bodies are a few hundred bytes.
const maxErrorBody = 64 << 10

func decodeError(res *http.Response) *Error {
	e := &Error{Status: res.StatusCode, RequestID: res.Header.Get("opc-request-id"), RetryAfter: res.Header.Get("Retry-After")}
	raw, _ := io.ReadAll(io.LimitReader(res.Body, maxErrorBody))
	var body struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &body) == nil && (body.Code != "" || body.Message != "") {
		e.Code, e.Message = body.Code, body.Message
	} else {
		// Like the SDK's BadErrorResponse: keep what the server said, trimmed.
		e.Code, e.Message = "BadErrorResponse", strings.TrimSpace(string(raw))
	}
	return e
}

func transportError(ctx context.Context, requestID string, err error) *Error {
	e := &Error{RequestID: requestID, Err: err, Message: err.Error()}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		e.Timeout = true
		e.Code = "Timeout"
		e.Message = "the OCI call timed out"
	}
	return e
}
