package core

import "github.com/ociai/ociai-proxy/hub"

// Target says where a request goes.
type Target struct {
	ModelID          string // OCI model name/OCID, or the endpoint OCID when Dedicated
	Dedicated        bool   // servingMode DEDICATED with endpointId = ModelID
	CompartmentID    string
	DefaultMaxTokens int // sent when the client gives no limit (OCI's own default is tiny); <= 0 sends none
}

// ServingMode selects an on-demand model or a dedicated endpoint.
type ServingMode struct {
	ServingType string `json:"servingType"` // ON_DEMAND | DEDICATED
	ModelID     string `json:"modelId,omitempty"`
	EndpointID  string `json:"endpointId,omitempty"`
}

// ServingMode is the servingMode that reaches t.
func (t Target) ServingMode() ServingMode {
	if t.Dedicated {
		return ServingMode{ServingType: "DEDICATED", EndpointID: t.ModelID}
	}
	return ServingMode{ServingType: "ON_DEMAND", ModelID: t.ModelID}
}

// ChatDetails is the body of POST /20231130/actions/chat: the envelope around one format's chatRequest.
type ChatDetails struct {
	CompartmentID string      `json:"compartmentId"`
	ServingMode   ServingMode `json:"servingMode"`
	ChatRequest   any         `json:"chatRequest"` // the format's request type
}

// Details is the envelope that sends chatRequest to t.
func (t Target) Details(chatRequest any) ChatDetails {
	return ChatDetails{CompartmentID: t.CompartmentID, ServingMode: t.ServingMode(), ChatRequest: chatRequest}
}

// CheckCall rejects what no format can translate: no request, or no model.
func CheckCall(req *hub.ChatRequest, t Target) error {
	if req == nil {
		return hub.BadRequest("", "The request body is empty.")
	}
	if t.ModelID == "" {
		return hub.BadRequest("model", "You must provide a model parameter.")
	}
	return nil
}

// StreamOptions is the streamOptions of every chat format.
type StreamOptions struct {
	IsIncludeUsage bool `json:"isIncludeUsage"`
}

// MediaURL is {url, detail} of a media part (GENERIC and COHEREV2); detail is AUTO|HIGH|LOW.
type MediaURL struct {
	URL    string `json:"url"`
	Detail string `json:"detail,omitempty"`
}
