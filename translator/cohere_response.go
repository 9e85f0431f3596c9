package translator

import (
	"bytes"
	"encoding/json"

	"github.com/ociai/ociai-proxy/hub"
)

// cohereResponse is the chatResponse of a COHERE answer (SDK
// cohere_chat_response.go); only what the translation needs is decoded.
type cohereResponse struct {
	APIFormat    string           `json:"apiFormat"`
	Text         string           `json:"text"`
	FinishReason string           `json:"finishReason"`
	ToolCalls    []cohereCallWire `json:"toolCalls"`
	Usage        *OCIUsage        `json:"usage"`
	ErrorMessage string           `json:"errorMessage"`
}

// cohereCallWire is a Cohere V1 tool call as OCI sends it.
type cohereCallWire struct {
	Name       string          `json:"name"`
	Parameters json.RawMessage `json:"parameters"`
}

// CompletionFromCohere converts the JSON body of a non-streaming COHERE
// answer (ChatResult) to an OpenAI chat.completion: text is the content,
// tool calls get stable synthesized ids (see cohereCallID) and arguments in
// compact JSON, and finish_reason is "tool_calls" whenever there are calls
// (Cohere reports COMPLETE). model falls back to OCI's modelId. An OCI
// error body gives an *UpstreamError; undecodable JSON another error.
func CompletionFromCohere(data []byte, id, model string, created int64) (*hub.ChatCompletion, error) {
	r, c, err := decodeChatResult[cohereResponse](data, "COHERE", id, model, created)
	if err != nil {
		return nil, err
	}
	ch := &c.Choices[0]
	ch.FinishReason = FinishReason(r.FinishReason)
	if len(r.ToolCalls) > 0 {
		ch.Message.ToolCalls = make([]hub.ToolCall, len(r.ToolCalls))
		for k := range r.ToolCalls {
			tc := &r.ToolCalls[k]
			args := compactArgs(tc.Parameters)
			ch.Message.ToolCalls[k] = hub.ToolCall{ID: cohereCallID(k, tc.Name, args), Type: hub.TypeFunction,
				Function: hub.FunctionCall{Name: tc.Name, Arguments: args}}
		}
		if ch.FinishReason == "stop" {
			ch.FinishReason = "tool_calls"
		}
	}
	if r.Text != "" || len(r.ToolCalls) == 0 {
		ch.Message.Content = &r.Text
	}
	c.Usage = openAIUsage(r.Usage)
	return c, nil
}

// errorBody recognises an OCI error object {"code","message"}.
func errorBody(code, message json.RawMessage) *UpstreamError {
	var msg string
	if isNull(message) || json.Unmarshal(message, &msg) != nil {
		return nil
	}
	ue := &UpstreamError{Message: msg}
	if c := bytes.TrimSpace(code); !isNull(c) {
		var s string
		if json.Unmarshal(c, &s) == nil {
			ue.Code = s
		} else {
			ue.Code = string(c)
		}
	}
	return ue
}

func (r *cohereResponse) apiFormat() string { return r.APIFormat }
