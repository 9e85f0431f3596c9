package anthropic

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/ociai/ociai-proxy/hub"
)

// MessagesAPI is the Anthropic Messages API as a handler.ClientAPI.
type MessagesAPI struct{}

// DecodeChat decodes a Messages request into the hub request and the reply that encodes its answer.
func (MessagesAPI) DecodeChat(body []byte) (*hub.ChatRequest, hub.Reply, error) {
	var r Request
	if e := hub.DecodeJSON(body, &r); e != nil {
		return nil, nil, e
	}
	c, err := convert(&r)
	if err != nil {
		return nil, nil, err
	}
	return c, newReply(&r), nil
}

// ErrorBody is Anthropic's error envelope of e; the error type follows the HTTP status.
func (MessagesAPI) ErrorBody(e *hub.Error, requestID string) any {
	return newError(e.Status, e.Message, requestID)
}

// CountInputTokens answers count_tokens: the request's model, and {"input_tokens": N} with N estimated as
// count.go describes (never 0).
func (MessagesAPI) CountInputTokens(body []byte) (string, any, error) {
	var r Request
	if e := hub.DecodeJSON(body, &r); e != nil {
		return "", nil, e
	}
	if r.MaxTokens == nil { // count_tokens requests have none
		one := 1
		r.MaxTokens = &one
	}
	c, err := convert(&r)
	if err != nil {
		return "", nil, err
	}
	return r.Model, map[string]int{"input_tokens": countTokens(c)}, nil
}

// newMessageID is a fresh "msg_…" id.
func newMessageID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "msg_" + hex.EncodeToString(b[:])
}
