package ocisim

import (
	"encoding/json"
	"strings"
	"time"
)

// chatEnvelope is ChatDetails; chatRequest is decoded per apiFormat.
type chatEnvelope struct {
	CompartmentID *string         `json:"compartmentId"`
	ServingMode   *servingMode    `json:"servingMode"`
	ChatRequest   json.RawMessage `json:"chatRequest"`
}

// modelVersion is reported for every model. UNCONFIRMED: real versions
// differ per model.
const modelVersion = "1.0.0"

// errTypeMismatch is the service's answer when apiFormat and model family
// disagree (e.g. GENERIC to a Cohere model).
const errTypeMismatch = "Chat request type does not match serving model."

func (x *exchange) failAPI(e *apiError) { x.fail(e.status, e.code, e.message) }

// checkCompartment: compartmentId is mandatory.
// UNCONFIRMED: the service's message; an OCID of the wrong shape is assumed
// to be a 400 too.
func checkCompartment(c *string) *apiError {
	switch {
	case c == nil || *c == "":
		return badRequest("compartmentId is required.")
	case !strings.HasPrefix(*c, "ocid1."):
		return badRequest("Invalid compartmentId " + *c + ".")
	}
	return nil
}

// chat handles POST /actions/chat.
func (s *Simulator) chat(x *exchange) {
	var env chatEnvelope
	if e := decode(x.body, &env, ""); e != nil {
		x.failAPI(e)
		return
	}
	if e := checkCompartment(env.CompartmentID); e != nil {
		x.failAPI(e)
		return
	}
	m, e := resolveModel(env.ServingMode)
	if e == nil {
		e = s.offers(m)
	}
	if e != nil {
		x.failAPI(e)
		return
	}
	if m.isEmbed() || m.isRerank() {
		// UNCONFIRMED: the service's answer for chat on a non-chat model.
		x.failAPI(badRequest("Model " + m.id + " does not support chat."))
		return
	}
	if jsonType(env.ChatRequest) != "object" {
		x.failAPI(badRequest("chatRequest is required and must be an object."))
		return
	}
	var head struct {
		APIFormat string `json:"apiFormat"`
	}
	if e := decode(env.ChatRequest, &head, "chatRequest"); e != nil {
		x.failAPI(e)
		return
	}
	switch head.APIFormat {
	case "GENERIC":
		if m.vendor == vendorCohere {
			x.failAPI(badRequest(errTypeMismatch))
			return
		}
		s.chatGeneric(x, m, env.ChatRequest)
	case "COHERE":
		// Command A Vision needs COHEREV2 (reference: COHERE would drop
		// the images); the simulator rejects it like a type mismatch.
		if m.vendor != vendorCohere || m.isVision() {
			x.failAPI(badRequest(errTypeMismatch))
			return
		}
		s.chatCohere(x, m, env.ChatRequest)
	case "COHEREV2":
		if !m.acceptsCohereV2() {
			x.failAPI(badRequest(errTypeMismatch))
			return
		}
		s.chatCohereV2(x, m, env.ChatRequest)
	case "":
		x.failAPI(badRequest("chatRequest.apiFormat is required (GENERIC, COHERE or COHEREV2)."))
	default:
		x.failAPI(badRequest("Invalid chatRequest.apiFormat " + head.APIFormat + "; allowed values: GENERIC, COHERE, COHEREV2."))
	}
}

// timeCreated formats t like the service: RFC 3339 UTC with milliseconds.
func timeCreated(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// usage is the OCI Usage object.
type usage struct {
	CompletionTokens        int                      `json:"completionTokens"`
	PromptTokens            int                      `json:"promptTokens"`
	TotalTokens             int                      `json:"totalTokens"`
	CompletionTokensDetails *completionTokensDetails `json:"completionTokensDetails,omitempty"`
	PromptTokensDetails     *promptTokensDetails     `json:"promptTokensDetails,omitempty"`
}

type completionTokensDetails struct {
	ReasoningTokens int `json:"reasoningTokens"`
}

type promptTokensDetails struct {
	CachedTokens int `json:"cachedTokens"`
}

// plainUsage is the Cohere-style usage (no details).
func (g *generation) plainUsage() *usage {
	c := g.completionTokens()
	return &usage{CompletionTokens: c, PromptTokens: g.prompt, TotalTokens: c + g.prompt}
}
