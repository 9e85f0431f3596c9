package ocisim

// Wire types of COHEREV2 responses and the COHEREV2 stream.

func cohereV2Finish(f finish) string {
	switch f {
	case finishMaxTokens:
		return "MAX_TOKENS"
	case finishToolCalls:
		return "TOOL_CALL"
	case finishStopSequence:
		return "STOP_SEQUENCE"
	}
	return "COMPLETE"
}

type cohereV2Result struct {
	ModelID      string           `json:"modelId"`
	ModelVersion string           `json:"modelVersion"`
	ChatResponse cohereV2Response `json:"chatResponse"`
}

type cohereV2Response struct {
	APIFormat    string      `json:"apiFormat"`
	ID           string      `json:"id"`
	Message      cohereV2Out `json:"message"`
	FinishReason string      `json:"finishReason"`
	Usage        *usage      `json:"usage,omitempty"`
}

type cohereV2Out struct {
	Role      string         `json:"role"`
	Content   []cohereV2Part `json:"content,omitempty"`
	ToolCalls []cohereV2Call `json:"toolCalls,omitempty"`
}

// cohereV2Event is a COHEREV2 stream event.
type cohereV2Event struct {
	APIFormat    string      `json:"apiFormat"`
	Message      cohereV2Out `json:"message"`
	FinishReason string      `json:"finishReason,omitempty"`
	Usage        *usage      `json:"usage,omitempty"`
}

// streamCohereV2 writes the COHEREV2 stream (reference §2.3): THINKING
// pieces, TEXT pieces or one event per tool call, then a finish event
// {"message":{"role":"ASSISTANT"},"finishReason":...,"usage":...}.
// UNCONFIRMED: usage placement, the tool-call event shape and the pad field
// on COHEREV2 events. Real V2 streams reportedly omit [DONE] and stay open
// (cohere-python #756): simulate with OmitDone + Fault.HangAfterFinish.
func (s *Simulator) streamCohereV2(x *exchange, g *generation, final cohereV2Response) {
	st := x.startStream()
	if st == nil {
		return
	}
	defer st.close()
	ev := func(p cohereV2Part) cohereV2Event {
		return cohereV2Event{APIFormat: "COHEREV2", Message: cohereV2Out{Role: "ASSISTANT", Content: []cohereV2Part{p}}}
	}
	for _, r := range g.reasoning {
		st.send(ev(cohereV2Part{Type: "THINKING", Thinking: &r}))
	}
	for _, t := range g.tokens {
		st.sendText(t, func(t string) any { return ev(cohereV2Part{Type: "TEXT", Text: &t}) })
	}
	for _, c := range final.Message.ToolCalls {
		st.send(cohereV2Event{APIFormat: "COHEREV2", Message: cohereV2Out{Role: "ASSISTANT", ToolCalls: []cohereV2Call{c}}})
	}
	st.send(cohereV2Event{APIFormat: "COHEREV2", Message: cohereV2Out{Role: "ASSISTANT"}, FinishReason: final.FinishReason, Usage: final.Usage})
	st.finish()
}
