package translator

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
)

func TestEmbedBatches(t *testing.T) {
	in := make(EmbeddingInput, 200)
	for i := range in {
		in[i] = "x"
	}
	dims := 512
	b, err := EmbedBatches(&EmbeddingRequest{Input: in, Dimensions: &dims, InputType: "search_query"}, Target{ModelID: "cohere.embed-v4.0", CompartmentID: "c"})
	if err != nil || len(b) != 3 || len(b[0].Inputs) != 96 || len(b[2].Inputs) != 8 {
		t.Fatalf("%v, %d batches", err, len(b))
	}
	got, _ := json.Marshal(EmbedTextDetails{CompartmentID: "c", ServingMode: b[2].ServingMode, Inputs: b[2].Inputs[:1], InputType: b[2].InputType, Truncate: b[2].Truncate, OutputDimensions: b[2].OutputDimensions})
	if want := `{"compartmentId":"c","servingMode":{"servingType":"ON_DEMAND","modelId":"cohere.embed-v4.0"},"inputs":["x"],"inputType":"SEARCH_QUERY","truncate":"END","outputDimensions":512}`; string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	d, _ := EmbedBatches(&EmbeddingRequest{Input: EmbeddingInput{"a"}}, Target{ModelID: "ocid1.generativeaiendpoint.x", Dedicated: true})
	if d[0].ServingMode.ServingType != "DEDICATED" || d[0].ServingMode.EndpointID == "" {
		t.Errorf("dedicated: %+v", d[0].ServingMode)
	}
	for _, tc := range []struct {
		req   EmbeddingRequest
		param string
	}{
		{EmbeddingRequest{}, "input"},
		{EmbeddingRequest{Input: EmbeddingInput{"a", ""}}, "input[1]"},
		{EmbeddingRequest{Input: EmbeddingInput{"a"}, EncodingFormat: "int8"}, "encoding_format"},
		{EmbeddingRequest{Input: EmbeddingInput{"a"}, Dimensions: new(int)}, "dimensions"},
		{EmbeddingRequest{Input: EmbeddingInput{"a"}, InputType: "poem"}, "input_type"},
		{EmbeddingRequest{Input: EmbeddingInput{"a"}, Truncate: "middle"}, "truncate"},
	} {
		var re *hub.RequestError
		if _, err := EmbedBatches(&tc.req, Target{ModelID: "m"}); !errors.As(err, &re) || re.Param != tc.param {
			t.Errorf("%+v: %v, want param %s", tc.req, err, tc.param)
		}
	}
}

func TestEmbeddingInputShapes(t *testing.T) {
	for body, want := range map[string]string{`"one"`: "one", `["a","b"]`: "a|b"} {
		var in EmbeddingInput
		if err := json.Unmarshal([]byte(body), &in); err != nil || strings.Join(in, "|") != want {
			t.Errorf("%s: %v %q", body, err, in)
		}
	}
	for _, body := range []string{`[[1,2]]`, `[1]`, `42`, `{"a":1}`} {
		var in EmbeddingInput
		if err := json.Unmarshal([]byte(body), &in); err == nil {
			t.Errorf("%s accepted", body)
		}
	}
}

func TestEmbeddingResponse(t *testing.T) {
	results := []EmbedTextResult{
		{Embeddings: []json.RawMessage{json.RawMessage(`[0.5,-1.25]`)}, Usage: &OCIUsage{PromptTokens: 3, TotalTokens: 3}},
		{Embeddings: []json.RawMessage{json.RawMessage(`[1e-3,2]`), json.RawMessage(`[0,0]`)}, Usage: &OCIUsage{PromptTokens: 4}},
	}
	l, err := EmbeddingResponse("embed \"v4\"", "float", results)
	if err != nil {
		t.Fatal(err)
	}
	got := string(l.AppendJSON(nil))
	want := `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-1.25]},{"object":"embedding","index":1,"embedding":[1e-3,2]},{"object":"embedding","index":2,"embedding":[0,0]}],"model":"embed \"v4\"","usage":{"prompt_tokens":7,"total_tokens":7}}` + "\n"
	if got != want || !json.Valid([]byte(got)) {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	b64, err := EmbeddingResponse("m", "base64", results[:1])
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Data []struct {
			Embedding string `json:"embedding"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b64.AppendJSON(nil), &out); err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(out.Data[0].Embedding)
	if len(raw) != 8 || math.Float32frombits(binary.LittleEndian.Uint32(raw)) != 0.5 || math.Float32frombits(binary.LittleEndian.Uint32(raw[4:])) != -1.25 {
		t.Errorf("base64 %q", out.Data[0].Embedding)
	}

	if _, err := EmbeddingResponse("m", "float", []EmbedTextResult{{Embeddings: []json.RawMessage{json.RawMessage(`{"x":1}`)}}}); err == nil {
		t.Error("a non-array vector was accepted")
	}
	if empty, _ := EmbeddingResponse("m", "float", nil); !json.Valid(empty.AppendJSON(nil)) {
		t.Error("empty response is not valid JSON")
	}
}
