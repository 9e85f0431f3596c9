package anthropic

import "encoding/json"

// Message is a whole answer: the body of a non-streaming response, and (with no content yet) the message of
// a stream's message_start.
type Message struct {
	ID           string          `json:"id"`
	Type         string          `json:"type"` // "message"
	Role         string          `json:"role"` // "assistant"
	Model        string          `json:"model"`
	Content      []ResponseBlock `json:"content"`
	StopReason   *string         `json:"stop_reason"`
	StopSequence *string         `json:"stop_sequence"`
	Usage        Usage           `json:"usage"`
}

// ResponseBlock is an answer's content block: text, thinking or tool_use. The fields a block type has are
// always written (a stream's start payloads must carry them empty: clients append to them).
type ResponseBlock struct {
	Type      string          `json:"type"`
	Text      *string         `json:"text,omitempty"`      // text
	Thinking  *string         `json:"thinking,omitempty"`  // thinking
	Signature *string         `json:"signature,omitempty"` // thinking: always "", the gateway cannot sign
	ID        string          `json:"id,omitempty"`        // tool_use
	Name      string          `json:"name,omitempty"`      // tool_use
	Input     json.RawMessage `json:"input,omitempty"`     // tool_use: always an object
}

// Usage is Anthropic's token usage. InputTokens excludes the cached prompt tokens, counted in
// CacheReadInputTokens; the gateway creates no cache entries.
type Usage struct {
	InputTokens              int `json:"input_tokens"`
	CacheCreationInputTokens int `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int `json:"cache_read_input_tokens"`
	OutputTokens             int `json:"output_tokens"`
}

// The stream's event payloads, in the order they come.
type (
	messageStart struct {
		Type    string   `json:"type"` // message_start
		Message *Message `json:"message"`
	}
	blockStart struct {
		Type         string         `json:"type"` // content_block_start
		Index        int            `json:"index"`
		ContentBlock *ResponseBlock `json:"content_block"`
	}
	blockDelta struct {
		Type  string `json:"type"` // content_block_delta
		Index int    `json:"index"`
		Delta delta  `json:"delta"`
	}
	delta struct {
		Type        string  `json:"type"` // text_delta | thinking_delta | input_json_delta
		Text        *string `json:"text,omitempty"`
		Thinking    *string `json:"thinking,omitempty"`
		PartialJSON *string `json:"partial_json,omitempty"`
	}
	blockStop struct {
		Type  string `json:"type"` // content_block_stop
		Index int    `json:"index"`
	}
	messageDelta struct {
		Type  string    `json:"type"` // message_delta
		Delta stopDelta `json:"delta"`
		Usage Usage     `json:"usage"`
	}
	stopDelta struct {
		StopReason   *string `json:"stop_reason"`
		StopSequence *string `json:"stop_sequence"`
	}
	typeOnly struct {
		Type string `json:"type"` // message_stop, ping
	}
)

// Event names, which are also the payloads' "type".
const (
	EventMessageStart = "message_start"
	EventBlockStart   = "content_block_start"
	EventBlockDelta   = "content_block_delta"
	EventBlockStop    = "content_block_stop"
	EventMessageDelta = "message_delta"
	EventMessageStop  = "message_stop"
	EventPing         = "ping"
	EventError        = "error"
)
