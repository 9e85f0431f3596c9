package hub

// The answer: a whole chat.completion, or a stream of chat.completion.chunk objects. Field order and null/omit
// behaviour follow what api.openai.com emits, so clients that are strict about shapes keep working.

// ChatCompletion is a non-streaming chat.completion object.
type ChatCompletion struct {
	ID          string   `json:"id"`
	Object      string   `json:"object"` // "chat.completion"
	Created     int64    `json:"created"`
	Model       string   `json:"model"`
	Choices     []Choice `json:"choices"`
	Usage       *Usage   `json:"usage,omitempty"`
	ServiceTier string   `json:"service_tier,omitempty"`
}

// Choice is one choices[] entry of a ChatCompletion.
type Choice struct {
	Index        int             `json:"index"`
	Message      ResponseMessage `json:"message"`
	FinishReason string          `json:"finish_reason"`
	Logprobs     any             `json:"logprobs"` // nil or *ChoiceLogprobs

	// NativeFinishReason is the finish reason as OCI sent it (COMPLETE, STOP_SEQUENCE, MAX_TOKENS, stop …), for
	// client APIs that tell more reasons apart than FinishReason does (a stop sequence from the end of the turn).
	// OCI does not say which stop sequence matched. Not part of the OpenAI wire format.
	NativeFinishReason string `json:"-"`
}

// ResponseMessage is the assistant message of a Choice.
type ResponseMessage struct {
	Role             string       `json:"role"`    // "assistant"
	Content          *string      `json:"content"` // null when only tool calls
	ReasoningContent string       `json:"reasoning_content,omitempty"`
	ToolCalls        []ToolCall   `json:"tool_calls,omitempty"`
	Refusal          *string      `json:"refusal"`
	Annotations      []Annotation `json:"annotations,omitempty"`
}

// Annotation is a url_citation annotation.
type Annotation struct {
	Type        string      `json:"type"`
	URLCitation URLCitation `json:"url_citation"`
}

// URLCitation is the body of a url_citation annotation.
type URLCitation struct {
	StartIndex int    `json:"start_index"`
	EndIndex   int    `json:"end_index"`
	Title      string `json:"title"`
	URL        string `json:"url"`
}

// ChoiceLogprobs is choices[].logprobs.
type ChoiceLogprobs struct {
	Content []TokenLogprob `json:"content"`
	Refusal []TokenLogprob `json:"refusal"`
}

// TokenLogprob is one sampled token with its alternatives.
type TokenLogprob struct {
	Token       string       `json:"token"`
	Logprob     float64      `json:"logprob"`
	Bytes       []int        `json:"bytes"`
	TopLogprobs []TopLogprob `json:"top_logprobs"`
}

// TopLogprob is one alternative of a TokenLogprob.
type TopLogprob struct {
	Token   string  `json:"token"`
	Logprob float64 `json:"logprob"`
	Bytes   []int   `json:"bytes"`
}

// Usage is OpenAI's token usage.
type Usage struct {
	PromptTokens            int                      `json:"prompt_tokens"`
	CompletionTokens        int                      `json:"completion_tokens"`
	TotalTokens             int                      `json:"total_tokens"`
	PromptTokensDetails     *PromptTokensDetails     `json:"prompt_tokens_details,omitempty"`
	CompletionTokensDetails *CompletionTokensDetails `json:"completion_tokens_details,omitempty"`
}

// PromptTokensDetails is usage.prompt_tokens_details.
type PromptTokensDetails struct {
	CachedTokens int `json:"cached_tokens"`
}

// CompletionTokensDetails is usage.completion_tokens_details.
type CompletionTokensDetails struct {
	ReasoningTokens          int `json:"reasoning_tokens"`
	AcceptedPredictionTokens int `json:"accepted_prediction_tokens,omitempty"`
	RejectedPredictionTokens int `json:"rejected_prediction_tokens,omitempty"`
}

// ChatChunk is one chat.completion.chunk of a stream. Choices is never nil so
// the usage chunk encodes "choices":[].
type ChatChunk struct {
	ID      string        `json:"id"`
	Object  string        `json:"object"` // "chat.completion.chunk"
	Created int64         `json:"created"`
	Model   string        `json:"model"`
	Choices []ChunkChoice `json:"choices"`
	Usage   *Usage        `json:"usage,omitempty"`
}

// ChunkChoice is one choices[] entry of a ChatChunk.
type ChunkChoice struct {
	Index        int     `json:"index"`
	Delta        Delta   `json:"delta"`
	FinishReason *string `json:"finish_reason"`
	Logprobs     any     `json:"logprobs"` // nil or *ChoiceLogprobs

	NativeFinishReason string `json:"-"` // on the finish chunk: see Choice.NativeFinishReason
}

// Delta is the incremental message of a ChunkChoice.
type Delta struct {
	Role             string          `json:"role,omitempty"`
	Content          *string         `json:"content,omitempty"`
	ReasoningContent *string         `json:"reasoning_content,omitempty"`
	Refusal          *string         `json:"refusal,omitempty"`
	ToolCalls        []ToolCallDelta `json:"tool_calls,omitempty"`
}

// ToolCallDelta is a streamed tool-call fragment: the first fragment of a call
// carries id, type and function.name; later ones only index and arguments.
type ToolCallDelta struct {
	Index    int           `json:"index"`
	ID       string        `json:"id,omitempty"`
	Type     string        `json:"type,omitempty"`
	Function FunctionDelta `json:"function"`
}

// FunctionDelta is the function part of a ToolCallDelta.
type FunctionDelta struct {
	Name      string `json:"name,omitempty"`
	Arguments string `json:"arguments"`
}

// Constant values of the wire types.
const (
	ObjectCompletion = "chat.completion"       // ChatCompletion.Object
	ObjectChunk      = "chat.completion.chunk" // ChatChunk.Object
	RoleAssistant    = "assistant"             // the role of every answer
	TypeFunction     = "function"              // the type of every tool and tool call
)

// Finish reasons: the four values of Choice.FinishReason.
const (
	FinishStop          = "stop"
	FinishLength        = "length"
	FinishToolCalls     = "tool_calls"
	FinishContentFilter = "content_filter"
)

var (
	reasonStop          = FinishStop
	reasonLength        = FinishLength
	reasonToolCalls     = FinishToolCalls
	reasonContentFilter = FinishContentFilter
	emptyText           = "" // backs content "" without an allocation; never written through
)

// FinishPointer returns a shared pointer to one of the four finish reasons (anything else counts as stop), so
// that finish chunks need no allocation. It must not be written through.
func FinishPointer(reason string) *string {
	switch reason {
	case FinishLength:
		return &reasonLength
	case FinishToolCalls:
		return &reasonToolCalls
	case FinishContentFilter:
		return &reasonContentFilter
	}
	return &reasonStop
}

// OpeningChoice is the first chunk choice of an answer: delta {role:"assistant", content:""}.
func OpeningChoice(index int) ChunkChoice {
	return ChunkChoice{Index: index, Delta: Delta{Role: RoleAssistant, Content: &emptyText}}
}
