package handler

import (
	"net/http"
	"time"

	"github.com/ociai/ociai-proxy/hub"
)

// ociReport is the answer of GET /test-oci: the check of the model's first target, and for a model served by
// several targets, every target's check (Status is then ok only when all answered).
type ociReport struct {
	Status       string      `json:"status"` // ok or error
	Region       string      `json:"region,omitempty"`
	Endpoint     string      `json:"endpoint"`
	Model        string      `json:"model"`
	OCIModel     string      `json:"oci_model"`
	LatencyMS    float64     `json:"latency_ms"`
	OpcRequestID string      `json:"opc_request_id,omitempty"`
	HTTPStatus   int         `json:"http_status,omitempty"`
	Error        string      `json:"error,omitempty"`
	Targets      []ociReport `json:"targets,omitempty"`
}

// checkOCI serves GET /test-oci: the smallest possible chat call (one output token) to check credentials, policy
// and region, to each of the model's targets in turn (whatever their cool-down).
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
	info.model = name
	var rep ociReport
	failed := false
	for i := range m.Targets {
		tc := h.checkTarget(r, m, i)
		failed = failed || tc.Status != "ok"
		if i == 0 {
			rep = tc
		}
		if len(m.Targets) > 1 {
			rep.Targets = append(rep.Targets, tc)
		}
	}
	if failed {
		rep.Status = "error"
	}
	status := http.StatusOK
	if rep.Status != "ok" {
		status = http.StatusBadGateway
	}
	writeJSON(w, status, rep)
}

// checkTarget makes the one-token call to the model's target i alone.
func (h *Handler) checkTarget(r *http.Request, m model, i int) ociReport {
	t := m.route.Targets()[i]
	tc := ociReport{Status: "ok", Region: t.Region, Endpoint: t.Endpoint, Model: m.Name, OCIModel: t.Model}
	one := 1
	mi := m
	mi.route = m.route.Only(i)
	mi.Targets, mi.formats = m.Targets[i:i+1], m.formats[i:i+1]
	c := &chatCall{info: infoFrom(r.Context()), id: newID("chatcmpl-"), created: time.Now().Unix(), model: mi, builds: make([]chatBuild, 1)}
	c.req = &hub.ChatRequest{Model: m.Name, MaxTokens: &one, Messages: []hub.Message{{Role: "user", Content: hub.TextContent("ping")}}}
	start := time.Now()
	_, err := h.complete(r.Context(), c)
	tc.LatencyMS = float64(time.Since(start).Microseconds()) / 1000
	if c.answer != nil {
		tc.OpcRequestID = c.answer.RequestID
	}
	if err != nil {
		ae := toAPIError(r.Context(), err)
		tc.Status, tc.Error, tc.HTTPStatus = "error", ae.Message, ae.Status
	}
	return tc
}
