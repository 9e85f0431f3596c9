package core

import (
	"encoding/json"
	"strconv"

	"github.com/ociai/ociai-proxy/hub"
)

// defaultParameters is sent for a function declared without a schema; some OCI models reject a tool without
// parameters.
var defaultParameters = json.RawMessage(`{"type":"object","properties":{}}`)

// CheckTool rejects what no format takes in tools[i]: a tool that is not a function, or a function without a
// name.
func CheckTool(tl *hub.Tool, i int) error {
	p := "tools[" + strconv.Itoa(i) + "]"
	if tl.Type != hub.TypeFunction && tl.Type != "" {
		return hub.BadRequest(p+".type", "Invalid value for '"+p+".type': "+strconv.Quote(tl.Type)+". Only 'function' tools are supported.")
	}
	if tl.Function.Name == "" {
		return hub.BadRequest(p+".function.name", "Missing required parameter: '"+p+".function.name'.")
	}
	return nil
}

// Parameters is the function's JSON schema, or an empty object schema when it declares none.
func Parameters(f *hub.FunctionDef) json.RawMessage {
	if params := json.RawMessage(f.Parameters); !IsNull(params) {
		return params
	}
	return defaultParameters
}

// CheckToolCall rejects what no format takes in messages[i].tool_calls[j]: a call that is not a function call,
// or one without an id or a function name.
func CheckToolCall(tc *hub.ToolCall, i, j int) error {
	p := MsgParam(i, ".tool_calls["+strconv.Itoa(j)+"]")
	if tc.Type != "" && tc.Type != hub.TypeFunction {
		return hub.BadRequest(p+".type", "Invalid value for '"+p+".type': "+strconv.Quote(tc.Type)+". Only 'function' tool calls are supported.")
	}
	if tc.ID == "" {
		return hub.BadRequest(p+".id", "Missing required parameter: '"+p+".id'.")
	}
	if tc.Function.Name == "" {
		return hub.BadRequest(p+".function.name", "Missing required parameter: '"+p+".function.name'.")
	}
	return nil
}

// Arguments is the call's JSON arguments; some clients send "" for argument-less calls, and models expect JSON.
func Arguments(f *hub.FunctionCall) string {
	if f.Arguments == "" {
		return "{}"
	}
	return f.Arguments
}

// ToolChoice is tool_choice reduced to what the formats act on.
type ToolChoice struct {
	Mode     string            // ToolsAuto, ToolsNone, ToolsRequired or "" (tool_choice absent, or a no-op without tools)
	Function string            // the one function the model must call, when tool_choice names one
	Allowed  *hub.AllowedTools // the allowed_tools form: only these functions (Mode auto or required)
}

// Modes of ToolChoice.
const (
	ToolsAuto     = "auto"
	ToolsNone     = "none"
	ToolsRequired = "required"
)

// ErrToolChoiceWithoutTools answers a tool_choice that needs tools when there are none.
var ErrToolChoiceWithoutTools = hub.BadRequest("tool_choice", "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.")

// ParseToolChoice validates req.ToolChoice against req.Tools. "auto" and "none" without tools mean nothing (Mode
// ""); anything else without tools is an error. A named function gives Mode ToolsRequired and Function.
func ParseToolChoice(req *hub.ChatRequest) (ToolChoice, error) {
	tc := req.ToolChoice
	if tc == nil {
		return ToolChoice{}, nil
	}
	haveTools := len(req.Tools) > 0
	if tc.Mode != "" {
		switch tc.Mode {
		case ToolsAuto, ToolsNone:
			if !haveTools {
				return ToolChoice{}, nil
			}
		case ToolsRequired:
			if !haveTools {
				return ToolChoice{}, ErrToolChoiceWithoutTools
			}
		default:
			return ToolChoice{}, hub.BadRequest("tool_choice", "Invalid value for 'tool_choice': "+strconv.Quote(tc.Mode)+". Supported values are: 'none', 'auto', 'required' or an object naming a function.")
		}
		return ToolChoice{Mode: tc.Mode}, nil
	}
	if !haveTools {
		return ToolChoice{}, ErrToolChoiceWithoutTools
	}
	switch tc.Type {
	case hub.TypeFunction:
		if tc.Function == nil || tc.Function.Name == "" {
			return ToolChoice{}, hub.BadRequest("tool_choice", "Missing required parameter: 'tool_choice.function.name'.")
		}
		return ToolChoice{Mode: ToolsRequired, Function: tc.Function.Name}, nil
	case "allowed_tools":
		at := tc.AllowedTools
		if at == nil {
			return ToolChoice{}, hub.BadRequest("tool_choice", "Missing required parameter: 'tool_choice.allowed_tools'.")
		}
		if at.Mode != ToolsAuto && at.Mode != ToolsRequired {
			return ToolChoice{}, hub.BadRequest("tool_choice", "Invalid value for 'tool_choice.allowed_tools.mode': "+strconv.Quote(at.Mode)+". Supported values are: 'auto' and 'required'.")
		}
		return ToolChoice{Mode: at.Mode, Allowed: at}, nil
	}
	return ToolChoice{}, hub.BadRequest("tool_choice", "Invalid value for 'tool_choice.type': "+strconv.Quote(tc.Type)+". Supported values are: 'function' and 'allowed_tools'.")
}

// Narrows reports whether the choice restricts the tools to some of them.
func (c ToolChoice) Narrows() bool { return c.Function != "" || c.Allowed != nil }

// Keeps reports whether the function name stays in the tool list under the choice.
func (c ToolChoice) Keeps(name string) bool {
	switch {
	case c.Function != "":
		return name == c.Function
	case c.Allowed != nil:
		for i := range c.Allowed.Tools {
			if f := c.Allowed.Tools[i].Function; f != nil && f.Name == name {
				return true
			}
		}
		return false
	}
	return true
}

// ErrNoneKept answers a tool_choice that narrows the tools to none of those defined.
func (c ToolChoice) ErrNoneKept() error {
	if c.Function != "" {
		return hub.BadRequest("tool_choice", "Invalid value for 'tool_choice.function.name': "+strconv.Quote(c.Function)+" is not defined in 'tools'.")
	}
	return hub.BadRequest("tool_choice", "None of the functions in 'tool_choice.allowed_tools.tools' is defined in 'tools'.")
}
