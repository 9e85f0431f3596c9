// Package hub is the one chat model every client API converts to and every OCI format converts from: the
// request (ChatRequest), the whole answer (ChatCompletion) and the stream of answer chunks (ChatChunk), in the
// shape of OpenAI Chat Completions, plus the embeddings request and answer.
//
// Inbound packages (openai; later anthropic, responses) decode their wire format into these types and encode the
// answers back; outbound packages (oci/generic, oci/cohere, oci/coherev2, oci/embed) build OCI requests from them
// and turn OCI's answers into them. The hub imports nothing of either side.
package hub
