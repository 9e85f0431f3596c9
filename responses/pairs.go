package responses

import "github.com/ociai/ociai-proxy/hub"

// pairResults puts each tool output right after the assistant message holding its call, in the order of the
// calls, followed by one user message with the images those outputs returned. A call without an output, or an
// output without a call, is the client's mistake (as on OpenAI), except in a transcript to summarise.
func (h *history) pairResults(items []Item) *hub.Error {
	for i := range items {
		if t := items[i].Type; t == "function_call_output" || t == "custom_tool_call_output" {
			if _, ok := h.callAt[items[i].CallID]; !ok {
				return invalid(at(i, "call_id"), "No tool call found for the "+t+" with call_id "+quote(items[i].CallID)+".")
			}
		}
	}
	out := make([]hub.Message, 0, len(h.msgs))
	for _, m := range h.msgs {
		if m.Role == "tool" {
			continue // placed with its call
		}
		out = append(out, m)
		if len(m.ToolCalls) == 0 {
			continue
		}
		var images []hub.ContentPart
		for _, tc := range m.ToolCalls {
			r, ok := h.results[tc.ID]
			if !ok {
				if h.lenient || h.trigger {
					continue
				}
				i := h.callAt[tc.ID]
				return invalid(at(i, "call_id"), "No tool output found for "+items[i].Type+" "+quote(tc.ID)+": send its "+items[i].Type+"_output in input.")
			}
			out = append(out, hub.Message{Role: "tool", ToolCallID: tc.ID, Content: hub.TextContent(r.text)})
			if len(r.images) > 0 {
				images = append(images, hub.ContentPart{Type: "text", Text: "Images returned by tool call " + tc.ID + ":"})
				images = append(images, r.images...)
			}
		}
		if len(images) > 0 {
			out = append(out, hub.Message{Role: "user", Content: hub.Content{Parts: images}})
		}
	}
	h.msgs = out
	return nil
}
