package generic

import (
	"fmt"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// Stream turns GENERIC SSE events into hub chunks (core.Stream): it decodes each event and leaves the choice,
// tool-call, finish and usage bookkeeping to a core.Assembler.
type Stream struct {
	core.Assembler
	parts []core.ToolCallPart // an event's tool calls, reused
	ev    streamEvent         // decode target, reused
	msg   streamDelta         // ev's message, reused with its slices
}

// NewStream starts reading one GENERIC answer. id, model and created are stamped on every chunk; includeUsage
// says whether OCI was asked for usage.
func NewStream(id, model string, created int64, includeUsage bool) *Stream {
	return &Stream{Assembler: core.NewAssembler(id, model, created, includeUsage)}
}

// Event translates one OCI event (the JSON after "data: ") into 0..n chunks. "[DONE]" and blank payloads yield
// nothing. The error is non-nil only for undecodable JSON, or a *core.UpstreamError when OCI sent an error object.
func (s *Stream) Event(data []byte) ([]hub.ChatChunk, error) {
	data, ok := s.Payload(data)
	if !ok {
		return nil, nil
	}
	ev, err := s.decode(data)
	if err != nil {
		if ue := core.ErrorEvent(data); ue != nil {
			return nil, ue
		}
		return nil, fmt.Errorf("undecodable OCI GENERIC stream event: %w", err)
	}
	if ev.ErrorMessage != "" || (ev.Code != "" && ev.Message == nil && ev.FinishReason == "" && ev.Usage == nil) {
		return nil, &core.UpstreamError{Code: ev.Code, Message: ev.ErrorMessage}
	}
	out := core.Event{Index: ev.Index, FinishReason: ev.FinishReason, Usage: ev.Usage, Logprobs: hubLogprobs(ev.Logprobs)}
	if m := ev.Message; m != nil {
		out.Message, out.Text, out.Refusal = true, deltaText(m.Content), m.Refusal
		if m.ReasoningContent != "" {
			out.Reasoning = &m.ReasoningContent
		}
		s.parts = s.parts[:0]
		for k := range m.ToolCalls {
			name, args := m.ToolCalls[k].flat()
			s.parts = append(s.parts, core.ToolCallPart{ID: m.ToolCalls[k].ID, Name: name, Arguments: args})
		}
		out.ToolCalls = s.parts
	}
	return s.Apply(&out), nil
}

// decode decodes one event into s.ev. The message is decoded into s.msg, whose slices keep their arrays from
// event to event, so that a text delta allocates nothing but its text. There, an empty message
// ({"role":"ASSISTANT"}) cannot be told from none, which Apply treats differently: such events (a finish or usage
// event, once a stream), and undecodable ones, are decoded again into a fresh target.
func (s *Stream) decode(data []byte) (*streamEvent, error) {
	ev := &s.ev
	*ev = streamEvent{Index: -1, Message: s.msg.reset()}
	err := core.DecodeEvent(data, ev)
	if err == nil && (ev.Message != &s.msg || s.msg.carries()) {
		return ev, nil
	}
	*ev = streamEvent{Index: -1}
	return ev, core.DecodeEvent(data, ev)
}

// deltaText returns the non-empty text of a delta, aliasing the single part in the common case.
func deltaText(parts []streamPart) *string {
	switch len(parts) {
	case 0:
		return nil
	case 1:
		if parts[0].Text == "" {
			return nil
		}
		return &parts[0].Text
	}
	var t string
	for i := range parts {
		t += parts[i].Text
	}
	if t == "" {
		return nil
	}
	return &t
}
