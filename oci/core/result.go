package core

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ociai/ociai-proxy/hub"
)

// chatResult is OCI's ChatResult envelope around a chatResponse of one format, or an OCI error body.
type chatResult[R any] struct {
	ModelID      string          `json:"modelId"`
	ChatResponse *R              `json:"chatResponse"`
	Code         json.RawMessage `json:"code"`    // error body
	Message      json.RawMessage `json:"message"` // error body
}

// Formatted is a chatResponse that names its API format.
type Formatted interface{ APIFormat() string }

// DecodeChatResult decodes a whole OCI chat answer of the given format and starts the hub completion for it, one
// assistant choice (model falls back to OCI's modelId). An OCI error body gives an *UpstreamError.
func DecodeChatResult[R any, P interface {
	*R
	Formatted
}](data []byte, format, id, model string, created int64) (*R, *hub.ChatCompletion, error) {
	var res chatResult[R]
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, nil, fmt.Errorf("undecodable OCI %s response: %w", format, err)
	}
	r := res.ChatResponse
	if r == nil {
		if ue := ErrorBody(res.Code, res.Message); ue != nil {
			return nil, nil, ue
		}
		return nil, nil, errors.New("OCI " + format + " response without chatResponse")
	}
	if f := P(r).APIFormat(); f != "" && f != format {
		return nil, nil, fmt.Errorf("expected a %s chatResponse, got apiFormat %q", format, f)
	}
	if model == "" {
		model = res.ModelID
	}
	c := &hub.ChatCompletion{ID: id, Object: hub.ObjectCompletion, Created: created, Model: model, Choices: make([]hub.Choice, 1)}
	c.Choices[0].Message.Role = hub.RoleAssistant
	return r, c, nil
}
