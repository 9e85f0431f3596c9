package generic

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/ociai/ociai-proxy/oci/core"
)

// GENERIC wire types (API 20231130), hand-written because the SDK structs marshal explicit nulls while the SDK
// itself omits unset fields. Every optional field is omitempty.

// ChatRequest is chatRequest with apiFormat GENERIC.
type ChatRequest struct {
	APIFormat           string              `json:"apiFormat"` // GENERIC
	Messages            []Message           `json:"messages"`
	IsStream            bool                `json:"isStream,omitempty"`
	StreamOptions       *core.StreamOptions `json:"streamOptions,omitempty"`
	MaxTokens           *int                `json:"maxTokens,omitempty"`
	MaxCompletionTokens *int                `json:"maxCompletionTokens,omitempty"`
	Temperature         *float64            `json:"temperature,omitempty"`
	TopP                *float64            `json:"topP,omitempty"`
	TopK                *int                `json:"topK,omitempty"`
	FrequencyPenalty    *float64            `json:"frequencyPenalty,omitempty"`
	PresencePenalty     *float64            `json:"presencePenalty,omitempty"`
	Stop                []string            `json:"stop,omitempty"`
	Seed                *int64              `json:"seed,omitempty"`
	NumGenerations      *int                `json:"numGenerations,omitempty"`
	LogProbs            *int                `json:"logProbs,omitempty"`
	LogitBias           json.RawMessage     `json:"logitBias,omitempty"`
	Tools               []Tool              `json:"tools,omitempty"`
	ToolChoice          *ToolChoice         `json:"toolChoice,omitempty"`
	IsParallelToolCalls *bool               `json:"isParallelToolCalls,omitempty"`
	ResponseFormat      *ResponseFormat     `json:"responseFormat,omitempty"`
	ReasoningEffort     string              `json:"reasoningEffort,omitempty"` // NONE|MINIMAL|LOW|MEDIUM|HIGH
	Verbosity           string              `json:"verbosity,omitempty"`       // LOW|MEDIUM|HIGH
	ServiceTier         string              `json:"serviceTier,omitempty"`     // AUTO|DEFAULT|PRIORITY
	Prediction          *Prediction         `json:"prediction,omitempty"`
	WebSearchOptions    *WebSearchOptions   `json:"webSearchOptions,omitempty"`
	Metadata            json.RawMessage     `json:"metadata,omitempty"`
}

// Message is a GENERIC message (request history, response choice). Role is SYSTEM|DEVELOPER|USER|ASSISTANT|TOOL.
type Message struct {
	Role             string       `json:"role"`
	Content          []Content    `json:"content,omitempty"`
	Name             string       `json:"name,omitempty"`
	Refusal          *string      `json:"refusal,omitempty"`
	ToolCalls        []ToolCall   `json:"toolCalls,omitempty"`
	ToolCallID       string       `json:"toolCallId,omitempty"`
	ReasoningContent string       `json:"reasoningContent,omitempty"`
	Annotations      []Annotation `json:"annotations,omitempty"`
}

// Content is a content part: TEXT, IMAGE, AUDIO, VIDEO or DOCUMENT. Text is a pointer so an empty TEXT part still
// encodes "text":"".
type Content struct {
	Type        string         `json:"type"`
	Text        *string        `json:"text,omitempty"`
	ImageURL    *core.MediaURL `json:"imageUrl,omitempty"`
	AudioURL    *core.MediaURL `json:"audioUrl,omitempty"`
	VideoURL    *core.MediaURL `json:"videoUrl,omitempty"`
	DocumentURL *core.MediaURL `json:"documentUrl,omitempty"`
}

// ToolCall is a flat GENERIC tool call. Function is only read: one provider reports a nested
// {function:{name,arguments}} shape, which flat folds into the flat fields.
type ToolCall struct {
	Type      string        `json:"type"` // FUNCTION
	ID        string        `json:"id,omitempty"`
	Name      string        `json:"name,omitempty"`
	Arguments string        `json:"arguments"`
	Function  *FunctionCall `json:"function,omitempty"`
}

// FunctionCall is the tolerated nested tool-call shape.
type FunctionCall struct {
	Name      string `json:"name,omitempty"`
	Arguments string `json:"arguments,omitempty"`
}

// flat returns name and arguments, preferring the flat fields.
func (c *ToolCall) flat() (name, args string) {
	name, args = c.Name, c.Arguments
	if f := c.Function; f != nil {
		if name == "" {
			name = f.Name
		}
		if args == "" {
			args = f.Arguments
		}
	}
	return name, args
}

// Tool is a GENERIC function tool definition (flat).
type Tool struct {
	Type        string          `json:"type"` // FUNCTION
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
}

// ToolChoice is toolChoice: AUTO | NONE | REQUIRED | FUNCTION(name).
type ToolChoice struct {
	Type string `json:"type"`
	Name string `json:"name,omitempty"`
}

