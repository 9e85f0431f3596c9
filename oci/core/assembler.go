package core

import (
	"bytes"

	"github.com/ociai/ociai-proxy/hub"
)

// Assembler turns the stream events of any OCI format, once decoded into Events, into hub chunks. OCI events
// carry no tool-call index, the finish event usually has no choice index and may carry the last text, and usage
// arrives in a separate event after the finish; the state kept here papers over all of that, the same way for
// every format. Not safe for concurrent use.
type Assembler struct {
	id, model    string
	created      int64
	includeUsage bool
	expect       int // choices to wait for (n); 0 = those seen

	choices     []streamChoice // in order of first appearance
	usage       *hub.Usage     // from a separate usage event (wins)
	finishUsage *hub.Usage     // carried by a finish/delta event
	finishSeen  bool
	lastReason  string // OCI value of the last finish event
	closed      bool

	e emitter // the chunks of the last call, reused by the next
}

// Event is one stream event in the Assembler's terms.
type Event struct {
	Index        int                 // choice index; -1 when the event names none
	Message      bool                // the event carries a message (even an empty one)
	Text         *string             // content delta, nil or non-empty
	Reasoning    *string             // reasoning delta
	Refusal      *string             // refusal delta
	ToolCalls    []ToolCallPart      // tool calls or fragments of them, in OCI's order
	Logprobs     *hub.ChoiceLogprobs // of the content delta
	FinishReason string              // OCI's finish reason when the event finishes a choice
	Usage        *Usage
}

// ToolCallPart is a tool call, or a fragment of one, as an event carries it.
type ToolCallPart struct{ ID, Name, Arguments string }

type streamChoice struct {
	index    int
	started  bool // role chunk sent
	finished bool // finish chunk sent
	calls    []streamCall
	cur      int // call that id-less fragments append to; -1 before the first
}

type streamCall struct {
	id, name string
	argBytes int
	args     argScanner
}

// NewAssembler starts the chunks of one answer. id, model and created are stamped on every chunk; includeUsage
// says whether OCI was asked for usage (the usage chunk ends the stream then).
func NewAssembler(id, model string, created int64, includeUsage bool) Assembler {
	return Assembler{id: id, model: model, created: created, includeUsage: includeUsage}
}

// ExpectChoices tells the Assembler how many choices (the request's n) to wait for before Finished reports true.
func (s *Assembler) ExpectChoices(n int) { s.expect = n }

// Start returns the opening chunk for choice 0: delta {role:"assistant", content:""}.
func (s *Assembler) Start() hub.ChatChunk {
	s.choice(0).started = true
	return s.chunk([]hub.ChunkChoice{hub.OpeningChoice(0)})
}

// Payload trims an event payload and reports whether it is one to translate: not blank, not "[DONE]", and the
// stream not closed.
func (s *Assembler) Payload(data []byte) ([]byte, bool) {
	data = bytes.TrimSpace(data)
	return data, len(data) > 0 && string(data) != "[DONE]" && !s.closed
}

// Apply translates one event. The chunks are valid until the next call of Apply or Close, which reuses them, their
// choices and tool-call deltas (a stream relays every token: fresh ones would be most of what it leaves for the
// collector; a chunk's Usage is never reused), and they alias the event's strings and slices, which must not
// change before then either.
func (s *Assembler) Apply(ev *Event) []hub.ChatChunk {
	if s.closed {
		return nil
	}
	e := s.e.reset()
	finishing := ev.FinishReason != ""
	if ev.Message || finishing || ev.Logprobs != nil {
		c := s.choiceFor(ev.Index, finishing)
		if !c.finished { // late deltas after a choice's finish would break clients
			if !c.started {
				c.started = true
				e.add(hub.OpeningChoice(c.index))
			}
			if ev.Message || ev.Logprobs != nil {
				s.message(e, c, ev)
			}
			if finishing {
				s.finish(e, c, ev.FinishReason)
			}
		}
	}
	if finishing {
		s.finishSeen, s.lastReason = true, ev.FinishReason
	}
	if ev.Usage != nil {
		if !ev.Message && !finishing {
			s.usage = ev.Usage.Hub()
		} else {
			s.finishUsage = ev.Usage.Hub()
		}
	}
	return s.chunks()
}

// Finished reports that every choice has finished and usage (if asked for) has arrived: the caller may stop
// reading without waiting for [DONE].
func (s *Assembler) Finished() bool {
	if !s.finishSeen || len(s.choices) < s.expect {
		return false
	}
	for i := range s.choices {
		if !s.choices[i].finished {
			return false
		}
	}
	return !s.includeUsage || s.usage != nil || s.finishUsage != nil
}

// FinishSeen reports whether any finish event has arrived.
func (s *Assembler) FinishSeen() bool { return s.finishSeen }

// Close ends the stream: a finish chunk for every choice not yet finished (OCI's last finish reason or "stop";
// "tool_calls" when the choice made tool calls), then the usage chunk ("choices":[]) when usage was asked for.
// Usage comes from the usage event, else the finish event, else zeros. Later calls return nil. The chunks are
// valid as Apply's are.
func (s *Assembler) Close() []hub.ChatChunk {
	if s.closed {
		return nil
	}
	s.closed = true
	e := s.e.reset()
	if len(s.choices) == 0 {
		s.choice(0)
	}
	for i := range s.choices {
		c := &s.choices[i]
		if c.finished {
			continue
		}
		if !c.started {
			c.started = true
			e.add(hub.OpeningChoice(c.index))
		}
		s.finish(e, c, s.lastReason)
	}
	out := s.chunks()
	if s.includeUsage {
		u := s.usage
		if u == nil {
			u = s.finishUsage
		}
		if u == nil {
			u = &hub.Usage{}
		}
		ch := s.chunk([]hub.ChunkChoice{})
		ch.Usage = u
		out = append(out, ch)
	}
	return out
}

