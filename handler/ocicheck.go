package handler

import (
	"net/http"
	"time"

	"github.com/ociai/ociai-proxy/hub"
)

// ociReport is the answer of GET /test-oci.
type ociReport struct {
	Status       string  `json:"status"` // ok or error
	Region       string  `json:"region,omitempty"`
	Endpoint     string  `json:"endpoint"`
	Model        string  `json:"model"`
	OCIModel     string  `json:"oci_model"`
	LatencyMS    float64 `json:"latency_ms"`
	OpcRequestID string  `json:"opc_request_id,omitempty"`
	HTTPStatus   int     `json:"http_status,omitempty"`
	Error        string  `json:"error,omitempty"`
}

// checkOCI serves GET /test-oci: the smallest possible chat call (one output token) to check credentials, policy
// and region.
func (h *Handler) checkOCI(w http.ResponseWriter, r *http.Request, _ string) {
	name := r.URL.Query().Get("model")
	if name == "" {
		for _, m := range h.opt.Models {
			if isChat(h.models[m.Name]) {
				name = m.Name
				break
			}
		}
	}
	m, e := h.resolveModel(name, isChat)
	if e != nil {
		writeError(w, r, e)
		return
	}
	info := infoFrom(r.Context())
	one := 1
	c := &chatCall{info: info, id: newID("chatcmpl-"), created: time.Now().Unix(), model: m}
	c.req = &hub.ChatRequest{Model: name, MaxTokens: &one, Messages: []hub.Message{{Role: "user", Content: hub.TextContent("ping")}}}
	info.model = name
	rep := ociReport{Status: "ok", Region: h.opt.Region, Endpoint: h.oci.Endpoint(), Model: name, OCIModel: m.ID}
	start := time.Now()
	err := h.buildChat(r.Context(), c, false)
	if err == nil {
		_, err = h.complete(r.Context(), c)
	}
	rep.LatencyMS = float64(time.Since(start).Microseconds()) / 1000
	rep.OpcRequestID = info.ociID
	status := http.StatusOK
	if err != nil {
		ae := toAPIError(r.Context(), err)
		h.logFailure(r.Context(), "OCI check failed", ae)
		rep.Status, rep.Error, rep.HTTPStatus = "error", ae.Message, ae.Status
		status = http.StatusBadGateway
	}
	writeJSON(w, status, rep)
}
