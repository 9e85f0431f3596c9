package cohere

import (
	"bytes"
	"encoding/json"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// Completion converts the JSON of a whole COHERE answer (ChatResult) to a hub completion: text is the content,
// tool calls get stable synthesized ids (see core.CohereCallID) and arguments in compact JSON, and finish_reason is
// "tool_calls" whenever there are calls (Cohere reports COMPLETE). model falls back to OCI's modelId. An OCI error
// body gives a *core.UpstreamError; undecodable JSON another error.
func Completion(data []byte, id, model string, created int64) (*hub.ChatCompletion, error) {
	r, c, err := core.DecodeChatResult[response](data, "COHERE", id, model, created)
	if err != nil {
		return nil, err
	}
	ch := &c.Choices[0]
	ch.FinishReason, ch.NativeFinishReason = core.FinishReason(r.FinishReason), r.FinishReason
	if len(r.ToolCalls) > 0 {
		ch.Message.ToolCalls = make([]hub.ToolCall, len(r.ToolCalls))
		for k := range r.ToolCalls {
			tc := &r.ToolCalls[k]
			args := arguments(tc.Parameters)
			ch.Message.ToolCalls[k] = hub.ToolCall{ID: core.CohereCallID(k, tc.Name, args), Type: hub.TypeFunction,
				Function: hub.FunctionCall{Name: tc.Name, Arguments: args}}
		}
		ch.FinishReason = core.WithToolCalls(ch.FinishReason)
	}
	if r.Text != "" || len(r.ToolCalls) == 0 {
		ch.Message.Content = &r.Text
	}
	c.Usage = r.Usage.Hub()
	return c, nil
}

// arguments turns Cohere tool-call parameters (a JSON value, usually an object) into the hub's arguments string:
// compact JSON in the order OCI sent; "{}" when absent or null.
func arguments(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if core.IsNull(raw) {
		return "{}"
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return "{}"
	}
	return b.String()
}
