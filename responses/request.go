package responses

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/ociai/ociai-proxy/hub"
)

// mode says what a turn answers with.
type mode int

const (
	modeAnswer   mode = iota // an ordinary response
	modeTrigger              // a response whose only output is a compaction item (compaction_trigger)
	modeEndpoint             // POST /v1/responses/compact: a response.compaction object
)

// Turn is one Responses request on its way through the hub: the chat request to run, and what is needed to
// turn the hub's answer back into a response.
type Turn struct {
	ID      string // resp_…; Decode makes a random one
	Created int64  // unix seconds; Decode sets now
	Hub     hub.ChatRequest
	Ignored []string // hosted tool types left out of the request, for a response header and the log

	req    Request
	mode   mode
	tools  toolset
	sealer *Sealer
}

// Decode reads a POST /v1/responses body; a request the gateway cannot serve is a 400 naming the parameter.
func Decode(body []byte, s *Sealer) (*Turn, *hub.Error) { return decode(body, s, modeAnswer) }

// DecodeCompact reads a POST /v1/responses/compact body: the conversation to compact.
func DecodeCompact(body []byte, s *Sealer) (*Turn, *hub.Error) { return decode(body, s, modeEndpoint) }

func decode(body []byte, s *Sealer, m mode) (*Turn, *hub.Error) {
	t := &Turn{ID: NewID("resp_"), Created: time.Now().Unix(), mode: m, sealer: s}
	if e := hub.DecodeJSON(body, &t.req); e != nil {
		return nil, e
	}
	if e := t.build(); e != nil {
		return nil, e
	}
	return t, nil
}

// NewID is prefix plus 24 random hex digits.
func NewID(prefix string) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

func (t *Turn) build() *hub.Error {
	r := &t.req
	if err := checkStateless(r); err != nil {
		return err
	}
	if !r.Input.IsSet {
		return invalid("input", "Missing required parameter: 'input'.")
	}
	if err := t.tools.add(r.Tools.List, "tools"); err != nil {
		return err
	}
	h := history{tools: &t.tools, sealer: t.sealer, lenient: t.mode == modeEndpoint}
	if r.Input.Items == nil {
		if r.Input.Text == "" {
			return invalid("input", "'input' is empty.")
		}
		h.msgs = []hub.Message{{Role: "user", Content: hub.TextContent(r.Input.Text)}}
	} else if err := h.items(r.Input.Items); err != nil {
		return err
	}
	if h.trigger {
		t.mode = modeTrigger
	}
	if r.Instructions != nil && *r.Instructions != "" {
		h.system = append([]string{*r.Instructions}, h.system...)
	}
	if len(h.msgs) == 0 {
		return invalid("input", "'input' holds no user or assistant message to answer.")
	}
	if t.mode != modeAnswer {
		if !t.sealer.ready() {
			return &hub.Error{Status: http.StatusInternalServerError, Type: hub.ServerError, Code: "compaction_unavailable",
				Message: "Compaction is not available: the gateway has no secret to seal the summary with."}
		}
		t.Hub = summaryRequest(r.Model, h.msgs)
	} else if err := t.chatRequest(&h); err != nil {
		return err
	}
	t.Ignored = t.tools.ignored
	t.Hub.Stream = r.Stream && t.mode != modeEndpoint
	if t.Hub.Stream {
		t.Hub.StreamOptions = &hub.StreamOptions{IncludeUsage: true} // every response reports usage
	}
	return nil
}

func checkStateless(r *Request) *hub.Error {
	switch {
	case r.PreviousResponseID != "":
		return stateless("previous_response_id")
	case isSet(r.Conversation):
		return stateless("conversation")
	case r.Background:
		return stateless("background")
	case isSet(r.Prompt):
		return &hub.Error{Status: http.StatusBadRequest, Type: hub.InvalidRequest, Code: "unsupported_parameter", Param: "prompt",
			Message: "`prompt` (a stored prompt template) is not supported: the gateway stores no prompts. Send the instructions and input instead."}
	}
	return nil
}

func isSet(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && string(raw) != "null"
}

// chatRequest fills the hub request of an ordinary turn.
func (t *Turn) chatRequest(h *history) *hub.Error {
	r := &t.req
	c := &t.Hub
	c.Model = r.Model
	if len(h.system) > 0 {
		c.Messages = append(c.Messages, hub.Message{Role: "system", Content: hub.TextContent(strings.Join(h.system, "\n\n"))})
	}
	c.Messages = append(c.Messages, h.msgs...)
	if r.MaxOutputTokens != nil && *r.MaxOutputTokens <= 0 {
		return invalid("max_output_tokens", "Invalid value for 'max_output_tokens': expected an integer greater than 0.")
	}
	c.MaxTokens = r.MaxOutputTokens // absent: the gateway's default_max_tokens applies, as for chat
	c.Temperature, c.TopP, c.User = r.Temperature, r.TopP, r.User
	if len(t.tools.hub) > 0 {
		c.Tools = t.tools.hub
		c.ParallelToolCalls = r.ParallelTools
		tc, err := t.tools.toolChoice(r.ToolChoice)
		if err != nil {
			return err
		}
		c.ToolChoice = tc
	}
	if err := reasoning(r.Reasoning, c); err != nil {
		return err
	}
	return textFormat(r.Text, c)
}

// reasoning maps reasoning.effort onto OCI's levels (xhigh and max are OCI's high). Summaries need no
// setting: whatever reasoning the model returns comes back as summary text.
func reasoning(r *Reasoning, c *hub.ChatRequest) *hub.Error {
	if r == nil || r.Effort == "" {
		return nil
	}
	switch r.Effort {
	case "none", "minimal", "low", "medium", "high":
		c.ReasoningEffort = r.Effort
	case "xhigh", "max":
		c.ReasoningEffort = "high"
	default:
		return invalid("reasoning.effort", "Invalid value for 'reasoning.effort': "+quote(r.Effort)+". Supported values are: 'none', 'minimal', 'low', 'medium', 'high', 'xhigh' and 'max'.")
	}
	return nil
}

// textFormat maps text.format onto response_format and passes text.verbosity on.
func textFormat(tc *TextConfig, c *hub.ChatRequest) *hub.Error {
	if tc == nil {
		return nil
	}
	c.Verbosity = tc.Verbosity
	f := tc.Format
	if f == nil {
		return nil
	}
	switch f.Type {
	case "", "text":
	case "json_object":
		c.ResponseFormat = &hub.ResponseFormat{Type: "json_object"}
	case "json_schema":
		if f.Name == "" || len(f.Schema) == 0 {
			return invalid("text.format", "A json_schema format needs a name and a schema.")
		}
		c.ResponseFormat = &hub.ResponseFormat{Type: "json_schema", JSONSchema: &hub.JSONSchema{
			Name: f.Name, Description: f.Description, Schema: f.Schema, Strict: f.Strict}}
	default:
		return invalid("text.format.type", "Invalid value for 'text.format.type': "+quote(f.Type)+". Supported values are: 'text', 'json_object' and 'json_schema'.")
	}
	return nil
}
