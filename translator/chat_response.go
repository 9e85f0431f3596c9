package translator

import (
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// emptyText backs content "" without an allocation; never written through.
var emptyText = ""

// CompletionFromGeneric converts a non-streaming GENERIC result to an OpenAI
// chat.completion. id/model/created are what the client sees (model falls back
// to the OCI model id). Strings are aliased from res, not copied.
func CompletionFromGeneric(res *ChatResult, id, model string, created int64) *hub.ChatCompletion {
	c := &hub.ChatCompletion{ID: id, Object: hub.ObjectCompletion, Created: created, Model: model}
	if res == nil {
		c.Choices, c.Usage = []hub.Choice{}, &hub.Usage{}
		return c
	}
	if c.Model == "" {
		c.Model = res.ModelID
	}
	r := &res.ChatResponse
	c.Choices = make([]hub.Choice, len(r.Choices))
	for i := range r.Choices {
		fillChoice(&c.Choices[i], &r.Choices[i], id)
	}
	c.Usage = openAIUsage(r.Usage)
	if r.ServiceTier != "" {
		c.ServiceTier = strings.ToLower(r.ServiceTier)
	}
	return c
}

func fillChoice(dst *hub.Choice, oc *OCIChoice, seed string) {
	dst.Index = oc.Index
	dst.Message.Role = hub.RoleAssistant
	dst.FinishReason = FinishReason(oc.FinishReason)
	if lp := openAILogprobs(oc.Logprobs); lp != nil {
		dst.Logprobs = lp
	}
	m := oc.Message
	if m == nil { // reasoning model spent the budget before answering
		dst.Message.Content = &emptyText
		return
	}
	msg := &dst.Message
	msg.ReasoningContent = m.ReasoningContent
	msg.Refusal = m.Refusal
	if len(m.ToolCalls) > 0 {
		msg.ToolCalls = make([]hub.ToolCall, len(m.ToolCalls))
		for k := range m.ToolCalls {
			tc := &m.ToolCalls[k]
			name, args := tc.flat()
			if args == "" {
				args = "{}" // clients json-parse arguments; "" would throw
			}
			id := tc.ID
			if id == "" {
				id = syntheticCallID(seed, oc.Index, k)
			}
			msg.ToolCalls[k] = hub.ToolCall{ID: id, Type: hub.TypeFunction, Function: hub.FunctionCall{Name: name, Arguments: args}}
		}
		if dst.FinishReason == "stop" { // Llama/Cohere report stop despite tool calls
			dst.FinishReason = "tool_calls"
		}
	}
	if text := joinText(m.Content); text != nil && *text != "" {
		msg.Content = text
	} else if len(msg.ToolCalls) == 0 && msg.Refusal == nil {
		msg.Content = &emptyText
	}
	if len(m.Annotations) > 0 {
		msg.Annotations = make([]hub.Annotation, 0, len(m.Annotations))
		for _, a := range m.Annotations {
			if a.URLCitation == nil {
				continue
			}
			u := a.URLCitation
			msg.Annotations = append(msg.Annotations, hub.Annotation{Type: "url_citation",
				URLCitation: hub.URLCitation{StartIndex: u.StartIndex, EndIndex: u.EndIndex, Title: u.Title, URL: u.URL}})
		}
	}
}

// joinText returns the concatenated TEXT parts, aliasing the part when there
// is exactly one; nil when there is no TEXT part.
func joinText(parts []OCIContent) *string {
	var first *string
	n, size := 0, 0
	for i := range parts {
		if p := &parts[i]; p.Text != nil && (p.Type == "TEXT" || p.Type == "") {
			if n == 0 {
				first = p.Text
			}
			n++
			size += len(*p.Text)
		}
	}
	if n <= 1 {
		return first
	}
	var sb strings.Builder
	sb.Grow(size)
	for i := range parts {
		if p := &parts[i]; p.Text != nil && (p.Type == "TEXT" || p.Type == "") {
			sb.WriteString(*p.Text)
		}
	}
	s := sb.String()
	return &s
}

// openAIUsage maps OCI usage; nil gives zeros (OpenAI always sends usage).
func openAIUsage(u *OCIUsage) *hub.Usage {
	if u == nil {
		return &hub.Usage{}
	}
	out := &hub.Usage{PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens, TotalTokens: u.TotalTokens}
	if out.TotalTokens == 0 {
		out.TotalTokens = out.PromptTokens + out.CompletionTokens
	}
	if d := u.PromptTokensDetails; d != nil {
		out.PromptTokensDetails = &hub.PromptTokensDetails{CachedTokens: d.CachedTokens}
	}
	if d := u.CompletionTokensDetails; d != nil {
		out.CompletionTokensDetails = &hub.CompletionTokensDetails{ReasoningTokens: d.ReasoningTokens,
			AcceptedPredictionTokens: d.AcceptedPredictionTokens, RejectedPredictionTokens: d.RejectedPredictionTokens}
	}
	return out
}

// FinishReason maps OCI's open set of finish reasons (GENERIC lower-case,
// Cohere/Gemini upper-case) to OpenAI's stop|length|tool_calls|content_filter.
func FinishReason(oci string) string {
	switch oci { // fast path: the values GENERIC actually sends
	case "stop", "":
		return "stop"
	case "length":
		return "length"
	case "tool_calls":
		return "tool_calls"
	case "content_filter":
		return "content_filter"
	}
	switch strings.ToLower(oci) {
	case "length", "max_tokens", "max_output_tokens", "max_completion_tokens", "error_limit":
		return "length"
	case "tool_calls", "tool_call", "tool_use", "function_call":
		return "tool_calls"
	case "content_filter", "content_filtered", "error_toxic", "safety", "recitation",
		"prohibited_content", "blocklist", "spii", "image_safety":
		return "content_filter"
	}
	return "stop" // COMPLETE, STOP_SEQUENCE, end_turn, CANCELLED, ERROR…
}
