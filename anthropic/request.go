package anthropic

import (
	"strconv"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// convert turns a Messages request into the hub's chat request. An error is a *hub.RequestError:
// the client's mistake, answered with 400 invalid_request_error.
func convert(r *Request) (*hub.ChatRequest, error) {
	if r.MaxTokens == nil {
		return nil, hub.BadRequest("max_tokens", "max_tokens: Field required")
	}
	maxTokens := *r.MaxTokens
	switch {
	case maxTokens < 0:
		return nil, hub.BadRequest("max_tokens", "max_tokens: Input should be greater than or equal to 0")
	case maxTokens == 0:
		maxTokens = 1 // 0 only pre-warms Anthropic's prompt cache; OCI needs at least one token
	}
	if len(r.MCPServers) > 0 {
		return nil, hub.BadRequest("mcp_servers", "mcp_servers: this gateway does not connect to MCP servers for the model; run them in the client.")
	}
	c := &hub.ChatRequest{Model: r.Model, Stream: r.Stream, MaxTokens: &maxTokens, Temperature: r.Temperature,
		TopP: r.TopP, TopK: r.TopK, Stop: r.StopSequences}
	if r.Stream {
		c.StreamOptions = &hub.StreamOptions{IncludeUsage: true} // message_delta carries the usage
	}
	cv, err := convertMessages(r)
	if err != nil {
		return nil, err
	}
	c.Messages = cv.out
	if err := convertTools(r, cv.loaded, c); err != nil {
		return nil, err
	}
	if c.ReasoningEffortHint, err = effort(r); err != nil { // a hint: only models with an effort setting get it
		return nil, err
	}
	if c.ResponseFormat, err = format(r); err != nil {
		return nil, err
	}
	return c, nil
}

// convertTools maps the client tools and tool_choice. Anthropic's server tools (web search, code execution…)
// run on Anthropic's side and are left out; forcing one is an error. A defer_loading tool is offered only
// once a tool_reference block has loaded it, or when tool_choice names it.
func convertTools(r *Request, loaded map[string]bool, c *hub.ChatRequest) error {
	tc := r.ToolChoice
	forced := ""
	if tc != nil && tc.Type == "tool" {
		forced = tc.Name
	}
	server := map[string]bool{}
	for i := range r.Tools {
		t := &r.Tools[i]
		p := "tools." + strconv.Itoa(i)
		if t.Type != "" && t.Type != "custom" {
			server[t.Name] = true
			continue
		}
		if t.Name == "" {
			return hub.BadRequest(p+".name", p+".name: Field required")
		}
		if t.DeferLoading && !loaded[t.Name] && t.Name != forced {
			continue
		}
		if s := strings.TrimSpace(string(t.InputSchema)); s != "" && s != "null" && s[0] != '{' {
			return hub.BadRequest(p+".input_schema", p+".input_schema: Input should be an object")
		}
		c.Tools = append(c.Tools, hub.Tool{Type: "function", Function: hub.FunctionDef{
			Name: t.Name, Description: t.Description, Parameters: hub.RawObject(t.InputSchema)}})
	}
	if tc == nil {
		return nil
	}
	switch tc.Type {
	case "auto", "none":
		if len(c.Tools) > 0 {
			c.ToolChoice = &hub.ToolChoice{Mode: tc.Type}
		}
	case "any":
		if len(c.Tools) == 0 {
			return hub.BadRequest("tool_choice", "tool_choice: 'any' needs at least one client tool; the gateway cannot run Anthropic's server tools.")
		}
		c.ToolChoice = &hub.ToolChoice{Mode: "required"}
	case "tool":
		switch {
		case server[tc.Name]:
			return hub.BadRequest("tool_choice.name", "tool_choice.name: "+strconv.Quote(tc.Name)+" is an Anthropic server tool, which the gateway cannot run.")
		case !hasTool(c.Tools, tc.Name):
			return hub.BadRequest("tool_choice.name", "tool_choice.name: "+strconv.Quote(tc.Name)+" is not in tools.")
		}
		c.ToolChoice = &hub.ToolChoice{Type: "function", Function: &hub.ToolChoiceFunction{Name: tc.Name}}
	default:
		return hub.BadRequest("tool_choice.type", "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'")
	}
	if tc.DisableParallelToolUse && len(c.Tools) > 0 {
		no := false
		c.ParallelToolCalls = &no
	}
	return nil
}

func hasTool(tools []hub.Tool, name string) bool {
	for i := range tools {
		if tools[i].Function.Name == name {
			return true
		}
	}
	return false
}

// effort maps output_config.effort, else the thinking budget, to a reasoning effort. Adaptive and disabled
// thinking leave it to the model: adaptive means that on Anthropic too, and not every model can stop
// reasoning. The result is a hint (hub.ChatRequest.ReasoningEffortHint): Claude Code asks for an effort on
// every request, which models without a reasoning-effort setting must not see.
func effort(r *Request) (string, error) {
	if oc := r.OutputConfig; oc != nil && oc.Effort != "" {
		switch oc.Effort {
		case "low", "medium", "high":
			return oc.Effort, nil
		case "xhigh", "max": // OCI's highest is high
			return "high", nil
		}
		return "", hub.BadRequest("output_config.effort", "output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'")
	}
	t := r.Thinking
	if t == nil {
		return "", nil
	}
	switch t.Type {
	case "enabled":
		switch {
		case t.BudgetTokens <= 0:
			return "", hub.BadRequest("thinking.budget_tokens", "thinking.budget_tokens: Field required")
		case t.BudgetTokens < 4096:
			return "low", nil
		case t.BudgetTokens < 16384:
			return "medium", nil
		}
		return "high", nil
	case "adaptive", "disabled", "between_tools":
		return "", nil
	}
	return "", hub.BadRequest("thinking.type", "thinking.type: Input should be 'enabled', 'adaptive' or 'disabled'")
}

// format maps output_config.format (or the beta output_format) to a JSON-schema response format.
func format(r *Request) (*hub.ResponseFormat, error) {
	f, p := r.OutputFormat, "output_format"
	if r.OutputConfig != nil && r.OutputConfig.Format != nil {
		f, p = r.OutputConfig.Format, "output_config.format"
	}
	if f == nil {
		return nil, nil
	}
	if f.Type != "json_schema" {
		return nil, hub.BadRequest(p+".type", p+".type: Input should be 'json_schema'")
	}
	return &hub.ResponseFormat{Type: "json_schema", JSONSchema: &hub.JSONSchema{Name: "output", Schema: hub.RawObject(f.Schema)}}, nil
}

// showThinking reports whether the answer carries thinking blocks: not when the client turned thinking off
// or asked for it to be omitted.
func showThinking(r *Request) bool {
	t := r.Thinking
	return t == nil || (t.Type != "disabled" && t.Display != "omitted")
}
