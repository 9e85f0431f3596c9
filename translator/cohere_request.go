package translator

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// OCI COHERE (Cohere V1 style) request wire types, for cohere.command-r* and
// the non-vision cohere.command-a* models. Field names follow the SDK
// (generativeaiinference/cohere_chat_request.go, cohere_message.go, …).

// CohereChatRequest is chatRequest with apiFormat COHERE.
type CohereChatRequest struct {
	APIFormat        string             `json:"apiFormat"` // COHERE
	Message          string             `json:"message"`   // mandatory; "" when toolResults carry the turn
	ChatHistory      []CohereMessage    `json:"chatHistory,omitempty"`
	PreambleOverride string             `json:"preambleOverride,omitempty"`
	Tools            []CohereTool       `json:"tools,omitempty"`
	ToolResults      []CohereToolResult `json:"toolResults,omitempty"`
	CohereParams
}

// CohereParams are the sampling/output fields COHERE and COHEREV2 share.
type CohereParams struct {
	IsStream         bool                  `json:"isStream,omitempty"`
	StreamOptions    *OCIStreamOptions     `json:"streamOptions,omitempty"`
	MaxTokens        *int                  `json:"maxTokens,omitempty"`
	Temperature      *float64              `json:"temperature,omitempty"`
	TopK             *int                  `json:"topK,omitempty"`
	TopP             *float64              `json:"topP,omitempty"`
	FrequencyPenalty *float64              `json:"frequencyPenalty,omitempty"`
	PresencePenalty  *float64              `json:"presencePenalty,omitempty"`
	Seed             *int64                `json:"seed,omitempty"`
	StopSequences    []string              `json:"stopSequences,omitempty"`
	ResponseFormat   *CohereResponseFormat `json:"responseFormat,omitempty"`
}

// CohereResponseFormat is responseFormat of COHERE and COHEREV2: TEXT, or
// JSON_OBJECT with an optional JSON schema (there is no JSON_SCHEMA type).
type CohereResponseFormat struct {
	Type   string          `json:"type"` // TEXT | JSON_OBJECT
	Schema json.RawMessage `json:"schema,omitempty"`
}

// CohereMessage is a chatHistory entry: USER and SYSTEM carry message,
// CHATBOT message and/or toolCalls, TOOL toolResults.
type CohereMessage struct {
	Role        string             `json:"role"`
	Message     *string            `json:"message,omitempty"`
	ToolCalls   []CohereToolCall   `json:"toolCalls,omitempty"`
	ToolResults []CohereToolResult `json:"toolResults,omitempty"`
}

// CohereToolCall is a Cohere tool call: no id, parameters is a JSON object.
type CohereToolCall struct {
	Name       string          `json:"name"`
	Parameters json.RawMessage `json:"parameters"`
}

// CohereToolResult pairs a call with its outputs (a list of JSON objects).
type CohereToolResult struct {
	Call    CohereToolCall    `json:"call"`
	Outputs []json.RawMessage `json:"outputs"`
}

// CohereTool is a Cohere V1 tool: flat parameter definitions with Python
// type names instead of a JSON schema. description is mandatory.
type CohereTool struct {
	Name                 string                               `json:"name"`
	Description          string                               `json:"description"`
	ParameterDefinitions map[string]CohereParameterDefinition `json:"parameterDefinitions,omitempty"`
}

// CohereParameterDefinition describes one tool parameter.
type CohereParameterDefinition struct {
	Type        string `json:"type"` // str, int, float, bool, list, List[str], dict …
	Description string `json:"description,omitempty"`
	IsRequired  bool   `json:"isRequired"`
}

// cohereBundle holds the envelope, the body and the scalars they point to.
type cohereBundle struct {
	details    ChatDetails
	chat       CohereChatRequest
	maxTokens  int
	streamOpts OCIStreamOptions
	respFormat CohereResponseFormat
}

// CohereChat translates an OpenAI chat request into an OCI /actions/chat
// body for apiFormat COHERE: the last user turn becomes message, earlier
// turns chatHistory, leading system/developer text preambleOverride, and the
// tool results of the current turn toolResults. It returns the OpenAI
// parameters that were accepted but not forwarded, and a *RequestError for
// client mistakes and for what COHERE cannot express (images, n>1, forced
// tool choice, tool schemas without a Cohere type). The result aliases
// strings and raw JSON of req.
func CohereChat(req *hub.ChatRequest, t Target) (*ChatDetails, []string, error) {
	if err := checkCall(req, t); err != nil {
		return nil, nil, err
	}
	b := &cohereBundle{}
	c := &b.chat
	c.APIFormat = "COHERE"
	b.details = ChatDetails{CompartmentID: t.CompartmentID, ServingMode: servingMode(t), ChatRequest: c}

	if err := b.messages(req.Messages); err != nil {
		return nil, nil, err
	}
	var err error
	if c.Tools, err = cohereTools(req); err != nil {
		return nil, nil, err
	}
	dropped, err := cohereParams(&c.CohereParams, req, t, &b.maxTokens, &b.streamOpts, &b.respFormat)
	if err != nil {
		return nil, nil, err
	}
	if req.ReasoningEffort != "" {
		dropped = append(dropped, "reasoning_effort") // V1 Cohere models do not reason
	}
	return &b.details, dropped, nil
}

