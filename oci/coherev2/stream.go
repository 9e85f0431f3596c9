package coherev2

import (
	"bytes"
	"fmt"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// Stream turns COHEREV2 SSE events into hub chunks (core.Stream):
//
//	{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi"}]}}
//	{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"THINKING","thinking":"…"}]}}
//	{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","toolCalls":[{"id","type":"FUNCTION","function":{"name","arguments"}}]}}
//	{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT"},"finishReason":"COMPLETE","usage":{…}}
//
// TEXT parts become content deltas, THINKING parts (and toolPlan) reasoning deltas. Tool calls are handled like
// GENERIC ones: an element with a new id starts a call, an id-less element continues the current one, so whole
// calls and argument fragments both work (UNCONFIRMED which OCI sends). Usage is read from the finish event or a
// later usage event (UNCONFIRMED); Finished reports true after the finish event once usage arrived, or right away
// when usage was not asked for. The finish event reportedly has no content; should it repeat the streamed text or
// calls, the repetition is dropped.
type Stream struct {
	core.CohereStream
	calls     map[string]struct{} // tool-call ids seen
	ev        streamEvent         // decode target, reused with its raw message's array
	msg       answer              // ev's message, reused with its slices
	reasoning string              // the last event's reasoning, which its Event points to
}

// NewStream starts reading one COHEREV2 answer. id, model and created are stamped on every chunk; includeUsage
// says whether OCI was asked for usage.
func NewStream(id, model string, created int64, includeUsage bool) *Stream {
	return &Stream{CohereStream: core.NewCohereStream(id, model, created, includeUsage)}
}

// Event translates one COHEREV2 event (the JSON after "data: ") into 0..n chunks. "[DONE]" and blank payloads
// yield nothing. The error is a *core.UpstreamError when OCI sent an error, else non-nil only for undecodable JSON.
func (s *Stream) Event(data []byte) ([]hub.ChatChunk, error) {
	data, ok := s.Payload(data)
	if !ok {
		return nil, nil
	}
	msg, err := s.decode(data)
	if err != nil {
		return nil, err
	}
	ev := &s.ev
	finishing := ev.FinishReason != ""
	out := core.Event{Index: -1, FinishReason: ev.FinishReason, Usage: ev.Usage}
	t, thinking := msg.texts()
	if finishing && s.Sent() {
		if rest, ok := s.Extends(t); ok {
			t = rest // the finish event repeats the text
		}
	}
	out.Text = s.Text(t)
	if s.reasoning = thinking + msg.ToolPlan; s.reasoning != "" {
		out.Reasoning = &s.reasoning
	}
	out.ToolCalls = s.toolCalls(msg.ToolCalls, finishing)
	out.Message = out.Text != nil || out.Reasoning != nil || len(out.ToolCalls) > 0
	return s.Emit(&out), nil
}

// decode decodes one event into s.ev and its message into s.msg, or reports the error OCI sent instead. Both keep
// their arrays from event to event (a raw message up to keepMessage bytes), so that a text delta allocates little
// more than its text.
func (s *Stream) decode(data []byte) (*answer, error) {
	ev := &s.ev
	raw := ev.Message[:0]
	if cap(raw) > keepMessage {
		raw = nil
	}
	*ev = streamEvent{Message: raw}
	msg := s.msg.reset()
	err := core.DecodeEvent(data, ev)
	if err == nil && !core.IsNull(ev.Message) {
		if m := bytes.TrimSpace(ev.Message); m[0] == '"' {
			if ue := core.ErrorBody(ev.Code, ev.Message); ue != nil {
				return nil, ue
			}
		}
		err = core.DecodeEvent(ev.Message, msg)
	}
	if err != nil {
		if ue := core.ErrorEvent(data); ue != nil {
			return nil, ue
		}
		return nil, fmt.Errorf("undecodable OCI COHEREV2 stream event: %w", err)
	}
	if ue := core.ErrorMessage(ev.Code, ev.ErrorMessage); ue != nil {
		return nil, ue
	}
	if !core.IsNull(ev.Code) && core.IsNull(ev.Message) && ev.FinishReason == "" && ev.Usage == nil {
		return nil, &core.UpstreamError{Code: core.RawString(ev.Code)}
	}
	return msg, nil
}

// keepMessage bounds the raw message a stream keeps for the next event: a long one (a whole answer) must not stay.
const keepMessage = 4 << 10

// toolCalls converts an event's calls, skipping on the finish event those streamed before.
func (s *Stream) toolCalls(calls []answerCall, finishing bool) []core.ToolCallPart {
	var out []core.ToolCallPart
	for k := range calls {
		tc := &calls[k]
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
		out = append(out, core.ToolCallPart{ID: tc.ID, Name: name, Arguments: args})
	}
	return out
}
