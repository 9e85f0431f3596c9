package ocisim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// cohereRequest is CohereChatRequest (Cohere V1 style).
type cohereRequest struct {
	Message             json.RawMessage     `json:"message"`
	ChatHistory         []cohereHistory     `json:"chatHistory"`
	PreambleOverride    *string             `json:"preambleOverride"`
	Documents           []any               `json:"documents"`
	Tools               []cohereTool        `json:"tools"`
	ToolResults         []cohereToolResult  `json:"toolResults"`
	IsForceSingleStep   *bool               `json:"isForceSingleStep"`
	IsSearchQueriesOnly *bool               `json:"isSearchQueriesOnly"`
	IsRawPrompting      *bool               `json:"isRawPrompting"`
	IsEcho              *bool               `json:"isEcho"`
	IsStream            bool                `json:"isStream"`
	StreamOptions       *streamOptions      `json:"streamOptions"`
	MaxTokens           *int                `json:"maxTokens"`
	MaxInputTokens      *int                `json:"maxInputTokens"`
	Temperature         *float64            `json:"temperature"`
	TopK                *int                `json:"topK"`
	TopP                *float64            `json:"topP"`
	FrequencyPenalty    *float64            `json:"frequencyPenalty"`
	PresencePenalty     *float64            `json:"presencePenalty"`
	Seed                *int                `json:"seed"`
	StopSequences       []string            `json:"stopSequences"`
	PromptTruncation    string              `json:"promptTruncation"`
	CitationQuality     string              `json:"citationQuality"`
	SafetyMode          string              `json:"safetyMode"`
	ResponseFormat      *cohereResponseForm `json:"responseFormat"`

	message string
}

// cohereHistory is CohereMessage (discriminator role).
type cohereHistory struct {
	Role        string             `json:"role"`
	Message     *string            `json:"message,omitempty"`
	ToolCalls   []cohereToolCall   `json:"toolCalls,omitempty"`
	ToolResults []cohereToolResult `json:"toolResults,omitempty"`
}

type cohereTool struct {
	Name                 string                 `json:"name"`
	Description          *string                `json:"description"`
	ParameterDefinitions map[string]cohereParam `json:"parameterDefinitions"`
}

type cohereParam struct {
	Type        string `json:"type"`
	Description string `json:"description"`
	IsRequired  bool   `json:"isRequired"`
}

type cohereToolCall struct {
	Name       string          `json:"name"`
	Parameters json.RawMessage `json:"parameters"`
}

type cohereToolResult struct {
	Call    *cohereToolCall `json:"call"`
	Outputs json.RawMessage `json:"outputs"`
}

type cohereResponseForm struct {
	Type   string          `json:"type"`
	Schema json.RawMessage `json:"schema,omitempty"`
}

// chatCohere handles apiFormat COHERE.
func (s *Simulator) chatCohere(x *exchange, m model, raw json.RawMessage) {
	var req cohereRequest
	if e := decode(raw, &req, "chatRequest"); e != nil {
		x.failAPI(e)
		return
	}
	if e := req.validate(); e != nil {
		x.failAPI(e)
		return
	}
	g, calls := req.generate(m)
	// With tool calls text is "" (it is mandatory in the model).
	// UNCONFIRMED: the real service may put a tool plan there.
	res := cohereResponse{
		APIFormat:   "COHERE",
		Text:        g.text,
		ChatHistory: req.history(&g, calls),
		ToolCalls:   calls,
		Usage:       g.plainUsage(),
	}
	res.FinishReason = "COMPLETE" // V1 has no STOP_SEQUENCE; tool calls also report COMPLETE
	if g.finish == finishMaxTokens {
		res.FinishReason = "MAX_TOKENS"
	}
	if req.IsStream {
		s.streamCohere(x, &g, res)
		return
	}
	x.writeJSON(cohereResult{ModelID: m.id, ModelVersion: modelVersion, ChatResponse: res})
}

