package coherev2

import (
	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// Format is the COHEREV2 chat format, as package oci's format table hands it to the handler.
var Format core.Chat = format{}

type format struct{}

func (format) Request(req *hub.ChatRequest, t core.Target) (*core.ChatDetails, []string, error) {
	return Request(req, t)
}

func (format) Completion(data []byte, id, model string, created int64) (*hub.ChatCompletion, error) {
	return Completion(data, id, model, created)
}

func (format) Stream(id, model string, created int64, includeUsage bool) core.Stream {
	return NewStream(id, model, created, includeUsage)
}

// StreamUsage: whether a COHEREV2 stream sends usage after its finish event is unconfirmed, and waiting for one
// that never comes would delay the end of every stream.
func (format) StreamUsage() bool { return false }
