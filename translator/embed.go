package translator

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
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

// EmbedTextResult is OCI's answer to embedText. The vectors stay raw JSON: for float output they are copied
// through as they came, which spares parsing and re-printing a million numbers per large request.
type EmbedTextResult struct {
	ID           string            `json:"id"`
	Embeddings   []json.RawMessage `json:"embeddings"`
	ModelID      string            `json:"modelId"`
	ModelVersion string            `json:"modelVersion"`
	Usage        *OCIUsage         `json:"usage"`
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

// EmbeddingList is OpenAI's embeddings response, kept as the encoded vectors of each item.
type EmbeddingList struct {
	Model   string
	Vectors []json.RawMessage // a JSON array of numbers, or a JSON string of base64 float32
	Usage   EmbeddingUsage
}

// EmbeddingUsage is the embeddings usage block.
type EmbeddingUsage struct {
	PromptTokens int `json:"prompt_tokens"`
	TotalTokens  int `json:"total_tokens"`
}

// EmbeddingResponse joins the answers of the batches (in batch order) into one OpenAI response with summed
// usage. A vector that is not an array of numbers is an error.
func EmbeddingResponse(model, encoding string, results []EmbedTextResult) (*EmbeddingList, error) {
	out := &EmbeddingList{Model: model}
	for _, r := range results {
		for _, vec := range r.Embeddings {
			if len(vec) == 0 || vec[0] != '[' {
				return nil, fmt.Errorf("embedding %d is not an array of numbers", len(out.Vectors))
			}
			if encoding == "base64" {
				var floats []float32
				if err := json.Unmarshal(vec, &floats); err != nil {
					return nil, fmt.Errorf("embedding %d: %w", len(out.Vectors), err)
				}
				vec = json.RawMessage(strconv.Quote(float32Base64(floats)))
			}
			out.Vectors = append(out.Vectors, vec)
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
	return out, nil
}

// AppendJSON appends OpenAI's JSON for l to b. It writes the vectors byte for byte: encoding/json would
// re-validate and compact megabytes of numbers that OCI's answer already proved valid.
func (l *EmbeddingList) AppendJSON(b []byte) []byte {
	b = append(b, `{"object":"list","data":[`...)
	for i, v := range l.Vectors {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"object":"embedding","index":`...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, `,"embedding":`...)
		b = append(b, v...)
		b = append(b, '}')
	}
	b = append(b, `],"model":`...)
	b = strconv.AppendQuote(b, l.Model)
	b = append(b, `,"usage":{"prompt_tokens":`...)
	b = strconv.AppendInt(b, int64(l.Usage.PromptTokens), 10)
	b = append(b, `,"total_tokens":`...)
	b = strconv.AppendInt(b, int64(l.Usage.TotalTokens), 10)
	return append(b, "}}\n"...)
}

func float32Base64(vec []float32) string {
	buf := make([]byte, 4*len(vec))
	for i, f := range vec {
		binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(f))
	}
	return base64.StdEncoding.EncodeToString(buf)
}
