package hub

import "bytes"

// Reply is the answer to one chat request in its client API's wire format; a client API's decoder returns one
// with the request. The handler calls Completion for a whole answer, or Chunk for each chunk of a streamed answer
// and then End (or StreamError when the stream fails; nothing follows it). Ping writes a keep-alive event while
// OCI is silent. Each method that writes appends whole server-sent events (`event:`/`data:` lines and the blank
// line) to buf.
type Reply interface {
	// Completion is the JSON value of a whole answer.
	Completion(c *ChatCompletion) any
	// Chunk writes the events of one chunk (possibly none).
	Chunk(buf *bytes.Buffer, ch *ChatChunk) error
	// StreamError writes the event that ends a failed stream.
	StreamError(buf *bytes.Buffer, e *Error) error
	// End writes the events that end a stream that went well.
	End(buf *bytes.Buffer)
	// Ping writes a keep-alive event and reports whether the API has one.
	Ping(buf *bytes.Buffer) bool
}
