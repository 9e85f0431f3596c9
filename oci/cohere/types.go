package cohere

import (
	"encoding/json"

	"github.com/ociai/ociai-proxy/oci/core"
)

// COHERE (Cohere V1 style) wire types, for cohere.command-r* and the non-vision cohere.command-a* models. Field
// names follow the SDK (generativeaiinference/cohere_chat_request.go, cohere_message.go, …).

// ChatRequest is chatRequest with apiFormat COHERE.
type ChatRequest struct {
	APIFormat        string       `json:"apiFormat"` // COHERE
	Message          string       `json:"message"`   // mandatory; "" when toolResults carry the turn
	ChatHistory      []Message    `json:"chatHistory,omitempty"`
	PreambleOverride string       `json:"preambleOverride,omitempty"`
	Tools            []Tool       `json:"tools,omitempty"`
	ToolResults      []ToolResult `json:"toolResults,omitempty"`
	core.CohereParams
}

// Message is a chatHistory entry: USER and SYSTEM carry message, CHATBOT message and/or toolCalls, TOOL
// toolResults.
type Message struct {
	Role        string       `json:"role"`
	Message     *string      `json:"message,omitempty"`
	ToolCalls   []ToolCall   `json:"toolCalls,omitempty"`
	ToolResults []ToolResult `json:"toolResults,omitempty"`
}

// ToolCall is a Cohere tool call: no id, parameters is a JSON object.
type ToolCall struct {
	Name       string          `json:"name"`
	Parameters json.RawMessage `json:"parameters"`
}

// ToolResult pairs a call with its outputs (a list of JSON objects).
type ToolResult struct {
	Call    ToolCall          `json:"call"`
	Outputs []json.RawMessage `json:"outputs"`
}

// Tool is a Cohere V1 tool: flat parameter definitions with Python type names instead of a JSON schema.
// description is mandatory.
type Tool struct {
	Name                 string                         `json:"name"`
	Description          string                         `json:"description"`
	ParameterDefinitions map[string]ParameterDefinition `json:"parameterDefinitions,omitempty"`
}

// ParameterDefinition describes one tool parameter.
type ParameterDefinition struct {
	Type        string `json:"type"` // str, int, float, bool, list, List[str], dict …
	Description string `json:"description,omitempty"`
	IsRequired  bool   `json:"isRequired"`
}

// response is the chatResponse of a COHERE answer (SDK cohere_chat_response.go); only what the translation needs
// is decoded.
type response struct {
	Format       string      `json:"apiFormat"`
	Text         string      `json:"text"`
	FinishReason string      `json:"finishReason"`
	ToolCalls    []ToolCall  `json:"toolCalls"`
	Usage        *core.Usage `json:"usage"`
	ErrorMessage string      `json:"errorMessage"`
}

func (r *response) APIFormat() string { return r.Format }

// streamEvent is one COHERE stream event; Message and Code catch an OCI error body ({"code","message"}) sent
// in-band.
type streamEvent struct {
	Text         *string         `json:"text"`
	ToolCalls    []ToolCall      `json:"toolCalls"`
	FinishReason string          `json:"finishReason"`
	Usage        *core.Usage     `json:"usage"`
	ErrorMessage string          `json:"errorMessage"`
	Code         json.RawMessage `json:"code"`
	Message      json.RawMessage `json:"message"`
}
