// Package ocigenai is the OCI Generative AI inference client: signed chat and embedding calls over keep-alive
// transports, routing across regions (failover, spreading, cool-downs), OCI error decoding and a line reader
// for OCI's server-sent events; the same client lists the models of the Generative AI control plane and reads
// the gateway's client keys from an OCI Vault secret.
package ocigenai

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ociai/ociai-proxy/internal/ownstack"
	"github.com/oracle/oci-go-sdk/v65/common"
	"go.opentelemetry.io/otel/trace"
)

// APIVersion is the path prefix of the Generative AI inference API.
const APIVersion = "/20231130"

// Paths of the inference operations the gateway uses.
const (
	PathChat  = APIVersion + "/actions/chat"
	PathEmbed = APIVersion + "/actions/embedText"
)

// Client sends signed requests to one OCI endpoint over its keep-alive transport: a pool holds one per region's
// inference endpoint and routes calls through them (route.go); ListModels uses one for a region's control plane
// and the Vault key reader one for the secret retrieval API, retried by its RetryPolicy (see retry.go; the SDK's own retry and circuit breaker never run).
// It is safe for concurrent use; the signer holds the parsed key.
type Client struct {
	endpoint  string // scheme://host[:port], no path
	signer    common.HTTPRequestSigner
	http      *http.Client
	transport *http.Transport
	retry     atomic.Pointer[RetryPolicy]

	// OnRetry, when set, is called before each retry: path is the operation (PathChat, PathEmbed), attempt
	// the number of the retry about to be made (1 for the first), status and code describe the failure that
	// caused it (status 0 and CodeConnectionError when no answer came). Set it before the client is used; it
	// must be fast and safe for concurrent calls (metrics counters).
	OnRetry func(path string, attempt int, status int, code string)
}

// New returns a client for endpoint (for example https://inference.generativeai.us-chicago-1.oci.oraclecloud.com
// or a simulator's http://127.0.0.1:port) that signs every request with keys.
func New(endpoint string, keys common.KeyProvider) (*Client, error) {
	endpoint = strings.TrimRight(endpoint, "/")
	if endpoint == "" {
		return nil, errors.New("ocigenai: no endpoint")
	}
	return newClient(endpoint, Signer(keys)), nil
}

func newClient(endpoint string, signer common.HTTPRequestSigner) *Client {
	tr := newTransport()
	c := &Client{
		endpoint: endpoint,
		signer:   signer,
		// No client-wide timeout: the SDK's 60 s default cuts long generations and streams. Each call is bounded
		// by its context instead (total time for plain calls, an idle timer for streams).
		http:      &http.Client{Transport: tr},
		transport: tr,
	}
	c.SetRetryPolicy(DefaultRetryPolicy())
	return c
}

// Signer is the request signer of every Client: OCI's signature (RSA-SHA256 over date, (request-target), host
// and, with a body, content-length, content-type and x-content-sha256) with keys, which should hold the parsed
// key (NewIdentity's do).
func Signer(keys common.KeyProvider) common.HTTPRequestSigner {
	return common.DefaultRequestSigner(keys)
}

// CloseIdleConnections closes the transport's idle keep-alive connections (shutdown, tests).
func (c *Client) CloseIdleConnections() { c.transport.CloseIdleConnections() }

// Endpoint is the base URL the client talks to.
func (c *Client) Endpoint() string { return c.endpoint }

