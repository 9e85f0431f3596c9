package responses

// head starts every event's data: its type (also on the `event:` line) and its sequence_number.
type head struct {
	Type           string `json:"type"`
	SequenceNumber int    `json:"sequence_number"`
}

// responseEvent: response.created, .in_progress, .completed, .incomplete, .failed.
type responseEvent struct {
	head
	Response *Response `json:"response"`
}

// itemEvent: response.output_item.added and .done.
type itemEvent struct {
	head
	OutputIndex int `json:"output_index"`
	Item        any `json:"item"`
}

// partEvent: response.content_part.added and .done.
type partEvent struct {
	head
	ItemID       string `json:"item_id"`
	OutputIndex  int    `json:"output_index"`
	ContentIndex int    `json:"content_index"`
	Part         any    `json:"part"`
}

// textDelta: response.output_text.delta.
type textDelta struct {
	head
	ItemID       string     `json:"item_id"`
	OutputIndex  int        `json:"output_index"`
	ContentIndex int        `json:"content_index"`
	Delta        string     `json:"delta"`
	Logprobs     []struct{} `json:"logprobs"`
}

// textDone: response.output_text.done.
type textDone struct {
	head
	ItemID       string     `json:"item_id"`
	OutputIndex  int        `json:"output_index"`
	ContentIndex int        `json:"content_index"`
	Text         string     `json:"text"`
	Logprobs     []struct{} `json:"logprobs"`
}

// refusalEvent: response.refusal.delta (Delta) and .done (Refusal).
type refusalEvent struct {
	head
	ItemID       string `json:"item_id"`
	OutputIndex  int    `json:"output_index"`
	ContentIndex int    `json:"content_index"`
	Delta        string `json:"delta,omitempty"`
	Refusal      string `json:"refusal,omitempty"`
}

// summaryPartEvent: response.reasoning_summary_part.added and .done.
type summaryPartEvent struct {
	head
	ItemID       string   `json:"item_id"`
	OutputIndex  int      `json:"output_index"`
	SummaryIndex int      `json:"summary_index"`
	Part         TextPart `json:"part"`
}

// summaryTextEvent: response.reasoning_summary_text.delta (Delta) and .done (Text).
type summaryTextEvent struct {
	head
	ItemID       string  `json:"item_id"`
	OutputIndex  int     `json:"output_index"`
	SummaryIndex int     `json:"summary_index"`
	Delta        *string `json:"delta,omitempty"`
	Text         *string `json:"text,omitempty"`
}

// argsEvent: response.function_call_arguments.delta (Delta) and .done (Arguments, Name).
type argsEvent struct {
	head
	ItemID      string  `json:"item_id"`
	OutputIndex int     `json:"output_index"`
	Delta       *string `json:"delta,omitempty"`
	Name        string  `json:"name,omitempty"`
	Arguments   *string `json:"arguments,omitempty"`
}

// inputEvent: response.custom_tool_call_input.delta (Delta) and .done (Input).
type inputEvent struct {
	head
	ItemID      string  `json:"item_id"`
	OutputIndex int     `json:"output_index"`
	Delta       *string `json:"delta,omitempty"`
	Input       *string `json:"input,omitempty"`
}

// errorEvent is `error`, in both shapes clients read: the SDK's top-level fields and OpenAI's nested error.
type errorEvent struct {
	head
	Code    string      `json:"code"`
	Message string      `json:"message"`
	Param   *string     `json:"param"`
	Error   errorFields `json:"error"`
}

// errorFields is the nested error of an error event.
type errorFields struct {
	Type    string  `json:"type"`
	Code    string  `json:"code"`
	Message string  `json:"message"`
	Param   *string `json:"param"`
}