// ResponseFormat is responseFormat: TEXT | JSON_OBJECT | JSON_SCHEMA.
type ResponseFormat struct {
	Type       string      `json:"type"`
	JSONSchema *JSONSchema `json:"jsonSchema,omitempty"`
}

// JSONSchema accepts only these four keys (OpenAI's "strict" is a 400).
type JSONSchema struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Schema      json.RawMessage `json:"schema,omitempty"`
	IsStrict    *bool           `json:"isStrict,omitempty"`
}

// Prediction is a predicted output: {type:CONTENT, content:[TEXT…]}.
type Prediction struct {
	Type    string    `json:"type"`
	Content []Content `json:"content,omitempty"`
}

// WebSearchOptions is webSearchOptions.
type WebSearchOptions struct {
	SearchContextSize string        `json:"searchContextSize,omitempty"` // HIGH|MEDIUM|LOW
	UserLocation      *UserLocation `json:"userLocation,omitempty"`
}

// UserLocation is webSearchOptions.userLocation.
type UserLocation struct {
	City     string `json:"city,omitempty"`
	Region   string `json:"region,omitempty"`
	Country  string `json:"country,omitempty"`
	Timezone string `json:"timezone,omitempty"`
}

// ChatResult is the non-streaming answer of /actions/chat.
type ChatResult struct {
	ModelID      string       `json:"modelId"`
	ModelVersion string       `json:"modelVersion,omitempty"`
	ChatResponse ChatResponse `json:"chatResponse"`
}

// ChatResponse is chatResponse with apiFormat GENERIC.
type ChatResponse struct {
	APIFormat   string      `json:"apiFormat"`
	TimeCreated string      `json:"timeCreated,omitempty"`
	Choices     []Choice    `json:"choices"`
	Usage       *core.Usage `json:"usage,omitempty"`
	ServiceTier string      `json:"serviceTier,omitempty"`
}

// Choice is one generated answer. Message may be absent (a reasoning model spent the whole budget on reasoning).
type Choice struct {
	Index        int         `json:"index"`
	Message      *Message    `json:"message,omitempty"`
	FinishReason string      `json:"finishReason"`
	Logprobs     *Logprobs   `json:"logprobs,omitempty"`
	Usage        *core.Usage `json:"usage,omitempty"`
}

// Logprobs is the legacy-completions style logprobs object.
type Logprobs struct {
	TextOffset    []int                  `json:"textOffset,omitempty"`
	TokenLogprobs []float64              `json:"tokenLogprobs,omitempty"`
	Tokens        []string               `json:"tokens,omitempty"`
	TopLogprobs   []map[string]flexFloat `json:"topLogprobs,omitempty"`
}

// Annotation is a message annotation (url_citation).
type Annotation struct {
	Type        string       `json:"type"`
	URLCitation *URLCitation `json:"urlCitation,omitempty"`
}

// URLCitation is the body of a url_citation annotation.
type URLCitation struct {
	StartIndex int    `json:"startIndex"`
	EndIndex   int    `json:"endIndex"`
	Title      string `json:"title,omitempty"`
	URL        string `json:"url,omitempty"`
}

// streamEvent is one GENERIC SSE event (the JSON after "data: "), shaped for cheap decoding: the `pad` filler and
// the constant role are not decoded, and a missing index is -1 instead of a pointer. Code and ErrorMessage catch
// an error sent in-band.
type streamEvent struct {
	Index        int          `json:"index"`
	Message      *streamDelta `json:"message"`
	FinishReason string       `json:"finishReason"`
	Usage        *core.Usage  `json:"usage"`
	Logprobs     *Logprobs    `json:"logprobs"`
	Code         string       `json:"code"`
	ErrorMessage string       `json:"errorMessage"`
}

// streamDelta is the message of a streamEvent. Tool calls may be flat or nested ({function:{name,arguments}}).
type streamDelta struct {
	Content          []streamPart `json:"content"`
	ReasoningContent string       `json:"reasoningContent"`
	Refusal          *string      `json:"refusal"`
	ToolCalls        []ToolCall   `json:"toolCalls"`
}

// reset empties m for the next event, keeping the arrays of its slices.
func (m *streamDelta) reset() *streamDelta {
	*m = streamDelta{Content: core.Reuse(m.Content), ToolCalls: core.Reuse(m.ToolCalls)}
	return m
}

// carries reports whether anything was decoded into m (after reset), which only a message can have done.
func (m *streamDelta) carries() bool {
	return len(m.Content) > 0 || m.ReasoningContent != "" || m.Refusal != nil || len(m.ToolCalls) > 0
}

// streamPart is a content part of a delta; only text parts occur in streams.
type streamPart struct {
	Text string `json:"text"`
}

// flexFloat is a number that OCI may send as a JSON number or a string (the SDK models topLogprobs as
// map[string]string). Unparsable values become 0 rather than failing the whole answer.
type flexFloat float64

func (f *flexFloat) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, "\" \t\r\n")
	v, err := strconv.ParseFloat(string(b), 64)
	if err == nil {
		*f = flexFloat(v)
	}
	return nil
}
