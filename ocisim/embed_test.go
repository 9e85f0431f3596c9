package ocisim_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/ocisim"
)

func embedBody(model string, extra map[string]any) map[string]any {
	b := map[string]any{
		"compartmentId": compartment,
		"servingMode":   map[string]any{"servingType": "ON_DEMAND", "modelId": model},
	}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

func (e *env) embed(body any) (int, map[string]any) {
	e.t.Helper()
	return e.call("/20231130/actions/embedText", body)
}

func TestEmbed(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	for _, c := range []struct {
		model string
		dims  any
		want  int
	}{
		{"cohere.embed-v4.0", nil, 1536},
		{"cohere.embed-v4.0", 512, 512},
		{"cohere.embed-english-v3.0", nil, 1024},
		{"cohere.embed-multilingual-v3.0", 256, 1024}, // outputDimensions only for v4
		{"cohere.embed-english-light-v3.0", nil, 384},
		{"cohere.embed-multilingual-light-v3.0", nil, 384},
	} {
		extra := map[string]any{"inputs": []string{"alpha beta", "gamma", "alpha beta"}, "inputType": "SEARCH_QUERY", "truncate": "END", "embeddingTypes": []string{"float"}}
		if c.dims != nil {
			extra["outputDimensions"] = c.dims
		}
		status, out := e.embed(embedBody(c.model, extra))
		if status != 200 {
			t.Fatalf("%s: status %d %v", c.model, status, out)
		}
		embs := out["embeddings"].([]any)
		wantEq(t, c.model+" count", len(embs), 3)
		v0, v1, v2 := embs[0].([]any), embs[1].([]any), embs[2].([]any)
		wantEq(t, c.model+" dim", len(v0), c.want)
		var n0, dot01 float64
		for i := range v0 {
			n0 += v0[i].(float64) * v0[i].(float64)
			dot01 += v0[i].(float64) * v1[i].(float64)
		}
		if math.Abs(n0-1) > 1e-4 || math.Abs(dot01) > 0.3 {
			t.Errorf("%s: |v0|² %v, v0·v1 %v", c.model, n0, dot01)
		}
		wantEq(t, "same input same vector", fmt.Sprint(v0), fmt.Sprint(v2))
		wantEq(t, "usage", jsonString(t, out["usage"]), `{"promptTokens":5,"totalTokens":5}`)
		wantEq(t, "modelId", out["modelId"], any(c.model))
		if _, ok := out["inputs"]; ok {
			t.Error("inputs echoed without isEcho")
		}
		if id, _ := out["id"].(string); id == "" {
			t.Error("no id")
		}
	}
	_, out := e.embed(embedBody("cohere.embed-v4.0", map[string]any{"inputs": []string{"x"}, "isEcho": true}))
	wantEq(t, "echo", jsonString(t, out["inputs"]), `["x"]`)
}

func TestEmbedValidation(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	many := make([]string, 97)
	long := strings.Repeat("w ", 513)
	for _, c := range []struct {
		name   string
		body   map[string]any
		status int
		msg    string
	}{
		{"no inputs", embedBody("cohere.embed-v4.0", nil), 400, "at least 1"},
		{"97 inputs", embedBody("cohere.embed-v4.0", map[string]any{"inputs": many}), 400, "inputs must have at most 96 items"},
		{"chat model", embedBody("cohere.command-a-03-2025", map[string]any{"inputs": []string{"x"}}), 400, "does not support embedText"},
		{"meta model", embedBody("meta.llama-3.3-70b-instruct", map[string]any{"inputs": []string{"x"}}), 400, "does not support embedText"},
		{"unknown model", embedBody("acme.embed", map[string]any{"inputs": []string{"x"}}), 404, "Entity with key acme.embed not found"},
		{"bad dims", embedBody("cohere.embed-v4.0", map[string]any{"inputs": []string{"x"}, "outputDimensions": 300}), 400, "outputDimensions"},
		{"upper-case embedding type", embedBody("cohere.embed-v4.0", map[string]any{"inputs": []string{"x"}, "embeddingTypes": []string{"FLOAT"}}), 400, "embeddingTypes"},
		{"bad input type", embedBody("cohere.embed-v4.0", map[string]any{"inputs": []string{"x"}, "inputType": "QUERY"}), 400, "inputType"},
		{"too long, truncate NONE", embedBody("cohere.embed-v4.0", map[string]any{"inputs": []string{long}, "truncate": "NONE"}), 400, "longer than 512"},
		{"no compartment", map[string]any{"servingMode": map[string]any{"servingType": "ON_DEMAND", "modelId": "cohere.embed-v4.0"}, "inputs": []string{"x"}}, 400, "compartmentId"},
		{"inputs not strings", embedBody("cohere.embed-v4.0", map[string]any{"inputs": []int{1}}), 400, "inputs"},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, out := e.embed(c.body)
			wantEq(t, "status", status, c.status)
			if msg, _ := out["message"].(string); !strings.Contains(msg, c.msg) {
				t.Errorf("message %q does not contain %q", msg, c.msg)
			}
		})
	}
	// truncate END accepts the long input
	if status, _ := e.embed(embedBody("cohere.embed-v4.0", map[string]any{"inputs": []string{long}, "truncate": "END"})); status != 200 {
		t.Errorf("long input with truncate END: %d", status)
	}
}
