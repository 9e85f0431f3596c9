package anthropic

import (
	"bytes"
	"encoding/json"

	"github.com/ociai/ociai-proxy/hub"
)

// Request is the body of POST /v1/messages; count_tokens takes the same minus max_tokens and stream.
// Fields not listed are accepted and ignored on purpose: metadata (user_id is Anthropic's abuse tracking),
// cache_control, context_management, service_tier, speed, inference_geo, container, diagnostics and the
// like change nothing OCI can do.
type Request struct {
	Model         string         `json:"model"`
	MaxTokens     *int           `json:"max_tokens"`
	Messages      []InputMessage `json:"messages"`
	System        Content        `json:"system"` // a string or text blocks
	Stream        bool           `json:"stream"`
	StopSequences []string       `json:"stop_sequences"`
	Temperature   *float64       `json:"temperature"`
	TopP          *float64       `json:"top_p"`
	TopK          *int           `json:"top_k"`
	Tools         []Tool         `json:"tools"`
	ToolChoice    *ToolChoice    `json:"tool_choice"`
	Thinking      *Thinking      `json:"thinking"`
	OutputConfig  *OutputConfig  `json:"output_config"`
	OutputFormat  *OutputFormat  `json:"output_format"` // the beta spelling of output_config.format
	MCPServers    []any          `json:"mcp_servers"`   // servers Anthropic would connect to: refused
}

// InputMessage is one entry of messages: role user, assistant or system.
type InputMessage struct {
	Role    string  `json:"role"`
	Content Content `json:"content"`
}

// Content is a string (Text) or an array of blocks (Blocks, which wins when non-nil).
type Content struct {
	Text   string
	Blocks []Block
}

// Block is a content block, flattened: Type says which fields are set.
type Block struct {
	Type string `json:"type"`
	Text string `json:"text,omitempty"` // text

	Source  *Source `json:"source,omitempty"`  // image, document
	Title   string  `json:"title,omitempty"`   // document, search_result
	Context string  `json:"context,omitempty"` // document

	ID    string          `json:"id,omitempty"`    // tool_use
	Name  string          `json:"name,omitempty"`  // tool_use
	Input json.RawMessage `json:"input,omitempty"` // tool_use

	ToolUseID string   `json:"tool_use_id,omitempty"` // tool_result
	Content   *Content `json:"content,omitempty"`     // tool_result, search_result
	IsError   bool     `json:"is_error,omitempty"`    // tool_result

	Thinking string `json:"thinking,omitempty"`  // thinking (its signature is ignored)
	ToolName string `json:"tool_name,omitempty"` // tool_reference
}

// Source is where an image or document comes from.
type Source struct {
	Type      string   `json:"type"` // base64 | url | text | content | file
	MediaType string   `json:"media_type,omitempty"`
	Data      string   `json:"data,omitempty"`
	URL       string   `json:"url,omitempty"`
	FileID    string   `json:"file_id,omitempty"`
	Content   *Content `json:"content,omitempty"` // type content
}

// Tool is a tool definition: a client tool (no type, or "custom") or one of Anthropic's server tools
// (web_search_20250305, bash_20250124…), which OCI cannot run.
type Tool struct {
	Type         string          `json:"type"`
	Name         string          `json:"name"`
	Description  string          `json:"description"`
	InputSchema  json.RawMessage `json:"input_schema"`
	DeferLoading bool            `json:"defer_loading"` // hidden until a tool_reference loads it
}

// ToolChoice is tool_choice: auto, any, none, or tool with a name.
type ToolChoice struct {
	Type                   string `json:"type"`
	Name                   string `json:"name"`
	DisableParallelToolUse bool   `json:"disable_parallel_tool_use"`
}

// Thinking is the thinking configuration: enabled (with budget_tokens), adaptive, or disabled; display
// "omitted" asks for no thinking text.
type Thinking struct {
	Type         string `json:"type"`
	BudgetTokens int    `json:"budget_tokens"`
	Display      string `json:"display"`
}

// OutputConfig is output_config: the effort level and a structured-output format.
type OutputConfig struct {
	Effort string        `json:"effort"` // low | medium | high | xhigh | max
	Format *OutputFormat `json:"format"`
}

// OutputFormat asks for JSON output following Schema.
type OutputFormat struct {
	Type   string          `json:"type"` // json_schema
	Schema json.RawMessage `json:"schema"`
}

// UnmarshalJSON accepts a string, an array of blocks or null.
func (c *Content) UnmarshalJSON(b []byte) error {
	_, err := hub.DecodeTextOrList(b, &c.Text, &c.Blocks, "content blocks")
	return err
}

// UnmarshalJSON takes a source object, or the plain string a search_result names its source with (kept
// as URL).
func (s *Source) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimLeft(b, " \t\r\n"); len(b) > 0 && b[0] == '"' {
		*s = Source{}
		return json.Unmarshal(b, &s.URL)
	}
	type plain Source
	return json.Unmarshal(b, (*plain)(s))
}

// MarshalJSON writes the array form when Blocks is set, else the string.
func (c Content) MarshalJSON() ([]byte, error) {
	if c.Blocks != nil {
		return json.Marshal(c.Blocks)
	}
	return json.Marshal(c.Text)
}
