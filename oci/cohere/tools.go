package cohere

import (
	"encoding/json"
	"strconv"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// tools converts tools under tool_choice. COHERE has no tool choice: "none" sends no tools, "auto" (or absent)
// sends them all, allowed_tools with mode "auto" narrows the list, and anything that forces a call is rejected (a
// forced call cannot be emulated; isForceSingleStep means something else).
func tools(req *hub.ChatRequest) ([]Tool, error) {
	choice, err := core.ParseToolChoice(req)
	switch {
	case err != nil:
		return nil, err
	case choice.Mode == core.ToolsNone:
		return nil, nil
	case choice.Mode == core.ToolsRequired:
		return nil, errForcedTool
	case len(req.Tools) == 0:
		return nil, nil
	}
	out := make([]Tool, 0, len(req.Tools))
	for i := range req.Tools {
		tl := &req.Tools[i]
		if err := core.CheckTool(tl, i); err != nil {
			return nil, err
		}
		f := &tl.Function
		if !choice.Keeps(f.Name) {
			continue
		}
		defs, err := parameterDefinitions(json.RawMessage(f.Parameters), "tools["+strconv.Itoa(i)+"].function.parameters")
		if err != nil {
			return nil, err
		}
		desc := f.Description
		if desc == "" {
			desc = f.Name // description is mandatory for Cohere tools
		}
		out = append(out, Tool{Name: f.Name, Description: desc, ParameterDefinitions: defs})
	}
	if len(out) == 0 {
		return nil, choice.ErrNoneKept()
	}
	return out, nil
}

var errForcedTool = hub.BadRequest("tool_choice", "Cohere models on OCI (apiFormat COHERE) cannot be forced to call a tool: use tool_choice 'auto' or 'none'.")
