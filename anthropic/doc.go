// Package anthropic converts the Anthropic Messages API (POST /v1/messages, /v1/messages/count_tokens) to the
// hub's chat request and the hub's answers, whole or streamed, back into Anthropic messages and events.
//
// It knows nothing of OCI or HTTP: Convert turns a decoded Request into a hub chat request, NewMessage encodes
// a whole answer, Stream turns hub chunks into the Anthropic event grammar, NewError builds the error envelope
// and CountTokens estimates a request's input tokens.
package anthropic