func newTransport() *http.Transport {
	return &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:   true,
		MaxIdleConns:        1024,
		MaxIdleConnsPerHost: 1024,
		IdleConnTimeout:     90 * time.Second,
		// Small connection buffers: with HTTP/1.1 every open stream holds one connection, and the event reader
		// buffers anyway.
		ReadBufferSize:  2 << 10,
		WriteBufferSize: 1 << 10,
		// HTTP/2 when the endpoint offers it by ALPN, as the OCI SDK's own transport does (UNCONFIRMED that OCI's
		// inference endpoints do): open streams then share a few connections and their buffers, 85 instead of 132
		// KB per open stream over TLS (BENCHMARKS.md, "HTTP/2 to OCI"). GODEBUG=http2client=0 keeps HTTP/1.1.
		// What a stream has received and its client not yet taken waits in the gateway's memory, up to the stream's
		// receive window (4 MiB by default): 1 MiB bounds that for a client that stops reading and is still ample
		// for the largest answers (an embeddings answer of 96 inputs is 1.6 MB, read as it arrives).
		HTTP2:                 &http.HTTP2Config{MaxReceiveBufferPerStream: 1 << 20},
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// Response is a successful OCI answer. For plain calls Body is fully read into Data; for streams Events reads it.
type Response struct {
	RequestID string // opc-request-id of the answer
	Data      []byte
	Events    *EventReader

	// Set by routes: the target that answered (Index is its position in the route), the HTTP attempts the
	// request made (all targets together), and the answering attempt's trace span, which stays open for the
	// caller's attributes (usage, finish reasons) until Close ends it. Span is a no-op span without tracing.
	Target   *Target
	Index    int
	Attempts int
	Span     trace.Span

	target *Target     // whose in-flight count this answer holds until released
	own    *attemptCtx // the attempt's own context, if it has one
	closed bool
}

// Close releases the stream's connection and ends the attempt's span. Call it once the answer is used; it is
// safe on non-stream responses and more than once (not concurrently).
func (r *Response) Close() {
	if r.closed {
		return
	}
	r.closed = true
	if r.Events != nil {
		r.Events.Close()
	}
	r.releaseSlot()
	if r.Span != nil {
		r.Span.End()
	}
}

// Drain is Close for a stream whose answer the caller has read to its end (the finish event and the usage it
// waited for): what OCI still sends after it ([DONE], the end of the chunked body) is read on a goroutine of its
// own, at most drainBytes for at most drainWait, so that the connection goes back to the pool. Closed before its
// end, an HTTP/1.1 answer closes its connection, and the next request dials (over TLS: shakes hands) again,
// which cost every stream a new connection (bench/analysis.md, "Time to first byte of a stream"). The drain
// is the only part of a request that may outlive it, by drainWait at most. Without an attempt context of its
// own (no first-byte limit) or once the caller's context has ended, Drain is Close.
func (r *Response) Drain() {
	if r.closed || r.Events == nil || r.own == nil || !r.own.unlink() {
		r.Close()
		return
	}
	events, own := r.Events, r.own
	r.Events, r.own = nil, nil
	r.Close()
	go func() {
		timer := time.AfterFunc(drainWait, func() { own.cancel(errDrainWait) })
		_, _ = io.CopyN(io.Discard, events.r, drainBytes)
		timer.Stop()
		events.Close()
		own.cancel(nil)
	}()
}

// Bounds of Drain: OCI ends its stream right after [DONE]; one that keeps the connection open longer, or sends
// more, has it closed instead.
const (
	drainWait  = time.Second
	drainBytes = 64 << 10
)

var errDrainWait = errors.New("ocigenai: the stream did not end after its answer")

// releaseSlot ends the answer's claim on its target's in-flight count and attempt context.
func (r *Response) releaseSlot() {
	if r.target != nil {
		r.target.inFlight.Add(-1)
		r.target = nil
	}
	if r.own != nil {
		r.own.end(nil)
		r.own = nil
	}
}

// send makes one attempt: a fresh request with its own Date header and signature over the same body.
func (c *Client) send(ctx context.Context, path string, body []byte, stream bool) (*http.Response, *Error) {
	accept := "application/json"
	if stream {
		accept = acceptStream
	}
	return c.roundTrip(ctx, http.MethodPost, path, body, accept)
}

// roundTrip signs and sends one request (a JSON body, or none when body is nil) and decodes an error answer.
func (c *Client) roundTrip(ctx context.Context, method, path string, body []byte, accept string) (*http.Response, *Error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.endpoint+path, rd)
	if err != nil {
		return nil, &Error{Message: "ocigenai: build request: " + err.Error(), Err: err, permanent: true}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	req.Header.Set("User-Agent", userAgent)
	if err := c.sign(req, accept == acceptStream); err != nil {
		return nil, &Error{Status: http.StatusUnauthorized, Code: "SigningFailed", Message: "cannot sign the OCI request: " + err.Error(), Local: true}
	}
	if body != nil {
		// The transport keeps a request as long as its response is open, and a prompt runs to megabytes. The signer
		// hashed the body by reading it into a copy that became req.Body: send body instead, from a reader that lets
		// go of it once sent, and let the transport's replays (GetBody) have it only until it has an answer.
		req.Body = &sentBody{b: body}
		req.GetBody = func() (io.ReadCloser, error) { return &sentBody{b: body}, nil }
		defer func() { body = nil }() // RoundTrip calls GetBody only before it returns
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, transportError(ctx, "", err)
	}
	if res.StatusCode/100 != 2 {
		defer res.Body.Close()
		return nil, decodeError(res)
	}
	return res, nil
}

// acceptStream is the Accept header of a streaming call.
const acceptStream = "application/json, text/event-stream"

// sign signs req. For a stream it does so on a goroutine of its own: an RSA signature needs about 8 KB of stack
// (bigmod's modular exponentiation), which would otherwise stay with the stream's handler goroutine for the
// stream's whole life (see ownstack). Other calls sign in place, which saves the fresh goroutine's stack growth
// (about 1 % of a request's CPU).
func (c *Client) sign(req *http.Request, stream bool) (err error) {
	if !stream {
		return c.signer.Sign(req)
	}
	ownstack.Run(func() { err = c.signer.Sign(req) })
	return err
}

// sentBody is a request body that drops its bytes when it has been read to the end.
type sentBody struct{ b []byte }

func (s *sentBody) Read(p []byte) (int, error) {
	if len(s.b) == 0 {
		s.b = nil
		return 0, io.EOF
	}
	n := copy(p, s.b)
	if s.b = s.b[n:]; len(s.b) == 0 {
		s.b = nil
	}
	return n, nil
}

// Close leaves b alone: the transport may close the body from another goroutine while it still reads it.
func (s *sentBody) Close() error { return nil }

// userAgent names the gateway to OCI, the way the SDK names itself.
var userAgent = "ociai-proxy (Oracle-GoSDK/" + common.Version() + ")"

// readBody reads a whole answer in one allocation when its length is known: embeddings answers run to
// megabytes, and io.ReadAll's doubling would copy them several times.
func readBody(res *http.Response) ([]byte, error) {
	size := int64(512)
	if cl := res.ContentLength; cl > 0 && cl <= maxPresize {
		size = cl + 1 // +1 so the final read sees EOF without growing
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	_, err := buf.ReadFrom(res.Body)
	return buf.Bytes(), err
}

// maxPresize bounds the allocation a Content-Length header alone can cause.
const maxPresize = 64 << 20
