package responses

import (
	"encoding/json"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// Encode turns the hub's whole answer into the client's: a *Response, or a *Compacted for
// POST /v1/responses/compact.
func (t *Turn) Encode(c *hub.ChatCompletion) any {
	var m *hub.ResponseMessage
	finish := "stop"
	if len(c.Choices) > 0 {
		m, finish = &c.Choices[0].Message, c.Choices[0].FinishReason
	}
	u := usage(c.Usage)
	if t.mode != modeAnswer {
		text := ""
		if m != nil && m.Content != nil {
			text = *m.Content
		}
		return t.compacted(text, u)
	}
	r := t.base()
	r.Status, r.IncompleteDetails = status(finish)
	r.Usage = &u
	if m == nil {
		return r
	}
	if m.ReasoningContent != "" {
		r.Output = append(r.Output, ReasoningItem{ID: t.itemID("rs_", len(r.Output)), Type: "reasoning",
			Summary: []TextPart{{Type: "summary_text", Text: m.ReasoningContent}}})
	}
	var content []any
	if m.Content != nil && (*m.Content != "" || len(m.ToolCalls) == 0) {
		content = append(content, outputText(*m.Content, m.Annotations))
	}
	if m.Refusal != nil && *m.Refusal != "" {
		content = append(content, Refusal{Type: "refusal", Refusal: *m.Refusal})
	}
	if content != nil {
		msgStatus := "completed"
		if r.Status == "incomplete" {
			msgStatus = "incomplete"
		}
		r.Output = append(r.Output, MessageItem{ID: t.itemID("msg_", len(r.Output)), Type: "message", Status: msgStatus, Role: "assistant", Content: content})
	}
	for i := range m.ToolCalls {
		tc := &m.ToolCalls[i]
		r.Output = append(r.Output, t.callItem(len(r.Output), tc.ID, tc.Function.Name, tc.Function.Arguments, "completed"))
	}
	return r
}

// compacted answers a compaction: a response holding one compaction item (compaction_trigger), or the
// response.compaction object of POST /v1/responses/compact.
func (t *Turn) compacted(summary string, u Usage) any {
	item := t.compactionItem(summary)
	if t.mode == modeTrigger {
		r := t.base()
		r.Status, r.Usage, r.Output = "completed", &u, []any{item}
		return r
	}
	out := t.userMessages()
	return &Compacted{ID: t.ID, Object: "response.compaction", CreatedAt: t.Created, Output: append(out, item), Usage: u}
}

// userMessages are the input's user messages, which the compacted history keeps as they were.
func (t *Turn) userMessages() []any {
	in := &t.req.Input
	if in.Items == nil {
		return []any{InputMessage{ID: t.itemID("msg_", 0), Type: "message", Status: "completed", Role: "user",
			Content: []Part{{Type: "input_text", Text: in.Text}}}}
	}
	var out []any
	for i := range in.Items {
		it := &in.Items[i]
		if it.Role != "user" || (it.Type != "" && it.Type != "message") {
			continue
		}
		parts := it.Content.Parts
		if parts == nil {
			parts = []Part{{Type: "input_text", Text: it.Content.Text}}
		}
		out = append(out, InputMessage{ID: t.itemID("msg_", len(out)), Type: "message", Status: "completed", Role: "user", Content: parts})
	}
	return out
}

// base is the response object before any output: request settings echoed, status in_progress.
func (t *Turn) base() *Response {
	q := &t.req
	r := &Response{ID: t.ID, Object: "response", CreatedAt: t.Created, Status: "in_progress", Model: q.Model,
		Instructions: q.Instructions, MaxOutputTokens: q.MaxOutputTokens, Output: []any{},
		ParallelToolCalls: q.ParallelTools == nil || *q.ParallelTools, Temperature: q.Temperature, TopP: q.TopP,
		ToolChoice: q.ToolChoice, Tools: q.Tools.Raw, Truncation: "disabled", Metadata: json.RawMessage(q.Metadata)}
	if q.Reasoning != nil {
		r.Reasoning = *q.Reasoning
	}
	if q.Text != nil {
		r.Text = *q.Text
	}
	if r.Text.Format == nil {
		r.Text.Format = &TextFormat{Type: "text"}
	}
	if len(r.ToolChoice) == 0 || string(r.ToolChoice) == "null" {
		r.ToolChoice = json.RawMessage(`"auto"`)
	}
	if len(r.Tools) == 0 {
		r.Tools = json.RawMessage(`[]`)
	}
	if len(r.Metadata) == 0 {
		r.Metadata = json.RawMessage(`{}`)
	}
	if q.User != "" {
		r.User = &q.User
	}
	return r
}

// itemID is the id of output item n: its type's prefix and the response id's random part.
func (t *Turn) itemID(prefix string, n int) string {
	_, rnd, _ := strings.Cut(t.ID, "_")
	return prefix + rnd + "_" + itoa(n)
}

// callItem is output item n for a hub tool call: a function_call, or a custom_tool_call for a custom tool,
// with a namespace member's namespace and name apart again.
func (t *Turn) callItem(n int, callID, name, args, status string) any {
	ref := t.tools.ref(name)
	if ref.custom {
		return CustomToolCallItem{ID: t.itemID("ctc_", n), Type: "custom_tool_call", Status: status, CallID: callID,
			Namespace: ref.namespace, Name: ref.name, Input: customInput(args)}
	}
	if strings.TrimSpace(args) == "" {
		args = "{}"
	}
	return FunctionCallItem{ID: t.itemID("fc_", n), Type: "function_call", Status: status, CallID: callID,
		Namespace: ref.namespace, Name: ref.name, Arguments: args}
}

func outputText(text string, anns []hub.Annotation) OutputText {
	o := OutputText{Type: "output_text", Text: text, Annotations: []Annotation{}, Logprobs: []struct{}{}}
	for _, a := range anns {
		u := a.URLCitation
		o.Annotations = append(o.Annotations, Annotation{Type: "url_citation", StartIndex: u.StartIndex, EndIndex: u.EndIndex, Title: u.Title, URL: u.URL})
	}
	return o
}

// status maps the hub's finish reason: a cut answer is incomplete, anything else completed.
func status(finish string) (string, *Incomplete) {
	switch finish {
	case "length":
		return "incomplete", &Incomplete{Reason: "max_output_tokens"}
	case "content_filter":
		return "incomplete", &Incomplete{Reason: "content_filter"}
	}
	return "completed", nil
}

// usage maps the hub's usage; missing figures are zeros (clients want integers).
func usage(u *hub.Usage) Usage {
	if u == nil {
		return Usage{}
	}
	out := Usage{InputTokens: u.PromptTokens, OutputTokens: u.CompletionTokens, TotalTokens: u.TotalTokens}
	if out.TotalTokens == 0 {
		out.TotalTokens = out.InputTokens + out.OutputTokens
	}
	if d := u.PromptTokensDetails; d != nil {
		out.InputTokensDetails.CachedTokens = d.CachedTokens
	}
	if d := u.CompletionTokensDetails; d != nil {
		out.OutputTokensDetails.ReasoningTokens = d.ReasoningTokens
	}
	return out
}
