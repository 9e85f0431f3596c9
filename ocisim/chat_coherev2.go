package ocisim

import (
	"encoding/json"
	"fmt"
	"strings"
)

// cohereV2Request is CohereChatRequestV2.
type cohereV2Request struct {
	Messages        []cohereV2Message `json:"messages"`
	Documents       []any             `json:"documents"`
	CitationOptions *struct {
		Mode string `json:"mode"`
	} `json:"citationOptions"`
	Tools                []cohereV2Tool `json:"tools"`
	IsStrictToolsEnabled *bool          `json:"isStrictToolsEnabled"`
	IsLogProbsEnabled    *bool          `json:"isLogProbsEnabled"`
	Thinking             *struct {
		Type        string `json:"type"`
		TokenBudget *int   `json:"tokenBudget"`
	} `json:"thinking"`
	ResponseFormat      *cohereResponseForm `json:"responseFormat"`
	IsSearchQueriesOnly *bool               `json:"isSearchQueriesOnly"`
	StreamOptions       *streamOptions      `json:"streamOptions"`
	IsStream            bool                `json:"isStream"`
	MaxTokens           *int                `json:"maxTokens"`
	Temperature         *float64            `json:"temperature"`
	TopK                *int                `json:"topK"`
	TopP                *float64            `json:"topP"`
	FrequencyPenalty    *float64            `json:"frequencyPenalty"`
	PresencePenalty     *float64            `json:"presencePenalty"`
	Seed                *int                `json:"seed"`
	StopSequences       []string            `json:"stopSequences"`
	Priority            *int                `json:"priority"`
	IsRawPrompting      *bool               `json:"isRawPrompting"`
	ToolsChoice         string              `json:"toolsChoice"`
	SafetyMode          string              `json:"safetyMode"`
}

type cohereV2Message struct {
	Role       string          `json:"role"`
	Content    json.RawMessage `json:"content"`
	ToolCalls  []cohereV2Call  `json:"toolCalls"`
	ToolPlan   *string         `json:"toolPlan"`
	ToolCallID *string         `json:"toolCallId"`
	parts      []cohereV2Part
}

// cohereV2Part is CohereContentV2 (TEXT, IMAGE_URL, DOCUMENT, THINKING).
type cohereV2Part struct {
	Type     string    `json:"type"`
	Text     *string   `json:"text,omitempty"`
	ImageURL *mediaURL `json:"imageUrl,omitempty"`
	Document any       `json:"document,omitempty"`
	Thinking *string   `json:"thinking,omitempty"`
}

type cohereV2Tool struct {
	Type     string `json:"type"`
	Function *struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		Parameters  json.RawMessage `json:"parameters"`
	} `json:"function"`
}

// cohereV2Call is CohereToolCallV2 (nested function object, unlike GENERIC).
type cohereV2Call struct {
	ID       string          `json:"id,omitempty"`
	Type     string          `json:"type"`
	Function *cohereV2CallFn `json:"function"`
}

type cohereV2CallFn struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// chatCohereV2 handles apiFormat COHEREV2.
func (s *Simulator) chatCohereV2(x *exchange, m model, raw json.RawMessage) {
	var req cohereV2Request
	if e := decode(raw, &req, "chatRequest"); e != nil {
		x.failAPI(e)
		return
	}
	if e := req.validate(); e != nil {
		x.failAPI(e)
		return
	}
	g := req.generate(m)
	res := cohereV2Response{APIFormat: "COHEREV2", ID: newUUID(), FinishReason: cohereV2Finish(g.finish), Usage: g.plainUsage()}
	res.Message = cohereV2Out{Role: "ASSISTANT"}
	if len(g.reasoning) > 0 {
		th := strings.Join(g.reasoning, "")
		res.Message.Content = append(res.Message.Content, cohereV2Part{Type: "THINKING", Thinking: &th})
	}
	if len(g.toolCalls) > 0 {
		// UNCONFIRMED: no toolPlan, no TEXT content alongside tool calls.
		for _, c := range g.toolCalls {
			res.Message.ToolCalls = append(res.Message.ToolCalls, cohereV2Call{ID: c.ID, Type: "FUNCTION",
				Function: &cohereV2CallFn{Name: c.Name, Arguments: c.Arguments}})
		}
	} else {
		text := g.text
		res.Message.Content = append(res.Message.Content, cohereV2Part{Type: "TEXT", Text: &text})
	}
	if req.IsStream {
		s.streamCohereV2(x, &g, res)
		return
	}
	x.writeJSON(cohereV2Result{ModelID: m.id, ModelVersion: modelVersion, ChatResponse: res})
}

