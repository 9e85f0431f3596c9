package cohere

import (
	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// bundle holds the envelope and the body (with the values they point to), so one allocation covers them.
type bundle struct {
	details core.ChatDetails
	chat    ChatRequest
}

// Request translates a hub chat request into an OCI /actions/chat body for apiFormat COHERE: the last user turn
// becomes message, earlier turns chatHistory, leading system/developer text preambleOverride, and the tool
// results of the current turn toolResults. It returns the parameters that were accepted but not forwarded, and a
// *hub.RequestError for client mistakes and for what COHERE cannot express (images, n>1, forced tool choice,
// tool schemas without a Cohere type). The result aliases strings and raw JSON of req.
func Request(req *hub.ChatRequest, t core.Target) (*core.ChatDetails, []string, error) {
	if err := core.CheckCall(req, t); err != nil {
		return nil, nil, err
	}
	b := &bundle{}
	c := &b.chat
	c.APIFormat = "COHERE"
	b.details = t.Details(c)

	if err := c.conversation(req.Messages); err != nil {
		return nil, nil, err
	}
	var err error
	if c.Tools, err = tools(req); err != nil {
		return nil, nil, err
	}
	dropped, err := c.CohereParams.Set(req, t)
	if err != nil {
		return nil, nil, err
	}
	if req.ReasoningEffort != "" {
		dropped = append(dropped, "reasoning_effort") // V1 Cohere models do not reason
	}
	return &b.details, dropped, nil
}
