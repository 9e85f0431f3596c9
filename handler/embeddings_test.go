package handler_test

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/ociai/ociai-proxy/handler"
	"github.com/ociai/ociai-proxy/ocisim"
)

func TestEmbeddingsBatchOf200(t *testing.T) {
	e := newEnv(t)
	inputs := make([]string, 200)
	for i := range inputs {
		inputs[i] = fmt.Sprintf("document number %d", i%7) // equal inputs must get equal vectors, in order
	}
	res, err := e.client.Embeddings.New(context.Background(), openai.EmbeddingNewParams{
		Model: "embed",
		Input: openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: inputs},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Data) != 200 || res.Model != "embed" || res.Object != "list" {
		t.Fatalf("%d embeddings, model %q", len(res.Data), res.Model)
	}
	for i, d := range res.Data {
		if d.Index != int64(i) || len(d.Embedding) != 1536 {
			t.Fatalf("item %d: index %d, %d dims", i, d.Index, len(d.Embedding))
		}
		if !slices.Equal(d.Embedding, res.Data[i%7].Embedding) {
			t.Fatalf("item %d does not match item %d: order lost", i, i%7)
		}
	}
	if slices.Equal(res.Data[0].Embedding, res.Data[1].Embedding) {
		t.Fatal("different inputs got the same vector")
	}
	// Three OCI calls of at most 96 inputs, usage summed.
	var sizes []int
	var tokens int64
	for _, r := range e.sim.Requests() {
		var body struct {
			Inputs    []string `json:"inputs"`
			InputType string   `json:"inputType"`
			Truncate  string   `json:"truncate"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		if body.InputType != "SEARCH_DOCUMENT" || body.Truncate != "END" {
			t.Errorf("defaults not sent: %+v", body)
		}
		sizes = append(sizes, len(body.Inputs))
		tokens += 3 * int64(len(body.Inputs)) // "document number N"
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int{8, 96, 96}) {
		t.Errorf("batch sizes %v", sizes)
	}
	if res.Usage.PromptTokens != tokens || res.Usage.TotalTokens != tokens {
		t.Errorf("usage %+v, want %d", res.Usage, tokens)
	}
}

func TestEmbeddingsBase64AndDimensions(t *testing.T) {
	e := newEnv(t)
	floats, err := e.client.Embeddings.New(context.Background(), openai.EmbeddingNewParams{
		Model: "embed", Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String("hello")}, Dimensions: openai.Int(256),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(floats.Data[0].Embedding) != 256 {
		t.Fatalf("%d dims", len(floats.Data[0].Embedding))
	}
	res := e.do(t, "POST", "/v1/embeddings", `{"model":"embed","input":"hello","dimensions":256,"encoding_format":"base64","input_type":"search_query"}`)
	var out struct {
		Data []struct {
			Embedding string `json:"embedding"`
		} `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 200 {
		t.Fatal(res.StatusCode, err)
	}
	raw, err := base64.StdEncoding.DecodeString(out.Data[0].Embedding)
	if err != nil || len(raw) != 4*256 {
		t.Fatalf("base64: %v, %d bytes", err, len(raw))
	}
	for i, f := range floats.Data[0].Embedding {
		if got := math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:])); got != float32(f) {
			t.Fatalf("dim %d: base64 %v, float %v", i, got, f)
		}
	}
	if body := string(e.sim.Requests()[1].Body); !strings.Contains(body, `"inputType":"SEARCH_QUERY"`) || !strings.Contains(body, `"outputDimensions":256`) {
		t.Errorf("sent %s", body)
	}
}

func TestEmbeddingsErrors(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		body   string
		status int
		param  string
	}{
		{`{"model":"embed","input":[[1,2,3]]}`, 400, "input[0]"},
		{`{"model":"embed","input":[]}`, 400, "input"},
		{`{"model":"embed","input":42}`, 400, "input"},
		{`{"model":"embed","input":"x","encoding_format":"int8"}`, 400, "encoding_format"},
		{`{"model":"embed","input":"x","input_type":"poem"}`, 400, "input_type"},
		{`{"model":"llama","input":"x"}`, 404, "model"},
	} {
		res := e.do(t, "POST", "/v1/embeddings", tc.body)
		er := decodeErr(t, res)
		if res.StatusCode != tc.status || er.Error.Param == nil || *er.Error.Param != tc.param {
			t.Errorf("%s: %d %+v", tc.body, res.StatusCode, er.Error)
		}
	}
	_, err := e.client.Chat.Completions.New(context.Background(), userChat("embed", "hi"))
	var ae *openai.Error
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound {
		t.Errorf("chat on an embedding model: %v", err)
	}
	if n := len(e.sim.Requests()); n != 0 {
		t.Errorf("%d bad requests reached OCI", n)
	}
}

func TestEmbeddingsOCIFailureCancelsBatches(t *testing.T) {
	e := newEnv(t)
	e.sim.Inject(ocisim.Fault{Status: 500})
	inputs := make([]string, 300)
	for i := range inputs {
		inputs[i] = "x"
	}
	_, err := e.client.Embeddings.New(context.Background(), openai.EmbeddingNewParams{
		Model: "embed", Input: openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: inputs},
	}, option.WithMaxRetries(0))
	var ae *openai.Error
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadGateway {
		t.Fatalf("got %v", err)
	}
}

// TestEmbeddingsDeadlineIs504: request_timeout passes while batches wait for one of the 4 slots (12 batches) —
// while OCI has not answered yet, or before any call could start. Whichever batch's error the gateway reports,
// the client gets 504 (a batch that was still waiting used to make it a 500 "context deadline exceeded").
func TestEmbeddingsDeadlineIs504(t *testing.T) {
	inputs := make([]string, 12*96) // 12 batches, 4 at a time
	for i := range inputs {
		inputs[i] = "x"
	}
	body, _ := json.Marshal(map[string]any{"model": "embed", "input": inputs})
	for _, tc := range []struct {
		name    string
		latency time.Duration // OCI's
		timeout time.Duration // the gateway's request_timeout
	}{
		{"deadline while OCI answers", time.Minute, 50 * time.Millisecond},
		{"deadline before any call", 0, time.Nanosecond}, // each waiting batch sees a free slot and the deadline at once
	} {
		e := newEnvSim(t, ocisim.Options{Latency: tc.latency}, func(o *handler.Options) { o.RequestTimeout = tc.timeout })
		for run := range 10 {
			res := e.do(t, "POST", "/v1/embeddings", string(body))
			if er := decodeErr(t, res); res.StatusCode != http.StatusGatewayTimeout || code(er) != "timeout" {
				t.Fatalf("%s, run %d: %d %+v", tc.name, run, res.StatusCode, er.Error)
			}
		}
	}
}
