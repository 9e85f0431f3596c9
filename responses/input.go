package responses

import (
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// history turns input items into hub messages.
//
//   - message: system and developer text is merged, in order, into one leading system message (models reject a
//     system turn in mid-conversation); user and assistant messages keep their place.
//   - function_call, custom_tool_call: tool calls of an assistant message; consecutive calls (and the assistant
//     text around them) form one message. A custom call's arguments are {"input": "<its input>"}.
//   - function_call_output, custom_tool_call_output: tool messages, moved right after the message holding
//     their call (OCI wants results next to their calls); images in an output follow as a user message.
//   - reasoning: its summary (or reasoning_text content) becomes the reasoning of the next assistant message;
//     encrypted_content made elsewhere cannot be read and is ignored.
//   - compaction: a summary the gateway made (compact.go), back as a user message.
//   - compaction_trigger: the request asks for a compaction (last item only).
//   - web_search_call, tool_search_call: history of hosted tools, left out; tool_search_output and
//     additional_tools add the tools they carry to the request.
//   - item_reference needs stored items: one to a reasoning item (rs_…, which the Vercel AI SDK sends for
//     earlier reasoning by default) is left out, as that reasoning is optional context; any other is a 400.
//     Other hosted-tool items are 400 as well.
type history struct {
	tools    *toolset
	sealer   *Sealer
	system   []string
	msgs     []hub.Message
	thinking []string          // reasoning waiting for the next assistant message
	callAt   map[string]int    // call_id -> index of the item that made the call
	results  map[string]result // call_id -> its output
	trigger  bool              // a compaction_trigger ended the input
	lenient  bool              // calls without output are fine (a transcript to summarise)
}

// result is a tool output, placed by pairResults.
type result struct {
	text   string
	images []hub.ContentPart
}

func (h *history) items(items []Item) *hub.Error {
	for i := range items {
		it := &items[i]
		typ := it.Type
		if typ == "" && it.Role != "" {
			typ = "message"
		}
		var err *hub.Error
		switch typ {
		case "message":
			err = h.message(it, i)
		case "function_call", "custom_tool_call":
			err = h.call(it, i, typ == "custom_tool_call")
		case "function_call_output", "custom_tool_call_output":
			err = h.output(it, i)
		case "reasoning":
			h.reasoning(it)
		case "compaction":
			err = h.compaction(it, i)
		case "compaction_trigger":
			if i != len(items)-1 {
				return invalid(at(i, "type"), "A compaction_trigger item must be the last input item.")
			}
			h.trigger = true
		case "tool_search_output", "additional_tools":
			err = h.tools.add(it.Tools, at(i, "tools"))
		case "web_search_call", "tool_search_call":
		case "item_reference":
			if !strings.HasPrefix(it.ID, "rs_") { // earlier reasoning is optional context: left out
				return invalid(at(i, "id"), "The gateway cannot look up item "+quote(it.ID)+": it stores no items, so send the item itself."+
					" (The Vercel AI SDK does when its OpenAI provider has providerOptions: { openai: { store: false } }.)")
			}
		case "":
			return invalid(at(i, "type"), "Each input item needs a type (or a role, for a message).")
		default:
			return invalid(at(i, "type"), "Input items of type "+quote(typ)+" are not supported: the gateway runs no hosted tools.")
		}
		if err != nil {
			return err
		}
	}
	return h.pairResults(items)
}

func (h *history) message(it *Item, i int) *hub.Error {
	switch it.Role {
	case "system", "developer":
		text, err := textOnly(&it.Content, at(i, "content"))
		if err != nil {
			return err
		}
		if text != "" {
			h.system = append(h.system, text)
		}
		return nil
	case "user":
		c, err := userContent(&it.Content, at(i, "content"))
		if err != nil {
			return err
		}
		h.msgs = append(h.msgs, hub.Message{Role: "user", Content: c})
		return nil
	case "assistant":
		text, err := textOnly(&it.Content, at(i, "content"))
		if err != nil {
			return err
		}
		m := h.assistant()
		if text != "" {
			if m.Content.Text != "" {
				text = m.Content.Text + "\n\n" + text
			}
			m.Content = hub.TextContent(text)
		}
		return nil
	}
	return invalid(at(i, "role"), "Invalid value for 'role': "+quote(it.Role)+". Supported values are: 'user', 'assistant', 'system' and 'developer'.")
}

// assistant is the assistant message that assistant items go into: the last message when it is one, else a
// new one; it takes the reasoning seen since.
func (h *history) assistant() *hub.Message {
	if n := len(h.msgs); n == 0 || h.msgs[n-1].Role != "assistant" {
		h.msgs = append(h.msgs, hub.Message{Role: "assistant"})
	}
	m := &h.msgs[len(h.msgs)-1]
	if len(h.thinking) > 0 {
		if m.ReasoningContent != "" {
			h.thinking = append([]string{m.ReasoningContent}, h.thinking...)
		}
		m.ReasoningContent = strings.Join(h.thinking, "\n\n")
		h.thinking = h.thinking[:0]
	}
	return m
}

func (h *history) call(it *Item, i int, custom bool) *hub.Error {
	if it.CallID == "" {
		return invalid(at(i, "call_id"), "Missing required parameter: '"+at(i, "call_id")+"'.")
	}
	if it.Name == "" {
		return invalid(at(i, "name"), "Missing required parameter: '"+at(i, "name")+"'.")
	}
	if _, dup := h.callAt[it.CallID]; dup {
		return invalid(at(i, "call_id"), "Duplicate call_id "+quote(it.CallID)+": each tool call needs its own.")
	}
	if h.callAt == nil {
		h.callAt = map[string]int{}
	}
	h.callAt[it.CallID] = i
	args := it.Arguments
	if custom {
		args = callArguments(it.Input)
	} else if strings.TrimSpace(args) == "" {
		args = "{}"
	}
	m := h.assistant()
	m.ToolCalls = append(m.ToolCalls, hub.ToolCall{ID: it.CallID, Type: "function",
		Function: hub.FunctionCall{Name: flat(it.Namespace, it.Name), Arguments: args}})
	return nil
}

func (h *history) output(it *Item, i int) *hub.Error {
	if it.CallID == "" {
		return invalid(at(i, "call_id"), "Missing required parameter: '"+at(i, "call_id")+"'.")
	}
	if _, dup := h.results[it.CallID]; dup {
		return invalid(at(i, "call_id"), "Duplicate output for call_id "+quote(it.CallID)+".")
	}
	text, images, err := outputContent(&it.Output, at(i, "output"))
	if err != nil {
		return err
	}
	if text == "" {
		text = "(no output)" // OCI rejects an empty tool message
	}
	if h.results == nil {
		h.results = map[string]result{}
	}
	h.results[it.CallID] = result{text: text, images: images}
	h.msgs = append(h.msgs, hub.Message{Role: "tool", ToolCallID: it.CallID})
	return nil
}

// reasoning keeps a reasoning item's text for the next assistant message: its summary, else its raw
// reasoning_text content. Encrypted content from elsewhere (OpenAI's own) cannot be read and is dropped.
func (h *history) reasoning(it *Item) {
	var parts []string
	for _, s := range it.Summary {
		if s.Text != "" {
			parts = append(parts, s.Text)
		}
	}
	if len(parts) == 0 {
		for _, p := range it.Content.Parts {
			if p.Text != "" {
				parts = append(parts, p.Text)
			}
		}
	}
	h.thinking = append(h.thinking, parts...)
}
