// Package cohere is the OCI COHERE chat format (Cohere V1 style: cohere.command-r* and the non-vision
// cohere.command-a* models): hub request → COHERE chatRequest (message, chatHistory, preambleOverride, flat tool
// parameter definitions), and COHERE answer or stream events → hub completion or chunks.
//
// Files: types.go (wire types), request.go, messages.go, tools.go and schema.go (the request; schema.go turns JSON
// schemas into Cohere parameter definitions), response.go (the whole answer), stream.go (events), format.go (the
// core.Chat the format table hands out). What COHERE shares with COHEREV2 lives in package core.
package cohere
