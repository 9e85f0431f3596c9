package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// viaGateway calls the gateway's OpenAI-compatible API with plain net/http: the request bodies are built once
// per call from small structs and answers are read but not decoded, so the client's own cost stays small.
type viaGateway struct {
	base   string
	hc     *http.Client
	system string // a system message sent before the prompt, when set (a long one stands for an agent's context)
	api    string // the client API streams use: chat (the default), messages or responses
}

func newViaGateway(url string, conc int) *viaGateway {
	return &viaGateway{base: url, hc: &http.Client{Transport: transport(conc)}}
}

type oaMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type oaChat struct {
	Model    string      `json:"model"`
	Messages []oaMessage `json:"messages"`
	Stream   bool        `json:"stream,omitempty"`
}

func (g *viaGateway) post(ctx context.Context, path string, v any) (*http.Response, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := g.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		res.Body.Close()
		return nil, fmt.Errorf("gateway %s: %d %s", path, res.StatusCode, b)
	}
	return res, nil
}

// drain reads the whole answer and checks it contains want.
func drain(res *http.Response, want []byte) error {
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if !bytes.Contains(b, want) {
		return fmt.Errorf("unexpected answer %.200s", b)
	}
	return nil
}

func (g *viaGateway) chat(ctx context.Context, prompt string) error {
	res, err := g.post(ctx, "/v1/chat/completions", oaChat{Model: "llama", Messages: []oaMessage{{Role: "user", Content: prompt}}})
	if err != nil {
		return err
	}
	return drain(res, []byte(`"finish_reason":"stop"`))
}

func (g *viaGateway) stream(ctx context.Context, prompt string, tr *trace) error {
	path, body, textKey := g.streamRequest(prompt)
	res, err := g.post(ctx, path, body)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	return readEvents(res.Body, tr, textKey)
}

// streamRequest is the path and body of a streaming request of g's client API for prompt, and the JSON key
// before the answer text in its events.
func (g *viaGateway) streamRequest(prompt string) (string, any, []byte) {
	switch g.api {
	case "messages":
		// text_delta events carry the answer as delta.text; the block's start payload has it empty.
		return "/v1/messages", msgRequest{Model: "llama", MaxTokens: msgMaxTokens, System: g.system, Stream: true,
			Messages: []oaMessage{{Role: "user", Content: prompt}}}, []byte(`"text":"`)
	case "responses":
		// response.output_text.delta events carry the answer as delta.
		return "/v1/responses", oaResponse{Model: "llama", Instructions: g.system, Input: prompt, Stream: true}, []byte(`"delta":"`)
	}
	msgs := []oaMessage{{Role: "user", Content: prompt}}
	if g.system != "" {
		msgs = append([]oaMessage{{Role: "system", Content: g.system}}, msgs...)
	}
	// OpenAI chunks carry the answer as choices[0].delta.content; the opening role chunk has it empty.
	return "/v1/chat/completions", oaChat{Model: "llama", Stream: true, Messages: msgs}, []byte(`"content":"`)
}

type oaEmbed struct {
	Model string   `json:"model"`
	Input []string `json:"input"`
}

func (g *viaGateway) embed(ctx context.Context, inputs []string) error {
	res, err := g.post(ctx, "/v1/embeddings", oaEmbed{Model: "embed", Input: inputs})
	if err != nil {
		return err
	}
	return drain(res, []byte(`"usage"`))
}
