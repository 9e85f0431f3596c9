package translator

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// OCI COHEREV2 request wire types (SDK cohere_chat_request_v2.go,
// cohere_*_message_v2.go, cohere_content_v2.go, cohere_image_url_v2.go,
// cohere_tool_v2.go, cohere_tool_call_v2.go, cohere_thinking_v2.go). Used
// for cohere.command-a-vision* and for any Cohere model given images.

// CohereChatRequestV2 is chatRequest with apiFormat COHEREV2.
type CohereChatRequestV2 struct {
	APIFormat            string            `json:"apiFormat"` // COHEREV2
	Messages             []CohereMessageV2 `json:"messages"`
	Tools                []CohereToolV2    `json:"tools,omitempty"`
	ToolsChoice          string            `json:"toolsChoice,omitempty"` // REQUIRED | NONE
	IsStrictToolsEnabled *bool             `json:"isStrictToolsEnabled,omitempty"`
	Thinking             *CohereThinkingV2 `json:"thinking,omitempty"`
	CohereParams
}

// CohereMessageV2 is a V2 message; role is USER, ASSISTANT, SYSTEM or TOOL.
// content is mandatory for every role in the SDK, so it is never omitted.
type CohereMessageV2 struct {
	Role       string             `json:"role"`
	Content    []CohereContentV2  `json:"content"`
	ToolCalls  []CohereToolCallV2 `json:"toolCalls,omitempty"`  // ASSISTANT
	ToolPlan   string             `json:"toolPlan,omitempty"`   // ASSISTANT
	ToolCallID string             `json:"toolCallId,omitempty"` // TOOL
}

// CohereContentV2 is a content part: TEXT, IMAGE_URL or (responses)
// THINKING.
type CohereContentV2 struct {
	Type     string       `json:"type"`
	Text     *string      `json:"text,omitempty"`
	ImageURL *OCIMediaURL `json:"imageUrl,omitempty"`
	Thinking *string      `json:"thinking,omitempty"`
}

// CohereToolCallV2 is a V2 tool call; unlike GENERIC the function is nested.
type CohereToolCallV2 struct {
	ID       string               `json:"id,omitempty"`
	Type     string               `json:"type"` // FUNCTION
	Function CohereFunctionCallV2 `json:"function"`
}

// CohereFunctionCallV2 is the function of a CohereToolCallV2.
// UNCONFIRMED: the SDK types function as a free-form object; name and
// arguments (a JSON string) follow Cohere's own V2 API and the simulator.
type CohereFunctionCallV2 struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// CohereToolV2 is a V2 tool: a JSON-schema function (SDK Function).
type CohereToolV2 struct {
	Type     string           `json:"type"` // FUNCTION
	Function CohereFunctionV2 `json:"function"`
}

// CohereFunctionV2 is SDK Function: name, description, parameters.
type CohereFunctionV2 struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters"`
}

// CohereThinkingV2 switches reasoning of Command A reasoning models.
type CohereThinkingV2 struct {
	Type        string `json:"type"` // ENABLED | DISABLED
	TokenBudget *int   `json:"tokenBudget,omitempty"`
}

type cohereV2Bundle struct {
	details    ChatDetails
	chat       CohereChatRequestV2
	maxTokens  int
	streamOpts OCIStreamOptions
	respFormat CohereResponseFormat
	thinking   CohereThinkingV2
	strict     bool
}

// CohereV2Chat translates an OpenAI chat request into an OCI /actions/chat
// body for apiFormat COHEREV2 (messages much like OpenAI's, images as
// IMAGE_URL parts, tool calls with ids). It returns the OpenAI parameters
// that were accepted but not forwarded, and a *RequestError for client
// mistakes. The result aliases strings and raw JSON of req.
func CohereV2Chat(req *hub.ChatRequest, t Target) (*ChatDetails, []string, error) {
	if err := checkCall(req, t); err != nil {
		return nil, nil, err
	}
	b := &cohereV2Bundle{}
	c := &b.chat
	c.APIFormat = "COHEREV2"
	b.details = ChatDetails{CompartmentID: t.CompartmentID, ServingMode: servingMode(t), ChatRequest: c}

	var err error
	if c.Messages, err = cohereV2Messages(req.Messages); err != nil {
		return nil, nil, err
	}
	if err = b.tools(req); err != nil {
		return nil, nil, err
	}
	dropped, err := cohereParams(&c.CohereParams, req, t, &b.maxTokens, &b.streamOpts, &b.respFormat)
	if err != nil {
		return nil, nil, err
	}
	// UNCONFIRMED: reasoning_effort → thinking; "none" disables reasoning,
	// any other level enables it (there is no level, only a token budget).
	switch strings.ToLower(req.ReasoningEffort) {
	case "":
	case "none":
		b.thinking.Type = "DISABLED"
		c.Thinking = &b.thinking
	case "minimal", "low", "medium", "high":
		b.thinking.Type = "ENABLED"
		c.Thinking = &b.thinking
	default:
		return nil, nil, reqErr("reasoning_effort", "Invalid value for 'reasoning_effort': "+strconv.Quote(req.ReasoningEffort)+". Supported values are: 'none', 'minimal', 'low', 'medium' and 'high'.")
	}
	return &b.details, dropped, nil
}

