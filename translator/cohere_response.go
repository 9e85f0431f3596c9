package translator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// cohereResult is the ChatResult of a COHERE request (SDK
// cohere_chat_response.go); only what the translation needs is decoded.
type cohereResult struct {
	ModelID      string          `json:"modelId"`
	ChatResponse *cohereResponse `json:"chatResponse"`
	Code         json.RawMessage `json:"code"`    // error body
	Message      json.RawMessage `json:"message"` // error body
}

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
func CompletionFromCohere(data []byte, id, model string, created int64) (*ChatCompletion, error) {
	var res cohereResult
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("translator: undecodable OCI COHERE response: %w", err)
	}
	r := res.ChatResponse
	if r == nil {
		if ue := errorBody(res.Code, res.Message); ue != nil {
			return nil, ue
		}
		return nil, errors.New("translator: OCI COHERE response without chatResponse")
	}
	if r.APIFormat != "" && r.APIFormat != "COHERE" {
		return nil, fmt.Errorf("translator: expected a COHERE chatResponse, got apiFormat %q", r.APIFormat)
	}
	if model == "" {
		model = res.ModelID
	}
	c := &ChatCompletion{ID: id, Object: objectCompletion, Created: created, Model: model, Choices: make([]Choice, 1)}
	ch := &c.Choices[0]
	ch.Message.Role = roleAssistant
	ch.FinishReason = FinishReason(r.FinishReason)
	if len(r.ToolCalls) > 0 {
		ch.Message.ToolCalls = make([]ToolCall, len(r.ToolCalls))
		for k := range r.ToolCalls {
			tc := &r.ToolCalls[k]
			args := compactArgs(tc.Parameters)
			ch.Message.ToolCalls[k] = ToolCall{ID: cohereCallID(k, tc.Name, args), Type: typeFunction,
				Function: FunctionCall{Name: tc.Name, Arguments: args}}
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
