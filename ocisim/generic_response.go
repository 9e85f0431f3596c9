package ocisim

import "strings"

// Wire types of GENERIC responses and stream events.

type genericResult struct {
	ModelID      string              `json:"modelId"`
	ModelVersion string              `json:"modelVersion"`
	ChatResponse genericChatResponse `json:"chatResponse"`
}

type genericChatResponse struct {
	APIFormat   string          `json:"apiFormat"`
	TimeCreated string          `json:"timeCreated"`
	Choices     []genericChoice `json:"choices"`
	Usage       *usage          `json:"usage"`
}

type genericChoice struct {
	Index        int         `json:"index"`
	Message      *outMessage `json:"message"`
	FinishReason string      `json:"finishReason"`
}

type outMessage struct {
	Role             string        `json:"role"`
	Content          []textPart    `json:"content,omitempty"`
	ToolCalls        []outToolCall `json:"toolCalls,omitempty"`
	ReasoningContent string        `json:"reasoningContent,omitempty"`
}

type textPart struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// outToolCall is the flat OCI FunctionCall; every field but type is
// optional so that stream fragments can carry only what they carry.
type outToolCall struct {
	Type      string  `json:"type"`
	ID        string  `json:"id,omitempty"`
	Name      string  `json:"name,omitempty"`
	Arguments *string `json:"arguments,omitempty"`
}

// genericEvent is one GENERIC stream event (pad is added by the writer).
type genericEvent struct {
	Index        *int        `json:"index,omitempty"`
	Message      *outMessage `json:"message,omitempty"`
	FinishReason string      `json:"finishReason,omitempty"`
	Usage        *usage      `json:"usage,omitempty"`
}

func genericFinish(f finish) string {
	switch f {
	case finishMaxTokens:
		return "length"
	case finishToolCalls:
		return "tool_calls"
	}
	return "stop"
}

func (req *genericRequest) choices() int {
	if req.NumGenerations != nil {
		return *req.NumGenerations
	}
	return 1
}

// genericUsage scales completion tokens by the number of choices.
func genericUsage(g *generation, n int) *usage {
	c := g.completionTokens() * n
	u := &usage{CompletionTokens: c, PromptTokens: g.prompt, TotalTokens: c + g.prompt,
		PromptTokensDetails: &promptTokensDetails{}}
	if len(g.reasoning) > 0 {
		u.CompletionTokensDetails = &completionTokensDetails{ReasoningTokens: len(g.reasoning) * n}
	}
	return u
}

func (s *Simulator) genericResult(m model, req *genericRequest, g *generation) genericResult {
	msg := &outMessage{Role: "ASSISTANT", ReasoningContent: strings.Join(g.reasoning, "")}
	if len(g.toolCalls) > 0 {
		// UNCONFIRMED: content is assumed absent (not an empty array) when
		// the answer is only tool calls.
		for _, c := range g.toolCalls {
			args := c.Arguments
			msg.ToolCalls = append(msg.ToolCalls, outToolCall{Type: "FUNCTION", ID: c.ID, Name: c.Name, Arguments: &args})
		}
	} else {
		msg.Content = []textPart{{"TEXT", g.text}}
	}
	n := req.choices()
	choices := make([]genericChoice, n)
	for i := range choices {
		choices[i] = genericChoice{Index: i, Message: msg, FinishReason: genericFinish(g.finish)}
	}
	return genericResult{
		ModelID:      m.id,
		ModelVersion: modelVersion,
		ChatResponse: genericChatResponse{
			APIFormat:   "GENERIC",
			TimeCreated: timeCreated(s.opts.Now()),
			Choices:     choices,
			Usage:       genericUsage(g, n),
		},
	}
}

// streamStyle picks the vendor's stream dialect; dedicated generic
// endpoints are assumed to be Llama-like.
func (m model) streamStyle() vendor {
	if m.dedicated {
		return vendorMeta
	}
	return m.vendor
}

