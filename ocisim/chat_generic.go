package ocisim

import (
	"encoding/json"
	"fmt"
	"strings"
)

// genericRequest is GenericChatRequest. Unknown fields are ignored;
// json.RawMessage fields are polymorphic or need a friendlier error than a
// type mismatch.
type genericRequest struct {
	Messages            []genericMessage `json:"messages"`
	IsStream            bool             `json:"isStream"`
	StreamOptions       *streamOptions   `json:"streamOptions"`
	MaxTokens           *int             `json:"maxTokens"`
	MaxCompletionTokens *int             `json:"maxCompletionTokens"`
	Temperature         *float64         `json:"temperature"`
	TopP                *float64         `json:"topP"`
	TopK                *int             `json:"topK"`
	FrequencyPenalty    *float64         `json:"frequencyPenalty"`
	PresencePenalty     *float64         `json:"presencePenalty"`
	Stop                []string         `json:"stop"`
	Seed                *int             `json:"seed"`
	NumGenerations      *int             `json:"numGenerations"`
	LogProbs            *int             `json:"logProbs"`
	LogitBias           map[string]any   `json:"logitBias"`
	IsEcho              bool             `json:"isEcho"`
	Tools               []genericTool    `json:"tools"`
	ToolChoice          json.RawMessage  `json:"toolChoice"`
	IsParallelToolCalls *bool            `json:"isParallelToolCalls"`
	ResponseFormat      json.RawMessage  `json:"responseFormat"`
	ReasoningEffort     string           `json:"reasoningEffort"`
	Verbosity           string           `json:"verbosity"`
	ServiceTier         string           `json:"serviceTier"`
	Metadata            map[string]any   `json:"metadata"`
	Prediction          map[string]any   `json:"prediction"`
	WebSearchOptions    map[string]any   `json:"webSearchOptions"`

	toolChoice toolChoice // parsed ToolChoice
	jsonOutput bool       // responseFormat JSON_OBJECT or JSON_SCHEMA
}

type genericMessage struct {
	Role             string          `json:"role"`
	Content          json.RawMessage `json:"content"`
	Name             *string         `json:"name"`
	ToolCallID       *string         `json:"toolCallId"`
	ToolCalls        []genericCallIn `json:"toolCalls"`
	ReasoningContent *string         `json:"reasoningContent"`
	Refusal          *string         `json:"refusal"`

	parts []contentPart
}

// contentPart is ChatContent (discriminator type).
type contentPart struct {
	Type        string    `json:"type"`
	Text        *string   `json:"text"`
	ImageURL    *mediaURL `json:"imageUrl"`
	AudioURL    *mediaURL `json:"audioUrl"`
	VideoURL    *mediaURL `json:"videoUrl"`
	DocumentURL *mediaURL `json:"documentUrl"`
}

