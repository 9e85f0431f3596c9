package core

import (
	"strconv"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// CheckSampling validates the sampling knobs' ranges the way OpenAI does. (Cohere documents narrower ranges;
// those values are forwarded and OCI decides.)
func CheckSampling(req *hub.ChatRequest) error {
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
		if r.v != nil && (*r.v < r.lo || *r.v > r.hi) {
			return hub.BadRequest(r.name, "Invalid value for '"+r.name+"': expected a number between "+
				strconv.FormatFloat(r.lo, 'g', -1, 64)+" and "+strconv.FormatFloat(r.hi, 'g', -1, 64)+
				", got "+strconv.FormatFloat(*r.v, 'g', -1, 64)+".")
		}
	}
	return nil
}

// CheckN validates n (choices per request): absent, or 1 to 128.
func CheckN(n *int) error {
	if n != nil && (*n < 1 || *n > 128) {
		return hub.BadRequest("n", "Invalid value for 'n': expected an integer between 1 and 128, got "+strconv.Itoa(*n)+".")
	}
	return nil
}

// MaxTokens is the output limit to send: max_completion_tokens, else max_tokens, else the target's default;
// 0 sends none. explicit reports that the client chose max_completion_tokens.
func MaxTokens(req *hub.ChatRequest, t Target) (n int, explicit bool, err error) {
	switch {
	case req.MaxCompletionTokens != nil:
		if n = *req.MaxCompletionTokens; n <= 0 {
			return 0, true, hub.BadRequest("max_completion_tokens", "Invalid value for 'max_completion_tokens': expected an integer greater than 0, got "+strconv.Itoa(n)+".")
		}
		return n, true, nil
	case req.MaxTokens != nil:
		if n = *req.MaxTokens; n <= 0 {
			return 0, false, hub.BadRequest("max_tokens", "Invalid value for 'max_tokens': expected an integer greater than 0, got "+strconv.Itoa(n)+".")
		}
		return n, false, nil
	}
	return max(t.DefaultMaxTokens, 0), false, nil
}

// Response formats (the type of response_format).
const (
	FormatText       = "text"
	FormatJSONObject = "json_object"
	FormatJSONSchema = "json_schema"
)

// ResponseFormat validates response_format and returns its type (one of the Format constants, "" when absent);
// for json_schema the schema is rf.JSONSchema, present and named.
func ResponseFormat(rf *hub.ResponseFormat) (string, error) {
	if rf == nil {
		return "", nil
	}
	switch rf.Type {
	case FormatText, FormatJSONObject:
	case FormatJSONSchema:
		if rf.JSONSchema == nil {
			return "", hub.BadRequest("response_format.json_schema", "Missing required parameter: 'response_format.json_schema'.")
		}
		if rf.JSONSchema.Name == "" {
			return "", hub.BadRequest("response_format.json_schema.name", "Missing required parameter: 'response_format.json_schema.name'.")
		}
	default:
		return "", hub.BadRequest("response_format.type", "Invalid value for 'response_format.type': "+strconv.Quote(rf.Type)+". Supported values are: 'text', 'json_object' and 'json_schema'.")
	}
	return rf.Type, nil
}

// ReasoningEffort validates reasoning_effort and returns it in OCI's upper case ("" when absent).
func ReasoningEffort(req *hub.ChatRequest) (string, error) {
	v, ok := LookupEnum(req.ReasoningEffort, ReasoningEfforts)
	if !ok {
		return "", hub.BadRequest("reasoning_effort", "Invalid value for 'reasoning_effort': "+strconv.Quote(req.ReasoningEffort)+". Supported values are: 'none', 'minimal', 'low', 'medium' and 'high'.")
	}
	return v, nil
}

// ReasoningEffortOrHint is ReasoningEffort, or else, when the model takes a reasoning effort, the request's
// ReasoningEffortHint in OCI's upper case (an unknown hint counts as none).
func ReasoningEffortOrHint(req *hub.ChatRequest, takesEffort bool) (string, error) {
	v, err := ReasoningEffort(req)
	if v != "" || err != nil || !takesEffort {
		return v, err
	}
	v, _ = LookupEnum(req.ReasoningEffortHint, ReasoningEfforts)
	return v, nil
}

