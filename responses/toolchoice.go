package responses

import (
	"bytes"
	"encoding/json"

	"github.com/ociai/ociai-proxy/hub"
)

// choice is the object form of tool_choice.
type choice struct {
	Type      string   `json:"type"`
	Name      string   `json:"name"`
	Namespace string   `json:"namespace"`
	Mode      string   `json:"mode"`  // allowed_tools
	Tools     []choice `json:"tools"` // allowed_tools
}

// toolChoice maps tool_choice: "none", "auto", "required", a function or custom tool by name, or allowed_tools
// (hosted entries dropped). Forcing a hosted tool, which the gateway leaves out, becomes "auto".
func (ts *toolset) toolChoice(raw json.RawMessage) (*hub.ToolChoice, *hub.Error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '"' {
		var mode string
		_ = json.Unmarshal(raw, &mode)
		switch mode {
		case "none", "auto", "required":
			return &hub.ToolChoice{Mode: mode}, nil
		}
		return nil, invalid("tool_choice", "Invalid value for 'tool_choice': "+quote(mode)+". Supported values are: 'none', 'auto' and 'required', or an object.")
	}
	var c choice
	if raw[0] != '{' || json.Unmarshal(raw, &c) != nil {
		return nil, invalid("tool_choice", "'tool_choice' must be 'none', 'auto', 'required' or an object such as {\"type\":\"function\",\"name\":\"…\"}.")
	}
	switch c.Type {
	case "function", "custom":
		name, err := ts.chosen(&c, "tool_choice")
		if err != nil {
			return nil, err
		}
		return &hub.ToolChoice{Type: "function", Function: &hub.ToolChoiceFunction{Name: name}}, nil
	case "allowed_tools":
		return ts.allowedTools(&c)
	}
	return &hub.ToolChoice{Mode: "auto"}, nil // a hosted tool (left out) or one the gateway does not know
}

// chosen is the function name of a forced function or custom tool, which must be among the tools.
func (ts *toolset) chosen(c *choice, param string) (string, *hub.Error) {
	name := flat(c.Namespace, c.Name)
	if c.Name == "" || ts.byFlat[name] == (toolRef{}) {
		return "", invalid(param+".name", "tool_choice names "+quote(c.Name)+", which is not among the function and custom tools of this request.")
	}
	return name, nil
}

func (ts *toolset) allowedTools(c *choice) (*hub.ToolChoice, *hub.Error) {
	mode := c.Mode
	switch mode {
	case "":
		mode = "auto"
	case "auto", "required":
	default:
		return nil, invalid("tool_choice.mode", "Invalid value for 'tool_choice.mode': "+quote(mode)+". Supported values are: 'auto' and 'required'.")
	}
	at := &hub.AllowedTools{Mode: mode}
	for i := range c.Tools {
		t := &c.Tools[i]
		if t.Type != "function" && t.Type != "custom" {
			continue // hosted tools are left out of the request
		}
		name, err := ts.chosen(t, "tool_choice.tools["+itoa(i)+"]")
		if err != nil {
			return nil, err
		}
		at.Tools = append(at.Tools, hub.ToolChoice{Type: "function", Function: &hub.ToolChoiceFunction{Name: name}})
	}
	if len(at.Tools) == 0 {
		return &hub.ToolChoice{Mode: "auto"}, nil
	}
	return &hub.ToolChoice{Type: "allowed_tools", AllowedTools: at}, nil
}
