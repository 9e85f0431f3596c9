package handler

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/ocigenai"
)

// apiError is an OpenAI-shaped error: {"error":{"message","type","param","code"}}.
type apiError struct {
	Status     int
	Type       string
	Code       string
	Param      string
	Message    string
	RetryAfter string
}

func (e *apiError) Error() string { return e.Message }

type errorBody struct {
	Error errorFields `json:"error"`
}

type errorFields struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func (e *apiError) body() errorBody {
	b := errorBody{Error: errorFields{Message: e.Message, Type: e.Type}}
	if e.Param != "" {
		b.Error.Param = &e.Param
	}
	if e.Code != "" {
		b.Error.Code = &e.Code
	}
	return b
}

func writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	if e.RetryAfter != "" {
		w.Header().Set("Retry-After", e.RetryAfter)
	}
	writeJSON(w, e.Status, e.body())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := getBuf()
	defer putBuf(buf)
	if err := json.NewEncoder(buf).Encode(v); err != nil { // Encode adds the trailing newline
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"message":"cannot encode the response","type":"server_error","param":null,"code":null}}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// toAPIError is the one place where failures become client-facing errors.
func toAPIError(ctx context.Context, err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var re *hub.RequestError
	if errors.As(err, &re) {
		return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Param: re.Param, Message: re.Message}
	}
	var oe *ocigenai.Error
	if errors.As(err, &oe) {
		if ctx.Err() != nil && !oe.Timeout {
			return clientGone() // e.g. the client left while the OCI call waited to be retried
		}
		return fromOCI(oe)
	}
	if ctx.Err() != nil {
		return clientGone()
	}
	return &apiError{Status: http.StatusInternalServerError, Type: "server_error", Code: "internal_error", Message: err.Error()}
}

// clientGone is logged when the client disconnected; nobody reads the body (499 is nginx's convention).
func clientGone() *apiError {
	return &apiError{Status: 499, Type: "invalid_request_error", Code: "client_closed_request", Message: "the client closed the request"}
}

// fromOCI maps an OCI failure by HTTP status (OCI's codes are not reliable, some answers carry the status as code).
func fromOCI(e *ocigenai.Error) *apiError {
	var notes []string
	if e.RequestID != "" {
		notes = append(notes, "opc-request-id: "+e.RequestID)
	}
	if e.Attempts > 1 {
		notes = append(notes, "after "+strconv.Itoa(e.Attempts)+" attempts")
	}
	suffix := ""
	if len(notes) > 0 {
		suffix = " (" + strings.Join(notes, ", ") + ")"
	}
	detail := strings.TrimSpace(e.Code + ": " + e.Message)
	switch {
	case e.Timeout:
		return &apiError{Status: http.StatusGatewayTimeout, Type: "api_error", Code: "timeout",
			Message: "OCI Generative AI did not answer in time" + suffix + "."}
	case e.Local:
		return &apiError{Status: http.StatusBadGateway, Type: "api_error", Code: "oci_auth_error",
			Message: "The gateway cannot sign requests to OCI: " + e.Message + ". Check its OCI credentials."}
	case e.Status == 0:
		return &apiError{Status: http.StatusBadGateway, Type: "api_error", Code: "oci_unreachable",
			Message: "Cannot reach OCI Generative AI: " + e.Message + suffix}
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		return &apiError{Status: http.StatusBadGateway, Type: "api_error", Code: "oci_auth_error",
			Message: "OCI rejected the gateway's own credentials (" + detail + "). Check the OCI user, fingerprint, key file and tenancy in the gateway config, the clock, and the IAM policy allowing 'use generative-ai-family'" + suffix + "."}
	case e.Status == http.StatusNotFound:
		return &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "model_not_found",
			Message: "OCI Generative AI: " + detail + ". The model may not exist in this region, or the compartment/IAM policy does not allow it" + suffix + "."}
	case e.Status == http.StatusTooManyRequests:
		return &apiError{Status: http.StatusTooManyRequests, Type: "rate_limit_error", Code: "rate_limit_exceeded",
			Message: "OCI Generative AI rate limit: " + detail + suffix, RetryAfter: e.RetryAfter}
	case e.Status >= 500:
		return &apiError{Status: http.StatusBadGateway, Type: "api_error", Code: "oci_error",
			Message: "OCI Generative AI failed: " + detail + suffix, RetryAfter: e.RetryAfter}
	case e.Status == http.StatusRequestEntityTooLarge:
		return &apiError{Status: http.StatusRequestEntityTooLarge, Type: "invalid_request_error", Code: "request_too_large",
			Message: "OCI Generative AI: " + detail + suffix}
	default:
		return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "oci_invalid_request",
			Message: "OCI Generative AI rejected the request: " + detail + suffix}
	}
}
