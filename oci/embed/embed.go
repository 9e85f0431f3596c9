// Package embed is OCI's embedText: a hub embeddings request → embedText calls of at most MaxInputs inputs, and
// their answers → hub embeddings.
package embed

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// MaxInputs is how many inputs OCI's embedText takes in one call.
const MaxInputs = 96

// TextDetails is the body of POST /20231130/actions/embedText.
type TextDetails struct {
	CompartmentID    string           `json:"compartmentId"`
	ServingMode      core.ServingMode `json:"servingMode"`
	Inputs           []string         `json:"inputs"`
	InputType        string           `json:"inputType,omitempty"`
	Truncate         string           `json:"truncate,omitempty"`
	OutputDimensions *int             `json:"outputDimensions,omitempty"`
}

// TextResult is OCI's answer to embedText. The vectors stay raw JSON (see hub.Embeddings).
type TextResult struct {
	ID           string            `json:"id"`
	Embeddings   []json.RawMessage `json:"embeddings"`
	ModelID      string            `json:"modelId"`
	ModelVersion string            `json:"modelVersion"`
	Usage        *core.Usage       `json:"usage"`
}

var (
	inputTypes = []string{"SEARCH_DOCUMENT", "SEARCH_QUERY", "CLASSIFICATION", "CLUSTERING", "IMAGE"}
	truncates  = []string{"NONE", "START", "END"}
)

// Batches validates req and splits it into OCI calls of at most MaxInputs inputs, in input order.
func Batches(req *hub.EmbedRequest, t core.Target) ([]TextDetails, error) {
	if req.Dimensions != nil && *req.Dimensions <= 0 {
		return nil, hub.BadRequest("dimensions", "'dimensions' must be a positive integer.")
	}
	inputType := strings.ToUpper(req.InputType)
	if inputType == "" {
		inputType = "SEARCH_DOCUMENT"
	}
	if !slices.Contains(inputTypes, inputType) {
		return nil, hub.BadRequest("input_type", "'input_type' must be one of "+strings.Join(inputTypes, ", ")+".")
	}
	truncate := strings.ToUpper(req.Truncate)
	if truncate == "" {
		truncate = "END"
	}
	if !slices.Contains(truncates, truncate) {
		return nil, hub.BadRequest("truncate", "'truncate' must be one of "+strings.Join(truncates, ", ")+".")
	}
	mode := t.ServingMode()
	batches := make([]TextDetails, 0, (len(req.Inputs)+MaxInputs-1)/MaxInputs)
	for in := req.Inputs; len(in) > 0; {
		n := min(len(in), MaxInputs)
		batches = append(batches, TextDetails{
			CompartmentID: t.CompartmentID, ServingMode: mode, Inputs: in[:n],
			InputType: inputType, Truncate: truncate, OutputDimensions: req.Dimensions,
		})
		in = in[n:]
	}
	return batches, nil
}

// Join joins the answers of the batches (in batch order) into one answer with summed usage. A vector that is not
// an array of numbers is an error.
func Join(results []TextResult) (*hub.Embeddings, error) {
	out := &hub.Embeddings{}
	for _, r := range results {
		for _, vec := range r.Embeddings {
			if len(vec) == 0 || vec[0] != '[' {
				return nil, fmt.Errorf("embedding %d is not an array of numbers", len(out.Vectors))
			}
			out.Vectors = append(out.Vectors, vec)
		}
		if r.Usage != nil {
			out.PromptTokens += r.Usage.PromptTokens
			total := r.Usage.TotalTokens
			if total == 0 {
				total = r.Usage.PromptTokens
			}
			out.TotalTokens += total
		}
	}
	return out, nil
}