// choiceFor resolves the choice an event belongs to. A missing index (-1) means 0, except on finish events, which
// usually omit it: those finish the first choice still open, so n>1 streams finish every choice.
func (s *Assembler) choiceFor(index int, finishing bool) *streamChoice {
	if index >= 0 {
		return s.choice(index)
	}
	if finishing {
		for i := range s.choices {
			if !s.choices[i].finished {
				return &s.choices[i]
			}
		}
	}
	return s.choice(0)
}

// choice returns the state for a choice index, creating it. The pointer is valid until the next call (the slice
// may grow).
func (s *Assembler) choice(index int) *streamChoice {
	for i := range s.choices {
		if s.choices[i].index == index {
			return &s.choices[i]
		}
	}
	s.choices = append(s.choices, streamChoice{index: index, cur: -1})
	return &s.choices[len(s.choices)-1]
}

// message emits the text/reasoning/refusal delta, then the tool-call delta.
func (s *Assembler) message(e *emitter, c *streamChoice, ev *Event) {
	var d hub.Delta
	if ev.Reasoning != nil && *ev.Reasoning != "" {
		d.ReasoningContent = ev.Reasoning
	}
	if ev.Text != nil && *ev.Text != "" {
		d.Content = ev.Text
	}
	if ev.Refusal != nil && *ev.Refusal != "" {
		d.Refusal = ev.Refusal
	}
	if d.ReasoningContent != nil || d.Content != nil || d.Refusal != nil {
		cc := hub.ChunkChoice{Index: c.index, Delta: d}
		if ev.Logprobs != nil {
			cc.Logprobs = ev.Logprobs
		}
		e.add(cc)
	}
	if len(ev.ToolCalls) > 0 {
		if tcs := s.toolCalls(c, ev.ToolCalls); len(tcs) > 0 {
			e.add(hub.ChunkChoice{Index: c.index, Delta: hub.Delta{ToolCalls: tcs}})
		}
	}
}

// finish emits the finish chunk of c, preceded by "{}" arguments for calls that never got any (clients
// JSON-parse the accumulated arguments).
func (s *Assembler) finish(e *emitter, c *streamChoice, reason string) {
	fr := FinishReason(reason)
	if len(c.calls) > 0 {
		fr = WithToolCalls(fr)
		var fill []hub.ToolCallDelta
		for j := range c.calls {
			if c.calls[j].argBytes == 0 {
				c.calls[j].argBytes = 2
				fill = append(fill, hub.ToolCallDelta{Index: j, Function: hub.FunctionDelta{Arguments: "{}"}})
			}
		}
		if len(fill) > 0 {
			e.add(hub.ChunkChoice{Index: c.index, Delta: hub.Delta{ToolCalls: fill}})
		}
	}
	c.finished = true
	e.add(hub.ChunkChoice{Index: c.index, FinishReason: hub.FinishPointer(fr), NativeFinishReason: reason})
}

func (s *Assembler) chunk(choices []hub.ChunkChoice) hub.ChatChunk {
	return hub.ChatChunk{ID: s.id, Object: hub.ObjectChunk, Created: s.created, Model: s.model, Choices: choices}
}

// SplitCalls gives every tool call its own chunk, for formats that send several whole calls in one event
// (OpenAI streams one call per chunk).
func (s *Assembler) SplitCalls(in []hub.ChatChunk) []hub.ChatChunk {
	n := 0
	for i := range in {
		for _, c := range in[i].Choices {
			if len(c.Delta.ToolCalls) > 1 {
				n += len(c.Delta.ToolCalls) - 1
			}
		}
	}
	if n == 0 {
		return in
	}
	out := make([]hub.ChatChunk, 0, len(in)+n+1)
	for _, ch := range in {
		if len(ch.Choices) != 1 || len(ch.Choices[0].Delta.ToolCalls) <= 1 {
			out = append(out, ch)
			continue
		}
		cc := ch.Choices[0]
		last := len(cc.Delta.ToolCalls) - 1
		for j := range cc.Delta.ToolCalls {
			one := cc
			one.Delta = hub.Delta{ToolCalls: cc.Delta.ToolCalls[j : j+1 : j+1]}
			if j != last {
				one.FinishReason = nil // a split finish chunk must still finish once
			}
			out = append(out, s.chunk([]hub.ChunkChoice{one}))
		}
	}
	return out
}

// emitter collects the chunk choices of one call, which chunks then turns into chunks of one choice each. Its
// slices are the Assembler's, reused from call to call.
type emitter struct {
	choices []hub.ChunkChoice
	calls   []hub.ToolCallDelta // the tool-call deltas of the call's message
	out     []hub.ChatChunk
}

// reset empties the emitter for the next call.
func (e *emitter) reset() *emitter {
	e.choices, e.calls, e.out = e.choices[:0], e.calls[:0], e.out[:0]
	return e
}

func (e *emitter) add(c hub.ChunkChoice) { e.choices = append(e.choices, c) }

// chunks returns the chunks of the choices added since the reset.
func (s *Assembler) chunks() []hub.ChatChunk {
	e := &s.e
	if len(e.choices) == 0 {
		return nil
	}
	for i := range e.choices {
		e.out = append(e.out, s.chunk(e.choices[i:i+1:i+1]))
	}
	return e.out
}
