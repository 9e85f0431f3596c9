package cohere

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// conversation splits the messages into preambleOverride, chatHistory and the current turn (message, or
// toolResults with message "").
func (c *ChatRequest) conversation(in []hub.Message) error {
	if err := core.CheckMessages(in); err != nil {
		return err
	}
	lastUser, lastAssistant := -1, -1
	for i := range in {
		if err := core.CheckRole(in[i].Role, i); err != nil {
			return err
		}
		switch in[i].Role {
		case "user":
			lastUser = i
		case "assistant":
			lastAssistant = i
		}
	}
	start, err := c.preamble(in)
	if err != nil {
		return err
	}
	current, toolTurn, err := c.currentTurn(in, lastUser, lastAssistant)
	if err != nil {
		return err
	}
	h := history{calls: map[string]*ToolCall{}}
	for i := start; i < len(in); i++ {
		if i == current {
			continue
		}
		if err := h.add(&in[i], i, toolTurn && i > lastAssistant, c); err != nil {
			return err
		}
	}
	if !toolTurn {
		h.fillAfterTool() // the current user message follows
	}
	c.ChatHistory = h.msgs
	return nil
}

// preamble joins the leading system/developer messages into preambleOverride and returns the index of the first
// message after them.
func (c *ChatRequest) preamble(in []hub.Message) (int, error) {
	start := 0
	var parts []string
	for ; start < len(in) && (in[start].Role == "system" || in[start].Role == "developer"); start++ {
		s, err := text(&in[start], start)
		if err != nil {
			return 0, err
		}
		if s != "" {
			parts = append(parts, s)
		}
	}
	c.PreambleOverride = strings.Join(parts, "\n\n")
	return start, nil
}

// currentTurn finds the turn the model answers: the tool results after the last assistant message when no user
// message follows it (toolTurn; current -1), else the last user message (current), which becomes message.
func (c *ChatRequest) currentTurn(in []hub.Message, lastUser, lastAssistant int) (current int, toolTurn bool, err error) {
	switch {
	case lastAssistant > lastUser:
		for i := lastAssistant + 1; i < len(in); i++ {
			if in[i].Role == "tool" {
				return -1, true, nil
			}
		}
		return 0, false, hub.BadRequest(core.MsgParam(lastAssistant, ".role"), "Cohere models need the conversation to end with a user or tool message; "+core.MsgParam(lastAssistant, "")+" is an assistant message after the last user message.")
	case lastUser < 0:
		return 0, false, hub.BadRequest("messages", "Cohere models need at least one user message.")
	}
	s, err := text(&in[lastUser], lastUser)
	if err != nil {
		return 0, false, err
	}
	if strings.TrimSpace(s) == "" {
		// UNCONFIRMED: OCI (like the simulator) refuses an empty message without toolResults; say so in the
		// client's terms.
		return 0, false, hub.BadRequest(core.MsgParam(lastUser, ".content"), "Cohere models need a non-empty last user message ("+core.MsgParam(lastUser, "")+" is empty).")
	}
	c.Message = s
	return lastUser, false, nil
}

// history builds chatHistory message by message.
type history struct {
	msgs     []Message
	calls    map[string]*ToolCall // tool_call_id → call, from preceding assistant messages
	toolText []string             // texts of the TOOL entry at the end of msgs, for a filler CHATBOT turn
}

// add appends messages[i]; the tool results of the current turn (current) go to c.ToolResults instead.
func (h *history) add(m *hub.Message, i int, current bool, c *ChatRequest) error {
	switch m.Role {
	case "assistant":
		tcs, err := historyCalls(m, i, h.calls)
		if err != nil {
			return err
		}
		s, err := text(m, i)
		if err != nil {
			return err
		}
		if s == "" {
			// UNCONFIRMED: langchain-oracle sends " " for text-less CHATBOT turns (an empty message is reportedly
			// refused).
			s = " "
		}
		h.msgs = append(h.msgs, Message{Role: "CHATBOT", Message: &s, ToolCalls: tcs})
		h.toolText = nil
	case "tool":
		r, s, err := toolResult(m, i, h.calls)
		if err != nil {
			return err
		}
		if current {
			c.ToolResults = append(c.ToolResults, r)
			return nil
		}
		if n := len(h.msgs); n > 0 && h.msgs[n-1].Role == "TOOL" {
			h.msgs[n-1].ToolResults = append(h.msgs[n-1].ToolResults, r) // parallel results share one entry
		} else {
			h.msgs = append(h.msgs, Message{Role: "TOOL", ToolResults: []ToolResult{r}})
		}
		h.toolText = append(h.toolText, s)
	default: // user, system, developer
		s, err := text(m, i)
		if err != nil {
			return err
		}
		h.fillAfterTool()
		role := "USER"
		if m.Role != "user" {
			role = "SYSTEM"
		}
		h.msgs = append(h.msgs, Message{Role: role, Message: &s})
	}
	return nil
}