func servingMode(t Target) ServingMode {
	if t.Dedicated {
		return ServingMode{ServingType: "DEDICATED", EndpointID: t.ModelID}
	}
	return ServingMode{ServingType: "ON_DEMAND", ModelID: t.ModelID}
}

// cohereParams validates and maps what COHERE and COHEREV2 share; the
// scalars live in the caller's bundle.
func cohereParams(p *CohereParams, req *hub.ChatRequest, t Target, maxTokens *int, so *OCIStreamOptions, rf *CohereResponseFormat) ([]string, error) {
	for _, r := range []struct {
		name   string
		v      *float64
		lo, hi float64
	}{
		{"temperature", req.Temperature, 0, 2},
		{"top_p", req.TopP, 0, 1},
		{"frequency_penalty", req.FrequencyPenalty, -2, 2},
		{"presence_penalty", req.PresencePenalty, -2, 2},
	} {
		if err := checkRange(r.name, r.v, r.lo, r.hi); err != nil {
			return nil, err
		}
	}
	// UNCONFIRMED: Cohere documents narrower ranges (temperature 0–1,
	// penalties 0–1, topK 0–500); values are forwarded and OCI decides.
	p.Temperature, p.TopP, p.TopK = req.Temperature, req.TopP, req.TopK
	p.FrequencyPenalty, p.PresencePenalty, p.Seed = req.FrequencyPenalty, req.PresencePenalty, req.Seed
	if len(req.Stop) > 0 {
		p.StopSequences = req.Stop
	}
	if n := req.N; n != nil {
		if *n < 1 || *n > 128 {
			return nil, reqErr("n", "Invalid value for 'n': expected an integer between 1 and 128, got "+strconv.Itoa(*n)+".")
		}
		if *n > 1 {
			return nil, reqErr("n", "Cohere models on OCI generate one choice per request; 'n' must be 1.")
		}
	}

	switch {
	case req.MaxCompletionTokens != nil:
		*maxTokens = *req.MaxCompletionTokens
		if *maxTokens <= 0 {
			return nil, reqErr("max_completion_tokens", "Invalid value for 'max_completion_tokens': expected an integer greater than 0, got "+strconv.Itoa(*maxTokens)+".")
		}
	case req.MaxTokens != nil:
		*maxTokens = *req.MaxTokens
		if *maxTokens <= 0 {
			return nil, reqErr("max_tokens", "Invalid value for 'max_tokens': expected an integer greater than 0, got "+strconv.Itoa(*maxTokens)+".")
		}
	default:
		*maxTokens = t.DefaultMaxTokens
	}
	if *maxTokens > 0 {
		p.MaxTokens = maxTokens
	}

	if f := req.ResponseFormat; f != nil {
		switch f.Type {
		case "text":
			rf.Type = "TEXT"
		case "json_object":
			rf.Type = "JSON_OBJECT"
		case "json_schema":
			js := f.JSONSchema
			if js == nil {
				return nil, reqErr("response_format.json_schema", "Missing required parameter: 'response_format.json_schema'.")
			}
			if js.Name == "" {
				return nil, reqErr("response_format.json_schema.name", "Missing required parameter: 'response_format.json_schema.name'.")
			}
			// Cohere has no JSON_SCHEMA type: the schema rides on JSON_OBJECT
			// (name, description and strict have no place).
			rf.Type = "JSON_OBJECT"
			if !isNull(js.Schema) {
				rf.Schema = json.RawMessage(js.Schema)
			}
		default:
			return nil, reqErr("response_format.type", "Invalid value for 'response_format.type': "+strconv.Quote(f.Type)+". Supported values are: 'text', 'json_object' and 'json_schema'.")
		}
		p.ResponseFormat = rf
	}
	if req.Stream {
		p.IsStream = true
		if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
			so.IsIncludeUsage = true
			p.StreamOptions = so
		}
	}

	var dropped []string
	if req.Logprobs != nil && *req.Logprobs {
		dropped = append(dropped, "logprobs")
	}
	if req.TopLogprobs != nil {
		dropped = append(dropped, "top_logprobs")
	}
	if !isNull(req.LogitBias) && string(req.LogitBias) != "{}" {
		dropped = append(dropped, "logit_bias")
	}
	if req.ParallelToolCalls != nil {
		dropped = append(dropped, "parallel_tool_calls")
	}
	if !isNull(req.Metadata) && string(req.Metadata) != "{}" {
		dropped = append(dropped, "metadata")
	}
	if req.ServiceTier != "" {
		dropped = append(dropped, "service_tier")
	}
	if req.Verbosity != "" {
		dropped = append(dropped, "verbosity")
	}
	if req.Prediction != nil && !req.Prediction.Content.IsEmpty() {
		dropped = append(dropped, "prediction")
	}
	if req.WebSearchOptions != nil {
		dropped = append(dropped, "web_search_options")
	}
	return appendCommonDropped(dropped, req), nil
}

