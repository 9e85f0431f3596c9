package coherev2

import (
	"strconv"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

var (
	emptyText = "" // backs content "" without an allocation; never written through
	spaceText = " "
)

// messages converts the conversation; developer becomes SYSTEM.
func messages(in []hub.Message) ([]Message, error) {
	if err := core.CheckMessages(in); err != nil {
		return nil, err
	}
	out := make([]Message, len(in))
	for i := range in {
		m, o := &in[i], &out[i]
		if err := core.CheckRole(m.Role, i); err != nil {
			return nil, err
		}
		var err error
		switch m.Role {
		case "system", "developer":
			o.Role = "SYSTEM"
			o.Content, err = content(m, i, false)
		case "user":
			o.Role = "USER"
			o.Content, err = content(m, i, true)
		case "assistant":
			err = assistant(m, i, o)
		case "tool":
			if err = core.CheckToolMessage(m, i); err != nil {
				return nil, err
			}
			o.Role, o.ToolCallID = "TOOL", m.ToolCallID
			if o.Content, err = content(m, i, false); err == nil && len(o.Content) == 0 {
				o.Content = []Content{{Type: "TEXT", Text: &emptyText}}
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// assistant converts the assistant message m (messages[i]) into o.
func assistant(m *hub.Message, i int, o *Message) error {
	o.Role = "ASSISTANT"
	var err error
	if o.Content, err = content(m, i, false); err != nil {
		return err
	}
	if len(o.Content) == 0 {
		// UNCONFIRMED: content is mandatory and langchain-oracle reports V2 assistant turns need non-empty content.
		o.Content = []Content{{Type: "TEXT", Text: &spaceText}}
	}
	if len(m.ToolCalls) == 0 {
		return nil
	}
	o.ToolCalls = make([]ToolCall, len(m.ToolCalls))
	for j := range m.ToolCalls {
		tc := &m.ToolCalls[j]
		if err := core.CheckToolCall(tc, i, j); err != nil {
			return err
		}
		o.ToolCalls[j] = ToolCall{ID: tc.ID, Type: "FUNCTION", Function: FunctionCall{Name: tc.Function.Name, Arguments: core.Arguments(&tc.Function)}}
	}
	// UNCONFIRMED: the reasoning that led to the calls travels back as toolPlan (Completion maps toolPlan to
	// reasoning_content).
	o.ToolPlan = m.ReasoningContent
	return nil
}

// content converts content to TEXT parts and, where allowed, IMAGE_URL parts. An empty assistant string gives no
// part; other roles always get at least a TEXT part.
func content(m *hub.Message, i int, images bool) ([]Content, error) {
	c := &m.Content
	if len(c.Parts) == 0 {
		if c.Text == "" && m.Role == "assistant" {
			if m.Refusal != nil && *m.Refusal != "" {
				return []Content{{Type: "TEXT", Text: m.Refusal}}, nil
			}
			return nil, nil
		}
		return []Content{{Type: "TEXT", Text: &c.Text}}, nil
	}
	out := make([]Content, 0, len(c.Parts))
	for j := range c.Parts {
		p := &c.Parts[j]
		switch p.Type {
		case "text", "input_text":
			out = append(out, Content{Type: "TEXT", Text: &p.Text})
		case "refusal":
			if err := core.CheckRefusalPart(m.Role, i, j); err != nil {
				return nil, err
			}
			out = append(out, Content{Type: "TEXT", Text: &p.Refusal})
		case "image_url":
			if !images {
				return nil, hub.BadRequest(core.PartParam(i, j, ".type"), "Image parts are only allowed in user messages.")
			}
			u, err := core.MediaPart(p.ImageURL, i, j, ".image_url")
			if err != nil {
				return nil, err
			}
			out = append(out, Content{Type: "IMAGE_URL", ImageURL: u})
		default:
			pp := core.PartParam(i, j, ".type")
			return nil, hub.BadRequest(pp, "Invalid value for '"+pp+"': "+strconv.Quote(p.Type)+". Cohere models accept 'text' and 'image_url' parts.")
		}
	}
	if len(out) == 0 && m.Role != "assistant" {
		out = append(out, Content{Type: "TEXT", Text: &emptyText})
	}
	return out, nil
}
