package responses

import (
	"bytes"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/openai"
)

// API is the Responses API as a client API of the handler's chat pipeline: POST /v1/responses, or with
// Compact, POST /v1/responses/compact. Sealer seals and opens compaction items.
type API struct {
	Sealer  *Sealer
	Compact bool
}

// DecodeChat decodes a request into the hub request to run and the reply that answers it.
func (a API) DecodeChat(body []byte) (*hub.ChatRequest, hub.Reply, error) {
	decode := Decode
	if a.Compact {
		decode = DecodeCompact
	}
	t, e := decode(body, a.Sealer)
	if e != nil {
		return nil, nil, e
	}
	return &t.Hub, &reply{t: t, s: t.NewStream()}, nil
}

// ErrorBody is the OpenAI error envelope.
func (API) ErrorBody(e *hub.Error, _ string) any { return openai.ErrorBody(e) }

// reply answers one turn: a response object, or the event stream.
type reply struct {
	t *Turn
	s *Stream
}

func (r *reply) Completion(c *hub.ChatCompletion) any { return r.t.Encode(c) }

func (r *reply) Chunk(buf *bytes.Buffer, ch *hub.ChatChunk) error {
	r.s.Chunk(buf, ch)
	return nil
}

func (r *reply) StreamError(buf *bytes.Buffer, e *hub.Error) error {
	r.s.Fail(buf, e)
	return nil
}

func (r *reply) End(buf *bytes.Buffer) { r.s.Finish(buf) }

// Ping: the Responses API has no keep-alive event.
func (r *reply) Ping(*bytes.Buffer) bool { return false }

// Ignored names the hosted tools left out of the request, for the handler to report.
func (r *reply) Ignored() []string { return r.t.Ignored }
