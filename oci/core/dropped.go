package core

import "github.com/ociai/ociai-proxy/hub"

// AppendDropped appends the parameters of req that no OCI format can take (they are accepted, noted and not
// forwarded).
func AppendDropped(dropped []string, req *hub.ChatRequest) []string {
	if req.User != "" {
		dropped = append(dropped, "user")
	}
	if req.Store != nil && *req.Store {
		dropped = append(dropped, "store")
	}
	for _, m := range req.Modalities {
		if m != "text" {
			dropped = append(dropped, "modalities")
			break
		}
	}
	for _, p := range []struct {
		name string
		set  bool
	}{
		{"audio", !IsNull(req.Audio)},
		{"functions", !IsNull(req.Functions)},
		{"function_call", !IsNull(req.FunctionCall)},
		{"safety_identifier", req.SafetyIdentifier != ""},
		{"prompt_cache_key", req.PromptCacheKey != ""},
		{"prompt_cache_retention", req.PromptCacheRetention != ""},
		{"prompt_cache_options", !IsNull(req.PromptCacheOptions)},
		{"moderation", !IsNull(req.Moderation)},
	} {
		if p.set {
			dropped = append(dropped, p.name)
		}
	}
	return dropped
}
