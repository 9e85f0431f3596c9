package handler

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/internal/bufpool"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/ocigenai"
)

// answerError is an OCI answer the gateway cannot read or translate: a successful call whose body is not what
// the format promises. It is not an OCI error (OCI did not fail), but the client sees it as OCI's failure.
type answerError struct {
	what      string // what went wrong, e.g. "cannot read the OCI answer: …"
	requestID string // opc-request-id of the answer
}

func (e *answerError) Error() string { return e.what }

// writeError writes e in the error envelope of the request's client API.
func writeError(w http.ResponseWriter, r *http.Request, e *hub.Error) {
	if e.RetryAfter != "" {
		w.Header().Set("Retry-After", e.RetryAfter)
	}
	info := infoFrom(r.Context())
	writeJSON(w, e.Status, info.api.ErrorBody(e, info.id))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := bufpool.Get()
	defer bufpool.Put(buf)
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
func toAPIError(ctx context.Context, err error) *hub.Error {
	var he *hub.Error
	if errors.As(err, &he) {
		return he
	}
	var re *hub.RequestError
	if errors.As(err, &re) {
		return re.Hub()
	}
	var ae *answerError
	if errors.As(err, &ae) {
		return &hub.Error{Status: http.StatusBadGateway, Type: hub.APIError, Code: "oci_error",
			Message: "OCI Generative AI failed: BadResponse: " + ae.what + notes(ae.requestID, 0)}
	}
	var te *ocigenai.ThrottledError
	if errors.As(err, &te) { // before *ocigenai.Error: it wraps OCI's last answer
		if ctx.Err() != nil {
			return clientGone()
		}
		return throttled(te)
	}
	var oe *ocigenai.Error
	if errors.As(err, &oe) {
		if ctx.Err() != nil && !oe.Timeout {
			return clientGone() // e.g. the client left while the OCI call waited to be retried
		}
		region := oe.Region // the region of the target that failed last
		if region == "" {
			region = infoFrom(ctx).region
		}
		return fromOCI(oe, region)
	}
	if ctx.Err() != nil {
		return clientGone()
	}
	return &hub.Error{Status: http.StatusInternalServerError, Type: hub.ServerError, Code: "internal_error", Message: err.Error()}
}

// clientGone is logged when the client disconnected; nobody reads the body (499 is nginx's convention).
func clientGone() *hub.Error {
	return &hub.Error{Status: 499, Type: hub.InvalidRequest, Code: "client_closed_request", Message: "the client closed the request"}
}

// notes is the " (opc-request-id: …, after n attempts)" suffix of an OCI error message, "" when there is nothing
// to note.
func notes(requestID string, attempts int) string {
	var n []string
	if requestID != "" {
		n = append(n, "opc-request-id: "+requestID)
	}
	if attempts > 1 {
		n = append(n, "after "+strconv.Itoa(attempts)+" attempts")
	}
	if len(n) == 0 {
		return ""
	}
	return " (" + strings.Join(n, ", ") + ")"
}

// fromOCI maps an OCI failure by HTTP status (OCI's codes are not reliable, some answers carry the status as code).
// Failures without an answer name the region only: their text (upstream URLs and addresses, local paths of the
// gateway's credentials) goes to the log as the cause.
func fromOCI(e *ocigenai.Error, region string) *hub.Error {
	suffix := notes(e.RequestID, e.Attempts)
	detail := strings.TrimSpace(e.Code + ": " + e.Message)
	service := "OCI Generative AI"
	if region != "" {
		service += " in " + region
	}
	switch {
	case e.Timeout:
		return &hub.Error{Status: http.StatusGatewayTimeout, Type: hub.APIError, Code: "timeout",
			Message: service + " did not answer in time" + suffix + "."}
	case e.Local:
		return &hub.Error{Status: http.StatusBadGateway, Type: hub.APIError, Code: "oci_auth_error", Cause: e.Message,
			Message: "The gateway cannot sign its requests to " + service + ". Check its OCI credentials; its log has the cause."}
	case e.Status == 0 && e.Code == codeStreamBroken:
		return &hub.Error{Status: http.StatusBadGateway, Type: hub.APIError, Code: "oci_stream_broken", Cause: e.Message,
			Message: "The connection to " + service + " broke in the middle of the answer" + suffix + "."}
	case e.Status == 0:
		return &hub.Error{Status: http.StatusBadGateway, Type: hub.APIError, Code: "oci_unreachable", Cause: e.Message,
			Message: "Cannot reach " + service + suffix + "."}
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		return &hub.Error{Status: http.StatusBadGateway, Type: hub.APIError, Code: "oci_auth_error",
			Message: "OCI rejected the gateway's own credentials (" + detail + "). Check the OCI user, fingerprint, key file and tenancy in the gateway config, the clock, and the IAM policy allowing 'use generative-ai-family'" + suffix + "."}
	case e.Status == http.StatusNotFound:
		return &hub.Error{Status: http.StatusNotFound, Type: hub.InvalidRequest, Code: "model_not_found",
			Message: "OCI Generative AI: " + detail + ". The model may not exist in this region, or the compartment/IAM policy does not allow it" + suffix + "."}
	case e.Status == http.StatusTooManyRequests:
		return &hub.Error{Status: http.StatusTooManyRequests, Type: hub.RateLimit, Code: "rate_limit_exceeded",
			Message: "OCI Generative AI rate limit: " + detail + suffix, RetryAfter: e.RetryAfter}
	case e.Status >= 500:
		return &hub.Error{Status: http.StatusBadGateway, Type: hub.APIError, Code: "oci_error",
			Message: "OCI Generative AI failed: " + detail + suffix, RetryAfter: e.RetryAfter}
	case e.Status == http.StatusRequestEntityTooLarge:
		return &hub.Error{Status: http.StatusRequestEntityTooLarge, Type: hub.InvalidRequest, Code: "request_too_large",
			Message: "OCI Generative AI: " + detail + suffix}
	default:
		return &hub.Error{Status: http.StatusBadRequest, Type: hub.InvalidRequest, Code: "oci_invalid_request",
			Message: "OCI Generative AI rejected the request: " + detail + suffix}
	}
}

// codeStreamBroken marks an OCI stream whose connection failed after the answer had begun.
const codeStreamBroken = "StreamBroken"

// throttled is the answer when every target of a model is rate limited or cooling down: 429 with the time until
// the first of them is available again.
func throttled(e *ocigenai.ThrottledError) *hub.Error {
	secs := strconv.Itoa(int(e.RetryAfter / time.Second))
	if e.Targets == 1 && e.Last != nil { // nothing was routed around: OCI's own answer, with a Retry-After
		he := fromOCI(e.Last, e.Last.Region)
		if he.RetryAfter == "" {
			he.RetryAfter = secs
		}
		return he
	}
	msg := "OCI Generative AI rate limit: " + e.Route + " is rate limited; retry after " + secs + " s"
	if e.Targets > 1 {
		msg = "OCI Generative AI rate limit: every region serving " + e.Route + " is rate limited or cooling down after failures; retry after " + secs + " s"
	}
	if e.Last != nil {
		msg += " (last answer " + strings.TrimSpace(e.Last.Code+": "+e.Last.Message)
		if n := notes(e.Last.RequestID, e.Last.Attempts); n != "" {
			msg += "; " + n[len(" ("):len(n)-1]
		}
		msg += ")"
	}
	return &hub.Error{Status: http.StatusTooManyRequests, Type: hub.RateLimit, Code: "rate_limit_exceeded", Message: msg + ".", RetryAfter: secs}
}

// eventError explains a stream event that is an OCI error report or cannot be read at all.
func eventError(err error, requestID string) *hub.Error {
	var ue *core.UpstreamError
	if errors.As(err, &ue) {
		return &hub.Error{Status: http.StatusBadGateway, Type: hub.APIError, Code: "oci_error",
			Message: "OCI Generative AI failed mid-stream: " + ue.Error() + " (opc-request-id: " + requestID + ")"}
	}
	return &hub.Error{Status: http.StatusBadGateway, Type: hub.APIError, Code: "oci_bad_event",
		Message: "OCI sent an event the gateway cannot read: " + err.Error() + " (opc-request-id: " + requestID + ")"}
}
