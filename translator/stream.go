package translator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ociai/ociai-proxy/hub"
)

// GenericStream turns GENERIC SSE events into OpenAI chunks. OCI events carry
// no tool-call index, the finish event usually has no choice index and may
// carry the last text, and usage arrives in a separate event after the
// finish; the state kept here papers over all of that.
//
// Use: Start, then Event for each "data:" payload until Finished (or the
// upstream ends), then Close. Not safe for concurrent use.
type GenericStream struct {
	id, model    string
	created      int64
	includeUsage bool
	expect       int // choices the caller expects (n); 0 = unknown

	choices     []streamChoice // in order of first appearance
	usage       *hub.Usage     // from a separate usage event (wins)
	finishUsage *hub.Usage     // carried by a finish/delta event
	finishSeen  bool
	lastReason  string // OCI value of the last finish event
	closed      bool

	ev      streamEvent   // decode target, reused
	rd      bytes.Reader  // feeds dec
	dec     *json.Decoder // reused across events; nil after an error
	decoded int64         // bytes dec has consumed
}

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

// NewGenericStream starts a translator for one response. id, model and
// created are stamped on every chunk; includeUsage is the client's
// stream_options.include_usage.
func NewGenericStream(id, model string, created int64, includeUsage bool) *GenericStream {
	return &GenericStream{id: id, model: model, created: created, includeUsage: includeUsage}
}

// ExpectChoices tells the stream how many choices (the request's n) to wait
// for before Finished reports true. Optional; default is "those seen".
func (s *GenericStream) ExpectChoices(n int) { s.expect = n }

// Start returns the opening chunk for choice 0: delta {role:"assistant", content:""}.
func (s *GenericStream) Start() hub.ChatChunk {
	s.choice(0).started = true
	return s.chunk([]hub.ChunkChoice{hub.OpeningChoice(0)})
}

// Event translates one OCI event (the JSON after "data: ") into 0..n chunks.
// "[DONE]" and blank payloads yield nothing. The error is non-nil only for
// undecodable JSON, or an *UpstreamError when OCI sent an error object.
func (s *GenericStream) Event(data []byte) ([]hub.ChatChunk, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || string(data) == "[DONE]" || s.closed {
		return nil, nil
	}
	ev := &s.ev
	if err := s.decode(data, ev); err != nil {
		if ue := upstreamError(data); ue != nil {
			return nil, ue
		}
		return nil, fmt.Errorf("undecodable OCI GENERIC stream event: %w", err)
	}
	if ev.ErrorMessage != "" || (ev.Code != "" && ev.Message == nil && ev.FinishReason == "" && ev.Usage == nil) {
		return nil, &UpstreamError{Code: ev.Code, Message: ev.ErrorMessage}
	}
	return s.apply(ev), nil
}

// apply translates one decoded event. The Cohere streams build streamEvents
// from their own wire shapes and feed them here, so all formats share the
// choice, tool-call and finish bookkeeping. Chunks alias ev.Message, which
// must therefore not be reused for a later event.
func (s *GenericStream) apply(ev *streamEvent) []hub.ChatChunk {
	if s.closed {
		return nil
	}
	var e emitter
	finishing := ev.FinishReason != ""
	if ev.Message != nil || finishing || ev.Logprobs != nil {
		c := s.choiceFor(ev.Index, finishing)
		if !c.finished { // late deltas after a choice's finish would break clients
			if !c.started {
				c.started = true
				e.add(hub.OpeningChoice(c.index))
			}
			if ev.Message != nil || ev.Logprobs != nil {
				s.message(&e, c, ev.Message, ev.Logprobs)
			}
			if finishing {
				s.finish(&e, c, ev.FinishReason)
			}
		}
	}
	if finishing {
		s.finishSeen, s.lastReason = true, ev.FinishReason
	}
	if ev.Usage != nil {
		if ev.Message == nil && !finishing {
			s.usage = openAIUsage(ev.Usage)
		} else {
			s.finishUsage = openAIUsage(ev.Usage)
		}
	}
	return e.chunks(s)
}

// decode decodes one event into ev with a Decoder kept across events, which
// keeps its buffers and scanner state (json.Unmarshal allocates them per
// call). Chunks never point into ev itself, only into the objects the decoder
// allocates for it, so resetting ev is safe.
func (s *GenericStream) decode(data []byte, ev *streamEvent) error {
	*ev = streamEvent{Index: -1}
	if s.dec == nil {
		s.dec, s.decoded = json.NewDecoder(&s.rd), 0
	}
	s.rd.Reset(data)
	err := s.dec.Decode(ev)
	if err == nil && s.dec.InputOffset() != s.decoded+int64(len(data)) {
		err = errTrailingData // `{…} x`: the value did not span the whole event
	}
	if err != nil {
		s.dec = nil // a Decoder keeps its error and any unread bytes
		return err
	}
	s.decoded += int64(len(data))
	return nil
}

