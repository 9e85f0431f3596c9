package coherev2

import (
	"bytes"
	"encoding/json"

	"github.com/ociai/ociai-proxy/oci/core"
)

// COHEREV2 wire types (SDK cohere_chat_request_v2.go, cohere_*_message_v2.go, cohere_content_v2.go,
// cohere_image_url_v2.go, cohere_tool_v2.go, cohere_tool_call_v2.go, cohere_thinking_v2.go,
// cohere_chat_response_v2.go, cohere_assistant_message_v2.go).

// ChatRequest is chatRequest with apiFormat COHEREV2.
type ChatRequest struct {
	APIFormat            string    `json:"apiFormat"` // COHEREV2
	Messages             []Message `json:"messages"`
	Tools                []Tool    `json:"tools,omitempty"`
	ToolsChoice          string    `json:"toolsChoice,omitempty"` // REQUIRED | NONE
	IsStrictToolsEnabled *bool     `json:"isStrictToolsEnabled,omitempty"`
	Thinking             *Thinking `json:"thinking,omitempty"`
	core.CohereParams
}

// Message is a V2 message; role is USER, ASSISTANT, SYSTEM or TOOL. content is mandatory for every role in the
// SDK, so it is never omitted.
type Message struct {
	Role       string     `json:"role"`
	Content    []Content  `json:"content"`
	ToolCalls  []ToolCall `json:"toolCalls,omitempty"`  // ASSISTANT
	ToolPlan   string     `json:"toolPlan,omitempty"`   // ASSISTANT
	ToolCallID string     `json:"toolCallId,omitempty"` // TOOL
}

// Content is a content part: TEXT, IMAGE_URL or (answers) THINKING.
type Content struct {
	Type     string         `json:"type"`
	Text     *string        `json:"text,omitempty"`
	ImageURL *core.MediaURL `json:"imageUrl,omitempty"`
	Thinking *string        `json:"thinking,omitempty"`
}

// ToolCall is a V2 tool call; unlike GENERIC the function is nested.
type ToolCall struct {
	ID       string       `json:"id,omitempty"`
	Type     string       `json:"type"` // FUNCTION
	Function FunctionCall `json:"function"`
}

// FunctionCall is the function of a ToolCall. UNCONFIRMED: the SDK types function as a free-form object; name and
// arguments (a JSON string) follow Cohere's own V2 API and the simulator.
type FunctionCall struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// Tool is a V2 tool: a JSON-schema function (SDK Function).
type Tool struct {
	Type     string   `json:"type"` // FUNCTION
	Function Function `json:"function"`
}

// Function is SDK Function: name, description, parameters.
type Function struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters"`
}

// Thinking switches reasoning of Command A reasoning models.
type Thinking struct {
	Type        string `json:"type"` // ENABLED | DISABLED
	TokenBudget *int   `json:"tokenBudget,omitempty"`
}

// response is the chatResponse of a COHEREV2 answer.
type response struct {
	Format       string      `json:"apiFormat"`
	ID           string      `json:"id"`
	Message      *answer     `json:"message"`
	FinishReason string      `json:"finishReason"`
	Usage        *core.Usage `json:"usage"`
	ErrorMessage string      `json:"errorMessage"`
}

func (r *response) APIFormat() string { return r.Format }

// answer is an assistant V2 message (whole answer and stream delta).
type answer struct {
	Content   []answerPart `json:"content"`
	ToolPlan  string       `json:"toolPlan"`
	ToolCalls []answerCall `json:"toolCalls"`
}

// texts joins the message's TEXT parts (untyped parts count as TEXT) and, apart, its THINKING parts. A single
// part's text is returned as it is.
func (m *answer) texts() (text, thinking string) {
	for _, p := range m.Content {
		switch p.Type {
		case "TEXT", "":
			text += p.Text
		case "THINKING":
			thinking += p.Thinking
		}
	}
	return text, thinking
}

// reset empties m for the next event, keeping the arrays of its slices.
func (m *answer) reset() *answer {
	*m = answer{Content: core.Reuse(m.Content), ToolCalls: core.Reuse(m.ToolCalls)}
	return m
}

// answerPart is a content part; only TEXT and THINKING are read.
type answerPart struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Thinking string `json:"thinking"`
}

// answerCall is a V2 tool call as OCI sends it. arguments is read as a JSON string or, tolerated, an object.
type answerCall struct {
	ID       string          `json:"id"`
	Function *answerFunction `json:"function"`
	Name     string          `json:"name"`      // tolerated flat shape
	Args     json.RawMessage `json:"arguments"` // tolerated flat shape
}

type answerFunction struct {
	Name      string          `json:"name"`
	Arguments json.RawMessage `json:"arguments"`
}

// flat returns the call's name and arguments string ("" when absent).
func (c *answerCall) flat() (name, args string) {
	name, raw := c.Name, c.Args
	if f := c.Function; f != nil {
		if f.Name != "" {
			name = f.Name
		}
		if !core.IsNull(f.Arguments) {
			raw = f.Arguments
		}
	}
	raw = bytes.TrimSpace(raw)
	switch {
	case core.IsNull(raw):
		return name, ""
	case raw[0] == '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return name, s
		}
		return name, ""
	}
	return name, core.CompactJSON(raw)
}

// streamEvent is one COHEREV2 stream event.
type streamEvent struct {
	Message      json.RawMessage `json:"message"` // object; a string in an error body
	FinishReason string          `json:"finishReason"`
	Usage        *core.Usage     `json:"usage"`
	ErrorMessage string          `json:"errorMessage"`
	Code         json.RawMessage `json:"code"`
}
