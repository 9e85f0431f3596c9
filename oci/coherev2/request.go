package coherev2

import (
	"strings"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// bundle holds the envelope, the body and the values they point to, so one allocation covers them.
type bundle struct {
	details  core.ChatDetails
	chat     ChatRequest
	thinking Thinking
	strict   bool
}

// Request translates a hub chat request into an OCI /actions/chat body for apiFormat COHEREV2 (messages much like
// the hub's, images as IMAGE_URL parts, tool calls with ids). It returns the parameters that were accepted but not
// forwarded, and a *hub.RequestError for client mistakes. The result aliases strings and raw JSON of req.
func Request(req *hub.ChatRequest, t core.Target) (*core.ChatDetails, []string, error) {
	if err := core.CheckCall(req, t); err != nil {
		return nil, nil, err
	}
	b := &bundle{}
	c := &b.chat
	c.APIFormat = "COHEREV2"
	b.details = t.Details(c)

	var err error
	if c.Messages, err = messages(req.Messages); err != nil {
		return nil, nil, err
	}
	if err = b.tools(req); err != nil {
		return nil, nil, err
	}
	dropped, err := c.CohereParams.Set(req, t)
	if err != nil {
		return nil, nil, err
	}
	// UNCONFIRMED: reasoning_effort → thinking; "none" disables reasoning, any other level enables it (there is
	// no level, only a token budget). An effort hint counts for Cohere's reasoning models (command-a-reasoning).
	effort, err := core.ReasoningEffortOrHint(req, !t.Dedicated && strings.Contains(strings.ToLower(t.ModelID), "reasoning"))
	switch {
	case err != nil:
		return nil, nil, err
	case effort == "NONE":
		b.thinking.Type = "DISABLED"
		c.Thinking = &b.thinking
	case effort != "":
		b.thinking.Type = "ENABLED"
		c.Thinking = &b.thinking
	}
	return &b.details, dropped, nil
}
