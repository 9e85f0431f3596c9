package core

import "github.com/ociai/ociai-proxy/hub"

// Usage is OCI's token usage (every format); any field may be missing.
type Usage struct {
	PromptTokens            int                      `json:"promptTokens"`
	CompletionTokens        int                      `json:"completionTokens"`
	TotalTokens             int                      `json:"totalTokens"`
	CompletionTokensDetails *CompletionTokensDetails `json:"completionTokensDetails,omitempty"`
	PromptTokensDetails     *PromptTokensDetails     `json:"promptTokensDetails,omitempty"`
}

// CompletionTokensDetails is usage.completionTokensDetails.
type CompletionTokensDetails struct {
	ReasoningTokens          int `json:"reasoningTokens"`
	AcceptedPredictionTokens int `json:"acceptedPredictionTokens"`
	RejectedPredictionTokens int `json:"rejectedPredictionTokens"`
}

// PromptTokensDetails is usage.promptTokensDetails.
type PromptTokensDetails struct {
	CachedTokens int `json:"cachedTokens"`
}

// Hub converts u; nil gives zeros (every answer reports usage), and a missing total is the sum.
func (u *Usage) Hub() *hub.Usage {
	if u == nil {
		return &hub.Usage{}
	}
	out := &hub.Usage{PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens, TotalTokens: u.TotalTokens}
	if out.TotalTokens == 0 {
		out.TotalTokens = out.PromptTokens + out.CompletionTokens
	}
	if d := u.PromptTokensDetails; d != nil {
		out.PromptTokensDetails = &hub.PromptTokensDetails{CachedTokens: d.CachedTokens}
	}
	if d := u.CompletionTokensDetails; d != nil {
		out.CompletionTokensDetails = &hub.CompletionTokensDetails{ReasoningTokens: d.ReasoningTokens,
			AcceptedPredictionTokens: d.AcceptedPredictionTokens, RejectedPredictionTokens: d.RejectedPredictionTokens}
	}
	return out
}
