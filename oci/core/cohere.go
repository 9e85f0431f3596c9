package core

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// What the two Cohere formats, COHERE (V1) and COHEREV2, share: the sampling and output fields, tool-call ids
// derived from the call, and the stream handling around whole tool calls and repeated text.

// CohereParams are the sampling and output fields of COHERE and COHEREV2 chatRequests, with the values they point
// to, so that a request needs one allocation.
type CohereParams struct {
	IsStream         bool                  `json:"isStream,omitempty"`
	StreamOptions    *StreamOptions        `json:"streamOptions,omitempty"`
	MaxTokens        *int                  `json:"maxTokens,omitempty"`
	Temperature      *float64              `json:"temperature,omitempty"`
	TopK             *int                  `json:"topK,omitempty"`
	TopP             *float64              `json:"topP,omitempty"`
	FrequencyPenalty *float64              `json:"frequencyPenalty,omitempty"`
	PresencePenalty  *float64              `json:"presencePenalty,omitempty"`
	Seed             *int64                `json:"seed,omitempty"`
	StopSequences    []string              `json:"stopSequences,omitempty"`
	ResponseFormat   *CohereResponseFormat `json:"responseFormat,omitempty"`

	maxTokens  int
	streamOpts StreamOptions
	respFormat CohereResponseFormat
}

// CohereResponseFormat is responseFormat of COHERE and COHEREV2: TEXT, or JSON_OBJECT with an optional JSON schema
// (there is no JSON_SCHEMA type).
type CohereResponseFormat struct {
	Type   string          `json:"type"` // TEXT | JSON_OBJECT
	Schema json.RawMessage `json:"schema,omitempty"`
}

// Set validates and maps the sampling and output parameters of req; it returns the parameters neither Cohere
// format takes.
func (p *CohereParams) Set(req *hub.ChatRequest, t Target) ([]string, error) {
	if err := p.sampling(req); err != nil {
		return nil, err
	}
	if err := p.output(req, t); err != nil {
		return nil, err
	}
	return cohereDropped(req), nil
}

// sampling maps the sampling knobs and stop sequences, and refuses n > 1.
func (p *CohereParams) sampling(req *hub.ChatRequest) error {
	if err := CheckSampling(req); err != nil {
		return err
	}
	// UNCONFIRMED: Cohere documents narrower ranges (temperature 0–1, penalties 0–1, topK 0–500); values are
	// forwarded and OCI decides.
	p.Temperature, p.TopP, p.TopK = req.Temperature, req.TopP, req.TopK
	p.FrequencyPenalty, p.PresencePenalty, p.Seed = req.FrequencyPenalty, req.PresencePenalty, req.Seed
	if len(req.Stop) > 0 {
		p.StopSequences = req.Stop
	}
	if err := CheckN(req.N); err != nil {
		return err
	}
	if req.N != nil && *req.N > 1 {
		return hub.BadRequest("n", "Cohere models on OCI generate one choice per request; 'n' must be 1.")
	}
	return nil
}

// output maps the output limit, response_format and streaming.
func (p *CohereParams) output(req *hub.ChatRequest, t Target) error {
	n, _, err := MaxTokens(req, t)
	if err != nil {
		return err
	}
	if n > 0 {
		p.maxTokens = n
		p.MaxTokens = &p.maxTokens
	}
	kind, err := ResponseFormat(req.ResponseFormat)
	if err != nil {
		return err
	}
	switch kind {
	case FormatText:
		p.respFormat.Type = "TEXT"
	case FormatJSONObject:
		p.respFormat.Type = "JSON_OBJECT"
	case FormatJSONSchema:
		// The schema rides on JSON_OBJECT (name, description and strict have no place).
		p.respFormat.Type = "JSON_OBJECT"
		if js := req.ResponseFormat.JSONSchema; !IsNull(js.Schema) {
			p.respFormat.Schema = json.RawMessage(js.Schema)
		}
	}
	if kind != "" {
		p.ResponseFormat = &p.respFormat
	}
	if req.Stream {
		p.IsStream = true
		if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
			p.streamOpts.IsIncludeUsage = true
			p.StreamOptions = &p.streamOpts
		}
	}
	return nil
}

