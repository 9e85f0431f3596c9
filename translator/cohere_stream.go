package translator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// CohereStream turns COHERE (V1) SSE events into OpenAI chunks:
//
//	{"apiFormat":"COHERE","text":"Hi"}                           → content delta
//	{"apiFormat":"COHERE","toolCalls":[{"name","parameters"}]}   → one tool-call delta per call
//	{"apiFormat":"COHERE","text":"<full text>","toolCalls":[…],  → finish (+ usage)
//	 "chatHistory":[…],"finishReason":"COMPLETE","usage":{…}}
//
// The terminal event repeats the whole text and the tool calls. Its text is
// emitted only as far as it extends what was streamed (all of it when
// nothing was), and its tool calls only when they were not streamed before
// (matched by name and canonical arguments, counting duplicates). Tool-call
// ids are the stable ids of CompletionFromCohere. Finished reports true
// right after the terminal event, which carries usage; a usage-only event
// that still arrives before Close is used.
//
// UNCONFIRMED: usage on the terminal event (one OTel fixture); that
// non-terminal toolCalls events carry new calls rather than a cumulative
// list; that the terminal text is the whole text (litellm, Elasticsearch
// and OTel fixtures say so).
//
// Use like GenericStream; not safe for concurrent use.
type CohereStream struct {
	g       *GenericStream
	text    strings.Builder // content emitted so far
	calls   int             // tool calls emitted so far (the next position)
	emitted map[string]int  // name + "\x00" + canonical arguments → count
	ev      cohereEvent
}

// cohereEvent is one COHERE stream event; Message/Code catch an OCI error
// body ({"code","message"}) sent in-band.
type cohereEvent struct {
	Text         *string          `json:"text"`
	ToolCalls    []cohereCallWire `json:"toolCalls"`
	FinishReason string           `json:"finishReason"`
	Usage        *OCIUsage        `json:"usage"`
	ErrorMessage string           `json:"errorMessage"`
	Code         json.RawMessage  `json:"code"`
	Message      json.RawMessage  `json:"message"`
}

// NewCohereStream starts a translator for one COHERE response. id, model and
// created are stamped on every chunk; includeUsage is the client's
// stream_options.include_usage.
func NewCohereStream(id, model string, created int64, includeUsage bool) *CohereStream {
	return &CohereStream{g: NewGenericStream(id, model, created, includeUsage)}
}

// Start returns the opening chunk: delta {role:"assistant", content:""}.
func (s *CohereStream) Start() hub.ChatChunk { return s.g.Start() }

// Event translates one COHERE event (the JSON after "data: ") into 0..n
// chunks. "[DONE]" and blank payloads yield nothing. The error is an
// *UpstreamError when OCI sent an error, else non-nil only for undecodable
// JSON.
func (s *CohereStream) Event(data []byte) ([]hub.ChatChunk, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || string(data) == "[DONE]" || s.g.closed {
		return nil, nil
	}
	ev := &s.ev
	*ev = cohereEvent{}
	if err := json.Unmarshal(data, ev); err != nil {
		if ue := upstreamError(data); ue != nil {
			return nil, ue
		}
		return nil, fmt.Errorf("undecodable OCI COHERE stream event: %w", err)
	}
	if ev.ErrorMessage != "" {
		return nil, &UpstreamError{Code: rawString(ev.Code), Message: ev.ErrorMessage}
	}
	if ue := errorBody(ev.Code, ev.Message); ue != nil && ev.Text == nil && ev.FinishReason == "" && len(ev.ToolCalls) == 0 {
		return nil, ue
	}

	terminal := ev.FinishReason != ""
	if s.g.finishSeen && !terminal && ev.Usage != nil && ev.Text == nil && len(ev.ToolCalls) == 0 {
		return s.g.apply(&streamEvent{Index: -1, Usage: ev.Usage}), nil // late usage event
	}
	var d streamDelta
	if ev.Text != nil {
		t := *ev.Text
		if terminal { // the full text again: only what extends the streamed text
			if done := s.text.String(); strings.HasPrefix(t, done) {
				t = t[len(done):]
			} else {
				t = ""
			}
		}
		if t != "" && !s.g.finishSeen {
			s.text.WriteString(t)
			d.Content = []streamPart{{Text: t}}
		}
	}
	for k := range ev.ToolCalls {
		tc := &ev.ToolCalls[k]
		args := compactArgs(tc.Parameters)
		key := tc.Name + "\x00" + canonicalJSON(args)
		if terminal && s.emitted[key] > 0 {
			s.emitted[key]-- // restated on the terminal event
			continue
		}
		if s.g.finishSeen || (tc.Name == "" && isNull(tc.Parameters)) {
			continue
		}
		if s.emitted == nil {
			s.emitted = map[string]int{}
		}
		if !terminal {
			s.emitted[key]++
		}
		d.ToolCalls = append(d.ToolCalls, OCIToolCall{Type: "FUNCTION", ID: cohereCallID(s.calls, tc.Name, args), Name: tc.Name, Arguments: args})
		s.calls++
	}
	ge := streamEvent{Index: -1, FinishReason: ev.FinishReason, Usage: ev.Usage}
	if len(d.Content) > 0 || len(d.ToolCalls) > 0 {
		ge.Message = &d
	}
	if ge.Message == nil && !terminal && ge.Usage == nil {
		return nil, nil
	}
	return s.g.splitCalls(s.g.apply(&ge)), nil
}

// Finished reports that the terminal event has arrived.
func (s *CohereStream) Finished() bool { return s.g.finishSeen }

// FinishSeen reports whether the terminal event has arrived.
func (s *CohereStream) FinishSeen() bool { return s.g.finishSeen }

// Close ends the stream like GenericStream.Close: a finish chunk if the
// terminal event never came, then the usage chunk when requested.
func (s *CohereStream) Close() []hub.ChatChunk { return s.g.splitCalls(s.g.Close()) }

// splitCalls gives every tool call its own chunk (Cohere sends several
// whole calls in one event; OpenAI streams one call per chunk).
func (s *GenericStream) splitCalls(in []hub.ChatChunk) []hub.ChatChunk {
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

// rawString is a JSON string's value, or the raw JSON of another value.
func rawString(raw json.RawMessage) string {
	if isNull(raw) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(raw))
}
