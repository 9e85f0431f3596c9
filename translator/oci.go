package translator

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// OCI Generative AI GENERIC wire types (API 20231130), hand-written because
// the SDK structs marshal explicit nulls while the SDK itself omits unset
// fields. Every optional field is omitempty.

// ChatDetails is the body of POST /20231130/actions/chat.
type ChatDetails struct {
	CompartmentID string      `json:"compartmentId"`
	ServingMode   ServingMode `json:"servingMode"`
	ChatRequest   any         `json:"chatRequest"` // *GenericChatRequest, *CohereChatRequest or *CohereChatRequestV2
}

// ServingMode selects an on-demand model or a dedicated endpoint.
type ServingMode struct {
	ServingType string `json:"servingType"` // ON_DEMAND | DEDICATED
	ModelID     string `json:"modelId,omitempty"`
	EndpointID  string `json:"endpointId,omitempty"`
}

// GenericChatRequest is chatRequest with apiFormat GENERIC.
type GenericChatRequest struct {
	APIFormat           string               `json:"apiFormat"` // GENERIC
	Messages            []OCIMessage         `json:"messages"`
	IsStream            bool                 `json:"isStream,omitempty"`
	StreamOptions       *OCIStreamOptions    `json:"streamOptions,omitempty"`
	MaxTokens           *int                 `json:"maxTokens,omitempty"`
	MaxCompletionTokens *int                 `json:"maxCompletionTokens,omitempty"`
	Temperature         *float64             `json:"temperature,omitempty"`
	TopP                *float64             `json:"topP,omitempty"`
	TopK                *int                 `json:"topK,omitempty"`
	FrequencyPenalty    *float64             `json:"frequencyPenalty,omitempty"`
	PresencePenalty     *float64             `json:"presencePenalty,omitempty"`
	Stop                []string             `json:"stop,omitempty"`
	Seed                *int64               `json:"seed,omitempty"`
	NumGenerations      *int                 `json:"numGenerations,omitempty"`
	LogProbs            *int                 `json:"logProbs,omitempty"`
	LogitBias           json.RawMessage      `json:"logitBias,omitempty"`
	Tools               []OCITool            `json:"tools,omitempty"`
	ToolChoice          *OCIToolChoice       `json:"toolChoice,omitempty"`
	IsParallelToolCalls *bool                `json:"isParallelToolCalls,omitempty"`
	ResponseFormat      *OCIResponseFormat   `json:"responseFormat,omitempty"`
	ReasoningEffort     string               `json:"reasoningEffort,omitempty"` // NONE|MINIMAL|LOW|MEDIUM|HIGH
	Verbosity           string               `json:"verbosity,omitempty"`       // LOW|MEDIUM|HIGH
	ServiceTier         string               `json:"serviceTier,omitempty"`     // AUTO|DEFAULT|PRIORITY
	Prediction          *OCIPrediction       `json:"prediction,omitempty"`
	WebSearchOptions    *OCIWebSearchOptions `json:"webSearchOptions,omitempty"`
	Metadata            json.RawMessage      `json:"metadata,omitempty"`
}

// OCIStreamOptions is streamOptions.
type OCIStreamOptions struct {
	IsIncludeUsage bool `json:"isIncludeUsage"`
}

// OCIMessage is a GENERIC message (request history, response choice, stream
// delta). Role is SYSTEM|DEVELOPER|USER|ASSISTANT|TOOL.
type OCIMessage struct {
	Role             string          `json:"role"`
	Content          []OCIContent    `json:"content,omitempty"`
	Name             string          `json:"name,omitempty"`
	Refusal          *string         `json:"refusal,omitempty"`
	ToolCalls        []OCIToolCall   `json:"toolCalls,omitempty"`
	ToolCallID       string          `json:"toolCallId,omitempty"`
	ReasoningContent string          `json:"reasoningContent,omitempty"`
	Annotations      []OCIAnnotation `json:"annotations,omitempty"`
}

