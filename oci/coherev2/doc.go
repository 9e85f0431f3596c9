// Package coherev2 is the OCI COHEREV2 chat format (Cohere V2 style: cohere.command-a-vision*, and any Cohere
// model given images): hub request → COHEREV2 chatRequest (role messages, IMAGE_URL parts, tool calls with ids,
// thinking), and COHEREV2 answer or stream events → hub completion or chunks.
//
// Files: types.go (wire types), request.go, messages.go and tools.go (the request), response.go (the whole
// answer), stream.go (events), format.go (the core.Chat the format table hands out). What COHEREV2 shares with
// COHERE lives in package core.
package coherev2
