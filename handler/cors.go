package handler

import (
	"net/http"
	"slices"
)

const (
	corsMethods = "GET, POST, OPTIONS"
	corsHeaders = "Authorization, Content-Type, X-Api-Key, X-Request-Id, OpenAI-Organization, OpenAI-Project, OpenAI-Beta, Anthropic-Version, Anthropic-Beta, Anthropic-Dangerous-Direct-Browser-Access, X-Stainless-Lang, X-Stainless-Package-Version, X-Stainless-OS, X-Stainless-Arch, X-Stainless-Runtime, X-Stainless-Runtime-Version, X-Stainless-Retry-Count, X-Stainless-Timeout"
)

// cors sets the CORS headers for allowed origins and answers preflight requests; it reports whether the request
// was fully answered.
func (h *Handler) cors(w http.ResponseWriter, r *http.Request) bool {
	if h.opt.NoCORS {
		return false
	}
	origin := r.Header.Get("Origin")
	preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
	if origin == "" {
		if preflight {
			w.WriteHeader(http.StatusNoContent)
		}
		return preflight
	}
	hd := w.Header()
	hd.Add("Vary", "Origin")
	switch {
	case slices.Contains(h.opt.CORSOrigins, "*"):
		hd.Set("Access-Control-Allow-Origin", "*")
	case slices.Contains(h.opt.CORSOrigins, origin):
		hd.Set("Access-Control-Allow-Origin", origin)
	default:
		if preflight {
			w.WriteHeader(http.StatusForbidden)
		}
		return preflight
	}
	hd.Set("Access-Control-Expose-Headers", "X-Request-Id, Request-Id, Opc-Request-Id, Retry-After")
	if !preflight {
		return false
	}
	hd.Set("Access-Control-Allow-Methods", corsMethods)
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		hd.Set("Access-Control-Allow-Headers", req) // whatever the browser asks for; keys are checked anyway
	} else {
		hd.Set("Access-Control-Allow-Headers", corsHeaders)
	}
	hd.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
	return true
}