// EnumPair maps an OpenAI lower-case enum value to OCI's upper-case one.
type EnumPair struct{ In, Out string }

// Enums OpenAI and OCI share.
var (
	Details          = []EnumPair{{"auto", "AUTO"}, {"low", "LOW"}, {"high", "HIGH"}}
	Levels           = []EnumPair{{"low", "LOW"}, {"medium", "MEDIUM"}, {"high", "HIGH"}}
	ReasoningEfforts = []EnumPair{{"none", "NONE"}, {"minimal", "MINIMAL"}, {"low", "LOW"}, {"medium", "MEDIUM"}, {"high", "HIGH"}}
	ServiceTiers     = []EnumPair{{"auto", "AUTO"}, {"default", "DEFAULT"}, {"priority", "PRIORITY"}}
)

// LookupEnum maps v case-insensitively; "" maps to "" (not set).
func LookupEnum(v string, table []EnumPair) (string, bool) {
	if v == "" {
		return "", true
	}
	for _, p := range table {
		if strings.EqualFold(v, p.In) {
			return p.Out, true
		}
	}
	return "", false
}

// IsNull reports whether raw JSON is absent or null.
func IsNull(raw []byte) bool { return len(raw) == 0 || string(raw) == "null" }

// IsEmptyObject reports whether raw JSON is absent, null or {}.
func IsEmptyObject(raw []byte) bool { return IsNull(raw) || string(raw) == "{}" }

// MsgParam names a field of messages[i], e.g. MsgParam(2, ".tool_call_id").
func MsgParam(i int, field string) string { return "messages[" + strconv.Itoa(i) + "]" + field }

// PartParam names a field of messages[i].content[j].
func PartParam(i, j int, field string) string {
	return MsgParam(i, ".content["+strconv.Itoa(j)+"]"+field)
}

// MediaPart converts the image_url (or video_url) u of messages[i].content[j]; field is ".image_url" or
// ".video_url".
func MediaPart(u *hub.MediaURL, i, j int, field string) (*MediaURL, error) {
	if u == nil || u.URL == "" {
		p := PartParam(i, j, field+".url")
		return nil, hub.BadRequest(p, "Missing required parameter: '"+p+"'.")
	}
	d, ok := LookupEnum(u.Detail, Details)
	if !ok {
		p := PartParam(i, j, field+".detail")
		return nil, hub.BadRequest(p, "Invalid value for '"+p+"': "+strconv.Quote(u.Detail)+". Supported values are: 'auto', 'low' and 'high'.")
	}
	return &MediaURL{URL: u.URL, Detail: d}, nil
}

// CheckRole rejects the roles no format takes at messages[i]: legacy "function" messages and unknown roles.
func CheckRole(role string, i int) error {
	switch role {
	case "system", "developer", "user", "assistant", "tool":
		return nil
	case "function":
		return hub.BadRequest(MsgParam(i, ".role"), "Legacy 'function' messages are not supported; use role 'tool' with 'tool_call_id'.")
	}
	return hub.BadRequest(MsgParam(i, ".role"), "Invalid value for '"+MsgParam(i, ".role")+"': "+strconv.Quote(role)+". Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.")
}

// CheckMessages rejects an empty conversation.
func CheckMessages(in []hub.Message) error {
	if len(in) == 0 {
		return hub.BadRequest("messages", "'messages' must contain at least one message.")
	}
	return nil
}

// CheckToolMessage rejects a tool message at messages[i] that does not name the call it answers.
func CheckToolMessage(m *hub.Message, i int) error {
	if m.ToolCallID == "" {
		return hub.BadRequest(MsgParam(i, ".tool_call_id"), "Missing required parameter: '"+MsgParam(i, ".tool_call_id")+"'.")
	}
	return nil
}

// CheckRefusalPart rejects a refusal part of messages[i].content[j] outside assistant messages.
func CheckRefusalPart(role string, i, j int) error {
	if role != "assistant" {
		return hub.BadRequest(PartParam(i, j, ".type"), "Content parts of type 'refusal' are only allowed in assistant messages.")
	}
	return nil
}
