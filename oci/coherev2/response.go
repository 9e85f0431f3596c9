package coherev2

import (
	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

var emptyContent = "" // backs content "" without an allocation; never written through

// Completion converts the JSON of a whole COHEREV2 answer to a hub completion: TEXT parts are the content, THINKING
// parts (else toolPlan) the reasoning_content, tool calls keep their ids (stable ids are synthesized when
// missing). finish_reason: COMPLETE and STOP_SEQUENCE → stop, MAX_TOKENS → length, TOOL_CALL → tool_calls, ERROR
// → stop; "tool_calls" whenever there are calls. An OCI error body gives a *core.UpstreamError; undecodable JSON
// another error.
func Completion(data []byte, id, model string, created int64) (*hub.ChatCompletion, error) {
	r, c, err := core.DecodeChatResult[response](data, "COHEREV2", id, model, created)
	if err != nil {
		return nil, err
	}
	ch := &c.Choices[0]
	ch.FinishReason, ch.NativeFinishReason = core.FinishReason(r.FinishReason), r.FinishReason
	c.Usage = r.Usage.Hub()
	m := r.Message
	if m == nil {
		ch.Message.Content = &emptyContent
		return c, nil
	}
	text, thinking := m.texts()
	ch.Message.ReasoningContent = thinking
	if ch.Message.ReasoningContent == "" {
		ch.Message.ReasoningContent = m.ToolPlan // UNCONFIRMED: toolPlan as reasoning
	}
	if len(m.ToolCalls) > 0 {
		ch.Message.ToolCalls = make([]hub.ToolCall, 0, len(m.ToolCalls))
		for k := range m.ToolCalls {
			tc := &m.ToolCalls[k]
			name, args := tc.flat()
			if name == "" && args == "" {
				continue
			}
			if args == "" {
				args = "{}"
			}
			cid := tc.ID
			if cid == "" {
				cid = core.CohereCallID(k, name, args)
			}
			ch.Message.ToolCalls = append(ch.Message.ToolCalls, hub.ToolCall{ID: cid, Type: hub.TypeFunction, Function: hub.FunctionCall{Name: name, Arguments: args}})
		}
		if len(ch.Message.ToolCalls) > 0 {
			ch.FinishReason = core.WithToolCalls(ch.FinishReason)
		}
	}
	if text != "" || len(ch.Message.ToolCalls) == 0 {
		ch.Message.Content = &text
	}
	return c, nil
}
