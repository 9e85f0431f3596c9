package ocisim

// Wire types of COHERE responses and the COHERE stream.

type cohereResult struct {
	ModelID      string         `json:"modelId"`
	ModelVersion string         `json:"modelVersion"`
	ChatResponse cohereResponse `json:"chatResponse"`
}

type cohereResponse struct {
	APIFormat    string           `json:"apiFormat"`
	Text         string           `json:"text"`
	ChatHistory  []cohereHistory  `json:"chatHistory,omitempty"`
	FinishReason string           `json:"finishReason"`
	ToolCalls    []cohereToolCall `json:"toolCalls,omitempty"`
	Usage        *usage           `json:"usage,omitempty"`
}

// cohereEvent is a COHERE stream delta.
type cohereEvent struct {
	APIFormat string           `json:"apiFormat"`
	Text      string           `json:"text,omitempty"`
	ToolCalls []cohereToolCall `json:"toolCalls,omitempty"`
}

// streamCohere writes the COHERE stream (reference §2.2): one event per
// token, one event with all tool calls, then the terminal event repeating
// the full text and tool calls with chatHistory, finishReason and usage.
// UNCONFIRMED: usage is always on the terminal event (seen in one fixture).
func (s *Simulator) streamCohere(x *exchange, g *generation, final cohereResponse) {
	st := x.startStream()
	if st == nil {
		return
	}
	defer st.close()
	for _, t := range g.tokens {
		st.sendText(t, func(t string) any { return cohereEvent{APIFormat: "COHERE", Text: t} })
	}
	if len(final.ToolCalls) > 0 {
		st.send(cohereEvent{APIFormat: "COHERE", ToolCalls: final.ToolCalls})
	}
	st.send(final)
	st.finish()
}
