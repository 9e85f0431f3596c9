package translator

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// MaxEmbedInputs is how many inputs OCI's embedText takes in one call.
const MaxEmbedInputs = 96

// EmbeddingRequest is OpenAI's POST /v1/embeddings body, plus OCI's input_type and truncate as extensions.
type EmbeddingRequest struct {
	Model          string         `json:"model"`
	Input          EmbeddingInput `json:"input"`
	EncodingFormat string         `json:"encoding_format,omitempty"` // float (default) or base64
	Dimensions     *int           `json:"dimensions,omitempty"`
	User           string         `json:"user,omitempty"`
	InputType      string         `json:"input_type,omitempty"` // SEARCH_DOCUMENT (default), SEARCH_QUERY, CLASSIFICATION, CLUSTERING
	Truncate       string         `json:"truncate,omitempty"`   // END (default), START, NONE
}

// EmbeddingInput is `input`: one string or a list of strings. Token arrays are rejected since OCI embeds text.
type EmbeddingInput []string

// UnmarshalJSON accepts a string or a list of strings.
func (in *EmbeddingInput) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*in = EmbeddingInput{s}
		return nil
	case len(b) > 0 && b[0] == '[':
		var list []json.RawMessage
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
		out := make(EmbeddingInput, len(list))
		for i, raw := range list {
			if err := json.Unmarshal(raw, &out[i]); err != nil {
				return reqErr(fmt.Sprintf("input[%d]", i), "Token-array inputs are not supported: OCI Generative AI embeds text, so send strings.")
			}
		}
		*in = out
		return nil
	case bytes.Equal(b, []byte("null")):
		return nil
	}
	return reqErr("input", "'input' must be a string or a list of strings.")
}

// EmbedTextDetails is the body of POST /20231130/actions/embedText.
type EmbedTextDetails struct {
	CompartmentID    string      `json:"compartmentId"`
	ServingMode      ServingMode `json:"servingMode"`
	Inputs           []string    `json:"inputs"`
	InputType        string      `json:"inputType,omitempty"`
	Truncate         string      `json:"truncate,omitempty"`
	OutputDimensions *int        `json:"outputDimensions,omitempty"`
}

// EmbedTextResult is OCI's answer to embedText.
type EmbedTextResult struct {
	ID           string      `json:"id"`
	Embeddings   [][]float32 `json:"embeddings"`
	ModelID      string      `json:"modelId"`
	ModelVersion string      `json:"modelVersion"`
	Usage        *OCIUsage   `json:"usage"`
}

var (
	embedInputTypes = []string{"SEARCH_DOCUMENT", "SEARCH_QUERY", "CLASSIFICATION", "CLUSTERING", "IMAGE"}
	embedTruncates  = []string{"NONE", "START", "END"}
)

// EmbedBatches validates req and splits it into OCI calls of at most MaxEmbedInputs inputs, in input order.
func EmbedBatches(req *EmbeddingRequest, t Target) ([]EmbedTextDetails, error) {
	if len(req.Input) == 0 {
		return nil, reqErr("input", "'input' must not be empty.")
	}
	for i, s := range req.Input {
		if s == "" {
			return nil, reqErr(fmt.Sprintf("input[%d]", i), "Inputs must not be empty strings.")
		}
	}
	switch req.EncodingFormat {
	case "", "float", "base64":
	default:
		return nil, reqErr("encoding_format", "'encoding_format' must be 'float' or 'base64'.")
	}
	if req.Dimensions != nil && *req.Dimensions <= 0 {
		return nil, reqErr("dimensions", "'dimensions' must be a positive integer.")
	}
	inputType := strings.ToUpper(req.InputType)
	if inputType == "" {
		inputType = "SEARCH_DOCUMENT"
	}
	if !slices.Contains(embedInputTypes, inputType) {
		return nil, reqErr("input_type", "'input_type' must be one of "+strings.Join(embedInputTypes, ", ")+".")
	}
	truncate := strings.ToUpper(req.Truncate)
	if truncate == "" {
		truncate = "END"
	}
	if !slices.Contains(embedTruncates, truncate) {
		return nil, reqErr("truncate", "'truncate' must be one of "+strings.Join(embedTruncates, ", ")+".")
	}
	mode := ServingMode{ServingType: "ON_DEMAND", ModelID: t.ModelID}
	if t.Dedicated {
		mode = ServingMode{ServingType: "DEDICATED", EndpointID: t.ModelID}
	}
	batches := make([]EmbedTextDetails, 0, (len(req.Input)+MaxEmbedInputs-1)/MaxEmbedInputs)
	for in := []string(req.Input); len(in) > 0; {
		n := min(len(in), MaxEmbedInputs)
		batches = append(batches, EmbedTextDetails{
			CompartmentID: t.CompartmentID, ServingMode: mode, Inputs: in[:n],
			InputType: inputType, Truncate: truncate, OutputDimensions: req.Dimensions,
		})
		in = in[n:]
	}
	return batches, nil
}

// EmbeddingList is OpenAI's embeddings response.
type EmbeddingList struct {
	Object string         `json:"object"` // list
	Data   []Embedding    `json:"data"`
	Model  string         `json:"model"`
	Usage  EmbeddingUsage `json:"usage"`
}

// Embedding is one vector: []float32, or a base64 string of little-endian float32 like OpenAI's.
type Embedding struct {
	Object    string `json:"object"` // embedding
	Index     int    `json:"index"`
	Embedding any    `json:"embedding"`
}

// EmbeddingUsage is the embeddings usage block.
type EmbeddingUsage struct {
	PromptTokens int `json:"prompt_tokens"`
	TotalTokens  int `json:"total_tokens"`
}

// EmbeddingResponse joins the answers of the batches (in batch order) into one OpenAI response with summed usage.
func EmbeddingResponse(model, encoding string, results []EmbedTextResult) *EmbeddingList {
	out := &EmbeddingList{Object: "list", Model: model}
	for _, r := range results {
		for _, vec := range r.Embeddings {
			e := Embedding{Object: "embedding", Index: len(out.Data), Embedding: vec}
			if encoding == "base64" {
				e.Embedding = float32Base64(vec)
			}
			out.Data = append(out.Data, e)
		}
		if r.Usage != nil {
			out.Usage.PromptTokens += r.Usage.PromptTokens
			total := r.Usage.TotalTokens
			if total == 0 {
				total = r.Usage.PromptTokens
			}
			out.Usage.TotalTokens += total
		}
	}
	if out.Data == nil {
		out.Data = []Embedding{}
	}
	return out
}

func float32Base64(vec []float32) string {
	buf := make([]byte, 4*len(vec))
	for i, f := range vec {
		binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(f))
	}
	return base64.StdEncoding.EncodeToString(buf)
}