// cohereDropped lists the parameters of req neither Cohere format takes.
func cohereDropped(req *hub.ChatRequest) []string {
	var dropped []string
	for _, p := range []struct {
		name string
		set  bool
	}{
		{"logprobs", req.Logprobs != nil && *req.Logprobs},
		{"top_logprobs", req.TopLogprobs != nil},
		{"logit_bias", !IsEmptyObject(req.LogitBias)},
		{"parallel_tool_calls", req.ParallelToolCalls != nil},
		{"metadata", !IsEmptyObject(req.Metadata)},
		{"service_tier", req.ServiceTier != ""},
		{"verbosity", req.Verbosity != ""},
		{"prediction", req.Prediction != nil && !req.Prediction.Content.IsEmpty()},
		{"web_search_options", req.WebSearchOptions != nil},
	} {
		if p.set {
			dropped = append(dropped, p.name)
		}
	}
	return AppendDropped(dropped, req)
}

// Cohere V1 tool calls, and V2 calls OCI sends without an id, get an id derived from the call itself: "call_" +
// the first 24 hex digits of sha256("<position>|<name>|<canonical arguments>"), the scheme litellm uses. Position
// is the call's index in the answer (the hub tool-call index), canonical arguments are the arguments re-encoded
// with sorted keys. The same call at the same position always gets the same id, in a whole answer and in a stream
// alike, so a client that replays a conversation sees stable ids. (A request never needs them back: tool
// messages are resolved against the assistant message of the same request.)

// CohereCallID returns the stable id of the call at position.
func CohereCallID(position int, name, args string) string {
	h := sha256.New()
	h.Write([]byte(strconv.Itoa(position)))
	h.Write([]byte{'|'})
	h.Write([]byte(name))
	h.Write([]byte{'|'})
	h.Write([]byte(CanonicalJSON(args)))
	var sum [sha256.Size]byte
	return "call_" + hex.EncodeToString(h.Sum(sum[:0]))[:24]
}

// CanonicalJSON re-encodes a JSON value with sorted object keys and no insignificant whitespace (numbers keep
// their literal form); text that is not JSON is returned unchanged.
func CanonicalJSON(s string) string {
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil || d.More() {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return s
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte{'\n'}))
}

// CompactJSON is v without insignificant whitespace (v itself when it is not valid JSON).
func CompactJSON(v json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, v) != nil {
		return string(v)
	}
	return b.String()
}

// CohereStream is what the COHERE and COHEREV2 stream readers share: an Assembler that gives each whole tool
// call its own chunk, and the text sent so far, which finish events may repeat.
type CohereStream struct {
	Assembler
	sent strings.Builder
	text string // the text of the last Text call, which its Event points to
}

// NewCohereStream starts the chunks of one Cohere answer (see NewAssembler).
func NewCohereStream(id, model string, created int64, includeUsage bool) CohereStream {
	return CohereStream{Assembler: NewAssembler(id, model, created, includeUsage)}
}

// Extends returns what of full extends the text sent so far, and whether it does.
func (s *CohereStream) Extends(full string) (string, bool) {
	done := s.sent.String()
	if strings.HasPrefix(full, done) {
		return full[len(done):], true
	}
	return "", false
}

// Sent reports whether any text has been sent.
func (s *CohereStream) Sent() bool { return s.sent.Len() > 0 }

// Text records t as sent and returns it for an Event (valid until the next call); nil when t is empty or the
// answer has finished.
func (s *CohereStream) Text(t string) *string {
	if t == "" || s.FinishSeen() {
		return nil
	}
	s.sent.WriteString(t)
	s.text = t
	return &s.text
}

// Emit translates one event; an event with nothing in it gives nothing.
func (s *CohereStream) Emit(ev *Event) []hub.ChatChunk {
	if !ev.Message && ev.FinishReason == "" && ev.Usage == nil {
		return nil
	}
	return s.SplitCalls(s.Apply(ev))
}

// Close ends the stream like Assembler.Close, one tool call per chunk.
func (s *CohereStream) Close() []hub.ChatChunk { return s.SplitCalls(s.Assembler.Close()) }

// ErrorMessage is the error of a Cohere event that reports one in errorMessage (nil when msg is empty).
func ErrorMessage(code json.RawMessage, msg string) *UpstreamError {
	if msg == "" {
		return nil
	}
	return &UpstreamError{Code: RawString(code), Message: msg}
}