// streamGeneric writes the GENERIC SSE stream (reference §2.1):
//
//	empty-text event (text answers only), reasoning pieces, then text tokens
//	or tool calls (xai: whole calls; meta/openai: id+name then argument
//	fragments; google: the same without ids), the vendor's finish event
//	(meta: carrying the last text token), an optional usage event, [DONE].
func (s *Simulator) streamGeneric(x *exchange, m model, req *genericRequest, g *generation) {
	st := x.startStream()
	if st == nil {
		return
	}
	defer st.close()
	n := req.choices()
	style := m.streamStyle()
	reason := genericFinish(g.finish)
	for i := 0; i < n; i++ {
		idx := i
		delta := func(msg *outMessage) genericEvent {
			msg.Role = "ASSISTANT"
			return genericEvent{Index: &idx, Message: msg}
		}
		// UNCONFIRMED: the finish event has no index in fixtures (single
		// choice); with several choices it carries one so they can be told apart.
		var finIdx *int
		if n > 1 {
			finIdx = &idx
		}

		// UNCONFIRMED: tool-call fixtures start directly with the call, so
		// the empty-text opener is only sent for text answers; reasoning
		// pieces follow the opener.
		if len(g.toolCalls) == 0 {
			st.send(delta(&outMessage{Content: []textPart{{"TEXT", ""}}}))
		}
		for _, r := range g.reasoning {
			st.send(delta(&outMessage{ReasoningContent: r}))
		}

		if len(g.toolCalls) > 0 {
			for _, c := range g.toolCalls {
				if style == vendorXAI { // pattern A: whole call per event
					args := c.Arguments
					st.send(delta(&outMessage{ToolCalls: []outToolCall{{Type: "FUNCTION", ID: c.ID, Name: c.Name, Arguments: &args}}}))
					continue
				}
				// pattern B: header, then id-less argument fragments
				st.send(delta(&outMessage{ToolCalls: []outToolCall{{Type: "FUNCTION", ID: c.ID, Name: c.Name}}}))
				for _, frag := range splitPieces(c.Arguments, 3) {
					st.send(delta(&outMessage{ToolCalls: []outToolCall{{Type: "FUNCTION", Arguments: &frag}}}))
				}
			}
			if style == vendorXAI {
				st.send(genericEvent{Index: finIdx, FinishReason: reason})
			} else {
				empty := ""
				st.send(genericEvent{Index: finIdx, FinishReason: reason, Message: &outMessage{Role: "ASSISTANT",
					ToolCalls: []outToolCall{{Type: "FUNCTION", Arguments: &empty}}}})
			}
			continue
		}

		toks := g.tokens
		if style == vendorMeta && len(toks) > 0 {
			toks = toks[:len(toks)-1] // the last token rides on the finish event
		}
		for _, t := range toks {
			st.sendText(t, func(t string) any { return delta(&outMessage{Content: []textPart{{"TEXT", t}}}) })
		}
		switch style {
		case vendorXAI:
			st.send(genericEvent{Index: finIdx, FinishReason: reason})
		case vendorMeta:
			if len(g.tokens) == 0 {
				st.send(genericEvent{Index: finIdx, FinishReason: reason, Message: &outMessage{Role: "ASSISTANT"}})
				break
			}
			st.sendText(g.tokens[len(g.tokens)-1], func(t string) any {
				return genericEvent{Index: finIdx, FinishReason: reason,
					Message: &outMessage{Role: "ASSISTANT", Content: []textPart{{"TEXT", t}}}}
			})
		default: // openai, google
			st.send(genericEvent{Index: finIdx, FinishReason: reason,
				Message: &outMessage{Role: "ASSISTANT", Content: []textPart{{"TEXT", ""}}}})
		}
	}
	if req.StreamOptions != nil && req.StreamOptions.IsIncludeUsage {
		st.send(genericEvent{Usage: genericUsage(g, n)})
	}
	st.finish()
}
