package handler

import "github.com/ociai/ociai-proxy/hub"

// ClientAPI is a client API the gateway serves (package openai; anthropic and responses plug in the same way, see
// the package doc): its chat wire format and its error envelope.
type ClientAPI interface {
	// DecodeChat reads a chat request body into the hub request and the Reply that encodes its answer. A client
	// mistake is a *hub.Error or a *hub.RequestError.
	DecodeChat(body []byte) (*hub.ChatRequest, hub.Reply, error)
	// ErrorBody is the JSON value of e in the API's error envelope; requestID is the request's X-Request-Id.
	ErrorBody(e *hub.Error, requestID string) any
}

// Ignoring is a hub.Reply whose client API left parts of the request out on purpose (hosted tools the gateway
// cannot run, which failing on would fail every request of some clients). The handler names them in the
// X-Ociai-Ignored response header and on the request's log line.
type Ignoring interface{ Ignored() []string }
