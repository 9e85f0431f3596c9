package openai_test

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/openai"
)

func TestEmbeddingInputShapes(t *testing.T) {
	for body, want := range map[string]string{`"one"`: "one", `["a","b"]`: "a|b"} {
		var in openai.EmbeddingInput
		if err := json.Unmarshal([]byte(body), &in); err != nil || strings.Join(in, "|") != want {
			t.Errorf("%s: %v %q", body, err, in)
		}
	}
	for _, body := range []string{`[[1,2]]`, `[1]`, `42`, `{"a":1}`} {
		var in openai.EmbeddingInput
		if err := json.Unmarshal([]byte(body), &in); err == nil {
			t.Errorf("%s accepted", body)
		}
	}
}

func TestEmbeddingRequestHub(t *testing.T) {
	dims := 8
	r, err := (&openai.EmbeddingRequest{Input: openai.EmbeddingInput{"a", "b"}, Dimensions: &dims, InputType: "x", Truncate: "y"}).Hub()
	if err != nil || len(r.Inputs) != 2 || *r.Dimensions != 8 || r.InputType != "x" || r.Truncate != "y" {
		t.Fatalf("%v %+v", err, r)
	}
	for _, tc := range []struct {
		req   openai.EmbeddingRequest
		param string
	}{
		{openai.EmbeddingRequest{}, "input"},
		{openai.EmbeddingRequest{Input: openai.EmbeddingInput{"a", ""}}, "input[1]"},
		{openai.EmbeddingRequest{Input: openai.EmbeddingInput{"a"}, EncodingFormat: "int8"}, "encoding_format"},
	} {
		var re *hub.RequestError
		if _, err := tc.req.Hub(); !errors.As(err, &re) || re.Param != tc.param {
			t.Errorf("%+v: %v, want param %s", tc.req, err, tc.param)
		}
	}
}

func TestAppendEmbeddings(t *testing.T) {
	e := &hub.Embeddings{Vectors: []json.RawMessage{json.RawMessage(`[0.5,-1.25]`), json.RawMessage(`[1e-3,2]`), json.RawMessage(`[0,0]`)}, PromptTokens: 7, TotalTokens: 7}
	got, err := openai.AppendEmbeddings(nil, "embed \"v4\"", "float", e)
	want := `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-1.25]},{"object":"embedding","index":1,"embedding":[1e-3,2]},{"object":"embedding","index":2,"embedding":[0,0]}],"model":"embed \"v4\"","usage":{"prompt_tokens":7,"total_tokens":7}}` + "\n"
	if err != nil || string(got) != want || !json.Valid(got) {
		t.Errorf("got  %s (%v)\nwant %s", got, err, want)
	}

	b64, err := openai.AppendEmbeddings(nil, "m", "base64", &hub.Embeddings{Vectors: e.Vectors[:1]})
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Data []struct {
			Embedding string `json:"embedding"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b64, &out); err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(out.Data[0].Embedding)
	if len(raw) != 8 || math.Float32frombits(binary.LittleEndian.Uint32(raw)) != 0.5 || math.Float32frombits(binary.LittleEndian.Uint32(raw[4:])) != -1.25 {
		t.Errorf("base64 %q", out.Data[0].Embedding)
	}
	if _, err := openai.AppendEmbeddings(nil, "m", "base64", &hub.Embeddings{Vectors: []json.RawMessage{json.RawMessage(`["x"]`)}}); err == nil {
		t.Error("a vector of strings was encoded as base64")
	}
	if empty, _ := openai.AppendEmbeddings(nil, "m", "float", &hub.Embeddings{}); !json.Valid(empty) {
		t.Error("empty response is not valid JSON")
	}
}
