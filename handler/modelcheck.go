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

// modelFinding is one configured target's result.
type modelFinding struct {
	Name     string `json:"name"`
	OCIModel string `json:"oci_model"`
	Region   string `json:"region,omitempty"`
	Status   string `json:"status"` // ok, missing, wrong_kind, retired or not_checked
	Detail   string `json:"detail,omitempty"`
}

// checkModels lists the models of every region the configured targets use (ListModels, every page, once per
// region) and checks that each on-demand target is there, ACTIVE, of the kind its route needs and not retired
// for on-demand use. A region that cannot be listed is reported and its targets left out. UNCONFIRMED: whether
// ListModels also lists models a region serves on dedicated AI clusters only; if so such a model passes here and
// only the chat call shows it.
func (h *Handler) checkModels(ctx context.Context) *modelsCheck {
	mc := &modelsCheck{}
	regions := map[string]*regionModels{} // by inference endpoint
	for _, c := range h.opt.Models {
		m := h.models[c.Name]
		for i, t := range m.Targets {
			var listed []ocigenai.ModelSummary
			if !t.Dedicated {
				rm := h.regionModels(ctx, t, regions, mc)
				if rm.failed {
					continue
				}
				listed = rm.byName[t.ID]
			}
			f := findModel(m, i, listed)
			if f.Status != "ok" && f.Status != "not_checked" {
				mc.problems++
			}
			mc.results = append(mc.results, f)
		}
	}
	return mc
}

// regionModels are one region's listed models by display name and id.
type regionModels struct {
	byName map[string][]ocigenai.ModelSummary
	failed bool // ListModels failed (noted in the modelsCheck)
}

// regionModels lists the models of t's region the first time one of its targets needs them.
func (h *Handler) regionModels(ctx context.Context, t Target, seen map[string]*regionModels, mc *modelsCheck) *regionModels {
	if rm, ok := seen[t.Endpoint]; ok {
		return rm
	}
	rm := &regionModels{byName: map[string][]ocigenai.ModelSummary{}}
	seen[t.Endpoint] = rm
	listed, err := h.opt.Pool.ControlPlane(t.Endpoint).ListModels(ctx, h.opt.CompartmentID)
	if err != nil {
		rm.failed = true
		msg := toAPIError(ctx, err).Message
		var oe *ocigenai.Error
		if errors.As(err, &oe) {
			if mc.code == "" {
				mc.code = oe.Code
			}
			if oe.Status == http.StatusNotFound {
				msg = inspectHint + " (ListModels in " + t.Region + ": " + oe.Code + ")"
			}
		}
		if mc.listErr != "" {
			msg = mc.listErr + "; " + msg
		}
		mc.listErr = msg
		return rm
	}
	for _, s := range listed {
		rm.byName[s.DisplayName] = append(rm.byName[s.DisplayName], s)
		rm.byName[s.ID] = append(rm.byName[s.ID], s)
	}
	return rm
}

// findModel judges the model's target i by the listed models of its id in its region.
func findModel(m model, i int, listed []ocigenai.ModelSummary) modelFinding {
	t := m.Targets[i]
	f := modelFinding{Name: m.Name, OCIModel: t.ID, Region: t.Region, Status: "ok"}
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
	case t.Dedicated:
		f.Status, f.Detail = "not_checked", "a dedicated AI cluster endpoint (ListModels lists models, not endpoints)"
	case len(listed) == 0:
		f.Status, f.Detail = "missing", "OCI does not list this model id in "+t.Region+": check the spelling and the region"
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