// genericCallIn is a ToolCall in an ASSISTANT history message (flat).
type genericCallIn struct {
	Type      string `json:"type"`
	ID        string `json:"id"`
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// genericTool is ToolDefinition (flat FunctionDefinition).
type genericTool struct {
	Type        string          `json:"type"`
	Name        string          `json:"name"`
	Description *string         `json:"description"`
	Parameters  json.RawMessage `json:"parameters"`
}

type toolChoice struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

const maxTools = 128

// chatGeneric handles apiFormat GENERIC.
func (s *Simulator) chatGeneric(x *exchange, m model, raw json.RawMessage) {
	var req genericRequest
	if e := decode(raw, &req, "chatRequest"); e != nil {
		x.failAPI(e)
		return
	}
	if e := req.validate(m); e != nil {
		x.failAPI(e)
		return
	}
	g := req.generate(m)
	if req.IsStream {
		s.streamGeneric(x, m, &req, &g)
		return
	}
	x.writeJSON(s.genericResult(m, &req, &g))
}

func (req *genericRequest) validate(m model) *apiError {
	if len(req.Messages) == 0 {
		return badRequest("chatRequest.messages must not be empty.")
	}
	for i := range req.Messages {
		if e := req.Messages[i].validate(fmt.Sprintf("chatRequest.messages[%d]", i)); e != nil {
			return e
		}
	}
	if len(req.Tools) > maxTools {
		return badRequest(fmt.Sprintf("chatRequest.tools must have at most %d items.", maxTools))
	}
	for i, t := range req.Tools {
		f := fmt.Sprintf("chatRequest.tools[%d]", i)
		if t.Type != "FUNCTION" {
			return badRequest(fmt.Sprintf("Invalid value '%s' for %s.type; allowed values: FUNCTION.", t.Type, f))
		}
		if t.Name == "" {
			return badRequest(f + ".name is required.")
		}
		if k := jsonType(t.Parameters); k != "" && k != "object" {
			return badRequest(f + ".parameters must be a JSON schema object.")
		}
	}
	if e := req.parseToolChoice(); e != nil {
		return e
	}
	if e := req.parseResponseFormat(); e != nil {
		return e
	}
	for _, e := range []*apiError{
		checkEnum("chatRequest.reasoningEffort", req.ReasoningEffort, "NONE", "MINIMAL", "LOW", "MEDIUM", "HIGH"),
		checkEnum("chatRequest.verbosity", req.Verbosity, "LOW", "MEDIUM", "HIGH"),
		checkEnum("chatRequest.serviceTier", req.ServiceTier, "AUTO", "DEFAULT", "PRIORITY"),
		checkMin("chatRequest.maxTokens", req.MaxTokens, 1),
		checkMin("chatRequest.maxCompletionTokens", req.MaxCompletionTokens, 1),
		checkMin("chatRequest.numGenerations", req.NumGenerations, 1),
	} {
		if e != nil {
			return e
		}
	}
	if req.MaxTokens != nil && m.rejectsMaxTokens() {
		// UNCONFIRMED wording; the rejection itself is reported by litellm.
		return badRequest("Unsupported parameter: 'maxTokens' is not supported with model " + m.id + ". Use 'maxCompletionTokens' instead.")
	}
	return nil
}

func (msg *genericMessage) validate(f string) *apiError {
	switch msg.Role {
	case "SYSTEM", "USER", "ASSISTANT", "TOOL", "DEVELOPER":
	case "":
		return badRequest(f + ".role is required.")
	default:
		return badRequest(fmt.Sprintf("Invalid value '%s' for %s.role; allowed values: SYSTEM, USER, ASSISTANT, TOOL, DEVELOPER.", msg.Role, f))
	}
	parts, e := parseParts(msg.Content, f+".content")
	if e != nil {
		return e
	}
	msg.parts = parts
	if e := checkTurn(f, msg.Role, len(parts), len(msg.ToolCalls), msg.ToolCallID); e != nil {
		return e
	}
	if msg.Role != "ASSISTANT" {
		return nil // only an assistant's tool calls are checked
	}
	for j, c := range msg.ToolCalls {
		if c.Type != "FUNCTION" {
			return badRequest(fmt.Sprintf("Invalid value '%s' for %s.toolCalls[%d].type; allowed values: FUNCTION.", c.Type, f, j))
		}
		if c.Name == "" {
			return badRequest(fmt.Sprintf("%s.toolCalls[%d].name is required.", f, j))
		}
	}
	return nil
}

// checkTurn applies the rules GENERIC and COHEREV2 messages share, f naming the message: a TOOL message
// names its call, an ASSISTANT message has content or tool calls, and any other has content.
func checkTurn(f, role string, parts, toolCalls int, toolCallID *string) *apiError {
	switch role {
	case "TOOL":
		if toolCallID == nil || *toolCallID == "" {
			return badRequest(f + ".toolCallId is required for TOOL messages.")
		}
	case "ASSISTANT":
		if parts == 0 && toolCalls == 0 {
			return badRequest(f + " must have content or toolCalls.")
		}
	default:
		// UNCONFIRMED: assumed mandatory for USER/SYSTEM/DEVELOPER.
		if parts == 0 {
			return badRequest(f + ".content is required.")
		}
	}
	return nil
}

// decodeParts decodes a content array (absent is none); a plain string is the classic OpenAI-to-OCI
// translation bug and gets a pointed message.
func decodeParts[P any](raw json.RawMessage, f string) ([]P, *apiError) {
	switch jsonType(raw) {
	case "":
		return nil, nil
	case "array":
	default:
		return nil, badRequest(fmt.Sprintf(`%s must be an array of content parts such as [{"type":"TEXT","text":"..."}], not a JSON %s.`, f, jsonType(raw)))
	}
	var parts []P
	if e := decode(raw, &parts, f); e != nil {
		return nil, e
	}
	return parts, nil
}

// parseParts validates a GENERIC content array.
func parseParts(raw json.RawMessage, f string) ([]contentPart, *apiError) {
	parts, e := decodeParts[contentPart](raw, f)
	if e != nil {
		return nil, e
	}
	for i, p := range parts {
		pf := fmt.Sprintf("%s[%d]", f, i)
		var ok bool
		switch p.Type {
		case "TEXT":
			ok = p.Text != nil
		case "IMAGE":
			ok = p.ImageURL != nil && p.ImageURL.URL != ""
		case "AUDIO":
			ok = p.AudioURL != nil && p.AudioURL.URL != ""
		case "VIDEO":
			ok = p.VideoURL != nil && p.VideoURL.URL != ""
		case "DOCUMENT":
			ok = p.DocumentURL != nil && p.DocumentURL.URL != ""
		default:
			return nil, badRequest(fmt.Sprintf("Invalid value '%s' for %s.type; allowed values: TEXT, IMAGE, AUDIO, VIDEO, DOCUMENT.", p.Type, pf))
		}
		if !ok {
			return nil, badRequest(fmt.Sprintf("%s of type %s is missing its %s.", pf, p.Type, partField(p.Type)))
		}
	}
	return parts, nil
}

func partField(t string) string {
	switch t {
	case "TEXT":
		return "text"
	case "IMAGE":
		return "imageUrl.url"
	}
	return strings.ToLower(t) + "Url.url"
}

// parseToolChoice: an object {type: AUTO|NONE|REQUIRED|FUNCTION(+name)};
// OCI rejects OpenAI's string and nested forms.
func (req *genericRequest) parseToolChoice() *apiError {
	switch jsonType(req.ToolChoice) {
	case "":
		return nil
	case "object":
	default:
		return badRequest(`chatRequest.toolChoice must be an object such as {"type":"AUTO"}, not a JSON ` + jsonType(req.ToolChoice) + ".")
	}
	if e := decode(req.ToolChoice, &req.toolChoice, "chatRequest.toolChoice"); e != nil {
		return e
	}
	tc := req.toolChoice
	if !oneOf(tc.Type, "AUTO", "NONE", "REQUIRED", "FUNCTION") {
		return badRequest("Invalid value '" + tc.Type + "' for chatRequest.toolChoice.type; allowed values: AUTO, NONE, REQUIRED, FUNCTION.")
	}
	if tc.Type == "FUNCTION" {
		if tc.Name == "" {
			return badRequest("chatRequest.toolChoice.name is required when type is FUNCTION.")
		}
		if req.toolIndex(tc.Name) < 0 {
			// UNCONFIRMED: assumed the service checks the name against tools.
			return badRequest("chatRequest.toolChoice.name " + tc.Name + " does not match any tool in chatRequest.tools.")
		}
	}
	return nil
}

func (req *genericRequest) toolIndex(name string) int {
	for i, t := range req.Tools {
		if t.Name == name {
			return i
		}
	}
	return -1
}

// parseResponseFormat: TEXT | JSON_OBJECT | JSON_SCHEMA{jsonSchema:{name,
// description, schema, isStrict}}; OpenAI's "strict" key is a 400 (litellm).
func (req *genericRequest) parseResponseFormat() *apiError {
	switch jsonType(req.ResponseFormat) {
	case "":
		return nil
	case "object":
	default:
		return badRequest(`chatRequest.responseFormat must be an object such as {"type":"JSON_OBJECT"}.`)
	}
	var rf struct {
		Type       string          `json:"type"`
		JSONSchema json.RawMessage `json:"jsonSchema"`
	}
	if e := decode(req.ResponseFormat, &rf, "chatRequest.responseFormat"); e != nil {
		return e
	}
	switch rf.Type {
	case "TEXT":
	case "JSON_OBJECT":
		req.jsonOutput = true
	case "JSON_SCHEMA":
		req.jsonOutput = true
		if jsonType(rf.JSONSchema) != "object" {
			return badRequest("chatRequest.responseFormat.jsonSchema is required for type JSON_SCHEMA and must be an object.")
		}
		var js map[string]json.RawMessage
		_ = json.Unmarshal(rf.JSONSchema, &js)
		for k := range js {
			if !oneOf(k, "name", "description", "schema", "isStrict") {
				return badRequest("Unrecognized field '" + k + "' in chatRequest.responseFormat.jsonSchema; allowed fields: name, description, schema, isStrict.")
			}
		}
		var typed struct {
			Name        string         `json:"name"`
			Description *string        `json:"description"`
			Schema      map[string]any `json:"schema"`
			IsStrict    *bool          `json:"isStrict"`
		}
		if e := decode(rf.JSONSchema, &typed, "chatRequest.responseFormat.jsonSchema"); e != nil {
			return e
		}
		if typed.Name == "" {
			return badRequest("chatRequest.responseFormat.jsonSchema.name is required.")
		}
	case "":
		return badRequest("chatRequest.responseFormat.type is required.")
	default:
		return badRequest("Invalid value '" + rf.Type + "' for chatRequest.responseFormat.type; allowed values: TEXT, JSON_OBJECT, JSON_SCHEMA.")
	}
	return nil
}
