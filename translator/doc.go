// Package translator converts between the OpenAI Chat Completions wire format
// and the OCI Generative AI chat formats GENERIC, COHERE and COHEREV2.
//
// Everything here is a pure function over wire types: no HTTP, no files, no
// environment, no logging. The HTTP layer decodes a ChatRequest, calls
// GenericChat (CohereChat for Cohere models, CohereV2Chat for Cohere vision
// models or when HasImages) to get the OCI body, and turns the OCI answer
// back into OpenAI JSON with CompletionFromGeneric / CompletionFromCohere /
// CompletionFromCohereV2 (non-streaming), GenericStream / CohereStream /
// CohereV2Stream (streaming) or ChunksFromCompletion (a synthesized stream
// from a non-streaming answer).
//
// The OCI requests returned by the translators alias strings and raw JSON of
// the ChatRequest they were built from; do not mutate the request until the
// OCI body has been encoded.
package translator
