package generic

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// bundle holds the envelope, the GENERIC body and the scalars they point to, so one allocation covers them all.
type bundle struct {
	details    core.ChatDetails
	chat       ChatRequest
	maxTokens  int
	logProbs   int
	streamOpts core.StreamOptions
	toolChoice ToolChoice
	respFormat ResponseFormat
	jsonSchema JSONSchema
	prediction Prediction
	webSearch  WebSearchOptions
	location   UserLocation
}

// Request translates a hub chat request into an OCI /actions/chat body for apiFormat GENERIC. It returns the
// names of parameters that were accepted but not forwarded, and a *hub.RequestError for client mistakes. The
// result aliases strings and raw JSON of req.
func Request(req *hub.ChatRequest, t core.Target) (*core.ChatDetails, []string, error) {
	if err := core.CheckCall(req, t); err != nil {
		return nil, nil, err
	}
	b := &bundle{}
	g := &b.chat
	g.APIFormat = "GENERIC"
	b.details = t.Details(g)

	var err error
	if g.Messages, err = messages(req.Messages); err != nil {
		return nil, nil, err
	}
	if err = b.sampling(req); err != nil {
		return nil, nil, err
	}
	if err = b.limits(req, t); err != nil {
		return nil, nil, err
	}
	if err = b.tools(req); err != nil {
		return nil, nil, err
	}
	if err = b.formats(req, t); err != nil {
		return nil, nil, err
	}
	if req.Stream {
		g.IsStream = true
		if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
			b.streamOpts.IsIncludeUsage = true
			g.StreamOptions = &b.streamOpts
		}
	}
	dropped, err := b.extras(req)
	if err != nil {
		return nil, nil, err
	}
	return &b.details, dropped, nil
}

// sampling validates and forwards the sampling knobs, n and logprobs.
func (b *bundle) sampling(req *hub.ChatRequest) error {
	g := &b.chat
	if err := core.CheckSampling(req); err != nil {
		return err
	}
	g.Temperature, g.TopP, g.TopK = req.Temperature, req.TopP, req.TopK
	g.FrequencyPenalty, g.PresencePenalty = req.FrequencyPenalty, req.PresencePenalty
	g.Seed = req.Seed
	if len(req.Stop) > 0 {
		g.Stop = req.Stop
	}
	if err := core.CheckN(req.N); err != nil {
		return err
	}
	if req.N != nil && *req.N > 1 { // n=1 is the default; not sending it keeps models without numGenerations happy
		g.NumGenerations = req.N
	}
	if tl := req.TopLogprobs; tl != nil {
		if *tl < 0 || *tl > 20 {
			return hub.BadRequest("top_logprobs", "Invalid value for 'top_logprobs': expected an integer between 0 and 20, got "+strconv.Itoa(*tl)+".")
		}
		if req.Logprobs == nil || !*req.Logprobs {
			return hub.BadRequest("top_logprobs", "'logprobs' must be set to true when 'top_logprobs' is used.")
		}
	}
	if req.Logprobs != nil && *req.Logprobs {
		if req.TopLogprobs != nil {
			b.logProbs = *req.TopLogprobs
		}
		g.LogProbs = &b.logProbs
	}
	return nil
}

// limits picks the output cap and the field it travels in: OpenAI-family models on OCI (except gpt-oss) reject
// maxTokens and need maxCompletionTokens; everything else takes maxTokens.
func (b *bundle) limits(req *hub.ChatRequest, t core.Target) error {
	n, explicitCompletion, err := core.MaxTokens(req, t)
	if err != nil || n == 0 {
		return err
	}
	b.maxTokens = n
	useCompletion := explicitCompletion
	if !t.Dedicated && !hasPrefixFold(t.ModelID, "ocid1.") {
		// the model family is known only from an on-demand model name
		useCompletion = needsMaxCompletionTokens(t.ModelID)
	}
	if useCompletion {
		b.chat.MaxCompletionTokens = &b.maxTokens
	} else {
		b.chat.MaxTokens = &b.maxTokens
	}
	return nil
}

// takesReasoningEffort reports whether an on-demand model has a reasoning-effort setting: OpenAI's reasoning
// models (gpt-oss, gpt-5, o-series) and Grok 3 Mini. UNCONFIRMED which other OCI models accept reasoningEffort
// (xAI's own API rejects it for Grok 4); those get no hint.
func takesReasoningEffort(t core.Target) bool {
	if t.Dedicated {
		return false
	}
	for _, p := range []string{"openai.gpt-oss", "openai.gpt-5", "openai.o", "xai.grok-3-mini"} {
		if hasPrefixFold(t.ModelID, p) {
			return true
		}
	}
	return false
}

