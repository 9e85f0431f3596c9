package hub

import "encoding/json"

// ChatRequest is a chat request: the body of POST /v1/chat/completions as real clients send it. Unknown fields
// are ignored by encoding/json; fields OpenAI defines but OCI cannot take are still decoded, so that the OCI
// formats can report them as dropped.
type ChatRequest struct {
	Model               string          `json:"model"`
	Messages            []Message       `json:"messages"`
	Stream              bool            `json:"stream,omitempty"`
	StreamOptions       *StreamOptions  `json:"stream_options,omitempty"`
	MaxTokens           *int            `json:"max_tokens,omitempty"`
	MaxCompletionTokens *int            `json:"max_completion_tokens,omitempty"`
	Temperature         *float64        `json:"temperature,omitempty"`
	TopP                *float64        `json:"top_p,omitempty"`
	FrequencyPenalty    *float64        `json:"frequency_penalty,omitempty"`
	PresencePenalty     *float64        `json:"presence_penalty,omitempty"`
	Stop                StringList      `json:"stop,omitempty"` // string or []string
	Seed                *int64          `json:"seed,omitempty"`
	N                   *int            `json:"n,omitempty"`
	ResponseFormat      *ResponseFormat `json:"response_format,omitempty"`
	ReasoningEffort     string          `json:"reasoning_effort,omitempty"`
	Tools               []Tool          `json:"tools,omitempty"`
	ToolChoice          *ToolChoice     `json:"tool_choice,omitempty"` // "none"|"auto"|"required"|{"type":"function",…}|{"type":"allowed_tools",…}
	ParallelToolCalls   *bool           `json:"parallel_tool_calls,omitempty"`
	User                string          `json:"user,omitempty"`

	// Forwarded to OCI GENERIC.
	Logprobs         *bool             `json:"logprobs,omitempty"`
	TopLogprobs      *int              `json:"top_logprobs,omitempty"`
	LogitBias        RawObject         `json:"logit_bias,omitempty"`
	Metadata         RawObject         `json:"metadata,omitempty"`
	ServiceTier      string            `json:"service_tier,omitempty"`
	Verbosity        string            `json:"verbosity,omitempty"`
	Prediction       *Prediction       `json:"prediction,omitempty"`
	WebSearchOptions *WebSearchOptions `json:"web_search_options,omitempty"`
	TopK             *int              `json:"top_k,omitempty"` // not OpenAI; vLLM-style extension, GENERIC has topK

	// Decoded only to be reported as dropped (OCI GENERIC has no equivalent).
	Store                *bool           `json:"store,omitempty"`
	Modalities           []string        `json:"modalities,omitempty"`
	Audio                RawObject       `json:"audio,omitempty"`
	Functions            RawArray        `json:"functions,omitempty"`
	FunctionCall         RawChoice       `json:"function_call,omitempty"`
	SafetyIdentifier     string          `json:"safety_identifier,omitempty"`
	PromptCacheKey       string          `json:"prompt_cache_key,omitempty"`
	PromptCacheRetention string          `json:"prompt_cache_retention,omitempty"`
	PromptCacheOptions   json.RawMessage `json:"prompt_cache_options,omitempty"` // any JSON: never read
	Moderation           json.RawMessage `json:"moderation,omitempty"`           // any JSON: never read

	// ReasoningEffortHint is an effort the client would like where the model has a reasoning-effort setting
	// (Anthropic's thinking budget and output_config.effort ask for one by default): unlike ReasoningEffort it is
	// only sent to models known to take one, and an unknown value is ignored. Not part of the wire format.
	ReasoningEffortHint string `json:"-"`
}

// StreamOptions is OpenAI's stream_options.
type StreamOptions struct {
	IncludeUsage       bool `json:"include_usage"`
	IncludeObfuscation bool `json:"include_obfuscation,omitempty"`
}

// Message is one entry of messages[]. Content is a string, an array of parts
// or null (assistant turns that only carry tool calls).
type Message struct {
	Role             string     `json:"role"`
	Content          Content    `json:"content"`
	Name             string     `json:"name,omitempty"`
	ToolCalls        []ToolCall `json:"tool_calls,omitempty"`
	ToolCallID       string     `json:"tool_call_id,omitempty"`
	ReasoningContent string     `json:"reasoning_content,omitempty"`
	Refusal          *string    `json:"refusal,omitempty"`
}

