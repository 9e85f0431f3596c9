package responses

import (
	"encoding/json"

	"github.com/ociai/ociai-proxy/hub"
)

// Request is the body of POST /v1/responses (and, with fewer fields, of POST /v1/responses/compact). Fields the
// gateway accepts but does not use are decoded only where their type matters to the client (echoed back) or to
// the stateless rules; encoding/json skips the rest.
type Request struct {
	Model           string          `json:"model"`
	Input           Input           `json:"input"`
	Instructions    *string         `json:"instructions"`
	Stream          bool            `json:"stream"`
	MaxOutputTokens *int            `json:"max_output_tokens"`
	Temperature     *float64        `json:"temperature"`
	TopP            *float64        `json:"top_p"`
	Tools           ToolList        `json:"tools"`
	ToolChoice      json.RawMessage `json:"tool_choice"`
	ParallelTools   *bool           `json:"parallel_tool_calls"`
	Reasoning       *Reasoning      `json:"reasoning"`
	Text            *TextConfig     `json:"text"`
	Metadata        hub.RawObject   `json:"metadata"`
	User            string          `json:"user"`

	// Stateless rules: these need a server-side store, which the gateway does not keep.
	PreviousResponseID string          `json:"previous_response_id"`
	Conversation       json.RawMessage `json:"conversation"`
	Background         bool            `json:"background"`
	Prompt             json.RawMessage `json:"prompt"`

	// Accepted and ignored: store (nothing is stored; responses say store:false), include (reasoning is
	// returned as summary text), prompt_cache_key, client_metadata, truncation, service_tier,
	// safety_identifier, stream_options, top_logprobs, context_management.
}

// Input is `input`: a string (one user message) or a list of items.
type Input struct {
	Text  string
	Items []Item
	IsSet bool // false when input is absent or null
}

// Item is one input item. The Responses API has many item types; they share few fields, so one flat struct
// decodes them all and Type says which fields matter.
type Item struct {
	Type    string  `json:"type"` // "" with a role means message
	ID      string  `json:"id"`
	Role    string  `json:"role"`    // message
	Content Content `json:"content"` // message: string or parts; reasoning: reasoning_text parts

	CallID    string `json:"call_id"`   // function_call(_output), custom_tool_call(_output)
	Name      string `json:"name"`      // function_call, custom_tool_call
	Namespace string `json:"namespace"` // function_call, custom_tool_call
	Arguments string `json:"arguments"` // function_call
	Input     string `json:"input"`     // custom_tool_call
	Output    Output `json:"output"`    // function_call_output, custom_tool_call_output

	Summary          []TextPart `json:"summary"`           // reasoning
	EncryptedContent string     `json:"encrypted_content"` // reasoning, compaction
	Tools            []Tool     `json:"tools"`             // tool_search_output, additional_tools
}

// Content is a message content: a string or a list of parts.
type Content struct {
	Text  string
	Parts []Part
}

// Output is a tool output: a string or a list of parts.
type Output = Content

// Part is a content part: input_text, output_text, refusal, input_image, input_file (and reasoning_text). It
// also encodes the user messages echoed by POST /v1/responses/compact.
type Part struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Refusal  string `json:"refusal,omitempty"`
	ImageURL string `json:"image_url,omitempty"`
	FileID   string `json:"file_id,omitempty"`
	Detail   string `json:"detail,omitempty"`
	FileData string `json:"file_data,omitempty"`
	FileURL  string `json:"file_url,omitempty"`
	Filename string `json:"filename,omitempty"`
}

// TextPart is a summary_text (or reasoning_text) part.
type TextPart struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// ToolList is `tools`: the tools, and the JSON they came as (echoed in the response).
type ToolList struct {
	List []Tool
	Raw  json.RawMessage
}

// Tool is an entry of tools: function, custom, namespace, or a hosted tool (web_search, file_search, …).
type Tool struct {
	Type        string        `json:"type"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Parameters  hub.RawObject `json:"parameters"` // function
	Strict      *bool         `json:"strict"`     // function
	Format      *CustomFormat `json:"format"`     // custom
	Tools       []Tool        `json:"tools"`      // namespace
}

// CustomFormat is a custom tool's input format: {type:"text"} or {type:"grammar", syntax, definition}.
type CustomFormat struct {
	Type       string `json:"type"`
	Syntax     string `json:"syntax"`
	Definition string `json:"definition"`
}

// Reasoning is `reasoning`.
type Reasoning struct {
	Effort          string `json:"effort,omitempty"`
	Summary         string `json:"summary,omitempty"`
	GenerateSummary string `json:"generate_summary,omitempty"` // deprecated spelling of summary
}

// TextConfig is `text`.
type TextConfig struct {
	Format    *TextFormat `json:"format,omitempty"`
	Verbosity string      `json:"verbosity,omitempty"`
}

// TextFormat is `text.format`: text, json_object or json_schema{name, schema, strict, description}.
type TextFormat struct {
	Type        string        `json:"type"`
	Name        string        `json:"name,omitempty"`
	Description string        `json:"description,omitempty"`
	Schema      hub.RawObject `json:"schema,omitempty"`
	Strict      *bool         `json:"strict,omitempty"`
}
