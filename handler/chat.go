package handler

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/translator"
)

// chatCall is one chat completion on its way to OCI.
type chatCall struct {
	req    hub.ChatRequest
	model  Model
	format string // OCI API format of this call: GENERIC, COHERE or COHEREV2
	usage  bool   // the client asked for a usage chunk
	// ociUsage: OCI is asked for usage in the stream and the gateway waits for it after the finish event. Also
	// when the client did not ask (for the token metrics), except for COHEREV2, where whether a usage event
	// follows is unconfirmed and waiting for one that never comes would delay the end of every stream.
	ociUsage bool
	id       string
	created  int64
	body     []byte // the OCI request
}

func (h *Handler) chat(w http.ResponseWriter, r *http.Request, _ string) {
	ctx := r.Context()
	info := infoFrom(ctx)
	c := &chatCall{id: newID("chatcmpl-"), created: time.Now().Unix()}
	if e := h.readJSON(w, r, &c.req); e != nil {
		h.fail(w, r, e)
		return
	}
	info.model, info.stream = c.req.Model, c.req.Stream
	c.usage = includeUsage(&c.req)
	m, e := h.resolveModel(c.req.Model, isChat)
	if e != nil {
		h.fail(w, r, e)
		return
	}
	c.model = m
	upstreamStream := c.req.Stream && !h.opt.ForceNonStream
	if err := h.buildChat(ctx, c, upstreamStream); err != nil {
		h.fail(w, r, toAPIError(ctx, err))
		return
	}
	switch {
	case upstreamStream:
		h.streamChat(w, r, c)
	case c.req.Stream:
		h.synthesizedStream(w, r, c)
	default:
		h.plainChat(w, r, c)
	}
}

// buildChat translates the OpenAI request for the model's API format.
func (h *Handler) buildChat(ctx context.Context, c *chatCall, stream bool) error {
	req := c.req // shallow copy: the OCI stream flag may differ from what the client asked
	req.Stream = stream
	t := translator.Target{ModelID: c.model.ID, Dedicated: c.model.Dedicated, CompartmentID: h.opt.CompartmentID, DefaultMaxTokens: h.opt.DefaultMaxTokens}
	c.format = c.model.Format
	if c.format == "COHERE" && hub.HasImages(&req) {
		c.format = "COHEREV2" // COHERE drops images; Cohere's vision-capable models take them in V2
	}
	c.ociUsage = c.usage || stream && c.format != "COHEREV2"
	if stream && c.ociUsage {
		req.StreamOptions = &hub.StreamOptions{IncludeUsage: true}
	}
	var details any
	var dropped []string
	var err error
	switch c.format {
	case "COHERE":
		details, dropped, err = translator.CohereChat(&req, t)
	case "COHEREV2":
		details, dropped, err = translator.CohereV2Chat(&req, t)
	default:
		c.format = "GENERIC"
		details, dropped, err = translator.GenericChat(&req, t)
	}
	if err != nil {
		return err
	}
	if len(dropped) > 0 {
		h.log.LogAttrs(ctx, slog.LevelDebug, "dropped parameters OCI does not take", slog.String("request_id", infoFrom(ctx).id), slog.Any("params", dropped))
	}
	if h.opt.LogPrompts {
		h.log.LogAttrs(ctx, slog.LevelInfo, "prompt", slog.String("request_id", infoFrom(ctx).id), slog.Any("messages", c.req.Messages))
	}
	c.body, err = json.Marshal(details)
	return err
}

// complete makes a non-streaming OCI call and translates the answer.
func (h *Handler) complete(ctx context.Context, c *chatCall) (*hub.ChatCompletion, error) {
	ctx, cancel := context.WithTimeout(ctx, h.opt.RequestTimeout)
	defer cancel()
	res, err := h.oci.Call(ctx, ocigenai.PathChat, c.body)
	if err != nil {
		h.upstreamFailed(err)
		return nil, err
	}
	infoFrom(ctx).ociID = res.RequestID
	comp, err := completion(c, res.Data)
	if err != nil {
		return nil, &ocigenai.Error{Status: http.StatusBadGateway, Code: "BadResponse", Message: "cannot read the OCI answer: " + err.Error(), RequestID: res.RequestID}
	}
	if h.metrics != nil {
		h.metrics.usage(c.model.Name, comp.Usage)
	}
	return comp, nil
}

func (h *Handler) upstreamFailed(err error) {
	if h.metrics != nil {
		h.metrics.upstream(err)
	}
}

// completion translates a whole OCI answer in the call's API format.
func completion(c *chatCall, data []byte) (*hub.ChatCompletion, error) {
	switch c.format {
	case "COHERE":
		return translator.CompletionFromCohere(data, c.id, c.req.Model, c.created)
	case "COHEREV2":
		return translator.CompletionFromCohereV2(data, c.id, c.req.Model, c.created)
	}
	var out translator.ChatResult
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	return translator.CompletionFromGeneric(&out, c.id, c.req.Model, c.created), nil
}

func (h *Handler) plainChat(w http.ResponseWriter, r *http.Request, c *chatCall) {
	comp, err := h.complete(r.Context(), c)
	if err != nil {
		h.fail(w, r, toAPIError(r.Context(), err))
		return
	}
	writeJSON(w, http.StatusOK, comp)
}

// fail writes e and logs its cause once (the request line then carries only the status).
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, e *apiError) {
	info := infoFrom(r.Context())
	if e.Status >= 500 || e.Status == 499 {
		h.log.LogAttrs(r.Context(), slog.LevelWarn, "request failed", slog.String("request_id", info.id), slog.Int("status", e.Status), slog.String("error", e.Message))
		info.errLogged = true
	}
	writeError(w, r, e)
}
