package ocisim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"
)

// exchange is one request being answered.
type exchange struct {
	s     *Simulator
	w     http.ResponseWriter
	r     *http.Request
	id    string // opc-request-id sent back
	body  []byte
	fault Fault

	waited   bool // Latency/FirstByteDelay already applied
	recorded bool
}

// requestID returns 32 upper-case hex digits like OCI's ids. When the client
// sent its own opc-request-id it is echoed as "<client id>/<server id>".
// UNCONFIRMED: the exact echo format of the real service (observed ids look
// like "<client>/<hex>/<hex>").
func requestID(client string) string {
	id := fmt.Sprintf("%016X%016X", rand.Uint64(), rand.Uint64())
	if client != "" {
		return client + "/" + id
	}
	return id
}

// wait applies Options.Latency plus the fault's FirstByteDelay once, before
// the response headers. It returns false if the client went away meanwhile.
func (x *exchange) wait() bool {
	if x.waited {
		return true
	}
	x.waited = true
	d := x.s.opts.Latency + x.fault.FirstByteDelay
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-x.r.Context().Done():
		return false
	}
}

func (x *exchange) rec(status int) {
	if x.recorded {
		return
	}
	x.recorded = true
	x.s.record(Request{Path: x.r.URL.Path, Header: x.r.Header.Clone(), Body: x.body, Status: status})
}

// fail answers with an OCI error body {"code","message"}.
func (x *exchange) fail(status int, code, message string) {
	if status >= 400 && status != http.StatusUnauthorized {
		x.s.logf("ocisim: %s %s: %d %s: %s", x.r.Method, x.r.URL.Path, status, code, message)
	}
	body, _ := json.Marshal(struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}{code, message})
	x.write(status, "application/json", body)
}

// failFault answers with the fault's status and the matching OCI error code.
func (x *exchange) failFault() {
	f := x.fault
	if f.Status == http.StatusTooManyRequests && f.RetryAfter != "" {
		x.w.Header().Set("Retry-After", f.RetryAfter)
	}
	code, msg := errorFor(f.Status)
	x.fail(f.Status, code, msg)
}

// errorFor maps an HTTP status to the OCI error code and a message in the
// style of the service. UNCONFIRMED: exact messages; codes per OCI API errors.
func errorFor(status int) (code, message string) {
	switch status {
	case 400:
		return "InvalidParameter", "Invalid request."
	case 401:
		return "NotAuthenticated", "The required information to complete authentication was not provided or was incorrect."
	case 403:
		return "NotAuthorized", "Not authorized to perform this action."
	case 404:
		return "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found."
	case 405:
		return "MethodNotAllowed", "Method not allowed."
	case 409:
		return "IncorrectState", "The resource is in a conflicting state."
	case 413:
		return "LimitExceeded", "The request is too large."
	case 429:
		return "TooManyRequests", "Too many requests for the user."
	case 500:
		return "InternalServerError", "Internal server error."
	case 501:
		return "MethodNotImplemented", "Method not implemented."
	case 502:
		return "BadGateway", "Bad gateway." // UNCONFIRMED code
	case 503:
		return "ServiceUnavailable", "The service is currently unavailable."
	case 504:
		return "GatewayTimeout", "Gateway timeout." // UNCONFIRMED code
	}
	return strconv.Itoa(status), http.StatusText(status)
}

// writeJSON answers 200 with v, honouring non-stream faults: BreakAfter>0
// resets the connection instead, SilentAfter>0 holds it without a response,
// MalformedAt>0 sends a body that is not JSON.
func (x *exchange) writeJSON(v any) {
	switch {
	case x.fault.BreakAfter > 0:
		if x.wait() {
			x.rec(0)
			resetConn(x.w, false)
		}
		return
	case x.fault.SilentAfter > 0:
		x.rec(0)
		<-x.r.Context().Done()
		return
	case x.fault.MalformedAt > 0:
		x.write(http.StatusOK, "application/json", []byte("{not json"))
		return
	}
	x.write(http.StatusOK, "application/json", marshal(v))
}

func (x *exchange) write(status int, contentType string, body []byte) {
	x.wait()
	x.rec(status)
	h := x.w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	x.w.WriteHeader(status)
	_, _ = x.w.Write(body)
}

// marshal is json.Marshal without HTML escaping (the service does not turn
// '<' into \u003c) and without the trailing newline.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("ocisim: marshal: " + err.Error()) // only our own types are encoded
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// resetConn aborts the connection with a TCP reset; flush first sends what
// was already written (mid-stream), otherwise nothing at all is sent.
func resetConn(w http.ResponseWriter, flush bool) {
	rc := http.NewResponseController(w)
	if flush {
		_ = rc.Flush()
	}
	conn, _, err := rc.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // HTTP/2: abort the stream instead
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // close sends RST, not FIN
	}
	_ = conn.Close()
}
