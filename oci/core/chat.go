package core

import "github.com/ociai/ociai-proxy/hub"

// Chat is one OCI chat API format, as the handler uses it: it builds the /actions/chat body, reads a whole answer
// and reads an event stream. Packages generic, cohere and coherev2 each provide one; package oci maps a model's
// configured format to it.
type Chat interface {
	// Request translates req into the OCI body for t. It lists the parameters it accepted but could not forward,
	// and returns a *hub.RequestError for client mistakes. The body aliases strings and raw JSON of req.
	Request(req *hub.ChatRequest, t Target) (*ChatDetails, []string, error)
	// Completion translates the JSON of a whole OCI answer. id, model and created are what the client sees (model
	// falls back to OCI's model id). An OCI error body gives an *UpstreamError.
	Completion(data []byte, id, model string, created int64) (*hub.ChatCompletion, error)
	// Stream starts reading one OCI event stream; includeUsage says whether OCI was asked for usage.
	Stream(id, model string, created int64, includeUsage bool) Stream
	// StreamUsage reports whether OCI is known to send a usage event at the end of a stream when asked for one,
	// so that waiting for it after the finish event costs nothing.
	StreamUsage() bool
}

// Stream turns the events of one OCI stream into hub chunks. Use: Start, then Event for each data payload until
// Finished (or the stream ends), then Close. Not safe for concurrent use.
type Stream interface {
	// Start is the opening chunk of choice 0.
	Start() hub.ChatChunk
	// Event translates one event (the JSON after "data: ") into 0..n chunks; "[DONE]" and blank payloads give
	// none. The error is an *UpstreamError when OCI sent an error, else non-nil only for undecodable JSON. The
	// chunks, their choices and deltas are reused: they are valid until the next call of Event or Close (a chunk's
	// Usage, which callers keep, is never reused).
	Event(data []byte) ([]hub.ChatChunk, error)
	// ExpectChoices says how many choices (the request's n) to wait for before Finished reports true.
	ExpectChoices(n int)
	// Finished reports that every choice has finished and usage (if asked for) has arrived: the caller may stop
	// reading without waiting for [DONE].
	Finished() bool
	// FinishSeen reports whether any finish event has arrived.
	FinishSeen() bool
	// Close ends the stream: a finish chunk for every choice not yet finished, then the usage chunk when asked
	// for. Later calls return nil. The chunks are valid until the next call, as Event's are.
	Close() []hub.ChatChunk
}

// NewChat is the Chat of a format's functions; streamUsage is what StreamUsage reports.
func NewChat[S Stream](
	request func(*hub.ChatRequest, Target) (*ChatDetails, []string, error),
	completion func(data []byte, id, model string, created int64) (*hub.ChatCompletion, error),
	stream func(id, model string, created int64, includeUsage bool) S,
	streamUsage bool,
) Chat {
	return chat[S]{request, completion, stream, streamUsage}
}

type chat[S Stream] struct {
	request     func(*hub.ChatRequest, Target) (*ChatDetails, []string, error)
	completion  func(data []byte, id, model string, created int64) (*hub.ChatCompletion, error)
	stream      func(id, model string, created int64, includeUsage bool) S
	streamUsage bool
}

func (c chat[S]) Request(req *hub.ChatRequest, t Target) (*ChatDetails, []string, error) {
	return c.request(req, t)
}

func (c chat[S]) Completion(data []byte, id, model string, created int64) (*hub.ChatCompletion, error) {
	return c.completion(data, id, model, created)
}

func (c chat[S]) Stream(id, model string, created int64, includeUsage bool) Stream {
	return c.stream(id, model, created, includeUsage)
}

func (c chat[S]) StreamUsage() bool { return c.streamUsage }
