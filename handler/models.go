package handler

import (
	"net/http"
	"strings"

	"github.com/ociai/ociai-proxy/openai"
)

func (h *Handler) modelObject(m Model) openai.Model {
	owner, t := "oci", m.Targets[0]
	if vendor, _, ok := strings.Cut(t.ID, "."); ok && !t.Dedicated {
		owner = "oci-" + vendor
	}
	return openai.Model{ID: m.Name, Object: "model", Created: h.started, OwnedBy: owner}
}

func (h *Handler) listModels(w http.ResponseWriter, _ *http.Request, _ string) {
	list := openai.ModelList{Object: "list", Data: make([]openai.Model, 0, len(h.opt.Models))}
	for _, m := range h.opt.Models {
		list.Data = append(list.Data, h.modelObject(m))
	}
	writeJSON(w, http.StatusOK, list)
}

func (h *Handler) getModel(w http.ResponseWriter, r *http.Request, id string) {
	m, e := h.resolveModel(id, anyModel)
	if e != nil {
		writeError(w, r, e)
		return
	}
	writeJSON(w, http.StatusOK, h.modelObject(m.Model))
}

type healthReport struct {
	Status  string `json:"status"`
	Version string `json:"version"`
	Models  int    `json:"models"`
}

func (h *Handler) health(w http.ResponseWriter, _ *http.Request, _ string) {
	writeJSON(w, http.StatusOK, healthReport{Status: "ok", Version: h.opt.Version, Models: len(h.opt.Models)})
}
