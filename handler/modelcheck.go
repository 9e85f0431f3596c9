package handler

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ociai/ociai-proxy/ocigenai"
)

// inspectHint is how to let the gateway's identity run ListModels.
const inspectHint = "the gateway's OCI identity may not list models: grant it `inspect generative-ai-model` in the compartment (`use generative-ai-family` includes it)"

// modelsCheck is what the control plane's ListModels says of the configured models.
type modelsCheck struct {
	listErr  string // why the models could not be listed ("" when they were)
	code     string // that failure's OCI error code
	results  []modelFinding
	problems int // findings that would fail a call
}

// modelFinding is one configured model's result.
type modelFinding struct {
	Name     string `json:"name"`
	OCIModel string `json:"oci_model"`
	Status   string `json:"status"` // ok, missing, wrong_kind, retired or not_checked
	Detail   string `json:"detail,omitempty"`
}

// checkModels lists the region's models (ListModels, every page) and checks that each configured on-demand model
// is there, ACTIVE, of the kind its route needs and not retired for on-demand use. nil without a control-plane
// client. UNCONFIRMED: whether ListModels also lists models a region serves on dedicated AI clusters only; if so
// such a model passes here and only the chat call shows it.
func (h *Handler) checkModels(ctx context.Context) *modelsCheck {
	if h.opt.ControlPlane == nil {
		return nil
	}
	mc := &modelsCheck{}
	listed, err := h.opt.ControlPlane.ListModels(ctx, h.opt.CompartmentID)
	if err != nil {
		mc.listErr = toAPIError(ctx, err).Message
		var oe *ocigenai.Error
		if errors.As(err, &oe) {
			mc.code = oe.Code
			if oe.Status == http.StatusNotFound {
				mc.listErr = inspectHint + " (ListModels: " + oe.Code + ")"
			}
		}
		return mc
	}
	byName := map[string][]ocigenai.ModelSummary{}
	for _, s := range listed {
		byName[s.DisplayName] = append(byName[s.DisplayName], s)
		byName[s.ID] = append(byName[s.ID], s)
	}
	for _, c := range h.opt.Models {
		f := h.findModel(h.models[c.Name], byName[c.ID])
		if f.Status != "ok" && f.Status != "not_checked" {
			mc.problems++
		}
		mc.results = append(mc.results, f)
	}
	return mc
}

// findModel judges one configured model by the listed models of its id.
func (h *Handler) findModel(m model, listed []ocigenai.ModelSummary) modelFinding {
	f := modelFinding{Name: m.Name, OCIModel: m.ID, Status: "ok"}
	capability, kind := "CHAT", "a chat model"
	if isEmbed(m) {
		capability, kind = "TEXT_EMBEDDINGS", "an embeddings model"
	}
	var match *ocigenai.ModelSummary
	for i, s := range listed {
		if slices.Contains(s.Capabilities, capability) {
			match = &listed[i]
			break
		}
	}
	switch {
	case m.Dedicated:
		f.Status, f.Detail = "not_checked", "a dedicated AI cluster endpoint (ListModels lists models, not endpoints)"
	case len(listed) == 0:
		f.Status, f.Detail = "missing", "OCI does not list this model id in "+h.opt.Region+": check the spelling and the region"
	case match == nil:
		f.Status, f.Detail = "wrong_kind", "OCI lists it, but not as "+kind+" (capabilities "+joinCaps(listed)+")"
	case retired(match.TimeOnDemandRetired):
		f.Status, f.Detail = "retired", "retired for on-demand use on "+match.TimeOnDemandRetired
	}
	return f
}

func retired(when string) bool {
	t, err := time.Parse(time.RFC3339, when)
	return err == nil && t.Before(time.Now())
}

func joinCaps(listed []ocigenai.ModelSummary) string {
	var caps []string
	for _, s := range listed {
		for _, c := range s.Capabilities {
			if !slices.Contains(caps, c) {
				caps = append(caps, c)
			}
		}
	}
	return strings.Join(caps, ", ")
}
