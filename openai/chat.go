package openai

import (
	"bytes"
	"encoding/json"

	"github.com/ociai/ociai-proxy/hub"
)

// ChatAPI is the OpenAI Chat Completions API (POST /v1/chat/completions) as a handler.ClientAPI.
type ChatAPI struct{}

// DecodeChat decodes a chat completions body. Its answer is the hub's types as they are: the wire format of chat
// completions is the hub's.
func (ChatAPI) DecodeChat(body []byte) (*hub.ChatRequest, hub.Reply, error) {
	req := new(hub.ChatRequest)
	if e := hub.DecodeJSON(body, req); e != nil {
		return nil, nil, e
	}
	return req, reply{}, nil
}

// ErrorBody is the OpenAI error envelope of e.
func (ChatAPI) ErrorBody(e *hub.Error, _ string) any { return ErrorBody(e) }

// reply writes chat.completion objects and `data: {chunk}` events ending in `data: [DONE]`.
type reply struct{}

func (reply) Completion(c *hub.ChatCompletion) any { return c }

func (reply) Chunk(buf *bytes.Buffer, ch *hub.ChatChunk) error { return data(buf, ch) }

// StreamError sends the error envelope as the last data event (no [DONE] follows), as OpenAI does.
func (reply) StreamError(buf *bytes.Buffer, e *hub.Error) error { return data(buf, ErrorBody(e)) }

func (reply) End(buf *bytes.Buffer) { buf.WriteString("data: [DONE]\n\n") }

// Ping: OpenAI streams have no keep-alive event.
func (reply) Ping(*bytes.Buffer) bool { return false }

// data writes `data: <json>\n\n` for v.
func data(buf *bytes.Buffer, v any) error {
	start := buf.Len()
	buf.WriteString("data: ")
	if err := json.NewEncoder(buf).Encode(v); err != nil { // Encode ends the line with \n
		buf.Truncate(start)
		return err
	}
	buf.WriteByte('\n')
	return nil
}
