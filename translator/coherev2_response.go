package translator

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// cohereV2Response is the chatResponse of a COHEREV2 answer (SDK
// cohere_chat_response_v2.go, cohere_assistant_message_v2.go).
type cohereV2Response struct {
	APIFormat    string       `json:"apiFormat"`
	ID           string       `json:"id"`
	Message      *cohereV2Out `json:"message"`
	FinishReason string       `json:"finishReason"`
	Usage        *OCIUsage    `json:"usage"`
	ErrorMessage string       `json:"errorMessage"`
}

// cohereV2Out is an assistant V2 message (response and stream delta).
type cohereV2Out struct {
	Content   []cohereV2Part     `json:"content"`
	ToolPlan  string             `json:"toolPlan"`
	ToolCalls []cohereV2CallWire `json:"toolCalls"`
}

// texts joins the message's TEXT parts (untyped parts count as TEXT) and, apart, its THINKING parts.
func (m *cohereV2Out) texts() (text, thinking string) {
	var tb, th strings.Builder
	for _, p := range m.Content {
		switch p.Type {
		case "TEXT", "":
			tb.WriteString(p.Text)
		case "THINKING":
			th.WriteString(p.Thinking)
		}
	}
	return tb.String(), th.String()
}

// cohereV2Part is a content part; only TEXT and THINKING are read.
type cohereV2Part struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Thinking string `json:"thinking"`
}

// cohereV2CallWire is a V2 tool call. arguments is read as a JSON string
// or, tolerated, an object.
type cohereV2CallWire struct {
	ID       string          `json:"id"`
	Function *cohereV2FnWire `json:"function"`
	Name     string          `json:"name"`      // tolerated flat shape
	Args     json.RawMessage `json:"arguments"` // tolerated flat shape
}

type cohereV2FnWire struct {
	Name      string          `json:"name"`
	Arguments json.RawMessage `json:"arguments"`
}

// flat returns the call's name and arguments string ("" when absent).
func (c *cohereV2CallWire) flat() (name, args string) {
	name, raw := c.Name, c.Args
	if f := c.Function; f != nil {
		if f.Name != "" {
			name = f.Name
		}
		if !isNull(f.Arguments) {
			raw = f.Arguments
		}
	}
	raw = bytes.TrimSpace(raw)
	switch {
	case isNull(raw):
		return name, ""
	case raw[0] == '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return name, s
		}
		return name, ""
	}
	return name, compactJSON(raw)
}

// CompletionFromCohereV2 converts the JSON body of a non-streaming COHEREV2
// answer to an OpenAI chat.completion: TEXT parts are the content, THINKING
// parts (else toolPlan) the reasoning_content, tool calls keep their ids
// (stable ids are synthesized when missing). finish_reason: COMPLETE and
// STOP_SEQUENCE → stop, MAX_TOKENS → length, TOOL_CALL → tool_calls,
// ERROR → stop; "tool_calls" whenever there are calls. An OCI error body
// gives an *UpstreamError; undecodable JSON another error.
func CompletionFromCohereV2(data []byte, id, model string, created int64) (*hub.ChatCompletion, error) {
	r, c, err := decodeChatResult[cohereV2Response](data, "COHEREV2", id, model, created)
	if err != nil {
		return nil, err
	}
	ch := &c.Choices[0]
	ch.FinishReason = FinishReason(r.FinishReason)
	c.Usage = openAIUsage(r.Usage)
	m := r.Message
	if m == nil {
		ch.Message.Content = &emptyText
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
				cid = cohereCallID(k, name, args)
			}
			ch.Message.ToolCalls = append(ch.Message.ToolCalls, hub.ToolCall{ID: cid, Type: hub.TypeFunction, Function: hub.FunctionCall{Name: name, Arguments: args}})
		}
		if len(ch.Message.ToolCalls) > 0 && ch.FinishReason == "stop" {
			ch.FinishReason = "tool_calls"
		}
	}
	if text != "" || len(ch.Message.ToolCalls) == 0 {
		ch.Message.Content = &text
	}
	return c, nil
}

func (r *cohereV2Response) apiFormat() string { return r.APIFormat }
