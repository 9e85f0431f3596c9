package generic

import (
	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// tools maps tools, tool_choice and parallel_tool_calls. GENERIC has no allowed_tools: narrowing the tool list
// has the same effect.
func (b *bundle) tools(req *hub.ChatRequest) error {
	g := &b.chat
	if len(req.Tools) > 0 {
		g.Tools = make([]Tool, len(req.Tools))
		for i := range req.Tools {
			tl := &req.Tools[i]
			if err := core.CheckTool(tl, i); err != nil {
				return err
			}
			// "strict" has no GENERIC equivalent and is left out.
			g.Tools[i] = Tool{Type: "FUNCTION", Name: tl.Function.Name, Description: tl.Function.Description, Parameters: core.Parameters(&tl.Function)}
		}
		g.IsParallelToolCalls = req.ParallelToolCalls
	}
	choice, err := core.ParseToolChoice(req)
	if err != nil || choice.Mode == "" {
		return err
	}
	switch {
	case choice.Function != "":
		b.toolChoice = ToolChoice{Type: "FUNCTION", Name: choice.Function}
	case choice.Mode == core.ToolsAuto:
		b.toolChoice.Type = "AUTO"
	case choice.Mode == core.ToolsNone:
		b.toolChoice.Type = "NONE"
	default:
		b.toolChoice.Type = "REQUIRED"
	}
	if choice.Allowed != nil {
		kept := g.Tools[:0:0]
		for _, t := range g.Tools {
			if choice.Keeps(t.Name) {
				kept = append(kept, t)
			}
		}
		if len(kept) == 0 {
			return choice.ErrNoneKept()
		}
		g.Tools = kept
	}
	g.ToolChoice = &b.toolChoice
	return nil
}
