package coherev2

import (
	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// tools maps tools and tool_choice. V2 has toolsChoice REQUIRED|NONE ("auto" is the default and sent as nothing).
// A named function becomes REQUIRED with the tool list narrowed to that function, which forces exactly that call;
// allowed_tools narrows the list likewise.
func (b *bundle) tools(req *hub.ChatRequest) error {
	c := &b.chat
	if len(req.Tools) > 0 {
		c.Tools = make([]Tool, len(req.Tools))
		for i := range req.Tools {
			tl := &req.Tools[i]
			if err := core.CheckTool(tl, i); err != nil {
				return err
			}
			c.Tools[i] = Tool{Type: "FUNCTION", Function: Function{Name: tl.Function.Name, Description: tl.Function.Description, Parameters: core.Parameters(&tl.Function)}}
			if tl.Function.Strict != nil && *tl.Function.Strict {
				// UNCONFIRMED: Cohere's strict_tools is request-wide.
				b.strict = true
				c.IsStrictToolsEnabled = &b.strict
			}
		}
	}
	choice, err := core.ParseToolChoice(req)
	if err != nil {
		return err
	}
	switch choice.Mode {
	case core.ToolsNone:
		c.ToolsChoice = "NONE"
	case core.ToolsRequired:
		c.ToolsChoice = "REQUIRED"
	}
	if !choice.Narrows() {
		return nil
	}
	kept := c.Tools[:0:0]
	for _, t := range c.Tools {
		if choice.Keeps(t.Function.Name) {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		return choice.ErrNoneKept()
	}
	c.Tools = kept
	return nil
}