var spaceText = " "

// cohereV2Messages converts the conversation; developer becomes SYSTEM.
func cohereV2Messages(in []hub.Message) ([]CohereMessageV2, error) {
	if len(in) == 0 {
		return nil, reqErr("messages", "'messages' must contain at least one message.")
	}
	out := make([]CohereMessageV2, len(in))
	for i := range in {
		m, o := &in[i], &out[i]
		var err error
		switch m.Role {
		case "system", "developer":
			o.Role = "SYSTEM"
			o.Content, err = cohereV2Content(m, i, false)
		case "user":
			o.Role = "USER"
			o.Content, err = cohereV2Content(m, i, true)
		case "assistant":
			o.Role = "ASSISTANT"
			if o.Content, err = cohereV2Content(m, i, false); err != nil {
				return nil, err
			}
			if len(o.Content) == 0 {
				// UNCONFIRMED: content is mandatory and langchain-oracle
				// reports V2 assistant turns need non-empty content.
				o.Content = []CohereContentV2{{Type: "TEXT", Text: &spaceText}}
			}
			if len(m.ToolCalls) > 0 {
				o.ToolCalls = make([]CohereToolCallV2, len(m.ToolCalls))
				for j := range m.ToolCalls {
					tc := &m.ToolCalls[j]
					if err := checkToolCall(tc, i, j); err != nil {
						return nil, err
					}
					o.ToolCalls[j] = CohereToolCallV2{ID: tc.ID, Type: "FUNCTION", Function: CohereFunctionCallV2{Name: tc.Function.Name, Arguments: arguments(&tc.Function)}}
				}
				// UNCONFIRMED: the reasoning that led to the calls travels
				// back as toolPlan (CompletionFromCohereV2 maps toolPlan to
				// reasoning_content).
				o.ToolPlan = m.ReasoningContent
			}
		case "tool":
			if m.ToolCallID == "" {
				return nil, reqErr(msgParam(i, ".tool_call_id"), "Missing required parameter: '"+msgParam(i, ".tool_call_id")+"'.")
			}
			o.Role, o.ToolCallID = "TOOL", m.ToolCallID
			if o.Content, err = cohereV2Content(m, i, false); err != nil {
				return nil, err
			}
			if len(o.Content) == 0 {
				o.Content = []CohereContentV2{{Type: "TEXT", Text: &emptyText}}
			}
		case "function":
			return nil, reqErr(msgParam(i, ".role"), "Legacy 'function' messages are not supported; use role 'tool' with 'tool_call_id'.")
		default:
			return nil, reqErr(msgParam(i, ".role"), "Invalid value for '"+msgParam(i, ".role")+"': "+strconv.Quote(m.Role)+". Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.")
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// cohereV2Content converts content to TEXT parts and, where allowed,
// IMAGE_URL parts. An empty assistant string gives no part; other roles
// always get at least a TEXT part.
func cohereV2Content(m *hub.Message, i int, images bool) ([]CohereContentV2, error) {
	c := &m.Content
	if len(c.Parts) == 0 {
		if c.Text == "" && m.Role == "assistant" {
			if m.Refusal != nil && *m.Refusal != "" {
				return []CohereContentV2{{Type: "TEXT", Text: m.Refusal}}, nil
			}
			return nil, nil
		}
		return []CohereContentV2{{Type: "TEXT", Text: &c.Text}}, nil
	}
	out := make([]CohereContentV2, 0, len(c.Parts))
	for j := range c.Parts {
		p := &c.Parts[j]
		switch p.Type {
		case "text", "input_text":
			out = append(out, CohereContentV2{Type: "TEXT", Text: &p.Text})
		case "refusal":
			if m.Role != "assistant" {
				pp := partParam(i, j, ".type")
				return nil, reqErr(pp, "Content parts of type 'refusal' are only allowed in assistant messages.")
			}
			out = append(out, CohereContentV2{Type: "TEXT", Text: &p.Refusal})
		case "image_url":
			if !images {
				pp := partParam(i, j, ".type")
				return nil, reqErr(pp, "Image parts are only allowed in user messages.")
			}
			u, err := mediaURL(p.ImageURL, i, j, ".image_url")
			if err != nil {
				return nil, err
			}
			out = append(out, CohereContentV2{Type: "IMAGE_URL", ImageURL: u})
		default:
			pp := partParam(i, j, ".type")
			return nil, reqErr(pp, "Invalid value for '"+pp+"': "+strconv.Quote(p.Type)+". Cohere models accept 'text' and 'image_url' parts.")
		}
	}
	if len(out) == 0 && m.Role != "assistant" {
		out = append(out, CohereContentV2{Type: "TEXT", Text: &emptyText})
	}
	return out, nil
}

// tools maps tools and tool_choice. V2 has toolsChoice REQUIRED|NONE
// ("auto" is the default and sent as nothing). A named function becomes
// REQUIRED with the tool list narrowed to that function, which forces
// exactly that call; allowed_tools narrows the list likewise.
func (b *cohereV2Bundle) tools(req *hub.ChatRequest) error {
	c := &b.chat
	if len(req.Tools) > 0 {
		c.Tools = make([]CohereToolV2, len(req.Tools))
		for i := range req.Tools {
			tl := &req.Tools[i]
			if err := checkTool(tl, i); err != nil {
				return err
			}
			c.Tools[i] = CohereToolV2{Type: "FUNCTION", Function: CohereFunctionV2{Name: tl.Function.Name, Description: tl.Function.Description, Parameters: parameters(&tl.Function)}}
			if tl.Function.Strict != nil && *tl.Function.Strict {
				// UNCONFIRMED: Cohere's strict_tools is request-wide.
				b.strict = true
				c.IsStrictToolsEnabled = &b.strict
			}
		}
	}
	tc := req.ToolChoice
	if tc == nil {
		return nil
	}
	if tc.Mode != "" {
		switch tc.Mode {
		case "auto":
			return nil
		case "none":
			if len(c.Tools) > 0 {
				c.ToolsChoice = "NONE"
			}
			return nil
		case "required":
			if len(c.Tools) == 0 {
				return errToolChoiceWithoutTools
			}
			c.ToolsChoice = "REQUIRED"
			return nil
		}
		return reqErr("tool_choice", "Invalid value for 'tool_choice': "+strconv.Quote(tc.Mode)+". Supported values are: 'none', 'auto', 'required' or an object naming a function.")
	}
	if len(c.Tools) == 0 {
		return errToolChoiceWithoutTools
	}
	var keep func(name string) bool
	switch tc.Type {
	case hub.TypeFunction:
		if tc.Function == nil || tc.Function.Name == "" {
			return reqErr("tool_choice", "Missing required parameter: 'tool_choice.function.name'.")
		}
		name := tc.Function.Name
		keep = func(n string) bool { return n == name }
		c.ToolsChoice = "REQUIRED"
	case "allowed_tools":
		at := tc.AllowedTools
		if at == nil {
			return reqErr("tool_choice", "Missing required parameter: 'tool_choice.allowed_tools'.")
		}
		switch at.Mode {
		case "auto":
		case "required":
			c.ToolsChoice = "REQUIRED"
		default:
			return reqErr("tool_choice", "Invalid value for 'tool_choice.allowed_tools.mode': "+strconv.Quote(at.Mode)+". Supported values are: 'auto' and 'required'.")
		}
		keep = func(n string) bool { return allowsTool(at, n) }
	default:
		return reqErr("tool_choice", "Invalid value for 'tool_choice.type': "+strconv.Quote(tc.Type)+". Supported values are: 'function' and 'allowed_tools'.")
	}
	kept := c.Tools[:0:0]
	for _, t := range c.Tools {
		if keep(t.Function.Name) {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		if tc.Type == hub.TypeFunction {
			return reqErr("tool_choice", "Invalid value for 'tool_choice.function.name': "+strconv.Quote(tc.Function.Name)+" is not defined in 'tools'.")
		}
		return reqErr("tool_choice", "None of the functions in 'tool_choice.allowed_tools.tools' is defined in 'tools'.")
	}
	c.Tools = kept
	return nil
}
