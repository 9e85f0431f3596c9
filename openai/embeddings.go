package openai

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/ociai/ociai-proxy/hub"
)

// EmbeddingRequest is the body of POST /v1/embeddings, plus OCI's input_type and truncate as extensions.
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
		var strs []string
		if json.Unmarshal(b, &strs) == nil { // the usual case, in one pass
			*in = strs
			return nil
		}
		var list []json.RawMessage // else find the element at fault
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
		out := make(EmbeddingInput, len(list))
		for i, raw := range list {
			if err := json.Unmarshal(raw, &out[i]); err != nil {
				return hub.BadRequest(fmt.Sprintf("input[%d]", i), "Token-array inputs are not supported: OCI Generative AI embeds text, so send strings.")
			}
		}
		*in = out
		return nil
	case bytes.Equal(b, []byte("null")):
		return nil
	}
	return hub.BadRequest("input", "'input' must be a string or a list of strings.")
}

// Hub validates what is OpenAI's to check (input, encoding_format) and returns the hub request.
func (r *EmbeddingRequest) Hub() (*hub.EmbedRequest, error) {
	if len(r.Input) == 0 {
		return nil, hub.BadRequest("input", "'input' must not be empty.")
	}
	for i, s := range r.Input {
		if s == "" {
			return nil, hub.BadRequest(fmt.Sprintf("input[%d]", i), "Inputs must not be empty strings.")
		}
	}
	switch r.EncodingFormat {
	case "", "float", "base64":
	default:
		return nil, hub.BadRequest("encoding_format", "'encoding_format' must be 'float' or 'base64'.")
	}
	return &hub.EmbedRequest{Inputs: r.Input, Dimensions: r.Dimensions, InputType: r.InputType, Truncate: r.Truncate}, nil
}

// AppendEmbeddings appends the OpenAI answer ({"object":"list","data":[…],"model","usage"}) for e to b, the
// vectors as float arrays or, for encoding "base64", as base64 of little-endian float32s. It writes float vectors
// byte for byte: encoding/json would re-validate and compact megabytes of numbers that OCI's answer already
// proved valid. A vector that is not an array of numbers is an error.
func AppendEmbeddings(b []byte, model, encoding string, e *hub.Embeddings) ([]byte, error) {
	b = append(b, `{"object":"list","data":[`...)
	for i, v := range e.Vectors {
		if encoding == "base64" {
			var floats []float32
			if err := json.Unmarshal(v, &floats); err != nil {
				return nil, fmt.Errorf("embedding %d: %w", i, err)
			}
			v = json.RawMessage(strconv.Quote(float32Base64(floats)))
		}
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
	b = strconv.AppendQuote(b, model)
	b = append(b, `,"usage":{"prompt_tokens":`...)
	b = strconv.AppendInt(b, int64(e.PromptTokens), 10)
	b = append(b, `,"total_tokens":`...)
	b = strconv.AppendInt(b, int64(e.TotalTokens), 10)
	return append(b, "}}\n"...), nil
}

func float32Base64(vec []float32) string {
	buf := make([]byte, 4*len(vec))
	for i, f := range vec {
		binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(f))
	}
	return base64.StdEncoding.EncodeToString(buf)
}