// messages splits the conversation into preambleOverride, chatHistory and
// the current turn (message, or toolResults with message "").
func (b *cohereBundle) messages(in []hub.Message) error {
	c := &b.chat
	if len(in) == 0 {
		return reqErr("messages", "'messages' must contain at least one message.")
	}
	lastUser, lastAssistant := -1, -1
	for i := range in {
		switch in[i].Role {
		case "user":
			lastUser = i
		case "assistant":
			lastAssistant = i
		case "system", "developer", "tool":
		case "function":
			return reqErr(msgParam(i, ".role"), "Legacy 'function' messages are not supported; use role 'tool' with 'tool_call_id'.")
		default:
			return reqErr(msgParam(i, ".role"), "Invalid value for '"+msgParam(i, ".role")+"': "+strconv.Quote(in[i].Role)+". Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.")
		}
	}

	// Leading system/developer messages are the preamble.
	start := 0
	var preamble []string
	for ; start < len(in) && (in[start].Role == "system" || in[start].Role == "developer"); start++ {
		s, err := cohereText(&in[start], start)
		if err != nil {
			return err
		}
		if s != "" {
			preamble = append(preamble, s)
		}
	}
	c.PreambleOverride = strings.Join(preamble, "\n\n")

	// The current turn: tool results after the last assistant message with
	// no later user message, else the last user message.
	current := -1 // index of the message that becomes `message`; -1 with toolResults
	toolTurn := false
	if lastAssistant > lastUser {
		for i := lastAssistant + 1; i < len(in); i++ {
			if in[i].Role == "tool" {
				toolTurn = true
				break
			}
		}
		if !toolTurn {
			return reqErr(msgParam(lastAssistant, ".role"), "Cohere models need the conversation to end with a user or tool message; "+msgParam(lastAssistant, "")+" is an assistant message after the last user message.")
		}
	} else if lastUser >= 0 {
		current = lastUser
	} else {
		return reqErr("messages", "Cohere models need at least one user message.")
	}
	if current >= 0 {
		s, err := cohereText(&in[current], current)
		if err != nil {
			return err
		}
		if strings.TrimSpace(s) == "" {
			// UNCONFIRMED: OCI (like the simulator) refuses an empty message
			// without toolResults; say so in OpenAI terms.
			return reqErr(msgParam(current, ".content"), "Cohere models need a non-empty last user message ("+msgParam(current, "")+" is empty).")
		}
		c.Message = s
	}

	calls := map[string]*CohereToolCall{} // tool_call_id → call, from preceding assistant messages
	var hist []CohereMessage
	var toolText []string // texts of the TOOL entry at the end of hist, for a filler CHATBOT turn
	for i := start; i < len(in); i++ {
		m := &in[i]
		if i == current {
			continue
		}
		switch m.Role {
		case "assistant":
			tcs, err := cohereHistoryCalls(m, i, calls)
			if err != nil {
				return err
			}
			s, err := cohereText(m, i)
			if err != nil {
				return err
			}
			if s == "" {
				// UNCONFIRMED: langchain-oracle sends " " for text-less
				// CHATBOT turns (an empty message is reportedly refused).
				s = " "
			}
			hist = append(hist, CohereMessage{Role: "CHATBOT", Message: &s, ToolCalls: tcs})
			toolText = nil
		case "tool":
			r, text, err := cohereToolResult(m, i, calls)
			if err != nil {
				return err
			}
			if toolTurn && i > lastAssistant {
				c.ToolResults = append(c.ToolResults, r)
				continue
			}
			if n := len(hist); n > 0 && hist[n-1].Role == "TOOL" {
				hist[n-1].ToolResults = append(hist[n-1].ToolResults, r) // parallel results share one entry
			} else {
				hist = append(hist, CohereMessage{Role: "TOOL", ToolResults: []CohereToolResult{r}})
			}
			toolText = append(toolText, text)
		default: // user, system, developer
			s, err := cohereText(m, i)
			if err != nil {
				return err
			}
			hist = fillAfterTool(hist, toolText)
			toolText = nil
			role := "USER"
			if m.Role != "user" {
				role = "SYSTEM"
			}
			hist = append(hist, CohereMessage{Role: role, Message: &s})
		}
	}
	if !toolTurn {
		hist = fillAfterTool(hist, toolText) // the current user message follows
	}
	c.ChatHistory = hist
	return nil
}

