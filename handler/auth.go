package handler

import (
	"net/http"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// authenticate checks the Bearer (or x-api-key) key against every configured key in constant time.
func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request, info *requestInfo) bool {
	if h.opt.AuthViaGateway {
		info.keyName = "gateway"
		return true
	}
	given := presentedKey(r)
	if given == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="ociai-proxy"`)
		writeError(w, r, &hub.Error{Status: http.StatusUnauthorized, Type: hub.InvalidRequest, Code: "invalid_api_key",
			Message: "Missing API key. Send it as 'Authorization: Bearer <api_key>' (or 'x-api-key'); the key is in the gateway's config (api_key)." + h.authHint()})
		return false
	}
	name, ok := h.keys.match(given)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="ociai-proxy", error="invalid_token"`)
		writeError(w, r, &hub.Error{Status: http.StatusUnauthorized, Type: hub.InvalidRequest, Code: "invalid_api_key",
			Message: "Incorrect API key provided. Use the api_key from the gateway's config." + h.authHint()})
		return false
	}
	info.keyName = name
	return true
}

// presentedKey is the key a request carries: Authorization: Bearer <key>, else x-api-key.
func presentedKey(r *http.Request) string {
	if a := r.Header.Get("Authorization"); a != "" {
		if scheme, token, ok := strings.Cut(a, " "); ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(token)
		}
	}
	return r.Header.Get("x-api-key")
}

// authHint is Options.AuthHint as a sentence to append ("" without one).
func (h *Handler) authHint() string {
	if h.opt.AuthHint == "" {
		return ""
	}
	return " " + h.opt.AuthHint
}
