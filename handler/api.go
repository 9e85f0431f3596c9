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

// TokenCounter is a client API that estimates a request's input tokens without calling OCI (Anthropic's
// count_tokens), served by countTokens.
type TokenCounter interface {
	// CountInputTokens decodes a request body and returns its model and the JSON answer with the estimate. A
	// client mistake is a *hub.Error or a *hub.RequestError.
	CountInputTokens(body []byte) (model string, answer any, err error)
}

// Ignoring is a hub.Reply whose client API left parts of the request out on purpose (hosted tools the gateway
// cannot run, which failing on would fail every request of some clients). The handler names them in the
// X-Ociai-Ignored response header and on the request's log line.
type Ignoring interface{ Ignored() []string }
