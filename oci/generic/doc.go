// Package generic is the OCI GENERIC chat format (Meta Llama, xAI Grok, OpenAI gpt-oss and GPT, Google Gemini …):
// hub request → GENERIC chatRequest, and GENERIC answer or stream events → hub completion or chunks.
//
// The path of a GENERIC request through the gateway; it enters each package at most once on the way out and once
// on the way back:
//
//	out:  handler (auth, body) → openai.ChatAPI.DecodeChat (wire → hub.ChatRequest) → oci.Lookup, done once per
//	      model at start-up, gives generic.Format → generic.Request (→ core.ChatDetails, with core's shared checks)
//	      → ocigenai.Client (sign, send, retry)
//	back: ocigenai (the answer, or each event) → generic.Completion or Stream.Event (→ hub; the Stream's
//	      core.Assembler keeps the choices, tool calls, finish and usage) → the openai reply (hub → wire) → handler
//	      writes JSON or server-sent events
//
// Files: types.go (wire types), request.go, messages.go and tools.go (the request), response.go and logprobs.go
// (the whole answer), stream.go (events), format.go (the core.Chat the format table hands out).
package generic