// fillAfterTool appends a CHATBOT turn repeating the tool output when the history ends with a TOOL entry that a
// non-CHATBOT turn is about to follow. UNCONFIRMED: langchain-oracle does this to avoid OCI's error about a tool
// message needing to be followed by an assistant message.
func (h *history) fillAfterTool() {
	defer func() { h.toolText = nil }()
	if n := len(h.msgs); n == 0 || h.msgs[n-1].Role != "TOOL" {
		return
	}
	s := strings.Join(h.toolText, "\n")
	if strings.TrimSpace(s) == "" {
		s = " "
	}
	h.msgs = append(h.msgs, Message{Role: "CHATBOT", Message: &s})
}

// historyCalls converts an assistant message's tool calls and records them by id for the tool messages that
// follow.
func historyCalls(m *hub.Message, i int, calls map[string]*ToolCall) ([]ToolCall, error) {
	if len(m.ToolCalls) == 0 {
		return nil, nil
	}
	out := make([]ToolCall, len(m.ToolCalls))
	for j := range m.ToolCalls {
		tc := &m.ToolCalls[j]
		if err := core.CheckToolCall(tc, i, j); err != nil {
			return nil, err
		}
		params, err := parameters(tc.Function.Arguments, core.MsgParam(i, ".tool_calls["+strconv.Itoa(j)+"].function.arguments"))
		if err != nil {
			return nil, err
		}
		out[j] = ToolCall{Name: tc.Function.Name, Parameters: params}
		calls[tc.ID] = &out[j]
	}
	return out, nil
}

var emptyObject = json.RawMessage(`{}`)

// parameters parses hub arguments into Cohere parameters, which must be a JSON object ("" means no arguments).
func parameters(args, param string) (json.RawMessage, error) {
	a := bytes.TrimSpace([]byte(args))
	if len(a) == 0 {
		return emptyObject, nil
	}
	if a[0] != '{' || !json.Valid(a) {
		return nil, hub.BadRequest(param, "'"+param+"' must be a JSON object for Cohere models, whose tool calls carry parameters as an object.")
	}
	return a, nil
}

// toolResult resolves a tool message to the call it answers and converts its content to outputs. It also returns
// the content text.
func toolResult(m *hub.Message, i int, calls map[string]*ToolCall) (ToolResult, string, error) {
	if err := core.CheckToolMessage(m, i); err != nil {
		return ToolResult{}, "", err
	}
	call := calls[m.ToolCallID]
	if call == nil {
		p := core.MsgParam(i, ".tool_call_id")
		return ToolResult{}, "", hub.BadRequest(p, "Invalid value for '"+p+"': "+strconv.Quote(m.ToolCallID)+
			" does not match the id of a tool call in a preceding assistant message. Cohere tool results must name the call they answer.")
	}
	s, err := text(m, i)
	if err != nil {
		return ToolResult{}, "", err
	}
	return ToolResult{Call: *call, Outputs: outputs(s)}, s, nil
}

// outputs turns tool output text into Cohere outputs: a JSON object is the output, a JSON array of objects gives
// one output per object, anything else becomes {"result": text}.
func outputs(s string) []json.RawMessage {
	t := bytes.TrimSpace([]byte(s))
	if len(t) > 0 {
		switch t[0] {
		case '{':
			if json.Valid(t) {
				return []json.RawMessage{t}
			}
		case '[':
			var arr []json.RawMessage
			if json.Unmarshal(t, &arr) == nil && len(arr) > 0 {
				ok := true
				for k := range arr {
					arr[k] = bytes.TrimSpace(arr[k])
					if arr[k][0] != '{' {
						ok = false
						break
					}
				}
				if ok {
					return arr
				}
			}
		}
	}
	out, _ := json.Marshal(struct {
		Result string `json:"result"`
	}{s})
	return []json.RawMessage{out}
}

// text is the text of a message for COHERE, which has text only: string content, or the text parts joined by
// newlines. An assistant refusal counts as its text. Images are rejected (they need COHEREV2).
func text(m *hub.Message, i int) (string, error) {
	c := &m.Content
	if len(c.Parts) == 0 {
		if c.Text == "" && m.Role == "assistant" && m.Refusal != nil {
			return *m.Refusal, nil
		}
		return c.Text, nil
	}
	var texts []string
	for j := range c.Parts {
		p := &c.Parts[j]
		switch p.Type {
		case "text", "input_text":
			texts = append(texts, p.Text)
		case "refusal":
			if err := core.CheckRefusalPart(m.Role, i, j); err != nil {
				return "", err
			}
			texts = append(texts, p.Refusal)
		case "image_url":
			return "", hub.BadRequest(core.PartParam(i, j, ".type"), "This Cohere model takes text only (OCI apiFormat COHERE); use a Cohere vision model (cohere.command-a-vision) for image input.")
		default:
			pp := core.PartParam(i, j, ".type")
			return "", hub.BadRequest(pp, "Invalid value for '"+pp+"': "+strconv.Quote(p.Type)+". Cohere models accept 'text' parts (and 'image_url' on vision models).")
		}
	}
	if len(texts) == 1 {
		return texts[0], nil
	}
	return strings.Join(texts, "\n"), nil
}
