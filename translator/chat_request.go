package translator

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// Target says where a request goes.
type Target struct {
	ModelID          string // OCI model name/OCID, or the endpoint OCID when Dedicated
	Dedicated        bool   // servingMode DEDICATED with endpointId = ModelID
	CompartmentID    string
	DefaultMaxTokens int // sent when the client gives no limit (OCI's own default is tiny); <= 0 sends none
}

// requestBundle holds the envelope, the GENERIC body and the scalars they
// point to, so one allocation covers them all.
type requestBundle struct {
	details    ChatDetails
	chat       GenericChatRequest
	maxTokens  int
	logProbs   int
	streamOpts OCIStreamOptions
	toolChoice OCIToolChoice
	respFormat OCIResponseFormat
	jsonSchema OCIJSONSchema
	prediction OCIPrediction
	webSearch  OCIWebSearchOptions
	location   OCIUserLocation
}

// GenericChat translates an OpenAI chat request into an OCI /actions/chat body
// for apiFormat GENERIC. It returns the names of OpenAI parameters that were
// accepted but not forwarded, and a *RequestError for client mistakes.
// The result aliases strings and raw JSON of req.
func GenericChat(req *hub.ChatRequest, t Target) (*ChatDetails, []string, error) {
	if err := checkCall(req, t); err != nil {
		return nil, nil, err
	}
	b := &requestBundle{}
	g := &b.chat
	g.APIFormat = "GENERIC"
	b.details.CompartmentID = t.CompartmentID
	b.details.ChatRequest = g
	if t.Dedicated {
		b.details.ServingMode = ServingMode{ServingType: "DEDICATED", EndpointID: t.ModelID}
	} else {
		b.details.ServingMode = ServingMode{ServingType: "ON_DEMAND", ModelID: t.ModelID}
	}

	var err error
	if g.Messages, err = genericMessages(req.Messages); err != nil {
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
	if err = b.formats(req); err != nil {
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

// sampling validates ranges the way OpenAI does and forwards the knobs.
func (b *requestBundle) sampling(req *hub.ChatRequest) error {
	g := &b.chat
	if err := checkRange("temperature", req.Temperature, 0, 2); err != nil {
		return err
	}
	if err := checkRange("top_p", req.TopP, 0, 1); err != nil {
		return err
	}
	if err := checkRange("frequency_penalty", req.FrequencyPenalty, -2, 2); err != nil {
		return err
	}
	if err := checkRange("presence_penalty", req.PresencePenalty, -2, 2); err != nil {
		return err
	}
	g.Temperature, g.TopP, g.TopK = req.Temperature, req.TopP, req.TopK
	g.FrequencyPenalty, g.PresencePenalty = req.FrequencyPenalty, req.PresencePenalty
	g.Seed = req.Seed
	if len(req.Stop) > 0 {
		g.Stop = req.Stop
	}
	if n := req.N; n != nil {
		if *n < 1 || *n > 128 {
			return reqErr("n", "Invalid value for 'n': expected an integer between 1 and 128, got "+strconv.Itoa(*n)+".")
		}
		if *n > 1 { // n=1 is the default; not sending it keeps models without numGenerations happy
			g.NumGenerations = n
		}
	}
	if tl := req.TopLogprobs; tl != nil {
		if *tl < 0 || *tl > 20 {
			return reqErr("top_logprobs", "Invalid value for 'top_logprobs': expected an integer between 0 and 20, got "+strconv.Itoa(*tl)+".")
		}
		if req.Logprobs == nil || !*req.Logprobs {
			return reqErr("top_logprobs", "'logprobs' must be set to true when 'top_logprobs' is used.")
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

func checkRange(param string, v *float64, lo, hi float64) error {
	if v == nil || (*v >= lo && *v <= hi) {
		return nil
	}
	return reqErr(param, "Invalid value for '"+param+"': expected a number between "+
		strconv.FormatFloat(lo, 'g', -1, 64)+" and "+strconv.FormatFloat(hi, 'g', -1, 64)+
		", got "+strconv.FormatFloat(*v, 'g', -1, 64)+".")
}

// limits picks the output cap and the field it travels in: OpenAI-family
// models on OCI (except gpt-oss) reject maxTokens and need
// maxCompletionTokens; everything else takes maxTokens.
func (b *requestBundle) limits(req *hub.ChatRequest, t Target) error {
	g := &b.chat
	explicitCompletion := req.MaxCompletionTokens != nil
	switch {
	case explicitCompletion:
		b.maxTokens = *req.MaxCompletionTokens
		if b.maxTokens <= 0 {
			return reqErr("max_completion_tokens", "Invalid value for 'max_completion_tokens': expected an integer greater than 0, got "+strconv.Itoa(b.maxTokens)+".")
		}
	case req.MaxTokens != nil:
		b.maxTokens = *req.MaxTokens
		if b.maxTokens <= 0 {
			return reqErr("max_tokens", "Invalid value for 'max_tokens': expected an integer greater than 0, got "+strconv.Itoa(b.maxTokens)+".")
		}
	default:
		b.maxTokens = t.DefaultMaxTokens
		if b.maxTokens <= 0 {
			return nil
		}
	}
	useCompletion := explicitCompletion
	if !t.Dedicated && !isOCID(t.ModelID) {
		// the model family is known only from an on-demand model name
		useCompletion = needsMaxCompletionTokens(t.ModelID)
	}
	if useCompletion {
		g.MaxCompletionTokens = &b.maxTokens
	} else {
		g.MaxTokens = &b.maxTokens
	}
	return nil
}

// needsMaxCompletionTokens reports whether an on-demand model id is an
// OpenAI-family model (openai.gpt-5*, openai.o1/o3/o4*, openai.gpt-4*…) other
// than the open-weights gpt-oss models.
func needsMaxCompletionTokens(model string) bool {
	return hasPrefixFold(model, "openai.") && !hasPrefixFold(model, "openai.gpt-oss")
}

func isOCID(id string) bool { return hasPrefixFold(id, "ocid1.") }

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// formats maps response_format, reasoning_effort and verbosity.
func (b *requestBundle) formats(req *hub.ChatRequest) error {
	g := &b.chat
	if rf := req.ResponseFormat; rf != nil {
		switch rf.Type {
		case "text":
			b.respFormat.Type = "TEXT"
		case "json_object":
			b.respFormat.Type = "JSON_OBJECT"
		case "json_schema":
			js := rf.JSONSchema
			if js == nil {
				return reqErr("response_format.json_schema", "Missing required parameter: 'response_format.json_schema'.")
			}
			if js.Name == "" {
				return reqErr("response_format.json_schema.name", "Missing required parameter: 'response_format.json_schema.name'.")
			}
			// OCI accepts exactly name/description/schema/isStrict; "strict" is a 400.
			b.jsonSchema = OCIJSONSchema{Name: js.Name, Description: js.Description, IsStrict: js.Strict}
			if !isNull(js.Schema) {
				b.jsonSchema.Schema = json.RawMessage(js.Schema)
			}
			b.respFormat = OCIResponseFormat{Type: "JSON_SCHEMA", JSONSchema: &b.jsonSchema}
		default:
			return reqErr("response_format.type", "Invalid value for 'response_format.type': "+strconv.Quote(rf.Type)+". Supported values are: 'text', 'json_object' and 'json_schema'.")
		}
		g.ResponseFormat = &b.respFormat
	}
	var ok bool
	if g.ReasoningEffort, ok = lookupEnum(req.ReasoningEffort, reasoningEffortEnum); !ok {
		return reqErr("reasoning_effort", "Invalid value for 'reasoning_effort': "+strconv.Quote(req.ReasoningEffort)+". Supported values are: 'none', 'minimal', 'low', 'medium' and 'high'.")
	}
	if g.Verbosity, ok = lookupEnum(req.Verbosity, levelEnum); !ok {
		return reqErr("verbosity", "Invalid value for 'verbosity': "+strconv.Quote(req.Verbosity)+". Supported values are: 'low', 'medium' and 'high'.")
	}
	return nil
}

// extras forwards the less common parameters GENERIC supports and lists
// the ones it cannot take.
func (b *requestBundle) extras(req *hub.ChatRequest) ([]string, error) {
	g := &b.chat
	var dropped []string
	if !isNull(req.LogitBias) && string(req.LogitBias) != "{}" {
		g.LogitBias = json.RawMessage(req.LogitBias)
	}
	if !isNull(req.Metadata) && string(req.Metadata) != "{}" {
		g.Metadata = json.RawMessage(req.Metadata)
	}
	if req.ServiceTier != "" {
		if tier, ok := lookupEnum(req.ServiceTier, serviceTierEnum); ok {
			g.ServiceTier = tier
		} else {
			dropped = append(dropped, "service_tier") // flex, scale…: no OCI equivalent
		}
	}
	if p := req.Prediction; p != nil && !p.Content.IsEmpty() {
		if p.Type != "content" && p.Type != "" {
			return nil, reqErr("prediction.type", "Invalid value for 'prediction.type': "+strconv.Quote(p.Type)+". Supported values are: 'content'.")
		}
		b.prediction.Type = "CONTENT"
		if len(p.Content.Parts) == 0 {
			b.prediction.Content = []OCIContent{{Type: "TEXT", Text: &p.Content.Text}}
		} else {
			b.prediction.Content = make([]OCIContent, 0, len(p.Content.Parts))
			for j := range p.Content.Parts {
				pp := &p.Content.Parts[j]
				if pp.Type != "text" {
					return nil, reqErr("prediction.content["+strconv.Itoa(j)+"].type", "Only 'text' parts are allowed in 'prediction.content'.")
				}
				b.prediction.Content = append(b.prediction.Content, OCIContent{Type: "TEXT", Text: &pp.Text})
			}
		}
		g.Prediction = &b.prediction
	}
	if w := req.WebSearchOptions; w != nil {
		size, ok := lookupEnum(w.SearchContextSize, levelEnum)
		if !ok {
			return nil, reqErr("web_search_options.search_context_size", "Invalid value for 'web_search_options.search_context_size': "+strconv.Quote(w.SearchContextSize)+". Supported values are: 'low', 'medium' and 'high'.")
		}
		b.webSearch.SearchContextSize = size
		if loc := w.UserLocation; loc != nil {
			a := &loc.Approximate
			b.location = OCIUserLocation{City: a.City, Region: a.Region, Country: a.Country, Timezone: a.Timezone}
			b.webSearch.UserLocation = &b.location
		}
		g.WebSearchOptions = &b.webSearch
	}

	return appendCommonDropped(dropped, req), nil
}

// appendCommonDropped lists the OpenAI parameters no OCI apiFormat can take.
func appendCommonDropped(dropped []string, req *hub.ChatRequest) []string {
	if req.User != "" {
		dropped = append(dropped, "user")
	}
	if req.Store != nil && *req.Store {
		dropped = append(dropped, "store")
	}
	for _, m := range req.Modalities {
		if m != "text" {
			dropped = append(dropped, "modalities")
			break
		}
	}
	if !isNull(req.Audio) {
		dropped = append(dropped, "audio")
	}
	if !isNull(req.Functions) {
		dropped = append(dropped, "functions")
	}
	if !isNull(req.FunctionCall) {
		dropped = append(dropped, "function_call")
	}
	if req.SafetyIdentifier != "" {
		dropped = append(dropped, "safety_identifier")
	}
	if req.PromptCacheKey != "" {
		dropped = append(dropped, "prompt_cache_key")
	}
	if req.PromptCacheRetention != "" {
		dropped = append(dropped, "prompt_cache_retention")
	}
	if !isNull(req.PromptCacheOptions) {
		dropped = append(dropped, "prompt_cache_options")
	}
	if !isNull(req.Moderation) {
		dropped = append(dropped, "moderation")
	}
	return dropped
}

func isNull(raw []byte) bool { return len(raw) == 0 || string(raw) == "null" }

// enumPair maps an OpenAI lower-case enum value to OCI's upper-case one.
type enumPair struct{ in, out string }

var (
	detailEnum          = []enumPair{{"auto", "AUTO"}, {"low", "LOW"}, {"high", "HIGH"}}
	levelEnum           = []enumPair{{"low", "LOW"}, {"medium", "MEDIUM"}, {"high", "HIGH"}}
	reasoningEffortEnum = []enumPair{{"none", "NONE"}, {"minimal", "MINIMAL"}, {"low", "LOW"}, {"medium", "MEDIUM"}, {"high", "HIGH"}}
	serviceTierEnum     = []enumPair{{"auto", "AUTO"}, {"default", "DEFAULT"}, {"priority", "PRIORITY"}}
)

// lookupEnum maps v case-insensitively; "" maps to "" (not set).
func lookupEnum(v string, table []enumPair) (string, bool) {
	if v == "" {
		return "", true
	}
	for _, p := range table {
		if strings.EqualFold(v, p.in) {
			return p.out, true
		}
	}
	return "", false
}

// checkCall rejects what no API format can translate: no request, or no model.
func checkCall(req *hub.ChatRequest, t Target) error {
	if req == nil {
		return reqErr("", "The request body is empty.")
	}
	if t.ModelID == "" {
		return reqErr("model", "You must provide a model parameter.")
	}
	return nil
}
