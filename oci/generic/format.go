package generic

import (
	"encoding/json"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// Format is the GENERIC chat format, as package oci's format table hands it to the handler. GENERIC streams end
// with a usage event when streamOptions.isIncludeUsage asks for one.
var Format = core.NewChat(Request, completion, NewStream, true)

// completion decodes a whole GENERIC answer and translates it.
func completion(data []byte, id, model string, created int64) (*hub.ChatCompletion, error) {
	var res ChatResult
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, err
	}
	return Completion(&res, id, model, created), nil
}
