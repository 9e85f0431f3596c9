package cohere

import "github.com/ociai/ociai-proxy/oci/core"

// Format is the COHERE chat format, as package oci's format table hands it to the handler. The terminal COHERE
// event carries usage.
var Format = core.NewChat(Request, Completion, NewStream, true)
