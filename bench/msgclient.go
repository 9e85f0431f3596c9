package main

import (
	"context"
	"errors"
)

// viaMessages calls the gateway's Anthropic Messages API the way viaGateway calls chat completions: the same
// HTTP client settings, bodies built from small structs, answers read but not decoded.
type viaMessages struct{ *viaGateway }

func newViaMessages(url string, conc int) viaMessages {
	g := newViaGateway(url, conc)
	g.api = "messages" // its streams (viaGateway.stream) are Messages API streams
	return viaMessages{g}
}

type msgRequest struct {
	Model     string      `json:"model"`
	MaxTokens int         `json:"max_tokens"`
	System    string      `json:"system,omitempty"`
	Messages  []oaMessage `json:"messages"`
	Stream    bool        `json:"stream,omitempty"`
}

// msgMaxTokens leaves every answer whole: Anthropic requires max_tokens, chat completions gets the gateway's
// default (4000) instead.
const msgMaxTokens = 4000

func (g viaMessages) chat(ctx context.Context, prompt string) error {
	res, err := g.post(ctx, "/v1/messages", msgRequest{Model: "llama", MaxTokens: msgMaxTokens, Messages: []oaMessage{{Role: "user", Content: prompt}}})
	if err != nil {
		return err
	}
	return drain(res, []byte(`"stop_reason":"end_turn"`))
}

func (viaMessages) embed(context.Context, []string) error {
	return errors.New("the Messages API has no embeddings")
}
