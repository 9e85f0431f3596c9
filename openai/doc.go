// Package openai is the OpenAI API as a client API of the gateway: chat completions (its wire format is the hub's
// own, so decoding is JSON into hub.ChatRequest and encoding is the hub types as they are), embeddings and models
// wire types, and the OpenAI error envelope {"error":{"message","type","param","code"}}. It knows nothing of OCI.
//
// ChatAPI is the handler.ClientAPI of POST /v1/chat/completions; the Anthropic Messages and OpenAI Responses packages
// sit beside this one and plug in the same way.
package openai
