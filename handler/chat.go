package handler

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/internal/ownstack"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/ocigenai"
)

// chatCall is one chat completion on its way to OCI.
type chatCall struct {
	info   *requestInfo
	req    *hub.ChatRequest
	reply  hub.Reply // encodes the answer in the client API's wire format
	model  model
	format core.Chat // the OCI format of this call
	usage  bool      // the client asked for a usage chunk
	// ociUsage: OCI is asked for usage in the stream and the gateway waits for it after the finish event. Also
	// when the client did not ask (for the token metrics), where the format reliably sends it.
	ociUsage bool
	id       string
	created  int64
	body     []byte // the OCI request
}

// chat is the chat pipeline every client API shares: decode, resolve the model, translate for its OCI format,
// then answer whole, stream, or synthesize a stream from a whole answer.
func (h *Handler) chat(w http.ResponseWriter, r *http.Request, _ string) {
	var c *chatCall
	var upstreamStream bool
	ownstack.Run(func() { c, upstreamStream = h.prepareChat(w, r) }) // decoding a deep request takes a deep stack
	switch {
	case c == nil: // prepareChat answered
	case upstreamStream:
		h.streamChat(w, r, c)
	case c.req.Stream:
		h.synthesizedStream(w, r, c)
	default:
		h.plainChat(w, r, c)
	}
}

// prepareChat decodes the request, resolves its model and builds the OCI request; it answers the client itself
// and returns nil when that fails.
func (h *Handler) prepareChat(w http.ResponseWriter, r *http.Request) (c *chatCall, upstreamStream bool) {
	ctx := r.Context()
	info := infoFrom(ctx)
	body, e := h.readBody(w, r)
	if e != nil {
		h.fail(w, r, e)
		return nil, false
	}
	c = &chatCall{info: info, id: newID("chatcmpl-"), created: time.Now().Unix()}
	var err error
	if c.req, c.reply, err = info.api.DecodeChat(body); err != nil {
		h.fail(w, r, toAPIError(ctx, err))
		return nil, false
	}
	if ig, ok := c.reply.(Ignoring); ok && len(ig.Ignored()) > 0 {
		info.ignored = ig.Ignored()
		w.Header().Set("X-Ociai-Ignored", strings.Join(info.ignored, ", "))
	}
	info.model, info.stream = c.req.Model, c.req.Stream
	c.usage = c.req.StreamOptions != nil && c.req.StreamOptions.IncludeUsage
	if c.model, e = h.resolveModel(c.req.Model, isChat); e != nil {
		h.fail(w, r, e)
		return nil, false
	}
	upstreamStream = c.req.Stream && !h.opt.ForceNonStream
	if err := h.buildChat(ctx, c, upstreamStream); err != nil {
		h.fail(w, r, toAPIError(ctx, err))
		return nil, false
	}
	return c, upstreamStream
}

// buildChat translates the hub request for the model's OCI format.
func (h *Handler) buildChat(ctx context.Context, c *chatCall, stream bool) error {
	req := *c.req // shallow copy: the OCI stream flag may differ from what the client asked
	req.Stream = stream
	t := core.Target{ModelID: c.model.ID, Dedicated: c.model.Dedicated, CompartmentID: h.opt.CompartmentID, DefaultMaxTokens: h.opt.DefaultMaxTokens}
	c.format = c.model.format.Chat(&req)
	c.ociUsage = c.usage || stream && c.format.StreamUsage()
	if stream && c.ociUsage {
		req.StreamOptions = &hub.StreamOptions{IncludeUsage: true}
	}
	details, dropped, err := c.format.Request(&req, t)
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
	info := c.info
	res, err := h.oci.Call(ctx, ocigenai.PathChat, c.body)
	if err != nil {
		info.upstreamFailed(err)
		return nil, err
	}
	info.ociID = res.RequestID
	comp, err := c.format.Completion(res.Data, c.id, c.req.Model, c.created)
	if err != nil {
		return nil, &answerError{what: "cannot read the OCI answer: " + err.Error(), requestID: res.RequestID}
	}
	info.used(comp.Usage)
	return comp, nil
}

func (h *Handler) plainChat(w http.ResponseWriter, r *http.Request, c *chatCall) {
	comp, err := h.complete(r.Context(), c)
	if err != nil {
		h.fail(w, r, toAPIError(r.Context(), err))
		return
	}
	writeJSON(w, http.StatusOK, c.reply.Completion(comp))
}

// fail writes e and logs its cause once (the request line then carries only the status).
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, e *hub.Error) {
	if e.Status >= 500 || e.Status == 499 {
		h.logFailure(r.Context(), "request failed", e)
	}
	writeError(w, r, e)
}

// logFailure logs a failed request once, with the cause its message leaves out.
func (h *Handler) logFailure(ctx context.Context, msg string, e *hub.Error) {
	info := infoFrom(ctx)
	attrs := []slog.Attr{slog.String("request_id", info.id), slog.Int("status", e.Status), slog.String("error", e.Message)}
	if e.Cause != "" {
		attrs = append(attrs, slog.String("cause", e.Cause))
	}
	h.log.LogAttrs(ctx, slog.LevelWarn, msg, attrs...)
	info.errLogged = true
}
