// Package generic is the OCI GENERIC chat format (Meta Llama, xAI Grok, OpenAI gpt-oss and GPT, Google Gemini …):
// hub request → GENERIC chatRequest, and GENERIC answer or stream events → hub completion or chunks.
//
// The path of a GENERIC request through the gateway enters each package at most once on the way out and once on
// the way back:
//
//	out:  handler (middleware, route, key, body) → openai.ChatAPI.DecodeChat (wire → hub.ChatRequest) →
//	      oci.Format.Chat (the model's format, looked up once at start-up, gives generic.Format) →
//	      generic.Request (hub → core.ChatDetails) → ocigenai.Client (sign, send, retry)
//	back: ocigenai (the whole answer, or each event) → generic.Completion or Stream.Event (GENERIC → hub) →
//	      the openai reply (hub → wire) → handler (writes JSON, or server-sent events one by one)
//
// Package core is the library this package builds on (the shared checks and mappings, and the Assembler that keeps
// a stream's choices, tool calls, finish and usage): its functions are leaves that never call back into a format
// package or the handler, and no other format package takes part.
//
// Files: types.go (wire types), request.go, messages.go and tools.go (the request), response.go and logprobs.go
// (the whole answer), stream.go (events), format.go (the core.Chat the format table hands out).
package generic
