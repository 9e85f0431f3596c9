package anthropic

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// reply encodes the answer to one Messages request (it is the request's hub.Reply): a whole message, or the
// stream's events in Anthropic's grammar — message_start; per content block content_block_start, its deltas
// and content_block_stop, one block open at a time and indexes counting from 0; then message_delta with the
// stop reason and the final usage, and message_stop.
type reply struct {
	id           string   // msg_…
	showThinking bool     // reasoning becomes thinking blocks
	stops        []string // the request's stop_sequences

	started  bool
	open     string // type of the open block; "" when none is
	blocks   int    // blocks started; the open one is blocks-1
	call     int    // hub index of the tool call in the open tool_use block
	lastCall int    // highest hub tool-call index started
	toolUse  bool
	refused  bool
	finish   string // hub finish reason
	native   string // OCI's own finish reason
	usage    *hub.Usage

	buf   *bytes.Buffer // where the current call writes
	err   error         // first encoding error of the current call
	delta blockDelta    // reused for every delta event
}

func newReply(r *Request) *reply {
	return &reply{id: newMessageID(), showThinking: showThinking(r), stops: r.StopSequences, lastCall: -1,
		delta: blockDelta{Type: EventBlockDelta}}
}

// Completion is the whole answer as a message.
func (r *reply) Completion(c *hub.ChatCompletion) any {
	m := newMessage(c, r.showThinking)
	m.ID = r.id
	if len(c.Choices) > 0 {
		m.StopReason, m.StopSequence = r.refine(m.StopReason, c.Choices[0].NativeFinishReason)
	}
	return m
}

// Chunk writes the events of one hub chunk, message_start before the first. Only the first choice counts:
// Anthropic answers are single.
func (r *reply) Chunk(buf *bytes.Buffer, ch *hub.ChatChunk) error {
	r.buf, r.err = buf, nil
	r.start(ch.Model)
	if ch.Usage != nil {
		r.usage = ch.Usage
	}
	for i := range ch.Choices {
		c := &ch.Choices[i]
		if c.Index != 0 {
			continue
		}
		d := &c.Delta
		if d.ReasoningContent != nil && *d.ReasoningContent != "" && r.showThinking {
			r.ensure("thinking")
			r.send(delta{Type: "thinking_delta", Thinking: d.ReasoningContent})
		}
		if d.Content != nil && *d.Content != "" {
			r.ensure("text")
			r.send(delta{Type: "text_delta", Text: d.Content})
		}
		if d.Refusal != nil && *d.Refusal != "" {
			r.refused = true
			r.ensure("text")
			r.send(delta{Type: "text_delta", Text: d.Refusal})
		}
		for k := range d.ToolCalls {
			r.toolCall(&d.ToolCalls[k])
		}
		if c.FinishReason != nil {
			r.finish, r.native = *c.FinishReason, c.NativeFinishReason
		}
	}
	return r.err
}

// End closes the open block and writes message_delta (stop reason and the final usage) and message_stop.
func (r *reply) End(buf *bytes.Buffer) {
	r.buf, r.err = buf, nil
	r.start("")
	r.close()
	finish := r.finish
	switch {
	case r.toolUse:
		finish = "tool_calls"
	case r.refused:
		finish = "content_filter"
	}
	var d stopDelta
	d.StopReason, d.StopSequence = r.refine(stopReason(finish), r.native)
	r.event(EventMessageDelta, &messageDelta{Type: EventMessageDelta, Delta: d, Usage: usage(r.usage)})
	r.event(EventMessageStop, &typeOnly{Type: EventMessageStop})
}

// StreamError ends a failed stream with an error event; no message_stop follows, as on Anthropic.
func (r *reply) StreamError(buf *bytes.Buffer, e *hub.Error) error {
	r.buf, r.err = buf, nil
	r.event(EventError, newError(e.Status, e.Message, ""))
	return r.err
}

// Ping writes a ping event, which keeps idle connections open while the model thinks.
func (r *reply) Ping(buf *bytes.Buffer) bool {
	r.buf, r.err = buf, nil
	r.event(EventPing, &typeOnly{Type: EventPing})
	return true
}

// refine turns end_turn into stop_sequence where OCI said a stop sequence ended the answer (Cohere's
// STOP_SEQUENCE; other formats report "stop" for both); which sequence is known only when the request had one.
func (r *reply) refine(reason *string, native string) (*string, *string) {
	if *reason != stopEndTurn || !strings.EqualFold(native, "stop_sequence") {
		return reason, nil
	}
	if len(r.stops) == 1 {
		return &stopSequence, &r.stops[0]
	}
	return &stopSequence, nil
}

// start writes message_start once. Its usage is zero: the counts come with message_delta.
func (r *reply) start(model string) {
	if r.started {
		return
	}
	r.started = true
	r.event(EventMessageStart, &messageStart{Type: EventMessageStart, Message: &Message{ID: r.id, Type: "message",
		Role: "assistant", Model: model, Content: []ResponseBlock{}}})
}

// toolCall starts a tool_use block for a new call and streams its arguments as input_json_delta. The hub
// streams calls one after another; the one late fragment it sends, "{}" for a call that got no arguments,
// is already what an empty tool_use block's input says, so fragments of closed calls are left out.
func (r *reply) toolCall(tc *hub.ToolCallDelta) {
	if r.open != "tool_use" || tc.Index != r.call {
		if tc.Index <= r.lastCall {
			return
		}
		r.begin(&ResponseBlock{Type: "tool_use", ID: tc.ID, Name: tc.Function.Name, Input: emptyInput})
		r.open, r.call, r.lastCall, r.toolUse = "tool_use", tc.Index, tc.Index, true
	}
	if tc.Function.Arguments != "" {
		r.send(delta{Type: "input_json_delta", PartialJSON: &tc.Function.Arguments})
	}
}

var emptyInput = json.RawMessage("{}")

// ensure opens a text or thinking block unless one of that type is open.
func (r *reply) ensure(typ string) {
	if r.open == typ {
		return
	}
	b := &ResponseBlock{Type: typ}
	if typ == "thinking" {
		b.Thinking, b.Signature = new(string), new(string)
	} else {
		b.Text = new(string)
	}
	r.begin(b)
	r.open = typ
}

func (r *reply) begin(b *ResponseBlock) {
	r.close()
	r.blocks++
	r.event(EventBlockStart, &blockStart{Type: EventBlockStart, Index: r.blocks - 1, ContentBlock: b})
}

func (r *reply) send(d delta) {
	r.delta.Index, r.delta.Delta = r.blocks-1, d
	r.event(EventBlockDelta, &r.delta)
}

func (r *reply) close() {
	if r.open != "" {
		r.event(EventBlockStop, &blockStop{Type: EventBlockStop, Index: r.blocks - 1})
		r.open = ""
	}
}

// event appends `event: <name>` and `data: <JSON of v>` to the current buffer.
func (r *reply) event(name string, v any) {
	if r.err != nil {
		return
	}
	start := r.buf.Len()
	r.buf.WriteString("event: ")
	r.buf.WriteString(name)
	r.buf.WriteString("\ndata: ")
	if r.err = json.NewEncoder(r.buf).Encode(v); r.err != nil { // Encode ends the line with \n
		r.buf.Truncate(start)
		return
	}
	r.buf.WriteByte('\n')
}
