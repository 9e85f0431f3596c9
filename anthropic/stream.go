package anthropic

import (
	"encoding/json"

	"github.com/ociai/ociai-proxy/translator"
)

// Sink receives a stream's events in order: each is written as "event: <name>" and "data: <JSON of v>". v
// is only valid during the call.
type Sink interface {
	Event(name string, v any)
}

// Stream turns the hub's chunks for one answer into Anthropic's event grammar: message_start; per content
// block content_block_start, its deltas and content_block_stop, one block open at a time and indexes
// counting from 0; then message_delta with the stop reason and final usage, and message_stop.
//
// Use: Start, Chunk for each hub chunk, then End; Fail instead of End when the answer breaks off, and Ping
// while the model is silent. Not safe for concurrent use.
type Stream struct {
	out          Sink
	id, model    string
	showThinking bool

	open     string // type of the open block; "" when none is
	blocks   int    // blocks started; the open one is blocks-1
	call     int    // hub index of the tool call in the open tool_use block
	lastCall int    // highest hub tool-call index started
	toolUse  bool
	refused  bool
	finish   string
	usage    *translator.Usage

	delta blockDelta // reused for every delta event
}

// NewStream starts the encoder for one answer. id (a "msg_…" id) and model (the name the client asked for)
// go into message_start; showThinking says whether reasoning becomes thinking blocks.
func NewStream(out Sink, id, model string, showThinking bool) *Stream {
	return &Stream{out: out, id: id, model: model, showThinking: showThinking, lastCall: -1,
		delta: blockDelta{Type: EventBlockDelta}}
}

// Start sends message_start. Its usage is zero: the counts come with message_delta.
func (s *Stream) Start() {
	s.out.Event(EventMessageStart, &messageStart{Type: EventMessageStart, Message: &Message{ID: s.id, Type: "message",
		Role: "assistant", Model: s.model, Content: []ResponseBlock{}}})
}

// Chunk sends the events for one hub chunk. Only the first choice counts: Anthropic answers are single.
func (s *Stream) Chunk(ch *translator.ChatChunk) {
	if ch.Usage != nil {
		s.usage = ch.Usage
	}
	for i := range ch.Choices {
		c := &ch.Choices[i]
		if c.Index != 0 {
			continue
		}
		d := &c.Delta
		if d.ReasoningContent != nil && *d.ReasoningContent != "" && s.showThinking {
			s.ensure("thinking")
			s.send(delta{Type: "thinking_delta", Thinking: d.ReasoningContent})
		}
		if d.Content != nil && *d.Content != "" {
			s.ensure("text")
			s.send(delta{Type: "text_delta", Text: d.Content})
		}
		if d.Refusal != nil && *d.Refusal != "" {
			s.refused = true
			s.ensure("text")
			s.send(delta{Type: "text_delta", Text: d.Refusal})
		}
		for k := range d.ToolCalls {
			s.toolCall(&d.ToolCalls[k])
		}
		if c.FinishReason != nil {
			s.finish = *c.FinishReason
		}
	}
}

// toolCall starts a tool_use block for a new call and streams its arguments as input_json_delta. The hub
// streams calls one after another; the one late fragment it sends, "{}" for a call that got no arguments,
// is already what an empty tool_use block's input says, so fragments of closed calls are left out.
func (s *Stream) toolCall(tc *translator.ToolCallDelta) {
	if s.open != "tool_use" || tc.Index != s.call {
		if tc.Index <= s.lastCall {
			return
		}
		s.start(&ResponseBlock{Type: "tool_use", ID: tc.ID, Name: tc.Function.Name, Input: emptyInput})
		s.open, s.call, s.lastCall, s.toolUse = "tool_use", tc.Index, tc.Index, true
	}
	if tc.Function.Arguments != "" {
		s.send(delta{Type: "input_json_delta", PartialJSON: &tc.Function.Arguments})
	}
}

var emptyInput = json.RawMessage("{}")

// ensure opens a text or thinking block unless one of that type is open.
func (s *Stream) ensure(typ string) {
	if s.open == typ {
		return
	}
	b := &ResponseBlock{Type: typ}
	if typ == "thinking" {
		b.Thinking, b.Signature = new(string), new(string)
	} else {
		b.Text = new(string)
	}
	s.start(b)
	s.open = typ
}

func (s *Stream) start(b *ResponseBlock) {
	s.close()
	s.blocks++
	s.out.Event(EventBlockStart, &blockStart{Type: EventBlockStart, Index: s.blocks - 1, ContentBlock: b})
}

func (s *Stream) send(d delta) {
	s.delta.Index, s.delta.Delta = s.blocks-1, d
	s.out.Event(EventBlockDelta, &s.delta)
}

func (s *Stream) close() {
	if s.open != "" {
		s.out.Event(EventBlockStop, &blockStop{Type: EventBlockStop, Index: s.blocks - 1})
		s.open = ""
	}
}

// End closes the open block and sends message_delta (stop reason and the final usage) and message_stop.
func (s *Stream) End() {
	s.close()
	finish := s.finish
	switch {
	case s.toolUse:
		finish = "tool_calls"
	case s.refused:
		finish = "content_filter"
	}
	s.out.Event(EventMessageDelta, &messageDelta{Type: EventMessageDelta, Delta: stopDelta{StopReason: stopReason(finish)}, Usage: usage(s.usage)})
	s.out.Event(EventMessageStop, &typeOnly{Type: EventMessageStop})
}

// Ping sends a ping event, which keeps idle connections open while the model thinks.
func (s *Stream) Ping() { s.out.Event(EventPing, &typeOnly{Type: EventPing}) }

// Fail ends the stream with an error event; no message_stop follows, as on Anthropic.
func (s *Stream) Fail(e *ErrorBody) { s.out.Event(EventError, e) }
