package anthropic

import (
	"strconv"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// converter builds the hub's messages from the system prompt and messages.
type converter struct {
	system []string
	out    []hub.Message
	loaded map[string]bool // tools a tool_reference block has loaded
}

// billingHeader starts the first system block Claude Code sends: metadata for Anthropic's billing, not an
// instruction, so it is not shown to the model.
const billingHeader = "x-anthropic-billing-header:"

// convertMessages converts messages in order. All system text, from the system field and from role "system"
// messages, goes into one leading system message: several OCI models reject a system turn after the first.
func convertMessages(r *Request) (*converter, error) {
	if len(r.Messages) == 0 {
		return nil, hub.BadRequest("messages", "messages: at least one message is required")
	}
	cv := &converter{out: make([]hub.Message, 1, len(r.Messages)+1), loaded: map[string]bool{}}
	if err := cv.systemText("system", &r.System); err != nil {
		return nil, err
	}
	for i := range r.Messages {
		m := &r.Messages[i]
		p := "messages." + strconv.Itoa(i)
		var err error
		switch m.Role {
		case "system":
			err = cv.systemText(p+".content", &m.Content)
		case "user":
			err = cv.user(p, &m.Content)
		case "assistant":
			err = cv.assistant(p, &m.Content)
		default:
			err = hub.BadRequest(p+".role", p+".role: Input should be 'user', 'assistant' or 'system'")
		}
		if err != nil {
			return nil, err
		}
	}
	if len(cv.out) == 1 {
		return nil, hub.BadRequest("messages", "messages: no user or assistant message has any content")
	}
	if len(cv.system) == 0 {
		cv.out = cv.out[1:]
	} else {
		cv.out[0] = hub.Message{Role: "system", Content: hub.TextContent(strings.Join(cv.system, "\n\n"))}
	}
	return cv, nil
}

func (cv *converter) systemText(p string, c *Content) error {
	if c.Blocks == nil {
		if c.Text != "" {
			cv.system = append(cv.system, c.Text)
		}
		return nil
	}
	for j := range c.Blocks {
		b := &c.Blocks[j]
		if b.Type != "text" {
			return hub.BadRequest(p+"."+strconv.Itoa(j)+".type", p+"."+strconv.Itoa(j)+".type: system content must be text blocks")
		}
		if b.Text != "" && !strings.HasPrefix(b.Text, billingHeader) {
			cv.system = append(cv.system, b.Text)
		}
	}
	return nil
}

// user converts a user turn: each tool_result becomes a tool message, placed first as OCI wants results right
// after the calls; the rest (text, images, documents, and images returned by tools) one user message.
func (cv *converter) user(p string, c *Content) error {
	if c.Blocks == nil {
		if c.Text != "" {
			cv.add("user", []hub.ContentPart{{Type: "text", Text: c.Text}})
		}
		return nil
	}
	var parts, fromTools []hub.ContentPart
	for j := range c.Blocks {
		b, bp := &c.Blocks[j], p+".content."+strconv.Itoa(j)
		if b.Type == "tool_result" {
			images, err := cv.toolResult(bp, b)
			if err != nil {
				return err
			}
			fromTools = append(fromTools, images...)
			continue
		}
		var err error
		if parts, err = cv.part(bp, b, parts); err != nil {
			return err
		}
	}
	cv.add("user", append(fromTools, parts...))
	return nil
}

// part appends what a user block says to parts.
func (cv *converter) part(p string, b *Block, parts []hub.ContentPart) ([]hub.ContentPart, error) {
	switch b.Type {
	case "text":
		if b.Text != "" { // Anthropic rejects empty text blocks; clients still replay them
			parts = append(parts, hub.ContentPart{Type: "text", Text: b.Text})
		}
	case "image":
		img, err := image(p, b.Source)
		if err != nil {
			return nil, err
		}
		parts = append(parts, img)
	case "document":
		return document(p, b, parts)
	case "search_result":
		src := ""
		if b.Source != nil {
			src = b.Source.URL
		}
		parts = append(parts, hub.ContentPart{Type: "text", Text: joinNonEmpty("\n", b.Title, src, plainText(b.Content))})
	case "tool_reference":
		cv.loaded[b.ToolName] = true
		parts = append(parts, hub.ContentPart{Type: "text", Text: "Tool " + b.ToolName + " loaded."})
	default:
		if !serverOutput(b.Type) {
			return nil, unknownBlock(p, b.Type)
		}
	}
	return parts, nil
}

// toolResult adds the tool message for a tool_result block and returns the images it holds, which only user
// messages can carry.
func (cv *converter) toolResult(p string, b *Block) ([]hub.ContentPart, error) {
	if b.ToolUseID == "" {
		return nil, hub.BadRequest(p+".tool_use_id", p+".tool_use_id: Field required")
	}
	var texts []string
	var images []hub.ContentPart
	if c := b.Content; c != nil && c.Blocks == nil {
		texts = append(texts, c.Text)
	} else if c != nil {
		for k := range c.Blocks {
			parts, err := cv.part(p+".content."+strconv.Itoa(k), &c.Blocks[k], nil)
			if err != nil {
				return nil, err
			}
			for _, x := range parts {
				if x.Type == "text" {
					texts = append(texts, x.Text)
				} else {
					images = append(images, x)
				}
			}
		}
	}
	text := strings.Join(texts, "\n")
	if b.IsError {
		text = "Error: " + text
	}
	cv.out = append(cv.out, hub.Message{Role: "tool", ToolCallID: b.ToolUseID, Content: hub.TextContent(text)})
	return images, nil
}

// assistant converts an assistant turn: text, thinking (as reasoning, without its signature) and tool_use
// blocks, in one message.
func (cv *converter) assistant(p string, c *Content) error {
	if c.Blocks == nil {
		if c.Text != "" {
			cv.add("assistant", []hub.ContentPart{{Type: "text", Text: c.Text}})
		}
		return nil
	}
	var m hub.Message
	var parts []hub.ContentPart
	for j := range c.Blocks {
		b, bp := &c.Blocks[j], p+".content."+strconv.Itoa(j)
		switch b.Type {
		case "text":
			if b.Text != "" {
				parts = append(parts, hub.ContentPart{Type: "text", Text: b.Text})
			}
		case "thinking":
			m.ReasoningContent += b.Thinking
		case "tool_use":
			if b.ID == "" || b.Name == "" {
				return hub.BadRequest(bp, bp+": tool_use blocks need an id and a name")
			}
			m.ToolCalls = append(m.ToolCalls, hub.ToolCall{ID: b.ID, Type: "function",
				Function: hub.FunctionCall{Name: b.Name, Arguments: arguments(b.Input)}})
		case "redacted_thinking":
			// encrypted by Anthropic: nothing another model can read
		default:
			if !serverOutput(b.Type) {
				return unknownBlock(bp, b.Type)
			}
		}
	}
	if len(parts) == 0 && len(m.ToolCalls) == 0 && m.ReasoningContent == "" {
		return nil
	}
	if last := cv.last(); last != nil && last.Role == "assistant" { // Anthropic merges consecutive turns
		last.Content.Parts = append(last.Content.Parts, parts...)
		last.ToolCalls = append(last.ToolCalls, m.ToolCalls...)
		last.ReasoningContent += m.ReasoningContent
		return nil
	}
	m.Role, m.Content = "assistant", hub.Content{Parts: parts}
	cv.out = append(cv.out, m)
	return nil
}

// add appends a turn, merged into the previous one of the same role as Anthropic does.
func (cv *converter) add(role string, parts []hub.ContentPart) {
	if len(parts) == 0 {
		return
	}
	if last := cv.last(); last != nil && last.Role == role {
		last.Content.Parts = append(last.Content.Parts, parts...)
		return
	}
	cv.out = append(cv.out, hub.Message{Role: role, Content: hub.Content{Parts: parts}})
}

func (cv *converter) last() *hub.Message {
	if len(cv.out) < 2 { // out[0] is kept for the system message
		return nil
	}
	return &cv.out[len(cv.out)-1]
}

// arguments is a tool_use input as the JSON arguments string; models expect an object.
func arguments(input []byte) string {
	s := strings.TrimSpace(string(input))
	if s == "" || s == "null" {
		return "{}"
	}
	return s
}

// serverOutput reports the blocks of Anthropic's server tools (server_tool_use, web_search_tool_result…) and
// container uploads: records of work done on Anthropic's side that no OCI model can use, left out.
func serverOutput(typ string) bool {
	return typ == "server_tool_use" || typ == "mcp_tool_use" || typ == "container_upload" || strings.HasSuffix(typ, "_tool_result")
}

func unknownBlock(p, typ string) error {
	return hub.BadRequest(p+".type", p+".type: content blocks of type "+strconv.Quote(typ)+" are not supported here")
}

func joinNonEmpty(sep string, s ...string) string {
	out := s[:0:0]
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return strings.Join(out, sep)
}
