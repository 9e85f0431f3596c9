package responses

import "encoding/json"

// Response is the response object: the answer of POST /v1/responses, and what response.created,
// response.in_progress and the final stream event carry. Request settings are echoed as OpenAI does.
type Response struct {
	ID                 string          `json:"id"`
	Object             string          `json:"object"` // "response"
	CreatedAt          int64           `json:"created_at"`
	Status             string          `json:"status"` // in_progress, completed, incomplete, failed
	Error              *ErrorObject    `json:"error"`
	IncompleteDetails  *Incomplete     `json:"incomplete_details"`
	Instructions       *string         `json:"instructions"`
	MaxOutputTokens    *int            `json:"max_output_tokens"`
	Model              string          `json:"model"`
	Output             []any           `json:"output"` // MessageItem, ReasoningItem, FunctionCallItem, CustomToolCallItem, CompactionItem
	ParallelToolCalls  bool            `json:"parallel_tool_calls"`
	PreviousResponseID *string         `json:"previous_response_id"`
	Reasoning          Reasoning       `json:"reasoning"`
	Store              bool            `json:"store"`
	Temperature        *float64        `json:"temperature"`
	Text               TextConfig      `json:"text"`
	ToolChoice         json.RawMessage `json:"tool_choice"`
	Tools              json.RawMessage `json:"tools"`
	TopP               *float64        `json:"top_p"`
	Truncation         string          `json:"truncation"`
	Usage              *Usage          `json:"usage"`
	User               *string         `json:"user,omitempty"`
	Metadata           json.RawMessage `json:"metadata"`
}

// ErrorObject is response.error of a failed response.
type ErrorObject struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Incomplete is response.incomplete_details.
type Incomplete struct {
	Reason string `json:"reason"` // max_output_tokens or content_filter
}

// Usage is the response's token usage. input_tokens include cached ones, output_tokens reasoning ones.
type Usage struct {
	InputTokens         int                 `json:"input_tokens"`
	InputTokensDetails  InputTokensDetails  `json:"input_tokens_details"`
	OutputTokens        int                 `json:"output_tokens"`
	OutputTokensDetails OutputTokensDetails `json:"output_tokens_details"`
	TotalTokens         int                 `json:"total_tokens"`
}

// InputTokensDetails is usage.input_tokens_details.
type InputTokensDetails struct {
	CachedTokens int `json:"cached_tokens"`
}

// OutputTokensDetails is usage.output_tokens_details.
type OutputTokensDetails struct {
	ReasoningTokens int `json:"reasoning_tokens"`
}

// MessageItem is an assistant message of the output.
type MessageItem struct {
	ID      string `json:"id"`
	Type    string `json:"type"` // "message"
	Status  string `json:"status"`
	Role    string `json:"role"` // "assistant"
	Content []any  `json:"content"`
}

// OutputText is an output_text content part.
type OutputText struct {
	Type        string       `json:"type"` // "output_text"
	Text        string       `json:"text"`
	Annotations []Annotation `json:"annotations"`
	Logprobs    []struct{}   `json:"logprobs"`
}

// Refusal is a refusal content part.
type Refusal struct {
	Type    string `json:"type"` // "refusal"
	Refusal string `json:"refusal"`
}

// Annotation is a url_citation annotation of output text.
type Annotation struct {
	Type       string `json:"type"` // "url_citation"
	StartIndex int    `json:"start_index"`
	EndIndex   int    `json:"end_index"`
	Title      string `json:"title"`
	URL        string `json:"url"`
}

// ReasoningItem is the model's reasoning, as summary text.
type ReasoningItem struct {
	ID      string     `json:"id"`
	Type    string     `json:"type"` // "reasoning"
	Summary []TextPart `json:"summary"`
}

// FunctionCallItem is a call of a function tool; Namespace is set for a member of a namespace tool.
type FunctionCallItem struct {
	ID        string `json:"id"`
	Type      string `json:"type"` // "function_call"
	Status    string `json:"status"`
	CallID    string `json:"call_id"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// CustomToolCallItem is a call of a custom tool with its raw input.
type CustomToolCallItem struct {
	ID        string `json:"id"`
	Type      string `json:"type"` // "custom_tool_call"
	Status    string `json:"status"`
	CallID    string `json:"call_id"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name"`
	Input     string `json:"input"`
}

// CompactionItem holds a compacted conversation, sealed by the gateway.
type CompactionItem struct {
	ID               string `json:"id"`
	Type             string `json:"type"` // "compaction"
	EncryptedContent string `json:"encrypted_content"`
}

// Compacted is the answer of POST /v1/responses/compact: the input's user messages, then one compaction item.
type Compacted struct {
	ID        string `json:"id"`
	Object    string `json:"object"` // "response.compaction"
	CreatedAt int64  `json:"created_at"`
	Output    []any  `json:"output"`
	Usage     Usage  `json:"usage"`
}

// InputMessage is a user message echoed in Compacted.Output.
type InputMessage struct {
	ID      string `json:"id"`
	Type    string `json:"type"` // "message"
	Status  string `json:"status"`
	Role    string `json:"role"`
	Content []Part `json:"content"`
}
