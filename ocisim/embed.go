package ocisim

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
)

// embedRequest is EmbedTextDetails.
type embedRequest struct {
	CompartmentID *string      `json:"compartmentId"`
	ServingMode   *servingMode `json:"servingMode"`
	Inputs        []string     `json:"inputs"`
	EmbedContents []struct {
		Type     string    `json:"type"`
		Text     string    `json:"text"`
		ImageURL *mediaURL `json:"imageUrl"`
	} `json:"embedContents"`
	IsEcho           bool     `json:"isEcho"`
	EmbeddingTypes   []string `json:"embeddingTypes"`
	OutputDimensions *int     `json:"outputDimensions"`
	Truncate         string   `json:"truncate"`
	InputType        string   `json:"inputType"`
}

type embedResult struct {
	ID           string      `json:"id"`
	Embeddings   [][]float32 `json:"embeddings"`
	Inputs       []string    `json:"inputs,omitempty"`
	ModelID      string      `json:"modelId"`
	ModelVersion string      `json:"modelVersion"`
	Usage        embedUsage  `json:"usage"`
}

type embedUsage struct {
	PromptTokens int `json:"promptTokens"`
	TotalTokens  int `json:"totalTokens"`
}

const (
	maxEmbedInputs      = 96
	maxEmbedInputTokens = 512
)

// embed handles POST /actions/embedText.
func (s *Simulator) embed(x *exchange) {
	var req embedRequest
	if e := decode(x.body, &req, ""); e != nil {
		x.failAPI(e)
		return
	}
	res, e := req.answer(s.offers)
	if e != nil {
		x.failAPI(e)
		return
	}
	x.writeJSON(res)
}

func (req *embedRequest) answer(offers func(model) *apiError) (*embedResult, *apiError) {
	if e := checkCompartment(req.CompartmentID); e != nil {
		return nil, e
	}
	m, e := resolveModel(req.ServingMode)
	if e == nil {
		e = offers(m)
	}
	if e != nil {
		return nil, e
	}
	if !m.isEmbed() {
		// UNCONFIRMED: the service's answer for embedText on a chat model.
		return nil, badRequest("Model " + m.id + " does not support embedText.")
	}
	v4 := strings.HasPrefix(m.name(), "embed-v4")
	texts := req.Inputs
	if len(texts) == 0 && v4 {
		for _, c := range req.EmbedContents { // v4 multimodal input
			if c.ImageURL != nil {
				texts = append(texts, c.ImageURL.URL)
			} else {
				texts = append(texts, c.Text)
			}
		}
	}
	switch {
	case len(texts) == 0:
		return nil, badRequest("inputs must have at least 1 item.")
	case len(texts) > maxEmbedInputs:
		return nil, badRequest(fmt.Sprintf("inputs must have at most %d items.", maxEmbedInputs))
	}
	for _, err := range []*apiError{
		checkEnum("inputType", req.InputType, "SEARCH_DOCUMENT", "SEARCH_QUERY", "CLASSIFICATION", "CLUSTERING", "IMAGE"),
		checkEnum("truncate", req.Truncate, "NONE", "START", "END"),
	} {
		if err != nil {
			return nil, err
		}
	}
	for _, t := range req.EmbeddingTypes {
		if e := checkEnum("embeddingTypes", t, "float", "int8", "uint8", "binary", "ubinary", "base64"); e != nil {
			return nil, e
		}
	}

	dim := 1024
	switch {
	case v4:
		dim = 1536
		if d := req.OutputDimensions; d != nil {
			if !oneOf(fmt.Sprint(*d), "256", "512", "1024", "1536") {
				return nil, badRequest("outputDimensions must be one of 256, 512, 1024, 1536.")
			}
			dim = *d
		}
	case strings.Contains(m.name(), "-light-"):
		dim = 384
	}

	res := &embedResult{ID: newUUID(), ModelID: m.id, ModelVersion: modelVersion, Embeddings: make([][]float32, len(texts))}
	tokens := 0
	for i, t := range texts {
		n := words(t)
		if n > maxEmbedInputTokens && req.Truncate == "NONE" {
			// UNCONFIRMED wording.
			return nil, badRequest(fmt.Sprintf("inputs[%d] is longer than %d tokens and truncate is NONE.", i, maxEmbedInputTokens))
		}
		tokens += n
		res.Embeddings[i] = vector(t, dim)
	}
	// UNCONFIRMED: only float `embeddings` are returned, whatever
	// embeddingTypes asks for (no embeddingsByType).
	if req.IsEcho {
		res.Inputs = texts
	}
	res.Usage = embedUsage{PromptTokens: tokens, TotalTokens: tokens}
	return res, nil
}

// vector is a deterministic unit-length embedding of text.
func vector(text string, dim int) []float32 {
	h := fnv.New64a()
	h.Write([]byte(text))
	rng := rand.New(rand.NewPCG(h.Sum64(), uint64(dim)))
	v := make([]float64, dim)
	var norm float64
	for i := range v {
		v[i] = rng.NormFloat64()
		norm += v[i] * v[i]
	}
	norm = math.Sqrt(norm)
	out := make([]float32, dim)
	for i := range v {
		out[i] = float32(v[i] / norm)
	}
	return out
}

// newUUID returns a random RFC 4122 version-4 UUID string.
func newUUID() string {
	a, b := rand.Uint64(), rand.Uint64()
	a = a&^0xf000 | 0x4000     // version 4
	b = b&^(0xc<<60) | 0x8<<60 // variant 10
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}