var errTrailingData = errors.New("invalid character after top-level value")

// Finished reports that every choice has finished and usage (if requested)
// has arrived: the caller may stop reading without waiting for [DONE].
func (s *GenericStream) Finished() bool {
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
func (s *GenericStream) FinishSeen() bool { return s.finishSeen }

// Close ends the stream: a finish chunk for every choice not yet finished
// (OCI's last finish reason or "stop"; "tool_calls" when the choice emitted
// tool calls), then the usage chunk ("choices":[]) when include_usage was
// asked. Usage comes from the usage event, else the finish event, else zeros.
// Later calls return nil.
func (s *GenericStream) Close() []hub.ChatChunk {
	if s.closed {
		return nil
	}
	s.closed = true
	var e emitter
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
		s.finish(&e, c, s.lastReason)
	}
	out := e.chunks(s)
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

// choiceFor resolves the choice an event belongs to. A missing index (-1) means 0,
// except on finish events, which usually omit it: those finish the first
// choice still open, so n>1 streams finish every choice.
func (s *GenericStream) choiceFor(index int, finishing bool) *streamChoice {
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

// choice returns the state for a choice index, creating it. The pointer is
// valid until the next call (the slice may grow).
func (s *GenericStream) choice(index int) *streamChoice {
	for i := range s.choices {
		if s.choices[i].index == index {
			return &s.choices[i]
		}
	}
	s.choices = append(s.choices, streamChoice{index: index, cur: -1})
	return &s.choices[len(s.choices)-1]
}

// message emits the text/reasoning delta, then the tool-call delta.
func (s *GenericStream) message(e *emitter, c *streamChoice, m *streamDelta, lp *OCILogprobs) {
	var d hub.Delta
	if m != nil {
		if m.ReasoningContent != "" {
			d.ReasoningContent = &m.ReasoningContent
		}
		d.Content = deltaText(m.Content)
		if m.Refusal != nil && *m.Refusal != "" {
			d.Refusal = m.Refusal
		}
	}
	if d.ReasoningContent != nil || d.Content != nil || d.Refusal != nil {
		cc := hub.ChunkChoice{Index: c.index, Delta: d}
		if p := openAILogprobs(lp); p != nil {
			cc.Logprobs = p
		}
		e.add(cc)
	}
	if m != nil && len(m.ToolCalls) > 0 {
		if tcs := s.toolCalls(c, m.ToolCalls); len(tcs) > 0 {
			e.add(hub.ChunkChoice{Index: c.index, Delta: hub.Delta{ToolCalls: tcs}})
		}
	}
}

// deltaText returns the non-empty text of a delta, aliasing the single part
// in the common case.
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

// finish emits the finish chunk of c, preceded by "{}" arguments for calls
// that never got any (clients JSON-parse the accumulated arguments).
func (s *GenericStream) finish(e *emitter, c *streamChoice, reason string) {
	fr := FinishReason(reason)
	if len(c.calls) > 0 {
		if fr == "stop" { // Llama reports stop despite tool calls
			fr = "tool_calls"
		}
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
	e.add(hub.ChunkChoice{Index: c.index, FinishReason: hub.FinishPointer(fr)})
}

// upstreamError recognises an OCI error body ({"code","message"}) that did
// not decode as an event because its "message" is a string.
func upstreamError(data []byte) *UpstreamError {
	var body struct {
		Code    any    `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(data, &body) != nil || (body.Code == nil && body.Message == "") {
		return nil
	}
	code := ""
	if body.Code != nil {
		code = fmt.Sprint(body.Code)
	}
	return &UpstreamError{Code: code, Message: body.Message}
}

func (s *GenericStream) chunk(choices []hub.ChunkChoice) hub.ChatChunk {
	return hub.ChatChunk{ID: s.id, Object: hub.ObjectChunk, Created: s.created, Model: s.model, Choices: choices}
}

// emitter collects the chunk choices of one call; chunks() then builds all
// chunks with two allocations however many there are.
type emitter struct{ cc []hub.ChunkChoice }

func (e *emitter) add(c hub.ChunkChoice) {
	if e.cc == nil {
		e.cc = make([]hub.ChunkChoice, 0, 4)
	}
	e.cc = append(e.cc, c)
}

func (e *emitter) chunks(s *GenericStream) []hub.ChatChunk {
	if len(e.cc) == 0 {
		return nil
	}
	out := make([]hub.ChatChunk, len(e.cc), len(e.cc)+1) // +1: Close appends the usage chunk
	for i := range e.cc {
		out[i] = s.chunk(e.cc[i : i+1 : i+1])
	}
	return out
}