func (req *cohereRequest) validate() *apiError {
	switch jsonType(req.Message) {
	case "", "string":
		_ = json.Unmarshal(req.Message, &req.message)
	case "array":
		if bytes.Contains(req.Message, []byte(`"IMAGE`)) {
			// UNCONFIRMED wording: V1 has no image input.
			return badRequest("Images are not supported with apiFormat COHERE; use COHEREV2.")
		}
		fallthrough
	default:
		return cannotParse("Invalid value for field 'chatRequest.message': expected a string, got JSON " + jsonType(req.Message) + ".")
	}
	if strings.TrimSpace(req.message) == "" && len(req.ToolResults) == 0 {
		return badRequest("chatRequest.message must not be empty unless toolResults are provided.")
	}
	for i, h := range req.ChatHistory {
		f := fmt.Sprintf("chatRequest.chatHistory[%d]", i)
		switch h.Role {
		case "USER", "SYSTEM":
			if h.Message == nil {
				return badRequest(f + ".message is required.")
			}
		case "CHATBOT":
		case "TOOL":
			if len(h.ToolResults) == 0 {
				return badRequest(f + ".toolResults is required for TOOL messages.")
			}
		default:
			return badRequest(fmt.Sprintf("Invalid value '%s' for %s.role; allowed values: USER, CHATBOT, SYSTEM, TOOL.", h.Role, f))
		}
	}
	for i, t := range req.Tools {
		f := fmt.Sprintf("chatRequest.tools[%d]", i)
		if t.Name == "" {
			return badRequest(f + ".name is required.")
		}
		if t.Description == nil { // mandatory in the SDK model; UNCONFIRMED that the service enforces it
			return badRequest(f + ".description is required.")
		}
		for name, p := range t.ParameterDefinitions {
			if p.Type == "" {
				return badRequest(f + ".parameterDefinitions." + name + ".type is required.")
			}
		}
	}
	for i, r := range req.ToolResults {
		f := fmt.Sprintf("chatRequest.toolResults[%d]", i)
		if r.Call == nil || r.Call.Name == "" {
			return badRequest(f + ".call.name is required.")
		}
		if jsonType(r.Outputs) != "array" {
			return badRequest(f + ".outputs is required and must be an array.")
		}
	}
	if rf := req.ResponseFormat; rf != nil && !oneOf(rf.Type, "TEXT", "JSON_OBJECT") {
		return badRequest("Invalid value '" + rf.Type + "' for chatRequest.responseFormat.type; allowed values: TEXT, JSON_OBJECT.")
	}
	for _, e := range []*apiError{
		checkEnum("chatRequest.promptTruncation", req.PromptTruncation, "OFF", "AUTO_PRESERVE_ORDER"),
		checkEnum("chatRequest.citationQuality", req.CitationQuality, "ACCURATE", "FAST"),
		checkEnum("chatRequest.safetyMode", req.SafetyMode, "CONTEXTUAL", "STRICT", "OFF"),
		checkMin("chatRequest.maxTokens", req.MaxTokens, 1),
	} {
		if e != nil {
			return e
		}
	}
	return nil
}

// generate applies the COHERE answer rules (doc.go).
func (req *cohereRequest) generate(m model) (generation, []cohereToolCall) {
	g := generation{prompt: words(req.message)}
	if req.PreambleOverride != nil {
		g.prompt += words(*req.PreambleOverride)
	}
	for _, h := range req.ChatHistory {
		if h.Message != nil {
			g.prompt += words(*h.Message)
		}
	}

	if len(req.ToolResults) == 0 && len(req.Tools) > 0 {
		names := make([]string, len(req.Tools))
		for i, t := range req.Tools {
			names[i] = t.Name
		}
		var calls []cohereToolCall
		for _, idx := range mentioned(req.message, names) {
			t := req.Tools[idx]
			params, ok := explicitArgs(req.message, t.Name)
			if !ok {
				params = cohereParams(t.ParameterDefinitions, req.message)
			}
			calls = append(calls, cohereToolCall{Name: t.Name, Parameters: params})
			g.toolCalls = append(g.toolCalls, toolCall{Name: t.Name, Arguments: string(params)})
		}
		if len(calls) > 0 {
			g.finish = finishToolCalls
			return g, calls
		}
	}

	var answer string
	if len(req.ToolResults) > 0 {
		parts := make([]string, len(req.ToolResults))
		for i, r := range req.ToolResults {
			var out bytes.Buffer
			_ = json.Compact(&out, r.Outputs)
			parts[i] = "The tool " + r.Call.Name + " returned: " + out.String()
		}
		answer = strings.Join(parts, " ")
	} else {
		answer = greeting(m.id, req.message)
	}
	if req.ResponseFormat != nil && req.ResponseFormat.Type == "JSON_OBJECT" {
		answer = jsonAnswer(answer)
	}
	g.text, g.tokens, g.finish = shape(answer, req.StopSequences, req.MaxTokens)
	return g, nil
}

// cohereParams fills the required parameterDefinitions (keys sorted).
func cohereParams(defs map[string]cohereParam, prompt string) json.RawMessage {
	keys := make([]string, 0, len(defs))
	for k, d := range defs {
		if d.IsRequired {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make(map[string]any, len(keys))
	for _, k := range keys {
		out[k] = valueFor(cohereType(defs[k].Type), nil, prompt)
	}
	return marshal(out)
}

// history is the chatHistory returned: the request's history, the current
// USER message, the TOOL results, and the CHATBOT answer.
// UNCONFIRMED: exactly which turns the service echoes.
func (req *cohereRequest) history(g *generation, calls []cohereToolCall) []cohereHistory {
	h := append([]cohereHistory(nil), req.ChatHistory...)
	if req.message != "" {
		msg := req.message
		h = append(h, cohereHistory{Role: "USER", Message: &msg})
	}
	if len(req.ToolResults) > 0 {
		h = append(h, cohereHistory{Role: "TOOL", ToolResults: req.ToolResults})
	}
	bot := cohereHistory{Role: "CHATBOT", ToolCalls: calls}
	if len(calls) == 0 {
		text := g.text
		bot.Message = &text
	}
	return append(h, bot)
}
