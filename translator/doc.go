// Package translator converts between the OpenAI Chat Completions wire format
// and the OCI Generative AI GENERIC chat format.
//
// Everything here is a pure function over wire types: no HTTP, no files, no
// environment, no logging. The HTTP layer decodes a ChatRequest, calls
// GenericChat to get the OCI body, and turns the OCI answer back into OpenAI
// JSON with CompletionFromGeneric (non-streaming), GenericStream (streaming) or
// ChunksFromCompletion (a synthesized stream from a non-streaming answer).
//
// The OCI request returned by GenericChat aliases strings and raw JSON of the
// ChatRequest it was built from; do not mutate the request until the OCI body
// has been encoded.
package translator
