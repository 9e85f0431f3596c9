package embed_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/embed"
)

func TestBatches(t *testing.T) {
	in := make([]string, 200)
	for i := range in {
		in[i] = "x"
	}
	dims := 512
	b, err := embed.Batches(&hub.EmbedRequest{Inputs: in, Dimensions: &dims, InputType: "search_query"}, core.Target{ModelID: "cohere.embed-v4.0", CompartmentID: "c"})
	if err != nil || len(b) != 3 || len(b[0].Inputs) != 96 || len(b[2].Inputs) != 8 {
		t.Fatalf("%v, %d batches", err, len(b))
	}
	got, _ := json.Marshal(embed.TextDetails{CompartmentID: "c", ServingMode: b[2].ServingMode, Inputs: b[2].Inputs[:1], InputType: b[2].InputType, Truncate: b[2].Truncate, OutputDimensions: b[2].OutputDimensions})
	if want := `{"compartmentId":"c","servingMode":{"servingType":"ON_DEMAND","modelId":"cohere.embed-v4.0"},"inputs":["x"],"inputType":"SEARCH_QUERY","truncate":"END","outputDimensions":512}`; string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	d, _ := embed.Batches(&hub.EmbedRequest{Inputs: []string{"a"}}, core.Target{ModelID: "ocid1.generativeaiendpoint.x", Dedicated: true})
	if d[0].ServingMode.ServingType != "DEDICATED" || d[0].ServingMode.EndpointID == "" {
		t.Errorf("dedicated: %+v", d[0].ServingMode)
	}
	for _, tc := range []struct {
		req   hub.EmbedRequest
		param string
	}{
		{hub.EmbedRequest{Inputs: []string{"a"}, Dimensions: new(int)}, "dimensions"},
		{hub.EmbedRequest{Inputs: []string{"a"}, InputType: "poem"}, "input_type"},
		{hub.EmbedRequest{Inputs: []string{"a"}, Truncate: "middle"}, "truncate"},
	} {
		var re *hub.RequestError
		if _, err := embed.Batches(&tc.req, core.Target{ModelID: "m"}); !errors.As(err, &re) || re.Param != tc.param {
			t.Errorf("%+v: %v, want param %s", tc.req, err, tc.param)
		}
	}
}

func TestJoin(t *testing.T) {
	results := []embed.TextResult{
		{Embeddings: []json.RawMessage{json.RawMessage(`[0.5,-1.25]`)}, Usage: &core.Usage{PromptTokens: 3, TotalTokens: 3}},
		{Embeddings: []json.RawMessage{json.RawMessage(`[1e-3,2]`), json.RawMessage(`[0,0]`)}, Usage: &core.Usage{PromptTokens: 4}},
	}
	e, err := embed.Join(results)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Vectors) != 3 || string(e.Vectors[1]) != `[1e-3,2]` || e.PromptTokens != 7 || e.TotalTokens != 7 {
		t.Errorf("joined %d vectors, usage %d/%d", len(e.Vectors), e.PromptTokens, e.TotalTokens)
	}
	if _, err := embed.Join([]embed.TextResult{{Embeddings: []json.RawMessage{json.RawMessage(`{"x":1}`)}}}); err == nil {
		t.Error("a non-array vector was accepted")
	}
}
