package ocisim

import (
	"net/http"
	"slices"
	"strings"

	"github.com/oracle/oci-go-sdk/v65/common"
)

// servingMode is the polymorphic ServingMode (discriminator servingType).
type servingMode struct {
	ServingType string `json:"servingType"`
	ModelID     string `json:"modelId"`
	EndpointID  string `json:"endpointId"`
}

// vendor decides model-family behaviour (apiFormat, stream shapes).
type vendor string

const (
	vendorXAI    vendor = "xai"
	vendorMeta   vendor = "meta"
	vendorOpenAI vendor = "openai"
	vendorGoogle vendor = "google"
	vendorCohere vendor = "cohere"
)

// model is the resolved target of a request.
type model struct {
	id        string // reported back as modelId
	vendor    vendor
	dedicated bool
}

// apiError is a validation failure to be answered as an OCI error.
type apiError struct {
	status        int
	code, message string
}

func badRequest(msg string) *apiError {
	return &apiError{http.StatusBadRequest, "InvalidParameter", msg}
}

func notFound(key string) *apiError {
	return &apiError{http.StatusNotFound, "NotAuthorizedOrNotFound", "Entity with key " + key + " not found"}
}

// resolveModel validates servingMode. ON_DEMAND model ids must carry a known
// vendor prefix (or be a model OCID); anything else is unknown to the
// service and answers 404 like a model not offered in the region.
func resolveModel(sm *servingMode) (model, *apiError) {
	if sm == nil {
		return model{}, badRequest("servingMode is required.")
	}
	switch sm.ServingType {
	case "ON_DEMAND":
		id := sm.ModelID
		if id == "" {
			return model{}, badRequest("servingMode.modelId is required for servingType ON_DEMAND.")
		}
		if strings.HasPrefix(id, "ocid1.generativeaimodel.") {
			// A model OCID names any base model; like dedicated endpoints it
			// is generic unless the OCID mentions cohere (a simulator rule).
			return model{id: id, vendor: ocidVendor(id)}, nil
		}
		prefix, _, _ := strings.Cut(id, ".")
		switch v := vendor(prefix); v {
		case vendorXAI, vendorMeta, vendorOpenAI, vendorGoogle, vendorCohere:
			return model{id: id, vendor: v}, nil
		}
		return model{}, notFound(id)
	case "DEDICATED":
		id := sm.EndpointID
		if id == "" {
			return model{}, badRequest("servingMode.endpointId is required for servingType DEDICATED.")
		}
		if !strings.HasPrefix(id, "ocid1.generativeaiendpoint.") {
			return model{}, notFound(id)
		}
		// A real dedicated endpoint serves whatever model it hosts; the
		// simulator cannot know, so it treats the endpoint as a generic
		// (Llama-like) model unless its OCID contains "cohere".
		// UNCONFIRMED: the service reports the hosted model's id as
		// modelId; the simulator reports the endpoint OCID.
		return model{id: id, vendor: ocidVendor(id), dedicated: true}, nil
	case "":
		return model{}, badRequest("servingMode.servingType is required (ON_DEMAND or DEDICATED).")
	}
	return model{}, badRequest("Invalid servingMode.servingType " + sm.ServingType + "; expected ON_DEMAND or DEDICATED.")
}

// offers checks that the region the simulator plays serves m. Resources are
// regional: a dedicated endpoint is found only in the region its OCID names,
// and an on-demand model only where it is offered. UNCONFIRMED: that the
// service answers a foreign-region endpoint OCID like any unknown resource
// (404 NotAuthorizedOrNotFound); a model not offered in the region does.
func (s *Simulator) offers(m model) *apiError {
	if m.dedicated {
		parts := strings.Split(m.id, ".") // ocid1.generativeaiendpoint.<realm>.<region>.<unique id>
		if s.opts.Region != "" && len(parts) >= 5 && parts[3] != "" &&
			!strings.EqualFold(string(common.StringToRegion(parts[3])), s.opts.Region) {
			return notFound(m.id)
		}
		return nil
	}
	if s.opts.Models != nil && !slices.Contains(s.opts.Models, m.id) {
		return notFound(m.id)
	}
	return nil
}

func ocidVendor(id string) vendor {
	if strings.Contains(id, "cohere") {
		return vendorCohere
	}
	return vendorMeta
}

// name is the model id without the vendor prefix, lower case.
func (m model) name() string {
	_, n, _ := strings.Cut(strings.ToLower(m.id), ".")
	return n
}

func (m model) isEmbed() bool {
	return m.vendor == vendorCohere && !m.dedicated && strings.HasPrefix(m.name(), "embed")
}

func (m model) isRerank() bool {
	return m.vendor == vendorCohere && !m.dedicated && strings.HasPrefix(m.name(), "rerank")
}

// isVision: Command A Vision only accepts COHEREV2.
func (m model) isVision() bool {
	return m.vendor == vendorCohere && strings.Contains(m.name(), "vision")
}

// acceptsCohereV2: the Command A family (and dedicated Cohere endpoints).
// UNCONFIRMED: whether command-r models reject COHEREV2.
func (m model) acceptsCohereV2() bool {
	return m.vendor == vendorCohere && (m.dedicated || strings.HasPrefix(m.name(), "command-a"))
}

// isReasoningModel lists the families that always reason on OCI (by id).
func (m model) isReasoningModel() bool {
	id := strings.ToLower(m.id)
	if strings.Contains(id, "reasoning") && !strings.Contains(id, "non-reasoning") {
		return true
	}
	for _, p := range []string{"openai.gpt-oss", "openai.o", "openai.gpt-5", "xai.grok-3-mini"} {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// rejectsMaxTokens: OpenAI reasoning models need maxCompletionTokens
// (gpt-oss accepts maxTokens).
func (m model) rejectsMaxTokens() bool {
	id := strings.ToLower(m.id)
	for _, p := range []string{"openai.gpt-5", "openai.o1", "openai.o3", "openai.o4"} {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}
