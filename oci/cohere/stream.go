package cohere

import (
	"fmt"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// Stream turns COHERE (V1) SSE events into hub chunks (core.Stream):
//
//	{"apiFormat":"COHERE","text":"Hi"}                           → content delta
//	{"apiFormat":"COHERE","toolCalls":[{"name","parameters"}]}   → one tool-call delta per call
//	{"apiFormat":"COHERE","text":"<full text>","toolCalls":[…],  → finish (+ usage)
//	 "chatHistory":[…],"finishReason":"COMPLETE","usage":{…}}
//
// The terminal event repeats the whole text and the tool calls. Its text is emitted only as far as it extends what
// was streamed (all of it when nothing was), and its tool calls only when they were not streamed before (matched
// by name and canonical arguments, counting duplicates). Tool-call ids are the stable ids of Completion. Finished
// reports true right after the terminal event, which carries usage; a usage-only event that still arrives before
// Close is used.
//
// UNCONFIRMED: usage on the terminal event (one OTel fixture); that non-terminal toolCalls events carry new calls
// rather than a cumulative list; that the terminal text is the whole text (litellm, Elasticsearch and OTel
// fixtures say so).
type Stream struct {
	core.CohereStream
	calls   int            // tool calls emitted so far (the next position)
	emitted map[string]int // name + "\x00" + canonical arguments → count
	ev      streamEvent    // decode target, reused
	evText  string         // ev's text, reused
}

// NewStream starts reading one COHERE answer. id, model and created are stamped on every chunk; includeUsage
// says whether OCI was asked for usage.
func NewStream(id, model string, created int64, includeUsage bool) *Stream {
	return &Stream{CohereStream: core.NewCohereStream(id, model, created, includeUsage)}
}

// Event translates one COHERE event (the JSON after "data: ") into 0..n chunks. "[DONE]" and blank payloads yield
// nothing. The error is a *core.UpstreamError when OCI sent an error, else non-nil only for undecodable JSON.
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
		return nil, fmt.Errorf("undecodable OCI COHERE stream event: %w", err)
	}
	if ue := core.ErrorMessage(ev.Code, ev.ErrorMessage); ue != nil {
		return nil, ue
	}
	if ue := core.ErrorBody(ev.Code, ev.Message); ue != nil && ev.Text == nil && ev.FinishReason == "" && len(ev.ToolCalls) == 0 {
		return nil, ue
	}

	terminal := ev.FinishReason != ""
	if s.FinishSeen() && !terminal && ev.Usage != nil && ev.Text == nil && len(ev.ToolCalls) == 0 {
		return s.Apply(&core.Event{Index: -1, Usage: ev.Usage}), nil // late usage event
	}
	out := core.Event{Index: -1, FinishReason: ev.FinishReason, Usage: ev.Usage}
	if ev.Text != nil {
		t := *ev.Text
		if terminal { // the full text again: only what extends the streamed text
			t, _ = s.Extends(t)
		}
		out.Text = s.Text(t)
	}
	out.ToolCalls = s.toolCalls(ev.ToolCalls, terminal)
	out.Message = out.Text != nil || len(out.ToolCalls) > 0
	return s.Emit(&out), nil
}

// decode decodes one event into s.ev, its text into s.evText: a text delta allocates nothing but its text. There,
// an empty text cannot be told from none, which tells an error body apart: such events, and undecodable ones,
// are decoded again into a fresh target.
func (s *Stream) decode(data []byte) (*streamEvent, error) {
	ev := &s.ev
	s.evText = ""
	*ev = streamEvent{Text: &s.evText}
	err := core.DecodeEvent(data, ev)
	if err == nil && (ev.Text != &s.evText || s.evText != "") {
		return ev, nil
	}
	*ev = streamEvent{}
	return ev, core.DecodeEvent(data, ev)
}

// toolCalls converts an event's calls, skipping on the terminal event those streamed before.
func (s *Stream) toolCalls(calls []ToolCall, terminal bool) []core.ToolCallPart {
	var out []core.ToolCallPart
	for k := range calls {
		tc := &calls[k]
		args := arguments(tc.Parameters)
		key := tc.Name + "\x00" + core.CanonicalJSON(args)
		if terminal && s.emitted[key] > 0 {
			s.emitted[key]-- // restated on the terminal event
			continue
		}
		if s.FinishSeen() || (tc.Name == "" && core.IsNull(tc.Parameters)) {
			continue
		}
		if s.emitted == nil {
			s.emitted = map[string]int{}
		}
		if !terminal {
			s.emitted[key]++
		}
		out = append(out, core.ToolCallPart{ID: core.CohereCallID(s.calls, tc.Name, args), Name: tc.Name, Arguments: args})
		s.calls++
	}
	return out
}

// Finished reports that the terminal event has arrived.
func (s *Stream) Finished() bool { return s.FinishSeen() }
