package generic

import (
	"encoding/json"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// Format is the GENERIC chat format, as package oci's format table hands it to the handler.
var Format core.Chat = format{}

type format struct{}

func (format) Request(req *hub.ChatRequest, t core.Target) (*core.ChatDetails, []string, error) {
	return Request(req, t)
}

func (format) Completion(data []byte, id, model string, created int64) (*hub.ChatCompletion, error) {
	var res ChatResult
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, err
	}
	return Completion(&res, id, model, created), nil
}

func (format) Stream(id, model string, created int64, includeUsage bool) core.Stream {
	return NewStream(id, model, created, includeUsage)
}

// StreamUsage: GENERIC streams end with a usage event when streamOptions.isIncludeUsage asks for one.
func (format) StreamUsage() bool { return true }