func (req *cohereV2Request) validate() *apiError {
	if len(req.Messages) == 0 {
		return badRequest("chatRequest.messages must not be empty.")
	}
	for i := range req.Messages {
		msg := &req.Messages[i]
		f := fmt.Sprintf("chatRequest.messages[%d]", i)
		if !oneOf(msg.Role, "USER", "ASSISTANT", "SYSTEM", "TOOL") {
			return badRequest(fmt.Sprintf("Invalid value '%s' for %s.role; allowed values: USER, ASSISTANT, SYSTEM, TOOL.", msg.Role, f))
		}
		parts, e := parseV2Parts(msg.Content, f+".content")
		if e != nil {
			return e
		}
		msg.parts = parts
		if e := checkTurn(f, msg.Role, len(parts), len(msg.ToolCalls), msg.ToolCallID); e != nil {
			return e
		}
	}
	for i, t := range req.Tools {
		f := fmt.Sprintf("chatRequest.tools[%d]", i)
		if t.Type != "FUNCTION" {
			return badRequest(fmt.Sprintf("Invalid value '%s' for %s.type; allowed values: FUNCTION.", t.Type, f))
		}
		if t.Function == nil || t.Function.Name == "" {
			return badRequest(f + ".function.name is required.")
		}
	}
	if rf := req.ResponseFormat; rf != nil && !oneOf(rf.Type, "TEXT", "JSON_OBJECT") {
		return badRequest("Invalid value '" + rf.Type + "' for chatRequest.responseFormat.type; allowed values: TEXT, JSON_OBJECT.")
	}
	checks := []*apiError{
		checkEnum("chatRequest.toolsChoice", req.ToolsChoice, "REQUIRED", "NONE"),
		checkEnum("chatRequest.safetyMode", req.SafetyMode, "CONTEXTUAL", "STRICT", "OFF"),
		checkMin("chatRequest.maxTokens", req.MaxTokens, 1),
	}
	if req.Thinking != nil {
		checks = append(checks, checkEnum("chatRequest.thinking.type", req.Thinking.Type, "ENABLED", "DISABLED"))
	}
	if req.CitationOptions != nil {
		checks = append(checks, checkEnum("chatRequest.citationOptions.mode", req.CitationOptions.Mode, "FAST", "ACCURATE", "OFF"))
	}
	for _, e := range checks {
		if e != nil {
			return e
		}
	}
	return nil
}

func parseV2Parts(raw json.RawMessage, f string) ([]cohereV2Part, *apiError) {
	parts, e := decodeParts[cohereV2Part](raw, f)
	if e != nil {
		return nil, e
	}
	for i, p := range parts {
		pf := fmt.Sprintf("%s[%d]", f, i)
		switch p.Type {
		case "TEXT":
			if p.Text == nil {
				return nil, badRequest(pf + " of type TEXT is missing its text.")
			}
		case "IMAGE_URL":
			if p.ImageURL == nil || p.ImageURL.URL == "" {
				return nil, badRequest(pf + " of type IMAGE_URL is missing its imageUrl.url.")
			}
		case "DOCUMENT", "THINKING":
		default:
			return nil, badRequest(fmt.Sprintf("Invalid value '%s' for %s.type; allowed values: TEXT, IMAGE_URL, DOCUMENT, THINKING.", p.Type, pf))
		}
	}
	return parts, nil
}

// generate applies the GENERIC answer rules to a COHEREV2 request.
func (req *cohereV2Request) generate(m model) generation {
	var g generation
	var userText string
	var userImages int
	for _, msg := range req.Messages {
		t, imgs := textOf(msg.parts, "IMAGE_URL")
		g.prompt += words(t) + imageTokens*imgs
		if msg.Role == "USER" {
			userText, userImages = t, imgs
		}
	}
	last := req.Messages[len(req.Messages)-1]
	// UNCONFIRMED: reasoning Command A models answer with a THINKING part
	// unless thinking is DISABLED.
	if m.isReasoningModel() && (req.Thinking == nil || req.Thinking.Type != "DISABLED") {
		g.reasoning = tokenize("Thinking about: " + userText)
	}

	if len(req.Tools) > 0 && last.Role != "TOOL" && req.ToolsChoice != "NONE" {
		names := make([]string, len(req.Tools))
		for i, t := range req.Tools {
			names[i] = t.Function.Name
		}
		picked := mentioned(userText, names)
		if len(picked) == 0 && req.ToolsChoice == "REQUIRED" {
			picked = []int{0}
		}
		for i, idx := range picked {
			fn := req.Tools[idx].Function
			g.toolCalls = append(g.toolCalls, toolCall{ID: toolCallID(fn.Name, i), Name: fn.Name,
				Arguments: argsFromSchema(fn.Name, fn.Parameters, userText)})
		}
		if len(g.toolCalls) > 0 {
			g.finish = finishToolCalls
			return g
		}
	}

	var answer string
	if last.Role == "TOOL" {
		t, _ := textOf(last.parts, "IMAGE_URL")
		answer = "The tool " + *last.ToolCallID + " returned: " + t
	} else {
		answer = greeting(m.id, userText+imageSuffix(userImages))
	}
	if req.ResponseFormat != nil && req.ResponseFormat.Type == "JSON_OBJECT" {
		answer = jsonAnswer(answer)
	}
	g.text, g.tokens, g.finish = shape(answer, req.StopSequences, req.MaxTokens)
	return g
}
