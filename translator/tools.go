package translator

import (
	"encoding/json"
	"strconv"

	"github.com/ociai/ociai-proxy/hub"
)

// defaultParameters is sent for a function declared without a schema; some
// OCI models reject a tool without parameters.
var defaultParameters = json.RawMessage(`{"type":"object","properties":{}}`)

// checkTool rejects what no API format takes in tools[i]: a tool that is not a function, or a function
// without a name.
func checkTool(tl *hub.Tool, i int) error {
	p := "tools[" + strconv.Itoa(i) + "]"
	if tl.Type != hub.TypeFunction && tl.Type != "" {
		return reqErr(p+".type", "Invalid value for '"+p+".type': "+strconv.Quote(tl.Type)+". Only 'function' tools are supported.")
	}
	if tl.Function.Name == "" {
		return reqErr(p+".function.name", "Missing required parameter: '"+p+".function.name'.")
	}
	return nil
}

// parameters is the function's JSON schema, or defaultParameters when it declares none.
func parameters(f *hub.FunctionDef) json.RawMessage {
	if params := json.RawMessage(f.Parameters); !isNull(params) {
		return params
	}
	return defaultParameters
}

// checkToolCall rejects what no API format takes in messages[i].tool_calls[j]: a call that is not a
// function call, or one without an id or a function name.
func checkToolCall(tc *hub.ToolCall, i, j int) error {
	p := msgParam(i, ".tool_calls["+strconv.Itoa(j)+"]")
	if tc.Type != "" && tc.Type != hub.TypeFunction {
		return reqErr(p+".type", "Invalid value for '"+p+".type': "+strconv.Quote(tc.Type)+". Only 'function' tool calls are supported.")
	}
	if tc.ID == "" {
		return reqErr(p+".id", "Missing required parameter: '"+p+".id'.")
	}
	if tc.Function.Name == "" {
		return reqErr(p+".function.name", "Missing required parameter: '"+p+".function.name'.")
	}
	return nil
}

// arguments is the call's JSON arguments; some clients send "" for argument-less calls, and models expect
// JSON.
func arguments(f *hub.FunctionCall) string {
	if f.Arguments == "" {
		return "{}"
	}
	return f.Arguments
}

// tools maps tools, tool_choice and parallel_tool_calls.
func (b *requestBundle) tools(req *hub.ChatRequest) error {
	g := &b.chat
	if len(req.Tools) > 0 {
		g.Tools = make([]OCITool, len(req.Tools))
		for i := range req.Tools {
			tl := &req.Tools[i]
			if err := checkTool(tl, i); err != nil {
				return err
			}
			// "strict" has no GENERIC equivalent and is left out.
			g.Tools[i] = OCITool{Type: "FUNCTION", Name: tl.Function.Name, Description: tl.Function.Description, Parameters: parameters(&tl.Function)}
		}
		g.IsParallelToolCalls = req.ParallelToolCalls
	}
	tc := req.ToolChoice
	if tc == nil {
		return nil
	}
	if tc.Mode != "" {
		switch tc.Mode {
		case "auto":
			b.toolChoice.Type = "AUTO"
		case "none":
			b.toolChoice.Type = "NONE"
		case "required":
			b.toolChoice.Type = "REQUIRED"
		default:
			return reqErr("tool_choice", "Invalid value for 'tool_choice': "+strconv.Quote(tc.Mode)+". Supported values are: 'none', 'auto', 'required' or an object naming a function.")
		}
		if len(g.Tools) == 0 {
			if tc.Mode == "required" {
				return errToolChoiceWithoutTools
			}
			return nil // "auto"/"none" without tools is a no-op
		}
		g.ToolChoice = &b.toolChoice
		return nil
	}
	if len(g.Tools) == 0 {
		return errToolChoiceWithoutTools
	}
	switch tc.Type {
	case hub.TypeFunction:
		if tc.Function == nil || tc.Function.Name == "" {
			return reqErr("tool_choice", "Missing required parameter: 'tool_choice.function.name'.")
		}
		b.toolChoice = OCIToolChoice{Type: "FUNCTION", Name: tc.Function.Name}
	case "allowed_tools":
		if err := b.allowedTools(tc.AllowedTools); err != nil {
			return err
		}
	default:
		return reqErr("tool_choice", "Invalid value for 'tool_choice.type': "+strconv.Quote(tc.Type)+". Supported values are: 'function' and 'allowed_tools'.")
	}
	g.ToolChoice = &b.toolChoice
	return nil
}

var errToolChoiceWithoutTools = reqErr("tool_choice", "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.")

// allowedTools has no GENERIC equivalent; restricting the tool list gives the
// same effect.
func (b *requestBundle) allowedTools(at *hub.AllowedTools) error {
	if at == nil {
		return reqErr("tool_choice", "Missing required parameter: 'tool_choice.allowed_tools'.")
	}
	switch at.Mode {
	case "auto":
		b.toolChoice.Type = "AUTO"
	case "required":
		b.toolChoice.Type = "REQUIRED"
	default:
		return reqErr("tool_choice", "Invalid value for 'tool_choice.allowed_tools.mode': "+strconv.Quote(at.Mode)+". Supported values are: 'auto' and 'required'.")
	}
	g := &b.chat
	kept := g.Tools[:0:0]
	for _, t := range g.Tools {
		for i := range at.Tools {
			if f := at.Tools[i].Function; f != nil && f.Name == t.Name {
				kept = append(kept, t)
				break
			}
		}
	}
	if len(kept) == 0 {
		return reqErr("tool_choice", "None of the functions in 'tool_choice.allowed_tools.tools' is defined in 'tools'.")
	}
	g.Tools = kept
	return nil
}