// OCIContent is a content part: TEXT, IMAGE, AUDIO, VIDEO or DOCUMENT. Text is
// a pointer so an empty TEXT part still encodes "text":"".
type OCIContent struct {
	Type        string       `json:"type"`
	Text        *string      `json:"text,omitempty"`
	ImageURL    *OCIMediaURL `json:"imageUrl,omitempty"`
	AudioURL    *OCIMediaURL `json:"audioUrl,omitempty"`
	VideoURL    *OCIMediaURL `json:"videoUrl,omitempty"`
	DocumentURL *OCIMediaURL `json:"documentUrl,omitempty"`
}

// OCIMediaURL is {url, detail} of a media part; detail is AUTO|HIGH|LOW.
type OCIMediaURL struct {
	URL    string `json:"url"`
	Detail string `json:"detail,omitempty"`
}

// OCIToolCall is a flat GENERIC tool call. Function is only read: one
// provider reports a nested {function:{name,arguments}} shape, which
// Normalize folds into the flat fields.
type OCIToolCall struct {
	Type      string           `json:"type"` // FUNCTION
	ID        string           `json:"id,omitempty"`
	Name      string           `json:"name,omitempty"`
	Arguments string           `json:"arguments"`
	Function  *OCIFunctionCall `json:"function,omitempty"`
}

// OCIFunctionCall is the tolerated nested tool-call shape.
type OCIFunctionCall struct {
	Name      string `json:"name,omitempty"`
	Arguments string `json:"arguments,omitempty"`
}

// flat returns name and arguments, preferring the flat fields.
func (c *OCIToolCall) flat() (name, args string) {
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

// OCITool is a GENERIC function tool definition (flat).
type OCITool struct {
	Type        string          `json:"type"` // FUNCTION
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
}

// OCIToolChoice is toolChoice: AUTO | NONE | REQUIRED | FUNCTION(name).
type OCIToolChoice struct {
	Type string `json:"type"`
	Name string `json:"name,omitempty"`
}

// OCIResponseFormat is responseFormat: TEXT | JSON_OBJECT | JSON_SCHEMA.
type OCIResponseFormat struct {
	Type       string         `json:"type"`
	JSONSchema *OCIJSONSchema `json:"jsonSchema,omitempty"`
}

// OCIJSONSchema accepts only these four keys (OpenAI's "strict" is a 400).
type OCIJSONSchema struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Schema      json.RawMessage `json:"schema,omitempty"`
	IsStrict    *bool           `json:"isStrict,omitempty"`
}

// OCIPrediction is a predicted output: {type:CONTENT, content:[TEXT…]}.
type OCIPrediction struct {
	Type    string       `json:"type"`
	Content []OCIContent `json:"content,omitempty"`
}

// OCIWebSearchOptions is webSearchOptions.
type OCIWebSearchOptions struct {
	SearchContextSize string           `json:"searchContextSize,omitempty"` // HIGH|MEDIUM|LOW
	UserLocation      *OCIUserLocation `json:"userLocation,omitempty"`
}

// OCIUserLocation is webSearchOptions.userLocation.
type OCIUserLocation struct {
	City     string `json:"city,omitempty"`
	Region   string `json:"region,omitempty"`
	Country  string `json:"country,omitempty"`
	Timezone string `json:"timezone,omitempty"`
}

// ChatResult is the non-streaming response of /actions/chat.
type ChatResult struct {
	ModelID      string              `json:"modelId"`
	ModelVersion string              `json:"modelVersion,omitempty"`
	ChatResponse GenericChatResponse `json:"chatResponse"`
}

// GenericChatResponse is chatResponse with apiFormat GENERIC.
type GenericChatResponse struct {
	APIFormat   string      `json:"apiFormat"`
	TimeCreated string      `json:"timeCreated,omitempty"`
	Choices     []OCIChoice `json:"choices"`
	Usage       *OCIUsage   `json:"usage,omitempty"`
	ServiceTier string      `json:"serviceTier,omitempty"`
}

