package ocigenai

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// PathModels is ListModels of the Generative AI control plane (the management API, not inference).
const PathModels = APIVersion + "/models"

// maxModelPages bounds how far ListModels follows opc-next-page, against a service (or proxy) that never
// stops paging.
const maxModelPages = 50

// ModelSummary is what the gateway reads of a ListModels item.
type ModelSummary struct {
	ID             string   `json:"id"`          // model OCID
	DisplayName    string   `json:"displayName"` // the model id used for on-demand calls, e.g. xai.grok-4
	Vendor         string   `json:"vendor"`
	Capabilities   []string `json:"capabilities"` // CHAT, TEXT_EMBEDDINGS, …
	LifecycleState string   `json:"lifecycleState"`
	// TimeOnDemandRetired is set once the model is (or will be) retired for on-demand calls (RFC 3339).
	TimeOnDemandRetired string `json:"timeOnDemandRetired,omitempty"`
}

// ControlEndpoint is the control-plane base URL for an inference endpoint: the regional host without its
// "inference." label (https://inference.generativeai.us-chicago-1.oci.oraclecloud.com →
// https://generativeai.us-chicago-1.oci.oraclecloud.com). Any other endpoint, such as a simulator or a
// private endpoint, is returned unchanged: it is expected to answer both APIs.
func ControlEndpoint(inference string) string {
	u, err := url.Parse(inference)
	if err != nil {
		return inference
	}
	if host, ok := strings.CutPrefix(u.Host, "inference.generativeai."); ok {
		u.Host = "generativeai." + host
	}
	return strings.TrimRight(u.String(), "/")
}

// ListModels lists the ACTIVE models that compartmentID sees in the region, following every page. c must be a
// client for the control-plane endpoint (ControlEndpoint). It needs `inspect generative-ai-model` in the
// compartment (`use generative-ai-family` includes it); without it OCI answers 404 NotAuthorizedOrNotFound,
// returned as *Error like every failure.
func (c *Client) ListModels(ctx context.Context, compartmentID string) ([]ModelSummary, error) {
	base := PathModels + "?lifecycleState=ACTIVE&compartmentId=" + url.QueryEscape(compartmentID)
	var all []ModelSummary
	page := ""
	for range maxModelPages {
		path := base
		if page != "" {
			path += "&page=" + url.QueryEscape(page)
		}
		res, err := c.do(ctx, PathModels, func() (*http.Response, *Error) {
			return c.roundTrip(ctx, http.MethodGet, path, nil, "application/json")
		})
		if err != nil {
			return nil, err
		}
		items, err := readModels(ctx, res)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if page = res.Header.Get("opc-next-page"); page == "" {
			return all, nil
		}
	}
	return all, nil
}

// readModels decodes one ListModels page (a ModelCollection) and closes the answer.
func readModels(ctx context.Context, res *http.Response) ([]ModelSummary, error) {
	defer res.Body.Close()
	id := res.Header.Get("opc-request-id")
	data, err := readBody(res)
	if err != nil {
		return nil, transportError(ctx, id, err)
	}
	var out struct {
		Items []ModelSummary `json:"items"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, &Error{Status: http.StatusBadGateway, Code: "BadResponse", Message: "the ListModels answer is not a model collection: " + err.Error(),
			RequestID: id, permanent: true}
	}
	return out.Items, nil
}
