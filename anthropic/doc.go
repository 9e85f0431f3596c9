// Package anthropic is the Anthropic Messages API (POST /v1/messages and /v1/messages/count_tokens) as a client
// API of the gateway: it turns requests into the hub's chat request, and the hub's answers, whole or streamed,
// into Anthropic messages and events and its error envelope. It knows nothing of OCI or HTTP.
package anthropic