// fillAfterTool appends a CHATBOT turn repeating the tool output when hist
// ends with a TOOL entry that a non-CHATBOT turn is about to follow.
// UNCONFIRMED: langchain-oracle does this to avoid OCI's error about a tool
// message needing to be followed by an assistant message.
func fillAfterTool(hist []CohereMessage, toolText []string) []CohereMessage {
	if n := len(hist); n == 0 || hist[n-1].Role != "TOOL" {
		return hist
	}
	s := strings.Join(toolText, "\n")
	if strings.TrimSpace(s) == "" {
		s = " "
	}
	return append(hist, CohereMessage{Role: "CHATBOT", Message: &s})
}

// cohereHistoryCalls converts an assistant message's tool calls and records
// them by id for the tool messages that follow.
func cohereHistoryCalls(m *hub.Message, i int, calls map[string]*CohereToolCall) ([]CohereToolCall, error) {
	if len(m.ToolCalls) == 0 {
		return nil, nil
	}
	out := make([]CohereToolCall, len(m.ToolCalls))
	for j := range m.ToolCalls {
		tc := &m.ToolCalls[j]
		if err := checkToolCall(tc, i, j); err != nil {
			return nil, err
		}
		params, err := cohereArgs(tc.Function.Arguments, msgParam(i, ".tool_calls["+strconv.Itoa(j)+"].function.arguments"))
		if err != nil {
			return nil, err
		}
		out[j] = CohereToolCall{Name: tc.Function.Name, Parameters: params}
		calls[tc.ID] = &out[j]
	}
	return out, nil
}

var emptyObject = json.RawMessage(`{}`)

// cohereArgs parses OpenAI arguments into Cohere parameters, which must be a
// JSON object ("" means no arguments).
func cohereArgs(args, param string) (json.RawMessage, error) {
	a := bytes.TrimSpace([]byte(args))
	if len(a) == 0 {
		return emptyObject, nil
	}
	if a[0] != '{' || !json.Valid(a) {
		return nil, reqErr(param, "'"+param+"' must be a JSON object for Cohere models, whose tool calls carry parameters as an object.")
	}
	return a, nil
}

// cohereToolResult resolves a tool message to the call it answers and
// converts its content to outputs. It also returns the content text.
func cohereToolResult(m *hub.Message, i int, calls map[string]*CohereToolCall) (CohereToolResult, string, error) {
	p := msgParam(i, ".tool_call_id")
	if m.ToolCallID == "" {
		return CohereToolResult{}, "", reqErr(p, "Missing required parameter: '"+p+"'.")
	}
	call := calls[m.ToolCallID]
	if call == nil {
		return CohereToolResult{}, "", reqErr(p, "Invalid value for '"+p+"': "+strconv.Quote(m.ToolCallID)+
			" does not match the id of a tool call in a preceding assistant message. Cohere tool results must name the call they answer.")
	}
	text, err := cohereText(m, i)
	if err != nil {
		return CohereToolResult{}, "", err
	}
	return CohereToolResult{Call: *call, Outputs: cohereOutputs(text)}, text, nil
}

// cohereOutputs turns tool output text into Cohere outputs: a JSON object is
// the output, a JSON array of objects gives one output per object, anything
// else becomes {"result": text}.
func cohereOutputs(text string) []json.RawMessage {
	t := bytes.TrimSpace([]byte(text))
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
	}{text})
	return []json.RawMessage{out}
}

// cohereText is the text of a message for COHERE, which has text only:
// string content, or the text parts joined by newlines. An assistant
// refusal counts as its text. Images are rejected (they need COHEREV2).
func cohereText(m *hub.Message, i int) (string, error) {
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
			if m.Role != "assistant" {
				pp := partParam(i, j, ".type")
				return "", reqErr(pp, "Content parts of type 'refusal' are only allowed in assistant messages.")
			}
			texts = append(texts, p.Refusal)
		case "image_url":
			return "", reqErr(partParam(i, j, ".type"), "This Cohere model takes text only (OCI apiFormat COHERE); use a Cohere vision model (cohere.command-a-vision) for image input.")
		default:
			pp := partParam(i, j, ".type")
			return "", reqErr(pp, "Invalid value for '"+pp+"': "+strconv.Quote(p.Type)+". Cohere models accept 'text' parts (and 'image_url' on vision models).")
		}
	}
	if len(texts) == 1 {
		return texts[0], nil
	}
	return strings.Join(texts, "\n"), nil
}
