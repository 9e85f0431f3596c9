package translator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// CohereV2Stream turns COHEREV2 SSE events into OpenAI chunks:
//
//	{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi"}]}}
//	{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"THINKING","thinking":"…"}]}}
//	{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","toolCalls":[{"id","type":"FUNCTION","function":{"name","arguments"}}]}}
//	{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT"},"finishReason":"COMPLETE","usage":{…}}
//
// TEXT parts become content deltas, THINKING parts (and toolPlan) reasoning
// deltas. Tool calls are handled like GENERIC ones: an element with a new id
// starts a call, an id-less element continues the current one, so whole
// calls and argument fragments both work (UNCONFIRMED which OCI sends).
// Usage is read from the finish event or a later usage event
// (UNCONFIRMED); Finished reports true after the finish event once usage
// arrived, or right away when usage was not requested. The finish event
// reportedly has no content; should it repeat the streamed text or calls,
// the repetition is dropped.
//
// Use like GenericStream; not safe for concurrent use.
type CohereV2Stream struct {
	g     *GenericStream
	text  strings.Builder     // content emitted so far
	calls map[string]struct{} // tool-call ids seen
	ev    cohereV2Event
}

type cohereV2Event struct {
	Message      json.RawMessage `json:"message"` // object; a string in an error body
	FinishReason string          `json:"finishReason"`
	Usage        *OCIUsage       `json:"usage"`
	ErrorMessage string          `json:"errorMessage"`
	Code         json.RawMessage `json:"code"`
}

// NewCohereV2Stream starts a translator for one COHEREV2 response. id,
// model and created are stamped on every chunk; includeUsage is the
// client's stream_options.include_usage.
func NewCohereV2Stream(id, model string, created int64, includeUsage bool) *CohereV2Stream {
	return &CohereV2Stream{g: NewGenericStream(id, model, created, includeUsage)}
}

// Start returns the opening chunk: delta {role:"assistant", content:""}.
func (s *CohereV2Stream) Start() hub.ChatChunk { return s.g.Start() }

// Event translates one COHEREV2 event (the JSON after "data: ") into 0..n
// chunks. "[DONE]" and blank payloads yield nothing. The error is an
// *UpstreamError when OCI sent an error, else non-nil only for undecodable
// JSON.
func (s *CohereV2Stream) Event(data []byte) ([]hub.ChatChunk, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || string(data) == "[DONE]" || s.g.closed {
		return nil, nil
	}
	ev := &s.ev
	*ev = cohereV2Event{}
	var msg cohereV2Out
	err := json.Unmarshal(data, ev)
	if err == nil && !isNull(ev.Message) {
		if m := bytes.TrimSpace(ev.Message); m[0] == '"' {
			if ue := errorBody(ev.Code, ev.Message); ue != nil {
				return nil, ue
			}
		}
		err = json.Unmarshal(ev.Message, &msg)
	}
	if err != nil {
		if ue := upstreamError(data); ue != nil {
			return nil, ue
		}
		return nil, fmt.Errorf("undecodable OCI COHEREV2 stream event: %w", err)
	}
	if ev.ErrorMessage != "" {
		return nil, &UpstreamError{Code: rawString(ev.Code), Message: ev.ErrorMessage}
	}
	if !isNull(ev.Code) && isNull(ev.Message) && ev.FinishReason == "" && ev.Usage == nil {
		return nil, &UpstreamError{Code: rawString(ev.Code)}
	}

	finishing := ev.FinishReason != ""
	d := &streamDelta{}
	t, thinking := msg.texts()
	if t != "" {
		if done := s.text.String(); finishing && done != "" && strings.HasPrefix(t, done) {
			t = t[len(done):] // the finish event repeats the text
		}
		if t != "" && !s.g.finishSeen {
			s.text.WriteString(t)
			d.Content = []streamPart{{Text: t}}
		}
	}
	d.ReasoningContent = thinking + msg.ToolPlan
	for k := range msg.ToolCalls {
		tc := &msg.ToolCalls[k]
		name, args := tc.flat()
		if tc.ID != "" {
			if _, seen := s.calls[tc.ID]; seen && finishing {
				continue // restated on the finish event
			}
			if s.calls == nil {
				s.calls = map[string]struct{}{}
			}
			s.calls[tc.ID] = struct{}{}
		}
		d.ToolCalls = append(d.ToolCalls, OCIToolCall{Type: "FUNCTION", ID: tc.ID, Name: name, Arguments: args})
	}
	ge := streamEvent{Index: -1, FinishReason: ev.FinishReason, Usage: ev.Usage}
	if len(d.Content) > 0 || d.ReasoningContent != "" || len(d.ToolCalls) > 0 {
		ge.Message = d
	}
	if ge.Message == nil && !finishing && ge.Usage == nil {
		return nil, nil
	}
	return s.g.splitCalls(s.g.apply(&ge)), nil
}

// Finished reports that the finish event has arrived and, when usage was
// requested, usage too.
func (s *CohereV2Stream) Finished() bool { return s.g.Finished() }

// FinishSeen reports whether the finish event has arrived.
func (s *CohereV2Stream) FinishSeen() bool { return s.g.FinishSeen() }

// Close ends the stream like GenericStream.Close.
func (s *CohereV2Stream) Close() []hub.ChatChunk { return s.g.splitCalls(s.g.Close()) }