// Content is a message content: the string form (Text) or the array form
// (Parts, which wins when non-nil). The zero value is null/absent.
type Content struct {
	Text  string
	Parts []ContentPart
}

// ContentPart is one element of an array content.
type ContentPart struct {
	Type       string      `json:"type"` // text | image_url | input_audio | file | refusal | video_url (extension)
	Text       string      `json:"text,omitempty"`
	ImageURL   *MediaURL   `json:"image_url,omitempty"`
	InputAudio *InputAudio `json:"input_audio,omitempty"`
	File       *FilePart   `json:"file,omitempty"`
	VideoURL   *MediaURL   `json:"video_url,omitempty"`
	Refusal    string      `json:"refusal,omitempty"`
}

// MediaURL is OpenAI's {url, detail} (image_url; also video_url).
type MediaURL struct {
	URL    string `json:"url"`
	Detail string `json:"detail,omitempty"`
}

// InputAudio is an input_audio part: base64 data plus format (wav, mp3).
type InputAudio struct {
	Data   string `json:"data"`
	Format string `json:"format"`
}

// FilePart is a file part; only inline file_data can be forwarded.
type FilePart struct {
	FileData string `json:"file_data,omitempty"`
	FileID   string `json:"file_id,omitempty"`
	Filename string `json:"filename,omitempty"`
}

// ToolCall is an assistant tool call (request history and non-streaming
// responses). Streaming uses ToolCallDelta, whose fields are optional.
type ToolCall struct {
	Index    *int         `json:"index,omitempty"`
	ID       string       `json:"id,omitempty"`
	Type     string       `json:"type,omitempty"`
	Function FunctionCall `json:"function"`
}

// FunctionCall is the function of a ToolCall; arguments is a JSON string.
type FunctionCall struct {
	Name      string `json:"name,omitempty"`
	Arguments string `json:"arguments"`
}

// Tool is an entry of tools[].
type Tool struct {
	Type     string      `json:"type"`
	Function FunctionDef `json:"function"`
}

// FunctionDef describes a callable function.
type FunctionDef struct {
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Parameters  RawObject `json:"parameters,omitempty"`
	Strict      *bool     `json:"strict,omitempty"`
}

// ToolChoice is tool_choice: a Mode string ("none"|"auto"|"required") or an
// object with Type "function" (Function) or "allowed_tools" (AllowedTools).
type ToolChoice struct {
	Mode         string              `json:"-"`
	Type         string              `json:"type,omitempty"`
	Function     *ToolChoiceFunction `json:"function,omitempty"`
	AllowedTools *AllowedTools       `json:"allowed_tools,omitempty"`
}

// ToolChoiceFunction names the function a tool_choice forces.
type ToolChoiceFunction struct {
	Name string `json:"name"`
}

// AllowedTools is the allowed_tools form of tool_choice.
type AllowedTools struct {
	Mode  string       `json:"mode"` // auto | required
	Tools []ToolChoice `json:"tools"`
}

// ResponseFormat is response_format: text, json_object or json_schema.
type ResponseFormat struct {
	Type       string      `json:"type"`
	JSONSchema *JSONSchema `json:"json_schema,omitempty"`
}

// JSONSchema is response_format.json_schema.
type JSONSchema struct {
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Schema      RawObject `json:"schema,omitempty"`
	Strict      *bool     `json:"strict,omitempty"`
}

// Prediction is OpenAI's predicted output: {type:"content", content}.
type Prediction struct {
	Type    string  `json:"type"`
	Content Content `json:"content"`
}

// WebSearchOptions is OpenAI's web_search_options.
type WebSearchOptions struct {
	SearchContextSize string        `json:"search_context_size,omitempty"`
	UserLocation      *UserLocation `json:"user_location,omitempty"`
}

// UserLocation is web_search_options.user_location.
type UserLocation struct {
	Type        string              `json:"type,omitempty"`
	Approximate ApproximateLocation `json:"approximate"`
}

// ApproximateLocation is user_location.approximate.
type ApproximateLocation struct {
	City     string `json:"city,omitempty"`
	Country  string `json:"country,omitempty"`
	Region   string `json:"region,omitempty"`
	Timezone string `json:"timezone,omitempty"`
}

// StringList decodes a JSON string or array of strings (stop).
type StringList []string