// needsMaxCompletionTokens reports whether an on-demand model id is an OpenAI-family model (openai.gpt-5*,
// openai.o1/o3/o4*, openai.gpt-4*…) other than the open-weights gpt-oss models.
func needsMaxCompletionTokens(model string) bool {
	return hasPrefixFold(model, "openai.") && !hasPrefixFold(model, "openai.gpt-oss")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// formats maps response_format, reasoning_effort (or the effort hint) and verbosity.
func (b *bundle) formats(req *hub.ChatRequest, t core.Target) error {
	g := &b.chat
	kind, err := core.ResponseFormat(req.ResponseFormat)
	if err != nil {
		return err
	}
	switch kind {
	case core.FormatText:
		b.respFormat.Type = "TEXT"
	case core.FormatJSONObject:
		b.respFormat.Type = "JSON_OBJECT"
	case core.FormatJSONSchema:
		// OCI accepts exactly name/description/schema/isStrict; "strict" is a 400.
		js := req.ResponseFormat.JSONSchema
		b.jsonSchema = JSONSchema{Name: js.Name, Description: js.Description, IsStrict: js.Strict}
		if !core.IsNull(js.Schema) {
			b.jsonSchema.Schema = json.RawMessage(js.Schema)
		}
		b.respFormat = ResponseFormat{Type: "JSON_SCHEMA", JSONSchema: &b.jsonSchema}
	}
	if kind != "" {
		g.ResponseFormat = &b.respFormat
	}
	if g.ReasoningEffort, err = core.ReasoningEffortOrHint(req, takesReasoningEffort(t)); err != nil {
		return err
	}
	var ok bool
	if g.Verbosity, ok = core.LookupEnum(req.Verbosity, core.Levels); !ok {
		return hub.BadRequest("verbosity", "Invalid value for 'verbosity': "+strconv.Quote(req.Verbosity)+". Supported values are: 'low', 'medium' and 'high'.")
	}
	return nil
}

// extras forwards the less common parameters GENERIC supports and lists the ones it cannot take.
func (b *bundle) extras(req *hub.ChatRequest) ([]string, error) {
	g := &b.chat
	var dropped []string
	if !core.IsEmptyObject(req.LogitBias) {
		g.LogitBias = json.RawMessage(req.LogitBias)
	}
	if !core.IsEmptyObject(req.Metadata) {
		g.Metadata = json.RawMessage(req.Metadata)
	}
	if req.ServiceTier != "" {
		if tier, ok := core.LookupEnum(req.ServiceTier, core.ServiceTiers); ok {
			g.ServiceTier = tier
		} else {
			dropped = append(dropped, "service_tier") // flex, scale…: no OCI equivalent
		}
	}
	if err := b.predict(req.Prediction); err != nil {
		return nil, err
	}
	if w := req.WebSearchOptions; w != nil {
		size, ok := core.LookupEnum(w.SearchContextSize, core.Levels)
		if !ok {
			return nil, hub.BadRequest("web_search_options.search_context_size", "Invalid value for 'web_search_options.search_context_size': "+strconv.Quote(w.SearchContextSize)+". Supported values are: 'low', 'medium' and 'high'.")
		}
		b.webSearch.SearchContextSize = size
		if loc := w.UserLocation; loc != nil {
			a := &loc.Approximate
			b.location = UserLocation{City: a.City, Region: a.Region, Country: a.Country, Timezone: a.Timezone}
			b.webSearch.UserLocation = &b.location
		}
		g.WebSearchOptions = &b.webSearch
	}
	return core.AppendDropped(dropped, req), nil
}

// predict forwards a predicted output (text only).
func (b *bundle) predict(p *hub.Prediction) error {
	if p == nil || p.Content.IsEmpty() {
		return nil
	}
	if p.Type != "content" && p.Type != "" {
		return hub.BadRequest("prediction.type", "Invalid value for 'prediction.type': "+strconv.Quote(p.Type)+". Supported values are: 'content'.")
	}
	b.prediction.Type = "CONTENT"
	if len(p.Content.Parts) == 0 {
		b.prediction.Content = []Content{{Type: "TEXT", Text: &p.Content.Text}}
	} else {
		b.prediction.Content = make([]Content, 0, len(p.Content.Parts))
		for j := range p.Content.Parts {
			pp := &p.Content.Parts[j]
			if pp.Type != "text" {
				return hub.BadRequest("prediction.content["+strconv.Itoa(j)+"].type", "Only 'text' parts are allowed in 'prediction.content'.")
			}
			b.prediction.Content = append(b.prediction.Content, Content{Type: "TEXT", Text: &pp.Text})
		}
	}
	b.chat.Prediction = &b.prediction
	return nil
}
