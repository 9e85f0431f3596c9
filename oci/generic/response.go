package generic

import (
	"strings"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// Completion converts a whole GENERIC answer to a hub completion. id/model/created are what the client sees (model
// falls back to the OCI model id). Strings are aliased from res, not copied.
func Completion(res *ChatResult, id, model string, created int64) *hub.ChatCompletion {
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
	c.Usage = r.Usage.Hub()
	if r.ServiceTier != "" {
		c.ServiceTier = strings.ToLower(r.ServiceTier)
	}
	return c
}

func fillChoice(dst *hub.Choice, oc *Choice, seed string) {
	dst.Index = oc.Index
	dst.Message.Role = hub.RoleAssistant
	dst.FinishReason, dst.NativeFinishReason = core.FinishReason(oc.FinishReason), oc.FinishReason
	if lp := hubLogprobs(oc.Logprobs); lp != nil {
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
				id = core.SyntheticCallID(seed, oc.Index, k)
			}
			msg.ToolCalls[k] = hub.ToolCall{ID: id, Type: hub.TypeFunction, Function: hub.FunctionCall{Name: name, Arguments: args}}
		}
		dst.FinishReason = core.WithToolCalls(dst.FinishReason)
	}
	if text := joinText(m.Content); text != nil && *text != "" {
		msg.Content = text
	} else if len(msg.ToolCalls) == 0 && msg.Refusal == nil {
		msg.Content = &emptyText
	}
	for _, a := range m.Annotations {
		if u := a.URLCitation; u != nil {
			msg.Annotations = append(msg.Annotations, hub.Annotation{Type: "url_citation",
				URLCitation: hub.URLCitation{StartIndex: u.StartIndex, EndIndex: u.EndIndex, Title: u.Title, URL: u.URL}})
		}
	}
}

// joinText returns the concatenated TEXT parts, aliasing the part when there is exactly one; nil when there is no
// TEXT part.
func joinText(parts []Content) *string {
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