// OCIChoice is one generated answer. Message may be absent (a reasoning model
// spent the whole budget on reasoning).
type OCIChoice struct {
	Index        int          `json:"index"`
	Message      *OCIMessage  `json:"message,omitempty"`
	FinishReason string       `json:"finishReason"`
	Logprobs     *OCILogprobs `json:"logprobs,omitempty"`
	Usage        *OCIUsage    `json:"usage,omitempty"`
}

// OCILogprobs is the legacy-completions style logprobs object.
type OCILogprobs struct {
	TextOffset    []int                  `json:"textOffset,omitempty"`
	TokenLogprobs []float64              `json:"tokenLogprobs,omitempty"`
	Tokens        []string               `json:"tokens,omitempty"`
	TopLogprobs   []map[string]flexFloat `json:"topLogprobs,omitempty"`
}

// OCIAnnotation is a message annotation (url_citation).
type OCIAnnotation struct {
	Type        string          `json:"type"`
	URLCitation *OCIURLCitation `json:"urlCitation,omitempty"`
}

// OCIURLCitation is the body of a url_citation annotation.
type OCIURLCitation struct {
	StartIndex int    `json:"startIndex"`
	EndIndex   int    `json:"endIndex"`
	Title      string `json:"title,omitempty"`
	URL        string `json:"url,omitempty"`
}

// OCIUsage is token usage; any field may be missing.
type OCIUsage struct {
	PromptTokens            int                         `json:"promptTokens"`
	CompletionTokens        int                         `json:"completionTokens"`
	TotalTokens             int                         `json:"totalTokens"`
	CompletionTokensDetails *OCICompletionTokensDetails `json:"completionTokensDetails,omitempty"`
	PromptTokensDetails     *OCIPromptTokensDetails     `json:"promptTokensDetails,omitempty"`
}

// OCICompletionTokensDetails is usage.completionTokensDetails.
type OCICompletionTokensDetails struct {
	ReasoningTokens          int `json:"reasoningTokens"`
	AcceptedPredictionTokens int `json:"acceptedPredictionTokens"`
	RejectedPredictionTokens int `json:"rejectedPredictionTokens"`
}

// OCIPromptTokensDetails is usage.promptTokensDetails.
type OCIPromptTokensDetails struct {
	CachedTokens int `json:"cachedTokens"`
}

// streamEvent is one GENERIC SSE event (the JSON after "data: "), shaped for
// cheap decoding: the `pad` filler and the constant role are not decoded, and
// a missing index is -1 instead of a pointer. Code and ErrorMessage catch an
// error sent in-band.
type streamEvent struct {
	Index        int          `json:"index"`
	Message      *streamDelta `json:"message"`
	FinishReason string       `json:"finishReason"`
	Usage        *OCIUsage    `json:"usage"`
	Logprobs     *OCILogprobs `json:"logprobs"`
	Code         string       `json:"code"`
	ErrorMessage string       `json:"errorMessage"`
}

// streamDelta is the message of a streamEvent. Tool calls may be flat or
// nested ({function:{name,arguments}}).
type streamDelta struct {
	Content          []streamPart  `json:"content"`
	ReasoningContent string        `json:"reasoningContent"`
	Refusal          *string       `json:"refusal"`
	ToolCalls        []OCIToolCall `json:"toolCalls"`
}

// streamPart is a content part of a delta; only text parts occur in streams.
type streamPart struct {
	Text string `json:"text"`
}

// flexFloat is a number that OCI may send as a JSON number or a string (the
// SDK models topLogprobs as map[string]string). Unparsable values become 0
// rather than failing the whole response.
type flexFloat float64

func (f *flexFloat) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, "\" \t\r\n")
	v, err := strconv.ParseFloat(string(b), 64)
	if err == nil {
		*f = flexFloat(v)
	}
	return nil
}
